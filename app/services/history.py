"""A record's change history as a person reads it: who, when, what happened, old → new.

The source is the local ``history`` table, written in the same transaction as every local edit
(``app.database.change_tracking``), by imports (source ``import``) and by pulled changes to rows
that were already here (source ``sync``, with the server's author and time).

What one record's history holds:

- its own entries;
- the entries of the child records that are edited with it and have no page of their own: a
  visit's participants, attendees, follow-up tasks; an enterprise's contacts, chain links and
  directory entries; a trip's members; a project's stage changes and funding entries; a
  negotiation round's commitments; and the attachments of any record. Visits, projects and
  notes of an enterprise are records of their own, with their own history, and stay out.

Autosave writes an entry every couple of seconds while someone types. Consecutive edits of the
same record by the same person from the same source, each within ``MERGE_GAP`` of the previous
one, are shown as one edit (oldest old value → newest new value, the number of saves kept).

Values are shown as a user reads them: dates, money in 万元/亿元, vocabulary by label, ids of
members / enterprises / squads by name, booleans as 是/否, region and industry codes by name.
Derived matching keys (``name_key``, ``name_initials``) are left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database.codec import JsonValue
from app.database.tables import TABLE_BY_NAME, AttachmentRow, HistoryEntry, MemberRow
from app.i18n import mark, tr
from app.services.lookups import industry_label, member_names, region_label, split_tags
from app.services.workspace import Workspace
from app.sync.display import NAMERS, display_value, is_long_text, record_label
from app.sync.labels import field_label, table_label

MERGE_GAP = dt.timedelta(minutes=5)
"""Edits closer together than this (same record, person and source) are shown as one."""

LONG_TEXT_CHARS = 60
"""A value longer than this is treated as long text even in a short column."""

CHILDREN: Mapping[str, tuple[tuple[str, str], ...]] = {
    "visits": (
        ("visit_participants", "visit_id"),
        ("visit_attendees", "visit_id"),
        ("tasks", "visit_id"),
    ),
    "enterprises": (
        ("contacts", "enterprise_id"),
        ("enterprise_links", "enterprise_id"),
        ("directory_entries", "enterprise_id"),
    ),
    "trips": (("trip_members", "trip_id"),),
    "projects": (
        ("project_stage_changes", "project_id"),
        ("funding_entries", "project_id"),
    ),
    "negotiation_notes": (("commitments", "negotiation_note_id"),),
}
"""Child tables shown in their parent's history, with the column that points at the parent."""

PARENT_COLUMNS: Mapping[str, frozenset[str]] = {
    child: frozenset(
        column for pairs in CHILDREN.values() for other, column in pairs if other == child
    )
    for pairs in CHILDREN.values()
    for child, _ in pairs
}
"""Child table → its columns pointing at a parent: redundant inside the parent's history."""

HIDDEN_FIELDS: Mapping[str, frozenset[str]] = {
    "enterprises": frozenset({"name_key", "name_initials"}),
    "attachments": frozenset({"owner_table", "owner_id", "sha256", "mime", "size"}),
}
"""Fields a person never sees: derived keys and storage details."""

EXTRA_FIELD_LABELS: Mapping[str, str] = {
    "is_primary": mark("主要联系人"),
    "contact_id": mark("联系人"),
    "round_no": mark("洽谈轮次"),
    "next_round_on": mark("下一轮日期"),
    "honoured_on": mark("兑现日期"),
    "withdrawn_reason": mark("撤回原因"),
    "completed_at": mark("完成时间"),
    "leader_type": mark("带队类型"),
    "responsible_id": mark("包抓责任人"),
    "promised_by_id": mark("承诺人"),
    "changed_by_id": mark("变更人"),
    "author_id": mark("记录人"),
    "link_id": mark("产业链环节"),
    "from_stage": mark("原阶段"),
    "to_stage": mark("新阶段"),
    "kind": mark("类型"),
    "directory_id": mark("名录"),
    "enterprise_name": mark("企业名称"),
    "uscc": mark("统一社会信用代码"),
    "rank": mark("排名"),
    "username": mark("用户名"),
}
"""Labels for fields ``app.sync.labels`` does not name yet."""

PERSON_TABLES = frozenset({"contacts", "visit_attendees", "members"})
PERSON_LABELS: Mapping[str, str] = {"name": mark("姓名"), "title": mark("职务")}
"""People have a 姓名 and a 职务, where other records have a 名称 and a 标题."""

SHORT_TEXT_FIELDS = frozenset({"tags"})
"""Text columns that hold a short list rather than prose."""


class HistoryOp(Enum):
    """What happened to the record, as the history list says it."""

    CREATED = mark("新建")
    EDITED = mark("修改")
    DELETED = mark("删除")
    RESTORED = mark("恢复")

    @property
    def label(self) -> str:
        return tr(self.value)


