"""The tasks page (任务): my tasks (or my squad's, or all) grouped 已逾期 / 今天到期 / 即将到期 /
未设期限 / 已完成, worked from the keyboard.

On the list: Space or Ctrl+D completes (Ctrl+Shift+D reopens), Ctrl+R hands the task to another
squad member, Ctrl+Shift+S puts it off (明天 / 下周 / 选择日期…), N makes a new task, F2 edits,
Enter opens the related visit or enterprise, Delete deletes (with 撤销), Ctrl+H shows its
history. The same actions are on the buttons (shortcut in the tooltip) and in the context menu.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.domain.vocabulary import TaskStatus
from app.i18n import tr
from app.services.member_choices import MemberChoice
from app.services.tasks import TaskFilter, TaskListRow, TaskScope, TaskState
from ui.formatting import format_date
from ui.task_runner import CancelToken, TaskRunner
from ui.tasks.due_date_picker import DueDatePicker
from ui.tasks.task_editor import TaskEditorDialog
from ui.tasks.task_groups_proxy import TaskGroupsProxy
from ui.tasks.task_list_model import Column, TaskListModel
from ui.tasks.task_menus import reassign_menu, snooze_menu
from ui.widgets.list_table import list_table
from ui.widgets.message_bar import UndoMessageBar
from ui.widgets.undoable_delete import UndoableDelete

if TYPE_CHECKING:
    from app.services.tasks import TaskService

_COLUMN_WIDTHS = {
    Column.TITLE: 320,
    Column.OWNER: 90,
    Column.DUE: 200,
    Column.LINKED: 320,
}


class TasksPage(QWidget):
    """Grouped task list with its filters and keyboard actions."""

    enterprise_activated = Signal(str)
    visit_activated = Signal(str)
    history_requested = Signal(str, str)
    list_loaded = Signal(int)
    task_changed = Signal(str)
    """A task was created, completed, reopened, reassigned, put off, edited, deleted or restored."""

    def __init__(
        self, service: TaskService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._keep_id: str | None = None
        self._keep_row = 0
        self.popup: QMenu | None = None
        self.dialog: TaskEditorDialog | DueDatePicker | None = None

        self._model = TaskListModel(service, runner, self)
        self._model.rows_loaded.connect(self._on_model_rows_loaded)
        self._model.load_failed.connect(self._on_action_failed)
        self.proxy = TaskGroupsProxy(self._model, self)
        self.proxy.modelReset.connect(self._update_spans)
        self.proxy.rowsInserted.connect(self._update_spans)
        self.scope_combo = self._combo(
            (tr("我的"), TaskScope.MINE),
            (tr("本小分队"), TaskScope.SQUAD),
            (tr("全部"), TaskScope.ALL),
        )
        self.state_combo = self._combo(
            (tr("待办"), TaskState.OPEN),
            (tr("已完成"), TaskState.DONE),
            (tr("全部"), TaskState.ALL),
        )
        self._count = QLabel(tr("正在载入…"), self)
        self._count.setStyleSheet("color: #5f6b7a;")
        self._message = QLabel(self)
        self._message.setStyleSheet("color: #5f6b7a;")
        self.message_bar = UndoMessageBar(self)
        self.table = list_table(self.proxy, self, widths=_COLUMN_WIDTHS)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.activated.connect(self._on_table_activated)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        self._undo = UndoableDelete(runner, self.message_bar, service.delete, service.restore, self)
        self._undo.deleted.connect(self._on_undo_changed)
        self._undo.restored.connect(self._on_undo_changed)

        self.new_action = self._action(tr("新建任务"), ["N"], self._on_new_triggered)
        self.complete_action = self._action(
            tr("标记完成"), ["Space", "Ctrl+D"], self._on_complete_triggered
        )
        self.reopen_action = self._action(
            tr("重新打开"), ["Ctrl+Shift+D"], self._on_reopen_triggered
        )
        self.reassign_action = self._action(tr("转交…"), ["Ctrl+R"], self._on_reassign_triggered)
        self.snooze_action = self._action(tr("推迟…"), ["Ctrl+Shift+S"], self._on_snooze_triggered)
        self.edit_action = self._action(tr("编辑…"), ["F2"], self._on_edit_triggered)
        self.open_action = self._action(
            tr("打开关联记录"), ["Return", "Enter"], self._on_open_triggered
        )
        self.history_action = self._action(tr("历史"), ["Ctrl+H"], self._on_history_triggered)
        self.delete_action = self._action(tr("删除"), ["Delete"], self._on_delete_triggered)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("范围"), self))
        bar.addWidget(self.scope_combo)
        bar.addSpacing(12)
        bar.addWidget(QLabel(tr("状态"), self))
        bar.addWidget(self.state_combo)
        bar.addSpacing(16)
        bar.addWidget(self._count)
        bar.addStretch(1)
        for action in (
            self.new_action,
            self.complete_action,
            self.reopen_action,
            self.reassign_action,
            self.snooze_action,
            self.history_action,
        ):
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(bar)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._message)
        self._update_actions()

    # -- public ----------------------------------------------------------------------------------

    @property
    def model(self) -> TaskListModel:
        return self._model

    @property
    def message(self) -> str:
        return self._message.text()

    def refresh(self) -> None:
        """Reload the list, keeping as many rows and the selection as there are now."""
        self._remember_selection()
        self._model.reload(keep_loaded=True)

    def selected_task(self) -> TaskListRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0])
        return self._model.row_at(source.row()) if source.isValid() else None

    def select_task(self, task_id: str) -> bool:
        row = self._model.row_of(task_id)
        if row is None:
            return False
        proxy_row = self.proxy.mapFromSource(self._model.index(row, 0)).row()
        self.table.selectRow(proxy_row)
        self.table.scrollTo(self.proxy.index(proxy_row, 0))
        return True

    def focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- building --------------------------------------------------------------------------------

    def _combo(self, *items: tuple[str, TaskScope | TaskState]) -> QComboBox:
        combo = QComboBox(self)
        for text, value in items:
            combo.addItem(text, value.value)
        combo.currentIndexChanged.connect(self._on_filter_combo_changed)
        return combo

    def _action(self, text: str, keys: Sequence[str], slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.table)
        if keys:
            action.setShortcuts([QKeySequence(key) for key in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            shown = tr(" / ").join(QKeySequence(key).toString() for key in keys)
            action.setToolTip(tr("{action}（{keys}）", action=text.rstrip("…"), keys=shown))
        action.triggered.connect(slot)
        self.table.addAction(action)
        return action

    def _update_spans(self, *_args: object) -> None:
        self.table.clearSpans()
        for row in self.proxy.heading_rows():
            self.table.setSpan(row, 0, 1, self.proxy.columnCount())

    # -- list ------------------------------------------------------------------------------------

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

    def _on_table_activated(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if source.isValid():
            self._open(self._model.row_at(source.row()))

    def _on_table_context_menu_requested(self, position: QPoint) -> None:
        menu = QMenu(self)
        for action in (self.complete_action, self.reopen_action, self.reassign_action):
            menu.addAction(action)
        menu.addAction(self.snooze_action)
        menu.addSeparator()
        for action in (self.open_action, self.edit_action, self.history_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.new_action)
        menu.addAction(self.delete_action)
        self.popup = menu
        menu.popup(self.table.viewport().mapToGlobal(position))

    # -- actions ---------------------------------------------------------------------------------

    def _on_complete_triggered(self) -> None:
        task = self.selected_task()
        if task is not None and task.status is TaskStatus.OPEN:
            service = self._service
            self._change(
                task,
                lambda _t: service.complete(task.id),
                lambda _r: tr("已标记完成：{title}", title=task.title),
            )

    def _on_reopen_triggered(self) -> None:
        task = self.selected_task()
        if task is not None and task.status is TaskStatus.DONE:
            service = self._service
            self._change(
                task,
                lambda _t: service.reopen(task.id),
                lambda _r: tr("已重新打开：{title}", title=task.title),
            )

    def _on_reassign_triggered(self) -> None:
        task = self.selected_task()
        if task is None:
            return
        service = self._service

        def show(members: tuple[MemberChoice, ...]) -> None:
            menu = reassign_menu(
                self, members, task.owner_id, lambda member: self._reassign(task, member)
            )
            self._popup_at_selection(menu)

        self._runner.submit(
            lambda _t: service.assignable_members(task.id), show, self._failed, owner=self
        )

    def _reassign(self, task: TaskListRow, member: MemberChoice) -> None:
        service = self._service
        self._change(
            task,
            lambda _t: service.reassign(task.id, member.id),
            lambda _r: tr("已转交给{name}：{title}", name=member.name, title=task.title),
        )

    def _on_snooze_triggered(self) -> None:
        task = self.selected_task()
        if task is None or task.status is not TaskStatus.OPEN:
            return
        menu = snooze_menu(
            self,
            task,
            self._model.today,
            lambda days: self._snooze(task, days),
            lambda: self._pick_due(task),
        )
        self._popup_at_selection(menu)

    def _snooze(self, task: TaskListRow, days: int) -> None:
        service = self._service
        self._change(task, lambda _t: service.snooze(task.id, days), self._put_off(task))

    def _pick_due(self, task: TaskListRow) -> None:
        picker = DueDatePicker(task.title, task.due_on, self._model.today, self)
        picker.date_picked.connect(lambda day: self._reschedule(task, day))
        self.dialog = picker
        picker.open()

    def _reschedule(self, task: TaskListRow, day: dt.date) -> None:
        service = self._service

        def work(_token: CancelToken) -> dt.date:
            service.reschedule(task.id, day)
            return day

        self._change(task, work, self._put_off(task))

    @staticmethod
    def _put_off(task: TaskListRow) -> Callable[[object], str]:
        def describe(due: object) -> str:
            assert isinstance(due, dt.date)
            return tr("已推迟到{date}：{title}", date=format_date(due), title=task.title)

        return describe

    def _on_new_triggered(self) -> None:
        self._edit(None)

    def _on_edit_triggered(self) -> None:
        task = self.selected_task()
        if task is not None:
            self._edit(task.id)

    def _edit(self, task_id: str | None) -> None:
        dialog = TaskEditorDialog(self._service, self._runner, task_id, self._model.today, self)
        dialog.task_saved.connect(self._on_editor_task_saved)
        self.dialog = dialog
        dialog.open()

    def _on_editor_task_saved(self, task_id: str) -> None:
        self._keep_id = task_id
        self._message.setText(tr("任务已保存"))
        self.task_changed.emit(task_id)
        self._model.reload(keep_loaded=True)

    def _on_open_triggered(self) -> None:
        task = self.selected_task()
        if task is not None:
            self._open(task)

    def _open(self, task: TaskListRow) -> None:
        if task.visit_id:
            self.visit_activated.emit(task.visit_id)
        elif task.enterprise_id:
            self.enterprise_activated.emit(task.enterprise_id)
        else:
            self._message.setText(tr("这项任务没有关联的企业或拜访记录"))

    def _on_history_triggered(self) -> None:
        task = self.selected_task()
        if task is not None:
            self.history_requested.emit("tasks", task.id)

    def _on_delete_triggered(self) -> None:
        task = self.selected_task()
        if task is not None:
            self._remember_selection()
            self._undo.delete(task.id, task.title)

    def _on_undo_changed(self, task_id: str) -> None:
        self.task_changed.emit(task_id)
        self._model.reload(keep_loaded=True)

    def _on_action_failed(self, message: str) -> None:
        self._message.setText(message)
        self._update_actions()

    def _failed(self, error: AppError) -> None:
        self._on_action_failed(error.message)

    # -- internals -------------------------------------------------------------------------------

    def _change(
        self,
        task: TaskListRow,
        work: Callable[[CancelToken], object],
        describe: Callable[[object], str],
    ) -> None:
        """Run one change of ``task``; ``describe(result)`` tells the user what happened."""
        self._remember_selection()

        def on_success(result: object) -> None:
            self._message.setText(describe(result))
            self.task_changed.emit(task.id)
            self._model.reload(keep_loaded=True)

        self._runner.submit(work, on_success, self._failed, owner=self)

    def _popup_at_selection(self, menu: QMenu) -> None:
        rows = self.table.selectionModel().selectedRows()
        rect = self.table.visualRect(rows[0]) if rows else self.table.viewport().rect()
        self.popup = menu
        menu.aboutToHide.connect(self.focus_list)  # the keys go on working on the list
        menu.popup(self.table.viewport().mapToGlobal(rect.bottomLeft()))

    def _remember_selection(self) -> None:
        task = self.selected_task()
        if task is not None:
            self._keep_id = task.id
            self._keep_row = self._model.row_of(task.id) or 0

    def _restore_selection(self) -> None:
        count = self._model.rowCount()
        if count == 0:
            return
        if self._keep_id is not None and self.select_task(self._keep_id):
            return
        # the task left the list (e.g. completed under 待办), or nothing was chosen: a neighbour
        self.select_task(self._model.row_at(min(self._keep_row, count - 1)).id)

    def _update_actions(self) -> None:
        task = self.selected_task()
        chosen = task is not None
        is_open = task is not None and task.status is TaskStatus.OPEN
        for action in (
            self.reassign_action,
            self.edit_action,
            self.history_action,
            self.delete_action,
            self.open_action,
        ):
            action.setEnabled(chosen)
        self.complete_action.setEnabled(is_open)
        self.reopen_action.setEnabled(task is not None and not is_open)
        self.snooze_action.setEnabled(is_open)
