"""Client-side machinery: outbox, history, conflicts, rejected changes, settings.

The outbox is written in the same transaction as the edit it records (DESIGN §6), so a row and
its outbox entry are both present or both absent after any crash.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database.tables.base import Base
from app.database.types import UTCDateTime, id_column_type, utc_now
from app.domain.ids import new_id


class OutboxEntry(Base):
    """One local change waiting to be pushed: insert, patch of changed fields, or delete."""

    __tablename__ = "outbox"

    device_seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    change_id: Mapped[str] = mapped_column(id_column_type(), unique=True, default=new_id)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(id_column_type(), index=True)
    op: Mapped[str] = mapped_column(String(10))  # insert | patch | delete
    fields: Mapped[dict[str, object]] = mapped_column(JSON)
    base: Mapped[dict[str, object]] = mapped_column(JSON)  # field -> value before, + row_version
    schema_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)


class HistoryEntry(Base):
    """Who changed which fields of a record, when, from what to what (kept after sync)."""

    __tablename__ = "history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(id_column_type(), index=True)
    op: Mapped[str] = mapped_column(String(10))
    changes: Mapped[dict[str, object]] = mapped_column(JSON)  # field -> [old, new]
    actor_id: Mapped[str | None] = mapped_column(id_column_type())
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    source: Mapped[str] = mapped_column(String(20), default="local")  # local | import | sync


class ConflictRow(Base):
    """A value that lost a merge on the server, kept until someone decides (never silent).

    Conflict records are made only by the server and reach every laptop of the squad by pull;
    they carry the same sync columns as synced rows. The class is deliberately not a ``Synced``
    mapping: change tracking must not queue a conflict a user imports from a JSON file (the
    server would refuse an insert). A resolution is queued explicitly by
    ``app.sync.outbox.enqueue`` (``app.services.conflicts``) and syncs like any edit.
    """

    __tablename__ = "conflicts"

    id: Mapped[str] = mapped_column(id_column_type(), primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_by: Mapped[str | None] = mapped_column(String(36))
    row_version: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(id_column_type(), index=True)
    field: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20), default="field")  # field | text | delete
    base_value: Mapped[object] = mapped_column(JSON, nullable=True)
    server_value: Mapped[object] = mapped_column(JSON, nullable=True)  # theirs: the value kept
    client_value: Mapped[object] = mapped_column(JSON, nullable=True)  # mine: the value that lost
    server_by: Mapped[str | None] = mapped_column(id_column_type())
    server_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    client_by: Mapped[str | None] = mapped_column(id_column_type())
    client_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    change_id: Mapped[str | None] = mapped_column(id_column_type())  # the push that lost
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | resolved
    resolution: Mapped[str] = mapped_column(Text, default="")  # mine | theirs | merged
    resolved_by: Mapped[str | None] = mapped_column(id_column_type())
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class RejectedChangeRow(Base):
    """An outbox entry the server refused: kept with its code and reason, offered for retry."""

    __tablename__ = "rejected_changes"

    change_id: Mapped[str] = mapped_column(id_column_type(), primary_key=True)
    device_seq: Mapped[int] = mapped_column(Integer)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(id_column_type(), index=True)
    op: Mapped[str] = mapped_column(String(10))  # insert | patch | delete
    fields: Mapped[dict[str, object]] = mapped_column(JSON)
    base: Mapped[dict[str, object]] = mapped_column(JSON)
    code: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    rejected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | retried


class LocalSetting(Base):
    """Key/value facts about this database: device id, next device sequence, demo flag."""

    __tablename__ = "local_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
