"""Search results as one list: a heading row for each kind, then its hits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.i18n import mark, tr
from app.search.results import SearchHit, SearchKind, SearchResults

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""The ``ResultRow`` itself (the delegate paints from it)."""

KIND_LABELS = {
    SearchKind.ENTERPRISE: mark("企业"),
    SearchKind.CONTACT: mark("联系人"),
    SearchKind.VISIT: mark("拜访"),
    SearchKind.NOTE: mark("洽谈"),
    SearchKind.PROJECT: mark("项目"),
}


@dataclass(frozen=True, slots=True)
class ResultRow:
    """A heading (``hit`` is ``None``) or one hit under it."""

    kind: SearchKind
    hit: SearchHit | None = None
    has_more: bool = False
    shown: int = 0

    @property
    def is_heading(self) -> bool:
        return self.hit is None


def rows_of(results: SearchResults) -> tuple[ResultRow, ...]:
    rows: list[ResultRow] = []
    for group in results.groups:
        rows.append(ResultRow(group.kind, None, group.has_more, len(group.hits)))
        rows.extend(ResultRow(group.kind, hit) for hit in group.hits)
    return tuple(rows)


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[ResultRow, ...] = ()

    def set_results(self, results: SearchResults | None) -> None:
        self.beginResetModel()
        self._rows = rows_of(results) if results is not None else ()
        self.endResetModel()

    def row_at(self, row: int) -> ResultRow:
        return self._rows[row]

    def hit_rows(self) -> list[int]:
        return [number for number, row in enumerate(self._rows) if not row.is_heading]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if row.hit is None:
                return tr(KIND_LABELS[row.kind])
            return row.hit.title
        if role == Qt.ItemDataRole.ToolTipRole and row.hit is not None:
            return row.hit.snippet or row.hit.title
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].is_heading:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
