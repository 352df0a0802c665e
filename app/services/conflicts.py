"""冲突处理: the open conflicts, each side by side, and the three ways to settle one.

A resolution is an ordinary local edit in one unit of work: the chosen value is written into the
record (change tracking queues it), and the conflict record is marked resolved (queued here,
since conflict records are made by the server and only their resolution fields are ours to
change). Both reach the server at the next sync and every other laptop after it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Boolean, Date, Integer, Numeric, Text, select
from sqlalchemy.orm import Session

from app.database.codec import decode, encode
from app.database.tables import TABLE_BY_NAME, ConflictRow
from app.database.types import MoneyType, utc_now
from app.domain import enterprise, visit
from app.domain.errors import AppError, NotFoundError, ValidationError
from app.domain.money import parse_wan
from app.i18n import tr
from app.services.workspace import Workspace
from app.sync.display import column, display_value, member_name, record_label
from app.sync.labels import field_label
from app.sync.merge import Hunk, text_hunks
from app.sync.outbox import enqueue

RESOLUTION_FIELDS = ("status", "resolution", "resolved_by", "resolved_at")


@dataclass(frozen=True, slots=True)
class ConflictItem:
    id: str
    table_name: str
    row_id: str
    record_label: str
    field: str
    field_label: str
    kind: str  # field | text | delete
    created_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ConflictDetail:
    item: ConflictItem
    base: str
    theirs: str
    mine: str
    theirs_by: str
    theirs_at: dt.datetime | None
    mine_by: str
    mine_at: dt.datetime | None
    is_text: bool
    hunks: tuple[Hunk, ...]


class ConflictService:
    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def open_conflicts(self) -> list[ConflictItem]:
        query = (
            select(ConflictRow)
            .where(ConflictRow.status == "open", ConflictRow.deleted.is_(False))
            .order_by(ConflictRow.created_at, ConflictRow.id)
        )
        with self._workspace.database.read() as session:
            return [_item(session, row) for row in session.scalars(query)]

    def detail(self, conflict_id: str) -> ConflictDetail:
        with self._workspace.database.read() as session:
            row = _conflict(session, conflict_id)
            table, field = row.table_name, row.field
            is_text = _is_text(table, field)
            values = (row.base_value, row.server_value, row.client_value)
            if is_text:
                base, theirs, mine = (_text(value) for value in values)
                hunks = tuple(text_hunks(base, theirs, mine))
            else:
                base, theirs, mine = (
                    display_value(session, table, field, value)  # type: ignore[arg-type]
                    for value in values
                )
                hunks = ()
            return ConflictDetail(
                item=_item(session, row),
                base=base,
                theirs=theirs,
                mine=mine,
                theirs_by=member_name(session, row.server_by),
                theirs_at=row.server_at,
                mine_by=member_name(session, row.client_by),
                mine_at=row.client_at,
                is_text=is_text,
                hunks=hunks,
            )

    def keep_mine(self, conflict_id: str) -> None:
        """Write the losing value back (for a delete: restore the record)."""

        def write(session: Session, conflict: ConflictRow, record: Any) -> None:
            if conflict.kind == "delete" or conflict.field == "deleted":
                record.deleted = False
            else:
                record_column = _column(conflict)
                try:
                    value = decode(record_column, conflict.client_value)  # type: ignore[arg-type]
                except (TypeError, ValueError, ArithmeticError):
                    raise AppError(tr("我的值无法写回这条记录，请用“编辑合并”")) from None
                setattr(record, conflict.field, value)

        self._resolve(conflict_id, "mine", write)

    def keep_theirs(self, conflict_id: str) -> None:
        """The record keeps the server's value; only the conflict is closed."""
        self._resolve(conflict_id, "theirs", None)

    def use_merged(self, conflict_id: str, text: str) -> None:
        """Write a value the user put together (text, or a scalar typed as it is shown)."""

        def write(session: Session, conflict: ConflictRow, record: Any) -> None:
            setattr(record, conflict.field, _parse(conflict, text))

        self._resolve(conflict_id, "merged", write)

    def _resolve(self, conflict_id: str, resolution: str, write: Any) -> None:
        workspace = self._workspace
        actor = workspace.actor()
        with workspace.database.write(actor) as session:
            conflict = _conflict(session, conflict_id)
            if conflict.status != "open":
                raise AppError(tr("这条冲突已经处理过了"))
            if write is not None:
                model = TABLE_BY_NAME.get(conflict.table_name)
                record = session.get(model, conflict.row_id) if model is not None else None
                if record is None:
                    raise NotFoundError(tr("冲突所在的记录不存在"))
                write(session, conflict, record)
                session.flush()  # the record's outbox entry comes first
            before = {name: encode(getattr(conflict, name)) for name in RESOLUTION_FIELDS}
            conflict.status = "resolved"
            conflict.resolution = resolution
            conflict.resolved_by = actor.member_id
            conflict.resolved_at = utc_now()
            conflict.updated_at = conflict.resolved_at
            conflict.updated_by = actor.member_id
            after = {name: encode(getattr(conflict, name)) for name in RESOLUTION_FIELDS}
            if conflict.row_version > 0:  # the server has it: the resolution syncs
                enqueue(
                    session,
                    table_name="conflicts",
                    row_id=conflict.id,
                    op="patch",
                    fields=after,
                    base_fields=before,
                    row_version=conflict.row_version,
                    actor_id=actor.member_id,
                )


