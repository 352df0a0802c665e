"""The commitments of the round being edited, as frozen lines in a table model.

A line is what the editor holds for one commitment: typed ones not yet saved, saved ones, and
withdrawn ones (kept, struck through, with their reason) — a promise made is never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.domain.negotiation import CommitmentDraft
from app.domain.vocabulary import CommitmentStatus
from app.i18n import mark, tr
from app.services.negotiation_views import CommitmentView
from ui.formatting import format_date, muted_brush, warning_brush

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class CommitmentLine:
    id: str
    content: str
    promised_by_id: str | None
    promised_by_name: str
    due_on: dt.date | None
    status: CommitmentStatus = CommitmentStatus.PENDING
    withdrawn_reason: str = ""
    honoured_on: dt.date | None = None
    fresh: bool = True
    """Added in this editor and never synced: removing it takes it back instead of withdrawing."""

    @classmethod
    def of(cls, view: CommitmentView) -> CommitmentLine:
        return cls(
            view.id,
            view.content,
            view.promised_by_id,
            view.promised_by_name,
            view.due_on,
            view.status,
            view.withdrawn_reason,
            view.honoured_on,
            fresh=False,
        )

    @property
    def withdrawn(self) -> bool:
        return self.status is CommitmentStatus.WITHDRAWN

    def withdraw(self, reason: str) -> CommitmentLine:
        return replace(self, status=CommitmentStatus.WITHDRAWN, withdrawn_reason=reason)

    def reinstate(self) -> CommitmentLine:
        return replace(self, status=CommitmentStatus.PENDING, withdrawn_reason="")

    def draft(self) -> CommitmentDraft:
        reason = self.withdrawn_reason if self.withdrawn else ""
        return CommitmentDraft(self.id, self.content, self.due_on, self.promised_by_id, reason)


class Column(IntEnum):
    CONTENT = 0
    PROMISED_BY = 1
    DUE = 2
    STATUS = 3

    @property
    def title(self) -> str:
        return tr(_TITLES[self])


_TITLES = {
    Column.CONTENT: mark("承诺事项"),
    Column.PROMISED_BY: mark("承诺人"),
    Column.DUE: mark("兑现期限"),
    Column.STATUS: mark("状态"),
}


def status_text(line: CommitmentLine) -> str:
    if line.withdrawn:
        return tr("已撤回：{reason}", reason=line.withdrawn_reason)
    if line.status is CommitmentStatus.HONOURED and line.honoured_on is not None:
        return tr("已兑现（{date}）", date=format_date(line.honoured_on))
    if line.fresh:
        return tr("新增 · 待兑现")
    return line.status.label


class CommitmentLinesModel(QAbstractTableModel):
    """The round's commitment lines in the order they were made."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: tuple[CommitmentLine, ...] = ()
        self._today = dt.date.today()

    @property
    def lines(self) -> tuple[CommitmentLine, ...]:
        return self._lines

    def set_lines(self, lines: Sequence[CommitmentLine], today: dt.date) -> None:
        self.beginResetModel()
        self._lines = tuple(lines)
        self._today = today
        self.endResetModel()

    def line_at(self, row: int) -> CommitmentLine:
        return self._lines[row]

    def row_of(self, line_id: str) -> int | None:
        for row, line in enumerate(self._lines):
            if line.id == line_id:
                return row
        return None

    def append(self, line: CommitmentLine) -> None:
        row = len(self._lines)
        self.beginInsertRows(QModelIndex(), row, row)
        self._lines = (*self._lines, line)
        self.endInsertRows()

    def replace_line(self, line: CommitmentLine) -> None:
        row = self.row_of(line.id)
        if row is None:
            return
        self._lines = (*self._lines[:row], line, *self._lines[row + 1 :])
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def remove(self, line_id: str) -> None:
        row = self.row_of(line_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        self._lines = (*self._lines[:row], *self._lines[row + 1 :])
        self.endRemoveRows()

    # -- Qt model interface ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._lines)):
            return None
        line = self._lines[index.row()]
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            match column:
                case Column.CONTENT:
                    return line.content
                case Column.PROMISED_BY:
                    return line.promised_by_name
                case Column.DUE:
                    return format_date(line.due_on)
                case Column.STATUS:
                    return status_text(line)
        if role == Qt.ItemDataRole.ForegroundRole:
            if line.withdrawn:
                return muted_brush()
            overdue = line.due_on is not None and line.due_on < self._today
            if overdue and line.status is CommitmentStatus.PENDING and column is Column.DUE:
                return warning_brush()
        if role == Qt.ItemDataRole.FontRole and line.withdrawn and column is Column.CONTENT:
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(Column)
        ):
            return Column(section).title
        return None
