"""New task (N) and edit task (F2): title, owner in the squad, due date, detail.

Enter in the title or Ctrl+S saves; Esc cancels. The save runs on the task runner; a problem is
named under the fields in Chinese and the dialog stays open.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError, ValidationError
from app.domain.task import TITLE_LIMIT, TaskDraft
from app.i18n import tr
from app.services.member_choices import MemberChoice
from app.services.tasks import TaskDetail, TaskService
from ui.formatting import qdate
from ui.negotiations.typed_date_edit import TypedDateEdit
from ui.task_runner import TaskRunner

DEFAULT_DUE_DAYS = 7
"""A new task is due a week from today unless the user says otherwise."""


class TaskEditorDialog(QDialog):
    """Creates a task (``task_id`` None) or edits one; ``task_saved`` carries its id."""

    task_saved = Signal(str)
    form_loaded = Signal()

    def __init__(
        self,
        service: TaskService,
        runner: TaskRunner,
        task_id: str | None,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._task_id = task_id
        self._today = today
        self._saving = False
        self.setWindowTitle(tr("新建任务") if task_id is None else tr("编辑任务"))
        self.resize(520, 360)

        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(TITLE_LIMIT)
        self.title_edit.setPlaceholderText(tr("要做什么，如：报送项目开工进度"))
        self.title_edit.returnPressed.connect(self.save)
        self.owner_combo = QComboBox(self)
        self.due_check = QCheckBox(tr("截止日期"), self)
        self.due_check.setChecked(True)
        self.due_edit = TypedDateEdit(self)
        self.due_edit.setDate(qdate(today + dt.timedelta(days=DEFAULT_DUE_DAYS)))
        self.due_check.toggled.connect(self.due_edit.setEnabled)
        self.detail_edit = QPlainTextEdit(self)
        self.detail_edit.setTabChangesFocus(True)
        self.detail_edit.setPlaceholderText(tr("补充说明（可不填）"))
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setWordWrap(True)
        self.cancel_button = QPushButton(tr("取消"), self)
        self.cancel_button.setToolTip(tr("取消（Esc）"))
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton(tr("保存"), self)
        self.save_button.setToolTip(tr("保存（Enter 或 Ctrl+S）"))
        self.save_button.clicked.connect(self.save)
        for button in (self.cancel_button, self.save_button):
            button.setAutoDefault(False)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)

        due = QHBoxLayout()
        due.addWidget(self.due_check)
        due.addWidget(self.due_edit)
        due.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("任务"), self.title_edit)
        form.addRow(tr("负责人"), self.owner_combo)
        form.addRow(tr("期限"), due)
        form.addRow(tr("说明"), self.detail_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self.setEnabled(False)
        runner.submit(
            lambda _token: (
                service.assignable_members(task_id),
                service.detail(task_id) if task_id else None,
                service.current_member_id(),
            ),
            self._on_form_loaded,
            self._on_failed,
            owner=self,
        )

    def draft(self) -> TaskDraft:
        due = self.due_edit.date().toPython() if self.due_check.isChecked() else None
        assert due is None or isinstance(due, dt.date)
        return TaskDraft(
            self.title_edit.text(),
            self.owner_combo.currentData(),
            due,
            self.detail_edit.toPlainText(),
        )

    def save(self) -> None:
        if self._saving or not self.isEnabled():
            return
        self._saving = True
        service, task_id, draft = self._service, self._task_id, self.draft()

        def work(_token: object) -> str:
            if task_id is None:
                return service.create(draft)
            service.update(task_id, draft)
            return task_id

        def on_success(saved_id: str) -> None:
            self.task_saved.emit(saved_id)
            self.accept()

        self._runner.submit(work, on_success, self._on_failed, owner=self)

    def _on_form_loaded(
        self, loaded: tuple[tuple[MemberChoice, ...], TaskDetail | None, str | None]
    ) -> None:
        members, detail, me = loaded
        self.owner_combo.clear()
        for member in members:
            self.owner_combo.addItem(member.name, member.id)
        owner = me
        if detail is not None:
            owner = detail.owner_id
            self.title_edit.setText(detail.title)
            self.detail_edit.setPlainText(detail.detail)
            self.due_check.setChecked(detail.due_on is not None)
            if detail.due_on is not None:
                self.due_edit.setDate(qdate(detail.due_on))
        self.owner_combo.setCurrentIndex(max(self.owner_combo.findData(owner), 0))
        self.setEnabled(True)
        self.title_edit.setFocus()
        self.title_edit.selectAll()
        self.form_loaded.emit()

    def _on_failed(self, error: AppError) -> None:
        self._saving = False
        self.setEnabled(True)
        self.error_label.setText(error.message)
        if isinstance(error, ValidationError):
            widget = {
                "title": self.title_edit,
                "owner_id": self.owner_combo,
                "due_on": self.due_edit,
            }.get(error.field)
            if widget is not None:
                widget.setFocus()