class HistorySource(Enum):
    """Where an edit came from: typed here, imported from a file here, or pulled by sync."""

    LOCAL = "local"
    IMPORT = "import"
    SYNC = "sync"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Empty for edits typed on this computer; else how the edit arrived."""
        if self is HistorySource.IMPORT:
            return tr("本机导入")
        if self is HistorySource.SYNC:
            return tr("同步")
        return ""

    @classmethod
    def of(cls, stored: str) -> HistorySource:
        try:
            return cls(stored)
        except ValueError:
            return cls.OTHER


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one edit: its label and the values before and after, as a person reads them.

    ``old``/``new`` are the full texts; ``long_text`` says the UI should shorten them in lists
    and show a comparison. On a created record ``old`` is empty.
    """

    field: str
    label: str
    old: str
    new: str
    long_text: bool


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One thing that happened to a record (or to one of its child records)."""

    id: int
    table_name: str
    row_id: str
    child: bool
    """True for a child record shown in its parent's history (an attendee of a visit)."""
    subject: str
    """The child record's name ("李四（总经理）"); empty for the record itself."""
    op: HistoryOp
    changed_at: dt.datetime
    """UTC; the newest save when several were merged."""
    first_changed_at: dt.datetime
    saves: int
    actor_id: str | None
    actor_name: str
    source: HistorySource
    changes: tuple[FieldChange, ...]

    @property
    def who(self) -> str:
        """ "张三", "张三（同步）", "本机导入"."""
        name = self.actor_name
        label = self.source.label
        if not name:
            return label or tr("本机")
        return tr("{name}（{source}）", name=name, source=label) if label else name

    @property
    def what(self) -> str:
        """ "修改", or for a child record "新建 · 对方参会人"."""
        if not self.child:
            return self.op.label
        return tr("{op} · {table}", op=self.op.label, table=table_label(self.table_name))


class HistoryService:
    """Reads the change history of one record for the history dialog."""

    def __init__(self, workspace: Workspace) -> None:
        self._database = workspace.database

    def for_record(self, table: str, row_id: str) -> tuple[HistoryItem, ...]:
        """Everything that happened to the record and its child records, newest first."""
        with self._database.read() as session:
            subjects = _child_subjects(session, table, row_id)
            owners = {(table, row_id), *subjects}
            row_ids = {owner_id for _, owner_id in owners}
            entries = [
                entry
                for entry in session.scalars(
                    select(HistoryEntry)
                    .where(HistoryEntry.row_id.in_(row_ids))
                    .order_by(HistoryEntry.changed_at, HistoryEntry.id)
                )
                if (entry.table_name, entry.row_id) in owners
            ]
            names = member_names(session, (entry.actor_id for entry in entries))
            items = [
                _item(session, entry, subjects.get((entry.table_name, entry.row_id)), names)
                for entry in entries
            ]
        merged = _merge_bursts(items)
        merged.sort(key=lambda item: (_aware(item.changed_at), item.id), reverse=True)
        return tuple(merged)

    def title_of(self, table: str, row_id: str) -> str:
        """ "拜访 · 2026年11月3日 华为技术有限公司": what the history dialog is about."""
        with self._database.read() as session:
            return record_label(session, table, row_id)


# -- children ------------------------------------------------------------------------------------


def _child_subjects(session: Session, table: str, row_id: str) -> dict[tuple[str, str], str]:
    """(table, id) of every child record (deleted ones too) → how the history names it."""
    found: dict[tuple[str, str], str] = {}
    for child_table, parent_column in CHILDREN.get(table, ()):
        model = TABLE_BY_NAME.get(child_table)
        column = getattr(model, parent_column, None) if model is not None else None
        if model is None or column is None:
            continue  # a table this schema does not have (yet)
        for row in session.scalars(select(model).where(column == row_id)):
            found[(child_table, row.id)] = _subject(session, child_table, row)
    attachments = select(AttachmentRow).where(
        AttachmentRow.owner_table == table, AttachmentRow.owner_id == row_id
    )
    for attachment in session.scalars(attachments):
        found[("attachments", attachment.id)] = _subject(session, "attachments", attachment)
    return found


def _subject(session: Session, table: str, row: Any) -> str:
    name = _child_name(session, table, row)
    return name or tr("记录 {id}", id=str(row.id)[-8:])


def _child_name(session: Session, table: str, row: Any) -> str:
    if table in ("visit_participants", "trip_members"):
        member = session.get(MemberRow, row.member_id)
        return member.name if member is not None else ""
    if table in ("visit_attendees", "contacts"):
        title = row.title.strip()
        return tr("{name}（{title}）", name=row.name, title=title) if title else str(row.name)
    if table == "enterprise_links":
        return display_value(session, table, "link_id", row.link_id)
    namer = NAMERS.get(table)
    return namer(session, row) if namer is not None else ""


# -- one entry -----------------------------------------------------------------------------------


