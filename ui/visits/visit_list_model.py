"""Visits, newest first, one page of ``VisitListRow`` at a time."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from app.i18n import mark, tr
from app.services.visit_views import VisitFilter, VisitListRow, VisitPage
from ui.formatting import format_date
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.paged_table_model import PagedTableModel

if TYPE_CHECKING:
    from app.services.visits import VisitService

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class Column(IntEnum):
    DATE = 0
    ENTERPRISE = 1
    PLACE = 2
    PURPOSE = 3
    SQUAD = 4
    AUTHOR = 5

    @property
    def title(self) -> str:
        return tr(_TITLES[self])


_TITLES = {
    Column.DATE: mark("拜访日期"),
    Column.ENTERPRISE: mark("企业"),
    Column.PLACE: mark("地点"),
    Column.PURPOSE: mark("拜访目的"),
    Column.SQUAD: mark("小分队"),
    Column.AUTHOR: mark("记录人"),
}


def _text(row: VisitListRow, column: Column) -> str:
    match column:
        case Column.DATE:
            return format_date(row.visited_on)
        case Column.ENTERPRISE:
            return row.enterprise_name
        case Column.PLACE:
            return row.place
        case Column.PURPOSE:
            return " ".join(row.purpose.split())  # one line in the list
        case Column.SQUAD:
            return row.squad_name
        case Column.AUTHOR:
            return row.author_name


class VisitListModel(PagedTableModel[VisitFilter, VisitListRow]):
    """Rows of the visit list for the current filter (always newest first)."""

    def __init__(
        self, service: VisitService, runner: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(runner, VisitFilter(), parent)
        self._service = service

    def _page_work(self, offset: int, limit: int) -> Callable[[CancelToken], VisitPage]:
        service, filter_ = self._service, self._filter
        return lambda _token: service.page(filter_, offset, limit)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        row = self.row_at(index.row())
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.PURPOSE, Column.ENTERPRISE):
            return row.purpose if column == Column.PURPOSE else row.enterprise_name
        if role == ID_ROLE:
            return row.id
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
