"""The enterprise library as a table: one page of ``EnterpriseListRow`` at a time.

Sorting is done by the database (the list may hold 100,000 enterprises): a header click calls
``sort``, which re-queries with an ``EnterpriseSort`` on the task runner.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from app.i18n import mark, tr
from app.services.enterprise_views import (
    EnterpriseFilter,
    EnterpriseListRow,
    EnterprisePage,
    EnterpriseSort,
)
from ui.formatting import format_date
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.paged_table_model import PagedTableModel

if TYPE_CHECKING:
    from app.services.enterprises import EnterpriseService

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class Column(IntEnum):
    NAME = 0
    USCC = 1
    REGION = 2
    INDUSTRY = 3
    SQUAD = 4
    OWNER = 5
    LAST_VISIT = 6
    TAGS = 7

    @property
    def title(self) -> str:
        return tr(_TITLES[self])

    @property
    def sort(self) -> EnterpriseSort | None:
        """The server-side sort for this column, or None when it cannot be sorted."""
        return _SORTS.get(self)


_TITLES = {
    Column.NAME: mark("企业名称"),
    Column.USCC: mark("统一社会信用代码"),
    Column.REGION: mark("地区"),
    Column.INDUSTRY: mark("行业"),
    Column.SQUAD: mark("小分队"),
    Column.OWNER: mark("包抓责任人"),
    Column.LAST_VISIT: mark("最近拜访"),
    Column.TAGS: mark("标签"),
}
_SORTS = {
    Column.NAME: EnterpriseSort.NAME,
    Column.USCC: EnterpriseSort.USCC,
    Column.REGION: EnterpriseSort.REGION,
    Column.INDUSTRY: EnterpriseSort.INDUSTRY,
    Column.SQUAD: EnterpriseSort.SQUAD,
    Column.LAST_VISIT: EnterpriseSort.LAST_VISIT,
}


def _text(row: EnterpriseListRow, column: Column) -> str:
    match column:
        case Column.NAME:
            return row.name
        case Column.USCC:
            return row.uscc or ""
        case Column.REGION:
            return row.region_name
        case Column.INDUSTRY:
            return row.industry_name
        case Column.SQUAD:
            return row.squad_name
        case Column.OWNER:
            return row.owner_name
        case Column.LAST_VISIT:
            return format_date(row.last_visit_on)
        case Column.TAGS:
            return tr("、").join((*row.honours, *row.tags))


class EnterpriseListModel(PagedTableModel[EnterpriseFilter, EnterpriseListRow]):
    """Rows of the enterprise library for the current filter and sort."""

    def __init__(
        self, service: EnterpriseService, runner: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(runner, EnterpriseFilter(), parent)
        self._service = service
        self._sort_column = Column.NAME
        self._descending = False

    @property
    def sort_column(self) -> Column:
        return self._sort_column

    @property
    def descending(self) -> bool:
        return self._descending

    def _page_work(self, offset: int, limit: int) -> Callable[[CancelToken], EnterprisePage]:
        service, filter_ = self._service, self._filter
        sort, descending = self._sort_column.sort or EnterpriseSort.NAME, self._descending
        return lambda _token: service.page(filter_, sort, descending, offset, limit)

    # -- Qt model interface ----------------------------------------------------------------------

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        row = self.row_at(index.row())
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.NAME, Column.TAGS):
            return _text(row, column)
        if role == ID_ROLE:
            return row.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return Column(section).title
            if role == Qt.ItemDataRole.ToolTipRole and Column(section).sort is None:
                return tr("此列不能排序")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-query in the database's order for ``column`` (ignored for unsortable columns)."""
        if not 0 <= column < len(Column) or Column(column).sort is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (Column(column), descending) == (self._sort_column, self._descending):
            return
        self._sort_column = Column(column)
        self._descending = descending
        if self.requested:
            self.reload()