def _item(
    session: Session, entry: HistoryEntry, subject: str | None, names: Mapping[str, str]
) -> HistoryItem:
    changes: Mapping[str, Any] = entry.changes or {}
    op = _op(entry.op, changes)
    hidden = HIDDEN_FIELDS.get(entry.table_name, frozenset()) | {"deleted"}
    if subject is not None:
        hidden |= PARENT_COLUMNS.get(entry.table_name, frozenset())
    shown: list[FieldChange] = []
    for field, pair in changes.items():
        if field in hidden:
            continue
        old, new = _pair(pair)
        if op is HistoryOp.CREATED and _blank(new):
            continue
        shown.append(_field_change(session, entry.table_name, field, old, new, op))
    changed_at = _aware(entry.changed_at)
    return HistoryItem(
        id=entry.id,
        table_name=entry.table_name,
        row_id=entry.row_id,
        child=subject is not None,
        subject=subject or "",
        op=op,
        changed_at=changed_at,
        first_changed_at=changed_at,
        saves=1,
        actor_id=entry.actor_id,
        actor_name=names.get(entry.actor_id or "", ""),
        source=HistorySource.of(entry.source),
        changes=tuple(shown),
    )


def _op(stored: str, changes: Mapping[str, Any]) -> HistoryOp:
    if stored == "insert":
        return HistoryOp.CREATED
    old, new = _pair(changes.get("deleted"))
    if stored == "delete" or (new is True and old is not True):
        return HistoryOp.DELETED
    if new is False and old is True:
        return HistoryOp.RESTORED
    return HistoryOp.EDITED


def _pair(pair: object) -> tuple[JsonValue, JsonValue]:
    if isinstance(pair, list | tuple) and len(pair) == 2:
        return pair[0], pair[1]
    return None, None


def _blank(value: JsonValue) -> bool:
    return value is None or value == "" or value is False or value == []


def _field_change(
    session: Session, table: str, field: str, old: JsonValue, new: JsonValue, op: HistoryOp
) -> FieldChange:
    old_text = "" if op is HistoryOp.CREATED else _show(session, table, field, old)
    new_text = _show(session, table, field, new)
    prose = is_long_text(table, field) and field not in SHORT_TEXT_FIELDS
    long_text = prose or any(
        len(text) > LONG_TEXT_CHARS or "\n" in text for text in (old_text, new_text)
    )
    return FieldChange(field, _label(table, field), old_text, new_text, long_text)


def _label(table: str, field: str) -> str:
    if table in PERSON_TABLES and field in PERSON_LABELS:
        return tr(PERSON_LABELS[field])
    label = field_label(table, field)
    if label == field and field in EXTRA_FIELD_LABELS:
        return tr(EXTRA_FIELD_LABELS[field])
    return label


def _show(session: Session, table: str, field: str, value: JsonValue) -> str:
    """The value as the user reads it; empty stays empty (the UI says "（空）")."""
    if value is None or value == "":
        return ""
    if field == "region_code" and isinstance(value, str):
        return region_label(value)
    if field == "industry_code" and isinstance(value, str):
        return industry_label(value)
    if field == "tags" and isinstance(value, str):
        return tr("、").join(split_tags(value))
    return display_value(session, table, field, value)


# -- merging autosave bursts ---------------------------------------------------------------------


def _merge_bursts(items: Sequence[HistoryItem]) -> list[HistoryItem]:
    """Items oldest first → the same with runs of quick edits folded into one."""
    merged: list[HistoryItem] = []
    for item in items:
        last = merged[-1] if merged else None
        if last is not None and _continues(last, item):
            combined = _combine(last, item)
            if combined.changes:
                merged[-1] = combined
            else:
                merged.pop()  # typed and taken back: nothing is left to show
            continue
        if item.op is HistoryOp.EDITED and not item.changes:
            continue  # only hidden fields changed
        merged.append(item)
    return merged


def _continues(last: HistoryItem, item: HistoryItem) -> bool:
    return (
        last.op is HistoryOp.EDITED
        and item.op is HistoryOp.EDITED
        and (last.table_name, last.row_id) == (item.table_name, item.row_id)
        and last.actor_id == item.actor_id
        and last.source is item.source
        and item.changed_at - last.changed_at <= MERGE_GAP
    )


def _combine(last: HistoryItem, item: HistoryItem) -> HistoryItem:
    by_field = {change.field: change for change in last.changes}
    for change in item.changes:
        earlier = by_field.get(change.field)
        if earlier is None:
            by_field[change.field] = change
        else:
            by_field[change.field] = replace(
                change, old=earlier.old, long_text=earlier.long_text or change.long_text
            )
    changes = tuple(change for change in by_field.values() if change.old != change.new)
    return replace(
        item,
        first_changed_at=last.first_changed_at,
        saves=last.saves + item.saves,
        changes=changes,
    )


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
