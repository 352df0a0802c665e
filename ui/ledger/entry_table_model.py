"""The table under both ledger tabs: frozen rows, one ``Column`` enum per tab, overdue rows in
the warning colour, sorted by a proxy on ``SORT_ROLE`` (dates by day, not by their text)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from app.i18n import tr
from ui.formatting import muted_brush, warning_brush

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 3

RowT = TypeVar("RowT")
ColumnT = TypeVar("ColumnT", bound=IntEnum)


@dataclass(frozen=True)
class ColumnSpec(Generic[RowT]):
    """How one column shows a row: its source title, text, sort key, and whether its text is
    worth a tooltip (long free text)."""

    title: str
    text: Callable[[RowT], str]
    sort_key: Callable[[RowT], Any] | None = None
    tooltip: bool = False
    emphasis: bool = False
    """Bold on an overdue row (the status and the date that passed)."""


class EntryTableModel(QAbstractTableModel, Generic[RowT, ColumnT]):
    """Rows with an ``id``, an ``overdue`` flag and a ``closed`` test (shown muted)."""

    def __init__(
        self,
        columns: type[ColumnT],
        specs: dict[ColumnT, ColumnSpec[RowT]],
        closed: Callable[[RowT], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = columns
        self._specs = specs
        self._closed = closed
        self._rows: tuple[RowT, ...] = ()

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> RowT:
        return self._rows[row]

    def row_of(self, record_id: str) -> int | None:
        for number, row in enumerate(self._rows):
            if getattr(row, "id", None) == record_id:
                return number
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        spec = self._specs[self._columns(index.column())]
        overdue = bool(getattr(row, "overdue", False))
        if role == Qt.ItemDataRole.DisplayRole:
            return spec.text(row)
        if role == SORT_ROLE:
            return spec.sort_key(row) if spec.sort_key is not None else spec.text(row)
        if role == Qt.ItemDataRole.ToolTipRole and spec.tooltip:
            return spec.text(row) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue:
                return warning_brush()
            return muted_brush() if self._closed(row) else None
        if role == Qt.ItemDataRole.FontRole and overdue and spec.emphasis:
            font = QFont()
            font.setBold(True)
            return font
        if role == ID_ROLE:
            return getattr(row, "id", None)
        if role == OVERDUE_ROLE:
            return overdue
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return tr(self._specs[self._columns(section)].title)
        return None


class EntrySortProxy(QSortFilterProxyModel):
    """Sorts on ``SORT_ROLE``; the filtering is the service's (counts agree with the list)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setSortLocaleAware(True)
