"""Group headings between the task rows: 已逾期 · 3, 今天 · 2, 即将到期 · 12, 未设期限, 已完成.

A flat proxy over ``TaskListModel`` (rows arrive in group order, a page at a time): a heading row
goes in wherever the group changes. Headings span the table, are not selectable, and the cursor
keys step over them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QFont, QGuiApplication, QPalette

from app.i18n import mark, tr
from app.services.tasks import TaskGroup
from ui.formatting import warning_brush
from ui.tasks.task_list_model import TaskListModel

AnyIndex = QModelIndex | QPersistentModelIndex
GROUP_ROLE = Qt.ItemDataRole.UserRole + 10

_TITLES = {
    TaskGroup.OVERDUE: mark("已逾期"),
    TaskGroup.TODAY: mark("今天到期"),
    TaskGroup.UPCOMING: mark("即将到期"),
    TaskGroup.UNDATED: mark("未设期限"),
    TaskGroup.DONE: mark("已完成"),
}
_Entry = int | TaskGroup  # a source row, or a heading


def group_title(group: TaskGroup) -> str:
    return tr(_TITLES[group])


class TaskGroupsProxy(QAbstractProxyModel):
    """The source rows with a heading row before each group."""

    def __init__(self, source: TaskListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = source
        self._entries: list[_Entry] = []
        self._proxy_row_of: list[int] = []  # source row -> proxy row
        self.setSourceModel(source)
        source.modelReset.connect(self._on_source_reset)
        source.rowsInserted.connect(self._on_source_rows_inserted)
        source.rowsRemoved.connect(self._on_source_reset)
        source.layoutChanged.connect(self._on_source_reset)
        source.dataChanged.connect(self._on_source_data_changed)
        self._rebuild()

    def heading_rows(self) -> list[int]:
        return [row for row, entry in enumerate(self._entries) if isinstance(entry, TaskGroup)]

    def is_heading(self, row: int) -> bool:
        return 0 <= row < len(self._entries) and isinstance(self._entries[row], TaskGroup)

    # -- QAbstractProxyModel ---------------------------------------------------------------------

    def mapToSource(self, proxy_index: AnyIndex) -> QModelIndex:
        if not proxy_index.isValid() or not 0 <= proxy_index.row() < len(self._entries):
            return QModelIndex()
        entry = self._entries[proxy_index.row()]
        if isinstance(entry, TaskGroup):
            return QModelIndex()
        return self._tasks.index(entry, proxy_index.column())

    def mapFromSource(self, source_index: AnyIndex) -> QModelIndex:
        if not source_index.isValid() or not 0 <= source_index.row() < len(self._proxy_row_of):
            return QModelIndex()
        return self.index(self._proxy_row_of[source_index.row()], source_index.column())

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if parent.isValid() or not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, _child: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._tasks.columnCount()

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:
        return not parent.isValid() and bool(self._entries)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if self.is_heading(index.row()):
            return Qt.ItemFlag.NoItemFlags  # not selectable; the cursor steps over it
        return super().flags(index)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if not isinstance(entry, TaskGroup):
            return self._tasks.data(self._tasks.index(entry, index.column()), role)
        if role == GROUP_ROLE:
            return entry.value
        if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
            count = self._tasks.group_count(entry)
            return tr("{group} · {count}", group=group_title(entry), count=count)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            palette = QGuiApplication.palette()
            return QBrush(palette.color(QPalette.ColorRole.Window))
        if role == Qt.ItemDataRole.ForegroundRole:  # headings are not "enabled": say the colour
            if entry is TaskGroup.OVERDUE:
                return warning_brush()
            return QBrush(QGuiApplication.palette().color(QPalette.ColorRole.WindowText))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            return self._tasks.headerData(section, orientation, role)
        return None

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:
        return not parent.isValid() and self._tasks.canFetchMore()

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:
        if not parent.isValid():
            self._tasks.fetchMore()

    # -- following the source --------------------------------------------------------------------

    def _entries_for(self, first: int, last: int) -> list[_Entry]:
        """Entries for source rows ``first..last`` appended after the ones already mapped."""
        entries: list[_Entry] = []
        previous = self._tasks.row_at(first - 1).group if first > 0 else None
        for row in range(first, last + 1):
            group = self._tasks.row_at(row).group
            if group != previous:
                entries.append(group)
                previous = group
            entries.append(row)
        return entries

    def _rebuild(self) -> None:
        count = self._tasks.rowCount()
        self._entries = self._entries_for(0, count - 1) if count else []
        self._index_rows()

    def _index_rows(self) -> None:
        self._proxy_row_of = [0] * self._tasks.rowCount()
        for proxy_row, entry in enumerate(self._entries):
            if not isinstance(entry, TaskGroup):
                self._proxy_row_of[entry] = proxy_row

    def _on_source_reset(self, *_args: object) -> None:
        self.beginResetModel()
        self._rebuild()
        self.endResetModel()

    def _on_source_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        mapped = len(self._proxy_row_of)
        if parent.isValid() or first != mapped:  # not an append: start over
            self._on_source_reset()
            return
        added = self._entries_for(first, last)
        start = len(self._entries)
        self.beginInsertRows(QModelIndex(), start, start + len(added) - 1)
        self._entries.extend(added)
        self._proxy_row_of.extend(
            start + offset for offset, entry in enumerate(added) if not isinstance(entry, TaskGroup)
        )
        self.endInsertRows()

    def _on_source_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        top, bottom = self.mapFromSource(top_left), self.mapFromSource(bottom_right)
        if top.isValid() and bottom.isValid():
            self.dataChanged.emit(top, bottom)
