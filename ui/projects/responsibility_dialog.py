"""A line of the 责任清单 (四个明确): 责任 (what), 人员 (who), 措施 (how), 时限 (by when). Saved as
a task of the project through the task service, so it shows in the owner's task list too."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QPlainTextEdit, QWidget

from app.domain.task import TITLE_LIMIT, TaskDraft
from app.i18n import tr
from app.services.member_choices import MemberChoice
from app.services.project_views import ResponsibilityView
from ui.formatting import qdate
from ui.negotiations.typed_date_edit import TypedDateEdit
from ui.projects.dialog_frame import FormDialog
from ui.task_runner import CancelToken, TaskRunner

if TYPE_CHECKING:
    from ui.projects.project_services import ProjectServices

DEFAULT_DAYS = 14


class ResponsibilityDialog(FormDialog):
    """Adds a line (``line`` None) or edits one; ``line_saved`` carries the task id."""

    line_saved = Signal(str)
    form_loaded = Signal()

    def __init__(
        self,
        services: ProjectServices,
        runner: TaskRunner,
        project_id: str,
        today: dt.date,
        line: ResponsibilityView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = tr("添加责任事项") if line is None else tr("修改责任事项")
        super().__init__(runner, title, parent)
        self._services = services
        self._project_id = project_id
        self._line = line
        self.resize(520, 340)
        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(TITLE_LIMIT)
        self.title_edit.setPlaceholderText(tr("责任：要落实的事，如：协调办理施工许可"))
        self.owner_combo = QComboBox(self)
        self.measure_edit = QPlainTextEdit(self)
        self.measure_edit.setTabChangesFocus(True)
        self.measure_edit.setPlaceholderText(tr("措施：怎么落实"))
        self.due_check = QCheckBox(self)
        self.due_check.setChecked(True)
        self.due_edit = TypedDateEdit(self)
        self.due_edit.setDate(qdate(today + dt.timedelta(days=DEFAULT_DAYS)))
        self.due_check.toggled.connect(self.due_edit.setEnabled)
        due = QHBoxLayout()
        due.addWidget(self.due_check)
        due.addWidget(self.due_edit)
        due.addStretch(1)
        self.form.addRow(tr("责任事项"), self.title_edit)
        self.form.addRow(tr("责任人员"), self.owner_combo)
        self.form.addRow(tr("工作措施"), self.measure_edit)
        self.form.addRow(tr("完成时限"), due)
        self.name_field("title", self.title_edit)
        self.name_field("owner_id", self.owner_combo)
        self.name_field("due_on", self.due_edit)
        if line is not None:
            self.title_edit.setText(line.title)
            self.measure_edit.setPlainText(line.detail)
            self.due_check.setChecked(line.due_on is not None)
            if line.due_on is not None:
                self.due_edit.setDate(qdate(line.due_on))
        self.save_button.setEnabled(False)
        tasks, task_id = services.tasks, line.id if line else None
        runner.submit(
            lambda _token: (tasks.assignable_members(task_id), tasks.current_member_id()),
            self._on_members_loaded,
            self.on_failed,
            owner=self,
        )

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        due = self.due_edit.date().toPython() if self.due_check.isChecked() else None
        assert due is None or isinstance(due, dt.date)
        draft = TaskDraft(
            self.title_edit.text(),
            self.owner_combo.currentData(),
            due,
            self.measure_edit.toPlainText(),
        )
        tasks, project_id, line = self._services.tasks, self._project_id, self._line

        def work(_token: CancelToken) -> str:
            if line is None:
                return tasks.create(draft, project_id=project_id)
            tasks.update(line.id, draft)
            return line.id

        self.submit(work, self._on_saved)

    def _on_members_loaded(self, loaded: tuple[tuple[MemberChoice, ...], str | None]) -> None:
        members, me = loaded
        for member in members:
            self.owner_combo.addItem(member.name, member.id)
        owner = self._line.owner_id if self._line else me
        self.owner_combo.setCurrentIndex(max(0, self.owner_combo.findData(owner)))
        self.save_button.setEnabled(True)
        self.title_edit.setFocus()
        self.form_loaded.emit()

    def _on_saved(self, task_id: str) -> None:
        self.line_saved.emit(task_id)
        self.accept()
