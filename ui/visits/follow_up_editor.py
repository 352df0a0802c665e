"""Follow-up tasks made inline from a visit: what, who (default me), by when; Enter adds it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError, ValidationError
from app.domain.task import TaskDraft
from app.i18n import mark, tr
from app.services.visit_views import PersonChoice, VisitTaskView
from ui.formatting import format_date, qdate
from ui.task_runner import TaskRunner
from ui.visits.date_field import DateField
from ui.visits.table_height import fit_rows
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordColumn, RecordTableModel

if TYPE_CHECKING:
    from app.services.tasks import TaskService
    from app.services.visits import VisitService

DEFAULT_DUE_DAYS = 7
_NO_DUE = QDate(2000, 1, 1)

_COLUMNS = (
    RecordColumn(mark("任务"), lambda t: t.title),
    RecordColumn(mark("负责人"), lambda t: t.owner_name),
    RecordColumn(mark("截止日期"), lambda t: format_date(t.due_on)),
    RecordColumn(mark("状态"), lambda t: tr("已完成") if t.done else tr("待办")),
)


class FollowUpEditor(QWidget):
    """Lists the visit's tasks and adds new ones through ``TaskService.create``."""

    task_added = Signal(str)  # task id
    advance_requested = Signal()

    def __init__(
        self,
        tasks: TaskService,
        visits: VisitService,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._visits = visits
        self._runner = runner
        self._visit_id: str | None = None
        self._enterprise_id: str | None = None
        self._me: str | None = None
        self._today = dt.date.today()
        self._model = RecordTableModel(_COLUMNS, self)
        self._table = list_table(self._model, self, widths=(220, 70, 120))
        self._table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._table.hide()
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(tr("新的跟进任务，回车添加"))
        self.title.setMaxLength(200)
        self.title.returnPressed.connect(self._on_title_return_pressed)
        self.owner = QComboBox(self)
        self.owner.setToolTip(tr("负责人"))
        self.owner.setMinimumContentsLength(6)
        self.due = DateField(self)
        self.due.setMinimumDate(_NO_DUE)
        self.due.setSpecialValueText(tr("无截止日期"))
        self.due.setToolTip(tr("截止日期（按 Alt+↓ 打开日历；最小值为“无截止日期”）"))
        for widget in (self.owner, self.due):
            widget.installEventFilter(self)
        self._add = QPushButton(tr("添加任务"), self)
        self._add.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._add.clicked.connect(self._on_add_clicked)
        self._message = QLabel(self)
        self._message.setStyleSheet("color: #b3261e;")
        self._message.hide()
        entry = QHBoxLayout()
        entry.setSpacing(6)
        entry.addWidget(self.title, 1)
        entry.addWidget(self.owner)
        entry.addWidget(self.due)
        entry.addWidget(self._add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._table)
        layout.addLayout(entry)
        layout.addWidget(self._message)
        self._set_enabled(False)

    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def model(self) -> RecordTableModel:
        return self._model

    @property
    def message(self) -> str:
        return self._message.text() if self._message.isVisible() else ""

    def set_people(self, members: Sequence[PersonChoice], me: str | None, today: dt.date) -> None:
        self._me = me
        self._today = today
        self.owner.clear()
        for member in members:
            self.owner.addItem(member.name, member.id)
        self._reset_entry()

    def set_visit(self, visit_id: str | None, enterprise_id: str | None) -> None:
        """Tasks attach to this visit (None: not saved yet, adding waits)."""
        self._visit_id = visit_id
        self._enterprise_id = enterprise_id
        self._set_enabled(visit_id is not None)

    def show_tasks(self, tasks: Sequence[VisitTaskView]) -> None:
        self._model.set_rows(tasks)
        fit_rows(self._table, len(tasks), most=4)
        self._table.setVisible(bool(tasks))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and watched in (self.owner, self.due)
            and not self.owner.view().isVisible()
        ):
            self._add_task()
            return True
        return super().eventFilter(watched, event)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.title, self.owner, self.due, self._add):
            widget.setEnabled(enabled)
        self.title.setPlaceholderText(
            tr("新的跟进任务，回车添加") if enabled else tr("选择企业后可添加跟进任务")
        )

    def _reset_entry(self) -> None:
        self.title.clear()
        index = self.owner.findData(self._me) if self._me else -1
        self.owner.setCurrentIndex(max(index, 0))
        due = self._today + dt.timedelta(days=DEFAULT_DUE_DAYS)
        self.due.setDate(qdate(due))

    def _on_title_return_pressed(self) -> None:
        if not self.title.text().strip():
            self.advance_requested.emit()
            return
        self._add_task()

    def _on_add_clicked(self) -> None:
        self._add_task()

    def _add_task(self) -> None:
        visit_id = self._visit_id
        if visit_id is None:
            return
        chosen = self.due.date()
        due_on = None if chosen == _NO_DUE else dt.date(chosen.year(), chosen.month(), chosen.day())
        draft = TaskDraft(self.title.text(), self.owner.currentData(), due_on)
        if not draft.title.strip():
            self._show_message(tr("请填写任务内容"))
            self.title.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        tasks, visits, enterprise_id = self._tasks, self._visits, self._enterprise_id

        def work(_token: object) -> tuple[str, tuple[VisitTaskView, ...]]:
            task_id = tasks.create(draft, visit_id=visit_id, enterprise_id=enterprise_id)
            return task_id, visits.follow_up_tasks(visit_id)

        self._add.setEnabled(False)
        self._runner.submit(work, self._on_task_created, self._on_task_failed, owner=self)

    def _on_task_created(self, result: tuple[str, tuple[VisitTaskView, ...]]) -> None:
        task_id, tasks = result
        self._add.setEnabled(True)
        self._message.hide()
        self.show_tasks(tasks)
        self._reset_entry()
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)
        self.task_added.emit(task_id)

    def _on_task_failed(self, error: AppError) -> None:
        self._add.setEnabled(True)
        if isinstance(error, ValidationError) and error.field == "owner_id":
            self.owner.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_message(error.message)

    def _show_message(self, text: str) -> None:
        self._message.setText(text)
        self._message.show()
