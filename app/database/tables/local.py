"""Client-side machinery that does not sync as records: outbox, history, conflicts, settings.

The outbox is written in the same transaction as the edit it records (DESIGN §6), so a row and
its outbox entry are both present or both absent after any crash.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Integer, String, Text
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
    """A same-field edit on two sides that nobody has decided yet; never resolved silently."""

    __tablename__ = "conflicts"

    id: Mapped[str] = mapped_column(id_column_type(), primary_key=True, default=new_id)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(id_column_type(), index=True)
    field: Mapped[str] = mapped_column(String(60))
    base_value: Mapped[object] = mapped_column(JSON, nullable=True)
    server_value: Mapped[object] = mapped_column(JSON, nullable=True)
    client_value: Mapped[object] = mapped_column(JSON, nullable=True)
    server_by: Mapped[str | None] = mapped_column(id_column_type())
    client_by: Mapped[str | None] = mapped_column(id_column_type())
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    resolution: Mapped[str] = mapped_column(Text, default="")


class LocalSetting(Base):
    """Key/value facts about this database: device id, next device sequence, demo flag."""

    __tablename__ = "local_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
