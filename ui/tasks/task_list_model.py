"""Tasks as a table, one page at a time: open ones by due date, then done ones; overdue ones in a
warning colour. The model also keeps how many tasks fall in each group (已逾期, 今天, …) for the
group headings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.domain.vocabulary import TaskStatus
from app.i18n import mark, tr
from app.services.tasks import TaskFilter, TaskGroup, TaskListRow, TaskPage
from ui.formatting import format_date, linked_text, muted_brush, warning_brush
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.paged_table_model import PagedTableModel

if TYPE_CHECKING:
    from app.services.tasks import TaskService

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ENTERPRISE_ROLE = Qt.ItemDataRole.UserRole + 2


class Column(IntEnum):
    TITLE = 0
    OWNER = 1
    DUE = 2
    LINKED = 3
    STATUS = 4

    @property
    def title(self) -> str:
        return tr(_TITLES[self])


_TITLES = {
    Column.TITLE: mark("任务"),
    Column.OWNER: mark("负责人"),
    Column.DUE: mark("截止日期"),
    Column.LINKED: mark("关联企业 / 项目"),
    Column.STATUS: mark("状态"),
}


def _text(row: TaskListRow, column: Column) -> str:
    match column:
        case Column.TITLE:
            return row.title
        case Column.OWNER:
            return row.owner_name
        case Column.DUE:
            if row.overdue:
                return tr(
                    "{date}（逾期 {days} 天）", date=format_date(row.due_on), days=row.overdue_days
                )
            return format_date(row.due_on) if row.due_on else tr("未设期限")
        case Column.LINKED:
            return linked_text(row.enterprise_name, row.project_name)
        case Column.STATUS:
            if row.overdue:
                return tr("已逾期")
            return row.status.label


class TaskListModel(PagedTableModel[TaskFilter, TaskListRow]):
    """Rows of ``TaskService.page`` for the current filter."""

    def __init__(
        self, service: TaskService, runner: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(runner, TaskFilter(), parent)
        self._service = service
        self._today = dt.date.today()
        self._group_counts: dict[TaskGroup, int] = {}

    @property
    def today(self) -> dt.date:
        """The day the loaded rows were grouped against."""
        return self._today

    def group_count(self, group: TaskGroup) -> int:
        """How many matching tasks are in ``group`` (loaded or not)."""
        return self._group_counts.get(group, 0)

    def _on_reload_done(self, generation: int, page: TaskPage) -> None:  # type: ignore[override]
        if generation == self._generation:
            self._today = page.today
            self._group_counts = dict(page.group_counts)
        super()._on_reload_done(generation, page)

    def _page_work(self, offset: int, limit: int) -> Callable[[CancelToken], TaskPage]:
        service, filter_ = self._service, self._filter
        return lambda _token: service.page(filter_, offset, limit)

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
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.TITLE, Column.LINKED):
            return _text(row, column) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.overdue and column in (Column.DUE, Column.STATUS):
                return warning_brush()
            if row.status is TaskStatus.DONE or (column is Column.DUE and row.due_on is None):
                return muted_brush()
            return None
        if role == Qt.ItemDataRole.FontRole and row.status is TaskStatus.DONE:
            font = QFont()
            font.setStrikeOut(column is Column.TITLE)
            return font
        if role == ID_ROLE:
            return row.id
        if role == ENTERPRISE_ROLE:
            return row.enterprise_id
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
