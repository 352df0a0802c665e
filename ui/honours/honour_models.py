"""The two lists of the 荣誉名录 page: the directories, and the entries of the one selected.

Both are tables over frozen rows with a ``Column`` enum, sorted and filtered by a proxy
(``SORT_ROLE`` gives each column's natural order: kinds in ``HonourKind`` order, years and ranks
as numbers, unranked entries last).
"""

from __future__ import annotations

from collections.abc import Sequence
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

from app.i18n import mark, tr
from app.services.honour_directory_views import DirectoryView, EntryView, kind_order
from ui.formatting import muted_brush

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class DirectoryColumn(IntEnum):
    KIND = 0
    YEAR = 1
    BATCH = 2
    TITLE = 3
    ENTRIES = 4
    MATCHED = 5

    @property
    def title(self) -> str:
        return tr(_DIRECTORY_TITLES[self])


_DIRECTORY_TITLES = {
    DirectoryColumn.KIND: mark("类别"),
    DirectoryColumn.YEAR: mark("年份"),
    DirectoryColumn.BATCH: mark("批次"),
    DirectoryColumn.TITLE: mark("名录名称"),
    DirectoryColumn.ENTRIES: mark("企业数"),
    DirectoryColumn.MATCHED: mark("已匹配"),
}


class EntryColumn(IntEnum):
    RANK = 0
    NAME = 1
    USCC = 2
    MATCH = 3

    @property
    def title(self) -> str:
        return tr(_ENTRY_TITLES[self])


_ENTRY_TITLES = {
    EntryColumn.RANK: mark("排名"),
    EntryColumn.NAME: mark("企业名称（名录所列）"),
    EntryColumn.USCC: mark("统一社会信用代码"),
    EntryColumn.MATCH: mark("匹配的企业档案"),
}

_Row = TypeVar("_Row", DirectoryView, EntryView)


class _RowsModel(QAbstractTableModel, Generic[_Row]):
    columns: Sequence[IntEnum] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[_Row, ...] = ()

    def set_rows(self, rows: Sequence[_Row]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def rows(self) -> tuple[_Row, ...]:
        return self._rows

    def row_at(self, row: int) -> _Row:
        return self._rows[row]

    def row_of(self, row_id: str) -> int | None:
        for number, row in enumerate(self._rows):
            if row.id == row_id:
                return number
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return getattr(self.columns[section], "title", "")
        return None


class DirectoryListModel(_RowsModel[DirectoryView]):
    columns = tuple(DirectoryColumn)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = DirectoryColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _directory_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _directory_tip(row)
        if role == SORT_ROLE:
            return _directory_sort(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            DirectoryColumn.YEAR,
            DirectoryColumn.ENTRIES,
            DirectoryColumn.MATCHED,
        ):
            return _RIGHT
        if role == ID_ROLE:
            return row.id
        return None


def _directory_text(row: DirectoryView, column: DirectoryColumn) -> str:
    match column:
        case DirectoryColumn.KIND:
            return row.kind_label
        case DirectoryColumn.YEAR:
            return str(row.year)
        case DirectoryColumn.BATCH:
            return row.batch
        case DirectoryColumn.TITLE:
            return row.title
        case DirectoryColumn.ENTRIES:
            return str(row.entry_count)
        case DirectoryColumn.MATCHED:
            return str(row.matched_count)


def _directory_tip(row: DirectoryView) -> str:
    text = tr(
        "{title}\n共 {entries} 家企业，已匹配企业档案 {matched} 家",
        title=row.title,
        entries=row.entry_count,
        matched=row.matched_count,
    )
    if row.source:
        text += "\n" + tr("来源：{source}", source=row.source)
    return text


def _directory_sort(row: DirectoryView, column: DirectoryColumn) -> Any:
    match column:
        case DirectoryColumn.KIND:
            return kind_order(row.kind) * 10_000 + (9_999 - row.year)
        case DirectoryColumn.YEAR:
            return row.year
        case DirectoryColumn.ENTRIES:
            return row.entry_count
        case DirectoryColumn.MATCHED:
            return row.matched_count
        case _:
            return _directory_text(row, column)


class EntryListModel(_RowsModel[EntryView]):
    columns = tuple(EntryColumn)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = EntryColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _entry_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is EntryColumn.MATCH and row.enterprise_id:
                return tr("双击或按 Enter 打开企业档案")
            if column is EntryColumn.MATCH:
                return tr("企业库中没有统一社会信用代码或注册名称完全相同的企业")
            return _entry_text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column is EntryColumn.MATCH:
            return None if row.enterprise_id else muted_brush()
        if role == SORT_ROLE:
            if column is EntryColumn.RANK:
                return row.rank if row.rank is not None else 10**9
            return _entry_text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is EntryColumn.RANK:
            return _RIGHT
        if role == ID_ROLE:
            return row.id
        return None


def _entry_text(row: EntryView, column: EntryColumn) -> str:
    match column:
        case EntryColumn.RANK:
            return "" if row.rank is None else str(row.rank)
        case EntryColumn.NAME:
            return row.name
        case EntryColumn.USCC:
            return row.uscc or ""
        case EntryColumn.MATCH:
            return row.enterprise_name if row.enterprise_id else tr("未匹配")


class DirectoryFilterProxy(QSortFilterProxyModel):
    """Keeps the lists of one kind (or all)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kind = ""
        self.setSortRole(SORT_ROLE)
        self.setSortLocaleAware(True)

    def set_kind(self, kind: str) -> None:
        if kind != self._kind:
            self.beginFilterChange()
            self._kind = kind
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not self._kind or not isinstance(model, DirectoryListModel):
            return True
        return model.row_at(source_row).kind == self._kind


class EntryFilterProxy(QSortFilterProxyModel):
    """Keeps entries whose listed name, USCC or matched dossier name holds the text;
    ``未匹配`` keeps the unmatched ones."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self.setSortRole(SORT_ROLE)
        self.setSortLocaleAware(True)

    def set_text(self, text: str) -> None:
        text = text.strip().casefold()
        if text != self._text:
            self.beginFilterChange()
            self._text = text
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not self._text or not isinstance(model, EntryListModel):
            return True
        row = model.row_at(source_row)
        haystack = " ".join(
            (
                row.name,
                row.uscc or "",
                row.enterprise_name,
                "" if row.enterprise_id else tr("未匹配"),
            )
        )
        return self._text in haystack.casefold()
