"""What the enterprise-list import hands to the UI and CLI: plain frozen values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.i18n import tr
from app.importers.columns import ColumnMapping


class OnDuplicate(StrEnum):
    """What to do with a row naming an enterprise that is already in the library."""

    SKIP = "skip"
    UPDATE = "update"


class RowStatus(StrEnum):
    NEW = "new"
    EXISTING = "existing"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class PreviewRow:
    number: int
    cells: tuple[str, ...]
    status: RowStatus
    problems: tuple[tuple[int | None, str], ...]
    """(column or None for the whole row, message) for a rejected row."""
    reason: str
    """The problems in one line (rejected), or the existing enterprise it matches."""
    existing_name: str = ""

    def problem_in(self, column: int) -> str:
        return tr("；").join(message for where, message in self.problems if where == column)


@dataclass(frozen=True, slots=True)
class ImportCounts:
    rows: int
    """Non-empty data rows."""
    new: int
    existing: int
    """Rows naming an enterprise already in the library (updated or skipped as chosen)."""
    rejected: int
    empty: int


@dataclass(frozen=True, slots=True)
class ImportPreview:
    file_name: str
    sheet_name: str
    header_row: int
    headers: tuple[str, ...]
    mapping: ColumnMapping
    rows: tuple[PreviewRow, ...]
    """The first rows of the file (``PREVIEW_ROWS``), each with its status."""
    counts: ImportCounts
    notes: tuple[str, ...]
    """Things to know before importing (no name column, merged cells)."""

    @property
    def can_import(self) -> bool:
        return self.mapping.has_name and (self.counts.new + self.counts.existing) > 0


@dataclass(frozen=True, slots=True)
class RejectedRow:
    number: int
    cells: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class ImportResult:
    file_name: str
    headers: tuple[str, ...]
    receipt_id: str | None
    """Key to undo the import with; None when nothing was written."""
    created: int
    updated: int
    unchanged: int
    """Existing enterprises the rows named that already held every value (update chosen)."""
    skipped: int
    """Rows naming existing enterprises, left alone (skip chosen)."""
    rejected: tuple[RejectedRow, ...]
    empty: int
    seconds: float
    name_column: int | None = None
    """The sheet column holding the enterprise name (to show which row was refused)."""

    @property
    def imported(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """A past import that can still be undone, as the history list shows it."""

    receipt_id: str
    file_name: str
    imported_at: dt.datetime
    created: int
    updated: int


@dataclass(frozen=True, slots=True)
class UndoImportResult:
    file_name: str
    removed: int
    """Enterprises the import created, now deleted again."""
    restored: int
    """Enterprises whose changed fields got their previous values back."""
    kept: tuple[str, ...]
    """Names of enterprises left as they are because they were edited or used since."""

    @property
    def message(self) -> str:
        text = tr(
            "已撤销导入“{file}”：删除新建企业 {removed} 家，恢复原有内容 {restored} 家",
            file=self.file_name,
            removed=self.removed,
            restored=self.restored,
        )
        if self.kept:
            names = tr("、").join(self.kept[:5])
            more = tr(" 等 {count} 家", count=len(self.kept)) if len(self.kept) > 5 else ""
            text += tr(
                "；{names}{more}在导入后已被修改或添加了记录，保留未撤销",
                names=names,
                more=more,
            )
        return text