def _conflict(session: Session, conflict_id: str) -> ConflictRow:
    row = session.get(ConflictRow, conflict_id)
    if row is None or row.deleted:
        raise NotFoundError(tr("找不到这条冲突记录"))
    return row


def _item(session: Session, row: ConflictRow) -> ConflictItem:
    return ConflictItem(
        id=row.id,
        table_name=row.table_name,
        row_id=row.row_id,
        record_label=record_label(session, row.table_name, row.row_id),
        field=row.field,
        field_label=field_label(row.table_name, row.field) if row.field else "",
        kind=row.kind,
        created_at=row.created_at,
    )


def _is_text(table: str, field: str) -> bool:
    found = column(table, field)
    return found is not None and isinstance(found.type, Text)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _column(conflict: ConflictRow) -> Any:
    found = column(conflict.table_name, conflict.field)
    if found is None:
        raise AppError(tr("这个版本的软件不认识冲突所在的字段，请升级后再处理"))
    return found


_NUMBERS = re.compile(r"\d+")


def _parse(conflict: ConflictRow, text: str) -> object:
    """The merged value typed as shown (万元, 2026年11月28日, 是/否), checked like a form."""
    found = _column(conflict)
    kind = found.type
    field, table = conflict.field, conflict.table_name
    label = field_label(table, field)
    stripped = text.strip()
    if isinstance(kind, Text) or (kind.python_type is str and not found.foreign_keys):
        value: object = text if isinstance(kind, Text) else stripped
        length = getattr(kind, "length", None)
        if length is not None and len(stripped) > length:
            raise ValidationError(
                "merged", tr("{field}不能超过 {limit} 个字", field=label, limit=length)
            )
    elif not stripped:
        if not found.nullable:
            raise ValidationError("merged", tr("请填写{field}", field=label))
        value = None
    elif isinstance(kind, MoneyType):
        value = parse_wan(stripped, "merged")
    elif isinstance(kind, Date):
        parts = _NUMBERS.findall(stripped)  # 2026年11月28日, 2026-11-28, 2026/11/28
        try:
            if len(parts) != 3 or len(parts[0]) != 4:
                raise ValueError(stripped)
            value = dt.date(*(int(part) for part in parts))
        except ValueError:
            raise ValidationError(
                "merged", tr("{field}应为日期，例如 2026年11月28日", field=label)
            ) from None
    elif isinstance(kind, Numeric):
        try:
            value = Decimal(stripped)
        except InvalidOperation:
            raise ValidationError("merged", tr("{field}应为数字", field=label)) from None
    elif isinstance(kind, Boolean):
        value = stripped in ("true", "True", "1", tr("是"))
    elif isinstance(kind, Integer):
        try:
            value = int(stripped)
        except ValueError:
            raise ValidationError("merged", tr("{field}应为整数", field=label)) from None
    else:
        value = stripped
    return _validated(table, field, value)


def _validated(table: str, field: str, value: object) -> object:
    try:
        if table == "enterprises" and field in enterprise.EDITABLE_FIELDS:
            return enterprise.validate_enterprise_changes({field: value}, creating=False)[field]
        if table == "visits" and field in visit.EDITABLE_FIELDS:
            return visit.validate_visit_changes({field: value}, creating=False)[field]
    except ValidationError as error:
        raise ValidationError("merged", error.message) from None
    return value
