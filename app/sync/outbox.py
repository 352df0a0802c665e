"""The outbox as sync sees it: batches to push, acknowledgement, refusal, renumbering.

Local edits write their own entries (``app.database.change_tracking``); ``enqueue`` is for the
few writes change tracking does not see (a conflict resolution, a retried change that did not
change the row again), and numbers its entry from the same ``next_device_seq`` counter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, func, select, update
from sqlalchemy.orm import Session

from app.database.change_tracking import NEXT_DEVICE_SEQ, _next_device_seq
from app.database.codec import JsonValue, encode
from app.database.schema import SYNC_SCHEMA_REVISION
from app.database.tables import TABLE_BY_NAME, HistoryEntry, OutboxEntry, RejectedChangeRow
from app.database.types import utc_now
from app.sync import state
from app.sync.protocol import Change, ChangeBase, ChangeResult, Op

_outbox = cast(Table, OutboxEntry.__table__)
_rejected = cast(Table, RejectedChangeRow.__table__)


@dataclass(frozen=True, slots=True)
class Pending:
    """One outbox entry waiting to be pushed."""

    device_seq: int
    change_id: str
    table_name: str
    row_id: str
    op: str
    fields: dict[str, Any]
    base: dict[str, Any]
    schema_version: str
    created_at: dt.datetime | None

    def change(self) -> Change:
        base = self.base or {}
        fields = with_defaults(self.table_name, self.fields) if self.op == "insert" else None
        return Change(
            change_id=self.change_id,
            device_seq=self.device_seq,
            table=self.table_name,
            row_id=self.row_id,
            op=Op(self.op),
            fields=fields if fields is not None else self.fields,
            base=ChangeBase(
                row_version=int(base.get("row_version") or 0),
                fields=dict(base.get("fields") or {}),
            ),
            created_at=None if self.created_at is None else self.created_at.isoformat(),
            schema_version=self.schema_version,
        )


def with_defaults(table_name: str, fields: dict[str, Any]) -> dict[str, Any]:
    """An insert's nulls in columns that cannot hold one, replaced by the column default.

    Change tracking encodes a new row before the INSERT runs, so a column left to its Python
    default (``default=""``) is recorded as null although the stored row got the default; the
    server rightly refuses a null there. The default is what the local row holds.
    """
    model = TABLE_BY_NAME.get(table_name)
    if model is None:
        return fields
    columns = cast(Table, model.__table__).columns  # type: ignore[attr-defined]
    filled = dict(fields)
    for name, value in fields.items():
        column = columns.get(name)
        if value is not None or column is None or column.nullable:
            continue
        default = column.default
        if default is not None and default.is_scalar:
            filled[name] = encode(default.arg)  # type: ignore[attr-defined]
    return filled


def pending(connection: Connection, limit: int | None = None) -> list[Pending]:
    query = select(_outbox).order_by(_outbox.c.device_seq)
    if limit is not None:
        query = query.limit(limit)
    return [
        Pending(
            device_seq=row.device_seq,
            change_id=row.change_id,
            table_name=row.table_name,
            row_id=row.row_id,
            op=row.op,
            fields=dict(row.fields or {}),
            base=dict(row.base or {}),
            schema_version=row.schema_version,
            created_at=row.created_at,
        )
        for row in connection.execute(query)
    ]


def count(connection: Connection) -> int:
    return int(connection.scalar(select(func.count()).select_from(_outbox)) or 0)


def attachment_blobs(connection: Connection) -> list[str]:
    """SHA-256 of every attachment the outbox is about to insert or repoint."""
    query = (
        select(_outbox.c.fields)
        .where(_outbox.c.table_name == "attachments")
        .order_by(_outbox.c.device_seq)
    )
    found: dict[str, None] = {}
    for (fields,) in connection.execute(query):
        sha256 = (fields or {}).get("sha256")
        if isinstance(sha256, str):
            found[sha256] = None
    return list(found)


def acknowledge(connection: Connection, change_id: str) -> None:
    connection.execute(delete(_outbox).where(_outbox.c.change_id == change_id))


def accepted(connection: Connection, change_id: str) -> None:
    """Acknowledge an applied, merged or conflicting change. A refusal kept for it goes: a
    change refused before a server restore can be accepted when it is sent again."""
    acknowledge(connection, change_id)
    connection.execute(delete(_rejected).where(_rejected.c.change_id == change_id))


def reject(connection: Connection, entry: Pending, result: ChangeResult) -> None:
    """Move a refused entry to ``rejected_changes`` (kept for a retry, never dropped). Refused
    again (sent again after a server restore), it keeps the status the user gave it."""
    status = connection.scalar(
        select(_rejected.c.status).where(_rejected.c.change_id == entry.change_id)
    )
    connection.execute(delete(_rejected).where(_rejected.c.change_id == entry.change_id))
    connection.execute(
        _rejected.insert().values(
            change_id=entry.change_id,
            device_seq=entry.device_seq,
            table_name=entry.table_name,
            row_id=entry.row_id,
            op=entry.op,
            fields=entry.fields,
            base=entry.base,
            code=str(result.code or "rejected"),
            reason=result.reason,
            rejected_at=utc_now(),
            status=status or "open",
        )
    )
    acknowledge(connection, entry.change_id)


def renumber(connection: Connection, start: int) -> int:
    """Number the pending entries ``start, start+1, …`` in their order; returns the next number.

    Used with a new device id (``device_reused``: start 1) and when the server asks to resend
    from an earlier number than the outbox holds (``retry_from``: a server restored from a
    backup has lost changes it once acknowledged, so the gap must close).
    """
    seqs = list(connection.scalars(select(_outbox.c.device_seq).order_by(_outbox.c.device_seq)))
    connection.execute(update(_outbox).values(device_seq=-_outbox.c.device_seq))
    for number, old in enumerate(seqs, start=start):
        connection.execute(
            update(_outbox).where(_outbox.c.device_seq == -old).values(device_seq=number)
        )
    following = start + len(seqs)
    state.put(connection, NEXT_DEVICE_SEQ, str(following))
    return following


def enqueue(
    session: Session,
    *,
    table_name: str,
    row_id: str,
    op: str,
    fields: Mapping[str, JsonValue],
    base_fields: Mapping[str, JsonValue],
    row_version: int,
    actor_id: str | None,
    source: str = "local",
) -> None:
    """Queue one change in ``session``'s unit of work, with its history row."""
    now = utc_now()
    session.add(
        HistoryEntry(
            table_name=table_name,
            row_id=row_id,
            op=op,
            changes={name: [base_fields.get(name), value] for name, value in fields.items()},
            actor_id=actor_id,
            changed_at=now,
            source=source,
        )
    )
    session.add(
        OutboxEntry(
            device_seq=_next_device_seq(session),
            table_name=table_name,
            row_id=row_id,
            op=op,
            fields=dict(fields),
            base={"row_version": row_version, "fields": dict(base_fields)},
            schema_version=SYNC_SCHEMA_REVISION,
            created_at=now,
        )
    )
