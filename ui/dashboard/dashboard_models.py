"""Table models of the dashboard: the projects behind a figure, the overdue lists, and the
per-cadre summary. Each declares its columns once (a ``Column`` enum and how a row shows in
each); every model sorts through ``SORT_ROLE`` (numbers and ISO dates, not display text)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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

from app.i18n import tr

AnyIndex = QModelIndex | QPersistentModelIndex
PROJECT_ROLE = Qt.ItemDataRole.UserRole + 1
ENTERPRISE_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
ROW_ROLE = Qt.ItemDataRole.UserRole + 4
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

Row = TypeVar("Row")


@dataclass(frozen=True)
class Cell(Generic[Row]):
    """How one column shows a row: its text, its sort key, right-aligned or not."""

    title: str
    text: Callable[[Row], str]
    sort: Callable[[Row], Any] | None = None
    numeric: bool = False
    tip: Callable[[Row], str] | None = None


class RowsModel(QAbstractTableModel, Generic[Row]):
    """Read-only rows of one frozen type; columns by ``cells[Column]``."""

    def __init__(
        self,
        columns: type[IntEnum],
        cells: Mapping[Any, Cell[Row]],
        ids: tuple[Callable[[Row], str | None], Callable[[Row], str | None]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._cells = cells
        self._project_id, self._enterprise_id = ids
        self._rows: tuple[Row, ...] = ()

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def rows(self) -> tuple[Row, ...]:
        return self._rows

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        cell = self._cells[self._columns[index.column()]]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tip(row) if cell.tip else cell.text(row) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and cell.numeric:
            return _RIGHT
        if role == SORT_ROLE:
            return cell.sort(row) if cell.sort else cell.text(row)
        if role == PROJECT_ROLE:
            return self._project_id(row)
        if role == ENTERPRISE_ROLE:
            return self._enterprise_id(row)
        if role == ROW_ROLE:
            return row
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        cell = self._cells[self._columns[section]]
        if role == Qt.ItemDataRole.DisplayRole:
            return tr(cell.title)
        if role == Qt.ItemDataRole.TextAlignmentRole and cell.numeric:
            return _RIGHT
        return None


class SortedRows(QSortFilterProxyModel):
    """Sorts by ``SORT_ROLE``; keeps the rows whose ``ROW_ROLE`` value passes ``accept``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._accept: Callable[[Any], bool] | None = None

    def set_accept(self, accept: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._accept = accept
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if self._accept is None:
            return True
        model = self.sourceModel()
        return self._accept(model.data(model.index(source_row, 0, source_parent), ROW_ROLE))

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or b is None:
            return a is None and b is not None
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
