"""被拒绝的更改: local changes the server refused, with its reason and a retry.

Nothing the server refuses is dropped: the change waits here with the code and reason. A retry
is a new local edit in one unit of work: the change's fields are written to the record again
(a refused insert whose record was hidden is brought back), so the outbox gets a fresh entry
that the next sync pushes; the refused change is marked ``retried``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.database.change_tracking import Actor
from app.database.codec import JsonValue, decode, encode
from app.database.tables import (
    SYNC_COLUMNS,
    TABLE_BY_NAME,
    ConflictRow,
    OutboxEntry,
    RejectedChangeRow,
)
from app.domain.errors import AppError, NotFoundError
from app.i18n import tr
from app.services.workspace import Workspace
from app.sync.display import record_label
from app.sync.labels import field_label
from app.sync.outbox import enqueue, with_defaults


@dataclass(frozen=True, slots=True)
class RejectedItem:
    change_id: str
    table_name: str
    row_id: str
    record_label: str
    op: str  # insert | patch | delete
    summary: str  # "新增" / "删除" / "修改：企业名称、地址"
    code: str  # the server's RejectCode
    reason: str  # the server's words, naming the field at fault
    rejected_at: dt.datetime | None


class RejectedChangeService:
    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def items(self) -> list[RejectedItem]:
        query = (
            select(RejectedChangeRow)
            .where(RejectedChangeRow.status == "open")
            .order_by(RejectedChangeRow.rejected_at, RejectedChangeRow.device_seq)
        )
        with self._workspace.database.read() as session:
            return [
                RejectedItem(
                    change_id=row.change_id,
                    table_name=row.table_name,
                    row_id=row.row_id,
                    record_label=record_label(session, row.table_name, row.row_id),
                    op=row.op,
                    summary=_summary(row),
                    code=row.code,
                    reason=row.reason,
                    rejected_at=row.rejected_at,
                )
                for row in session.scalars(query)
            ]

    def retry(self, change_id: str) -> None:
        actor = self._workspace.actor()
        with self._workspace.database.write(actor) as session:
            row = session.get(RejectedChangeRow, change_id)
            if row is None:
                raise NotFoundError(tr("找不到这条被拒绝的更改"))
            if row.status != "open":
                raise AppError(tr("这条更改已经重新提交过了"))
            _retry(session, actor, row)

    def retry_all(self) -> int:
        """Retry every open refused change, oldest first, in one unit of work."""
        actor = self._workspace.actor()
        query = (
            select(RejectedChangeRow)
            .where(RejectedChangeRow.status == "open")
            .order_by(RejectedChangeRow.device_seq, RejectedChangeRow.rejected_at)
        )
        with self._workspace.database.write(actor) as session:
            rows = list(session.scalars(query))
            for row in rows:
                _retry(session, actor, row)
        return len(rows)


def _summary(row: RejectedChangeRow) -> str:
    if row.op == "insert":
        return tr("新增")
    if row.op == "delete":
        return tr("删除")
    names = [field_label(row.table_name, name) for name in (row.fields or {}) if name != "deleted"]
    if "deleted" in (row.fields or {}) and not names:
        return tr("恢复") if row.fields.get("deleted") is False else tr("删除")
    return tr("修改：{fields}", fields=tr("、").join(names))


def _retry(session: Session, actor: Actor, rejected: RejectedChangeRow) -> None:
    fields: Mapping[str, JsonValue] = rejected.fields or {}  # type: ignore[assignment]
    if rejected.table_name == "conflicts":
        _retry_conflict(session, actor, rejected, fields)
    else:
        _retry_record(session, rejected, fields)
    rejected.status = "retried"


def _retry_record(
    session: Session, rejected: RejectedChangeRow, fields: Mapping[str, JsonValue]
) -> None:
    model: Any = TABLE_BY_NAME.get(rejected.table_name)
    if model is None:
        raise AppError(
            tr("这个版本的软件不认识数据表 {table}，无法重新提交", table=rejected.table_name)
        )
    columns = model.__table__.columns
    if rejected.op == "insert":
        fields = with_defaults(rejected.table_name, dict(fields))
    values = {
        name: decode(columns[name], value)
        for name, value in fields.items()
        if name in columns
        and (name not in SYNC_COLUMNS or name == "deleted")
        and (value is not None or columns[name].nullable)
    }
    before = session.scalar(select(func.max(OutboxEntry.device_seq))) or 0
    record = session.get(model, rejected.row_id)
    if record is None:
        if rejected.op != "insert":
            raise NotFoundError(tr("这条更改所在的记录已不存在，无法重新提交"))
        session.add(model(id=rejected.row_id, **values))
        return
    for name, value in values.items():
        setattr(record, name, value)
    if rejected.op == "insert":
        record.deleted = False
    session.flush()
    made = list(
        session.scalars(
            select(OutboxEntry)
            .where(
                OutboxEntry.table_name == rejected.table_name,
                OutboxEntry.row_id == rejected.row_id,
                OutboxEntry.device_seq > before,
            )
            .order_by(OutboxEntry.device_seq)
        )
    )
    if rejected.op == "insert" and record.row_version == 0:
        # The server never had the record: it must arrive whole, as an insert.
        whole = {
            column.name: encode(getattr(record, column.key))
            for column in columns
            if column.name not in SYNC_COLUMNS or column.name == "deleted"
        }
        if made:
            made[-1].op = "insert"
            made[-1].fields = dict(whole)
            made[-1].base = {"row_version": 0, "fields": {}}
            return
        _enqueue(session, rejected, "insert", whole, {}, 0)
        return
    if not made:  # the record already holds these values: queue the change as it was
        current = {name: encode(getattr(record, name)) for name in values}
        _enqueue(session, rejected, rejected.op, dict(fields), current, record.row_version)


def _retry_conflict(
    session: Session, actor: Actor, rejected: RejectedChangeRow, fields: Mapping[str, JsonValue]
) -> None:
    conflict = session.get(ConflictRow, rejected.row_id)
    if conflict is None:
        raise NotFoundError(tr("这条更改所在的记录已不存在，无法重新提交"))
    columns: Any = ConflictRow.__table__.columns
    before = {name: encode(getattr(conflict, name)) for name in fields if name in columns}
    for name in before:
        setattr(conflict, name, decode(columns[name], fields[name]))
    _enqueue(session, rejected, "patch", dict(fields), before, conflict.row_version, actor)


def _enqueue(
    session: Session,
    rejected: RejectedChangeRow,
    op: str,
    fields: dict[str, JsonValue],
    base: dict[str, JsonValue],
    row_version: int,
    actor: Actor | None = None,
) -> None:
    member = actor.member_id if actor is not None else session.info["actor"].member_id
    enqueue(
        session,
        table_name=rejected.table_name,
        row_id=rejected.row_id,
        op=op,
        fields=fields,
        base_fields=base,
        row_version=row_version,
        actor_id=member,
    )
