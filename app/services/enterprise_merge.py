"""Merge two dossiers of one enterprise, and undo the merge.

Everything recorded under the merged enterprise moves to the survivor by ordinary synced edits
(its ``enterprise_id`` — or an attachment's ``owner_id`` — changes); fields blank on the survivor
take the merged one's value; tags are united; the merged enterprise is tombstoned. All of it is
one unit of work. The receipt says exactly what changed and is kept in ``local_settings`` (key
``merge_receipt:<survivor id>:<merged id>``), so the merge can be undone on this computer.

Undo moves back every recorded row that still belongs to the survivor (rows deleted since go
back too, as deleted); rows moved to a third enterprise since are left there and counted in the
message. A filled field is cleared again only if it still holds the value the merge put there.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, false, func, select
from sqlalchemy.orm import Session

from app.database.codec import JsonValue, decode, encode
from app.database.tables import (
    TABLE_BY_NAME,
    AttachmentRow,
    CommitmentRow,
    ContactRow,
    DirectoryEntryRow,
    EnterpriseLinkRow,
    EnterpriseRow,
    LocalSetting,
    NegotiationNoteRow,
    ProblemRow,
    ProjectRow,
    SquadRow,
    Synced,
    TaskRow,
    VisitRow,
)
from app.database.types import utc_now
from app.domain.enterprise import EDITABLE_FIELDS, is_blank
from app.domain.errors import NotFoundError, ValidationError
from app.i18n import mark, tr
from app.services.enterprise_views import MergeNote
from app.services.lookups import industry_label, member_names, region_label, split_tags
from app.services.workspace import Workspace

RECEIPT_PREFIX = "merge_receipt:"
ENTERPRISE_TABLE = "enterprises"

# What moves, in the order the dialog lists it: table → what users call those records.
MOVED_LABELS: Mapping[str, str] = {
    "visits": mark("拜访记录"),
    "negotiation_notes": mark("洽谈记录"),
    "contacts": mark("联系人"),
    "projects": mark("项目"),
    "tasks": mark("任务"),
    "commitments": mark("承诺事项"),
    "problems": mark("企业诉求"),
    "enterprise_links": mark("产业链环节"),
    "directory_entries": mark("荣誉"),
    "attachments": mark("附件"),
}
_TABLES: tuple[type[Synced], ...] = (
    VisitRow,
    NegotiationNoteRow,
    ContactRow,
    ProjectRow,
    TaskRow,
    CommitmentRow,
    ProblemRow,
    EnterpriseLinkRow,
    DirectoryEntryRow,
    AttachmentRow,
)


def moved_label(table: str) -> str:
    return tr(MOVED_LABELS.get(table, table))


@dataclass(frozen=True, slots=True)
class MovedRows:
    table: str
    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FilledField:
    """A survivor field that was blank and took the merged enterprise's value (JSON forms)."""

    field: str
    before: JsonValue
    after: JsonValue


