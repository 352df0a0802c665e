"""The tasks page (任务): mine / my squad's / all, to do / done / all, by due date; complete or
reopen the selected task."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.domain.vocabulary import TaskStatus
from app.i18n import tr
from app.services.tasks import TaskFilter, TaskListRow, TaskScope, TaskState
from ui.task_runner import CancelToken, TaskRunner
from ui.tasks.task_list_model import Column, TaskListModel
from ui.widgets.list_table import list_table

if TYPE_CHECKING:
    from app.services.tasks import TaskService

_COLUMN_WIDTHS = {
    Column.TITLE: 300,
    Column.OWNER: 90,
    Column.DUE: 200,
    Column.LINKED: 320,
}


class TasksPage(QWidget):
    """Task list with its two filters and the 标记完成 / 重新打开 actions."""

    enterprise_activated = Signal(str)
    list_loaded = Signal(int)
    task_status_changed = Signal(str)

    def __init__(
        self, service: TaskService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._keep_id: str | None = None
        self._keep_row = 0

        self._model = TaskListModel(service, runner, self)
        self._model.rows_loaded.connect(self._on_model_rows_loaded)
        self._model.load_failed.connect(self._on_action_failed)
        self.scope_combo = QComboBox(self)
        for text, scope in (
            (tr("我的"), TaskScope.MINE),
            (tr("本小分队"), TaskScope.SQUAD),
            (tr("全部"), TaskScope.ALL),
        ):
            self.scope_combo.addItem(text, scope.value)
        self.state_combo = QComboBox(self)
        for text, state in (
            (tr("待办"), TaskState.OPEN),
            (tr("已完成"), TaskState.DONE),
            (tr("全部"), TaskState.ALL),
        ):
            self.state_combo.addItem(text, state.value)
        self.scope_combo.currentIndexChanged.connect(self._on_filter_combo_changed)
        self.state_combo.currentIndexChanged.connect(self._on_filter_combo_changed)
        self.complete_button = QPushButton(tr("标记完成"), self)
        self.complete_button.setToolTip(tr("把选中的任务标记为已完成"))
        self.complete_button.clicked.connect(self._on_complete_button_clicked)
        self.reopen_button = QPushButton(tr("重新打开"), self)
        self.reopen_button.setToolTip(tr("把选中的已完成任务放回待办"))
        self.reopen_button.clicked.connect(self._on_reopen_button_clicked)
        self._count = QLabel(tr("正在载入…"), self)
        self._count.setStyleSheet("color: #5f6b7a;")
        self._message = QLabel(self)
        self._message.setStyleSheet("color: #5f6b7a;")
        self.table = self._build_table()

        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("范围"), self))
        bar.addWidget(self.scope_combo)
        bar.addSpacing(12)
        bar.addWidget(QLabel(tr("状态"), self))
        bar.addWidget(self.state_combo)
        bar.addSpacing(16)
        bar.addWidget(self._count)
        bar.addStretch(1)
        bar.addWidget(self.complete_button)
        bar.addWidget(self.reopen_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._message)
        self._update_actions()

    # -- public ----------------------------------------------------------------------------------

    @property
    def model(self) -> TaskListModel:
        return self._model

    def refresh(self) -> None:
        """Reload the list, keeping as many rows and the selection as there are now."""
        self._remember_selection()
        self._model.reload(keep_loaded=True)

    def selected_task(self) -> TaskListRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self._model.row_at(rows[0].row()) if rows else None

    # -- building --------------------------------------------------------------------------------

    def _build_table(self) -> QTableView:
        table = list_table(self._model, self, widths=_COLUMN_WIDTHS)
        table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        table.doubleClicked.connect(self._on_table_double_clicked)
        return table

    # -- handlers --------------------------------------------------------------------------------

    def _on_filter_combo_changed(self, _index: int) -> None:
        self._keep_id = None
        self._keep_row = 0
        self._model.set_filter(
            TaskFilter(
                TaskScope(self.scope_combo.currentData()), TaskState(self.state_combo.currentData())
            )
        )

    def _on_model_rows_loaded(self, total: int) -> None:
        self._count.setText(tr("共 {count} 项", count=total))
        self._restore_selection()
        self._update_actions()
        self.list_loaded.emit(total)

    def _on_table_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        self._update_actions()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        row = self._model.row_at(index.row())
        if row.enterprise_id:
            self.enterprise_activated.emit(row.enterprise_id)

    def _on_complete_button_clicked(self) -> None:
        task = self.selected_task()
        if task is not None and task.status is TaskStatus.OPEN:
            service = self._service
            self._change(task, lambda _token: service.complete(task.id), completing=True)

    def _on_reopen_button_clicked(self) -> None:
        task = self.selected_task()
        if task is not None and task.status is TaskStatus.DONE:
            service = self._service
            self._change(task, lambda _token: service.reopen(task.id), completing=False)

    def _on_action_failed(self, message: str) -> None:
        self._message.setText(message)
        self._update_actions()

    # -- internals -------------------------------------------------------------------------------

    def _change(
        self, task: TaskListRow, work: Callable[[CancelToken], None], *, completing: bool
    ) -> None:
        self.complete_button.setEnabled(False)
        self.reopen_button.setEnabled(False)
        self._remember_selection()

        def on_success(_result: object) -> None:
            self._message.setText(
                tr("已标记完成：{title}", title=task.title)
                if completing
                else tr("已重新打开：{title}", title=task.title)
            )
            self.task_status_changed.emit(task.id)
            self._model.reload(keep_loaded=True)

        def on_failure(error: AppError) -> None:
            self._on_action_failed(error.message)

        self._runner.submit(work, on_success, on_failure, owner=self)

    def _remember_selection(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._keep_row = rows[0].row()
            self._keep_id = self._model.row_at(self._keep_row).id

    def _restore_selection(self) -> None:
        if self._keep_id is None or self._model.rowCount() == 0:
            return
        row = self._model.row_of(self._keep_id)
        if row is None:  # the task left the list (e.g. completed under 待办): select its neighbour
            row = min(self._keep_row, self._model.rowCount() - 1)
        self.table.selectRow(row)

    def _update_actions(self) -> None:
        task = self.selected_task()
        self.complete_button.setEnabled(task is not None and task.status is TaskStatus.OPEN)
        self.reopen_button.setEnabled(task is not None and task.status is TaskStatus.DONE)