@dataclass(frozen=True, slots=True)
class MergeReceipt:
    survivor_id: str
    merged_id: str
    survivor_name: str
    merged_name: str
    merged_at: dt.datetime
    moved: tuple[MovedRows, ...]
    filled: tuple[FilledField, ...]
    tags_added: tuple[str, ...]

    @property
    def key(self) -> str:
        return receipt_key(self.survivor_id, self.merged_id)

    def count(self, table: str) -> int:
        return sum(len(rows.ids) for rows in self.moved if rows.table == table)

    @property
    def total_moved(self) -> int:
        return sum(len(rows.ids) for rows in self.moved)

    def to_json(self) -> str:
        return json.dumps(
            {
                "survivor_id": self.survivor_id,
                "merged_id": self.merged_id,
                "survivor_name": self.survivor_name,
                "merged_name": self.merged_name,
                "merged_at": self.merged_at.isoformat(),
                "moved": {rows.table: list(rows.ids) for rows in self.moved},
                "filled": [[f.field, f.before, f.after] for f in self.filled],
                "tags_added": list(self.tags_added),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> MergeReceipt:
        raw = json.loads(text)
        return cls(
            survivor_id=raw["survivor_id"],
            merged_id=raw["merged_id"],
            survivor_name=raw["survivor_name"],
            merged_name=raw["merged_name"],
            merged_at=dt.datetime.fromisoformat(raw["merged_at"]),
            moved=tuple(MovedRows(table, tuple(ids)) for table, ids in raw["moved"].items()),
            filled=tuple(FilledField(f, before, after) for f, before, after in raw["filled"]),
            tags_added=tuple(raw["tags_added"]),
        )


@dataclass(frozen=True, slots=True)
class MergeSide:
    """One of the two enterprises as the merge dialog shows it."""

    id: str
    name: str
    uscc: str | None
    region_name: str
    industry_name: str
    squad_name: str
    owner_name: str
    legal_representative: str
    filled_fields: int
    """How many of the dossier's fields hold something."""
    counts: tuple[tuple[str, int], ...]
    """(table, live records) for every kind of record that moves, in ``MOVED_LABELS`` order."""

    def count(self, table: str) -> int:
        return dict(self.counts).get(table, 0)


@dataclass(frozen=True, slots=True)
class MergePreview:
    first: MergeSide
    second: MergeSide
    fills: tuple[tuple[str, ...], tuple[str, ...]]
    """Fields the first / the second would take from the other if it survived."""


@dataclass(frozen=True, slots=True)
class UndoMergeResult:
    merged_id: str
    merged_name: str
    moved_back: int
    left_behind: tuple[tuple[str, int], ...]
    """(table, records) moved to another enterprise since the merge: left where they are."""
    kept_fields: tuple[str, ...]
    """Filled fields edited since the merge: their new value is kept."""

    @property
    def message(self) -> str:
        text = tr(
            "已撤销合并：“{name}”已恢复，{count} 条记录已移回",
            name=self.merged_name,
            count=self.moved_back,
        )
        if self.left_behind:
            parts = tr("、").join(
                tr("{count} 条{kind}", count=count, kind=moved_label(table))
                for table, count in self.left_behind
            )
            text += tr("；{parts}在合并后又移到了别的企业，未移回", parts=parts)
        return text


def receipt_key(survivor_id: str, merged_id: str) -> str:
    return f"{RECEIPT_PREFIX}{survivor_id}:{merged_id}"


class EnterpriseMergeService:
    """Merges duplicate dossiers and undoes merges; every change syncs like any edit."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._database = workspace.database

    def preview(self, first_id: str, second_id: str) -> MergePreview:
        with self._database.read() as session:
            first, second = _live(session, first_id), _live(session, second_id)
            return MergePreview(
                first=_side(session, first),
                second=_side(session, second),
                fills=(_fills(first, second), _fills(second, first)),
            )

    def merge(self, survivor_id: str, merged_id: str) -> MergeReceipt:
        """Move everything of ``merged_id`` to ``survivor_id`` and tombstone it."""
        if survivor_id == merged_id:
            raise ValidationError("merge", tr("不能把一家企业与它自己合并"))
        with self._database.write(self._workspace.actor()) as session:
            survivor, merged = _live(session, survivor_id), _live(session, merged_id)
            moved: list[MovedRows] = []
            for table in _TABLES:
                rows = _children(session, table, merged_id)
                for row in rows:
                    setattr(row, _parent_column(table), survivor_id)
                if rows:
                    moved.append(MovedRows(_name(table), tuple(row.id for row in rows)))
            filled: list[FilledField] = []
            for field in _fills(survivor, merged):
                before, after = getattr(survivor, field), getattr(merged, field)
                setattr(survivor, field, after)
                filled.append(FilledField(field, encode(before), encode(after)))
            own = split_tags(survivor.tags)
            added = tuple(tag for tag in split_tags(merged.tags) if tag not in own)
            if added:
                survivor.tags = ",".join((*own, *added))
            merged.deleted = True
            receipt = MergeReceipt(
                survivor_id=survivor_id,
                merged_id=merged_id,
                survivor_name=survivor.name,
                merged_name=merged.name,
                merged_at=utc_now(),
                moved=tuple(moved),
                filled=tuple(filled),
                tags_added=added,
            )
            setting = session.get(LocalSetting, receipt.key)
            if setting is None:
                session.add(LocalSetting(key=receipt.key, value=receipt.to_json()))
            else:
                setting.value = receipt.to_json()
            return receipt

    def receipt(self, survivor_id: str, merged_id: str) -> MergeReceipt:
        with self._database.read() as session:
            return _receipt(session, survivor_id, merged_id)

    def receipts_for(self, survivor_id: str) -> tuple[MergeReceipt, ...]:
        with self._database.read() as session:
            return _receipts(session, survivor_id)

    def undo_merge(self, receipt: MergeReceipt) -> UndoMergeResult:
        """Put back what ``receipt`` moved and filled, and bring the merged enterprise back."""
        with self._database.write(self._workspace.actor()) as session:
            setting = session.get(LocalSetting, receipt.key)
            if setting is None:
                raise NotFoundError(tr("“{name}”的合并已经撤销过了", name=receipt.merged_name))
            merged = session.get(EnterpriseRow, receipt.merged_id)
            survivor = session.get(EnterpriseRow, receipt.survivor_id)
            if merged is None or survivor is None:
                raise NotFoundError(tr("找不到该企业（{id}）", id=receipt.merged_id))
            merged.deleted = False
            moved_back = 0
            left: dict[str, int] = {}
            for rows in receipt.moved:
                table = TABLE_BY_NAME[rows.table]
                column = _parent_column(table)
                for row_id in rows.ids:
                    row = session.get(table, row_id)
                    if row is None or getattr(row, column) != receipt.survivor_id:
                        left[rows.table] = left.get(rows.table, 0) + 1
                        continue
                    setattr(row, column, receipt.merged_id)
                    moved_back += 1
            kept: list[str] = []
            columns = cast(Table, EnterpriseRow.__table__).columns
            for filled in receipt.filled:
                if encode(getattr(survivor, filled.field)) == filled.after:
                    setattr(survivor, filled.field, decode(columns[filled.field], filled.before))
                else:
                    kept.append(filled.field)
            if receipt.tags_added:
                survivor.tags = ",".join(
                    tag for tag in split_tags(survivor.tags) if tag not in receipt.tags_added
                )
            session.delete(setting)
            return UndoMergeResult(
                merged_id=receipt.merged_id,
                merged_name=receipt.merged_name,
                moved_back=moved_back,
                left_behind=tuple(sorted(left.items(), key=lambda item: _order(item[0]))),
                kept_fields=tuple(kept),
            )

    def undo_merge_of(self, survivor_id: str, merged_id: str) -> UndoMergeResult:
        """Undo the recorded merge of ``merged_id`` into ``survivor_id``."""
        return self.undo_merge(self.receipt(survivor_id, merged_id))


def merge_notes(session: Session, enterprise_id: str) -> tuple[MergeNote, ...]:
    """Merges into this enterprise that can still be undone, newest first."""
    return tuple(
        MergeNote(r.survivor_id, r.merged_id, r.merged_name, r.merged_at)
        for r in _receipts(session, enterprise_id)
    )


def _receipts(session: Session, survivor_id: str) -> tuple[MergeReceipt, ...]:
    prefix = receipt_key(survivor_id, "")
    settings = session.scalars(
        select(LocalSetting).where(LocalSetting.key.startswith(prefix, autoescape=True))
    ).all()
    receipts = []
    for setting in settings:
        try:
            receipts.append(MergeReceipt.from_json(setting.value))
        except (ValueError, KeyError, TypeError):  # a damaged note must not hide the dossier
            continue
    return tuple(sorted(receipts, key=lambda r: r.merged_at, reverse=True))


def _receipt(session: Session, survivor_id: str, merged_id: str) -> MergeReceipt:
    setting = session.get(LocalSetting, receipt_key(survivor_id, merged_id))
    if setting is None:
        raise NotFoundError(tr("没有这次合并的记录，无法撤销"))
    return MergeReceipt.from_json(setting.value)


def _live(session: Session, enterprise_id: str) -> EnterpriseRow:
    row = session.get(EnterpriseRow, enterprise_id)
    if row is None or row.deleted:
        raise NotFoundError(tr("找不到该企业（{id}）", id=enterprise_id))
    return row


def _name(table: type[Synced]) -> str:
    return str(table.__table__.name)  # type: ignore[attr-defined]


def _order(table: str) -> int:
    return list(MOVED_LABELS).index(table) if table in MOVED_LABELS else len(MOVED_LABELS)


def _parent_column(table: type[Synced]) -> str:
    return "owner_id" if table is AttachmentRow else "enterprise_id"


def _children(session: Session, table: type[Synced], enterprise_id: str) -> list[Synced]:
    column = getattr(table, _parent_column(table))
    query = select(table).where(column == enterprise_id, table.deleted == false())
    if table is AttachmentRow:
        query = query.where(AttachmentRow.owner_table == ENTERPRISE_TABLE)
    return list(session.scalars(query.order_by(table.id)))


def _fills(survivor: EnterpriseRow, other: EnterpriseRow) -> tuple[str, ...]:
    """Fields blank on ``survivor`` that ``other`` has (tags are united separately)."""
    return tuple(
        field
        for field in sorted(EDITABLE_FIELDS - {"tags", "name"})
        if is_blank(field, getattr(survivor, field)) and not is_blank(field, getattr(other, field))
    )


def _side(session: Session, row: EnterpriseRow) -> MergeSide:
    counts = []
    for table in _TABLES:
        column = getattr(table, _parent_column(table))
        query = (
            select(func.count())
            .select_from(table)
            .where(column == row.id, table.deleted == false())
        )
        if table is AttachmentRow:
            query = query.where(AttachmentRow.owner_table == ENTERPRISE_TABLE)
        counts.append((_name(table), session.scalar(query) or 0))
    squad = session.get(SquadRow, row.squad_id) if row.squad_id else None
    owner = member_names(session, [row.owner_id]).get(row.owner_id or "", "")
    return MergeSide(
        id=row.id,
        name=row.name,
        uscc=row.uscc,
        region_name=region_label(row.region_code),
        industry_name=industry_label(row.industry_code),
        squad_name=squad.name if squad is not None else "",
        owner_name=owner,
        legal_representative=row.legal_representative,
        filled_fields=sum(
            1 for field in EDITABLE_FIELDS if not is_blank(field, getattr(row, field))
        ),
        counts=tuple(counts),
    )
