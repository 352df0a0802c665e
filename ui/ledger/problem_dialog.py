"""登记诉求 / 编辑诉求: what the enterprise asked us to solve, who owns it and by when.

The enterprise is picked as on the visit form; the project combo then offers its projects. The
办结时限 may be 无期限; it cannot fall before the day the problem was raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from app.domain.problem import TITLE_LIMIT, ProblemDraft
from app.i18n import tr
from app.services.follow_up_ledgers import FormChoices
from app.services.problem_views import ProblemEntry
from app.services.problems import ProblemService
from ui.formatting import qdate
from ui.ledger.form_fields import EnterpriseProjectFields, OptionalDateEdit
from ui.ledger.ledger_form_dialog import LedgerFormDialog, fill_members
from ui.negotiations.typed_date_edit import TypedDateEdit
from ui.task_runner import TaskRunner

DEFAULT_DEADLINE_DAYS = 30
"""A new problem is to be closed within this many days unless the user says otherwise."""


class ProblemDialog(LedgerFormDialog):
    """Raises a problem (``problem_id`` None) or edits one; ``saved`` carries its id."""

    def __init__(
        self,
        service: ProblemService,
        runner: TaskRunner,
        problem_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, parent)
        self._service = service
        self._problem_id = problem_id
        self.setWindowTitle(tr("登记诉求") if problem_id is None else tr("编辑诉求"))
        self.resize(580, 480)

        self.places = EnterpriseProjectFields(
            service.enterprise_choices, service.projects_of, runner, self
        )
        self.enterprise_picker = self.places.picker
        self.project_combo = self.places.project_combo
        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(TITLE_LIMIT)
        self.title_edit.setPlaceholderText(tr("企业要解决什么，如：施工用电增容"))
        self.detail_edit = QPlainTextEdit(self)
        self.detail_edit.setTabChangesFocus(True)
        self.detail_edit.setPlaceholderText(tr("详细情况（可不填）"))
        self.raised_edit = TypedDateEdit(self)
        self.owner_combo = QComboBox(self)
        self.deadline_edit = OptionalDateEdit(self)

        self.add_row(tr("企业"), "enterprise_id", self.enterprise_picker)
        self.add_row(tr("关联项目"), "project_id", self.project_combo)
        self.add_row(tr("诉求"), "title", self.title_edit)
        self.add_row(tr("详细情况"), "detail", self.detail_edit)
        self.add_row(tr("提出日期"), "raised_on", self.raised_edit)
        self.add_row(tr("负责人"), "owner_id", self.owner_combo)
        self.add_row(tr("办结时限"), "deadline", self.deadline_edit)
        self.enterprise_picker.problem_found.connect(self._on_picker_problem_found)

        self.load(
            lambda _token: (
                service.form_choices(problem_id),
                service.entry(problem_id) if problem_id else None,
                service.today(),
            ),
            self._on_form_loaded,
        )

    def draft(self) -> ProblemDraft:
        raised = self.raised_edit.date().toPython()
        assert isinstance(raised, dt.date)
        return ProblemDraft(
            enterprise_id=self.places.enterprise_id,
            project_id=self.places.project_id,
            title=self.title_edit.text(),
            detail=self.detail_edit.toPlainText(),
            raised_on=raised,
            owner_id=self.owner_combo.currentData() or None,
            deadline=self.deadline_edit.value(),
        )

    def save_work(self) -> Callable[[], str]:
        service, problem_id, draft = self._service, self._problem_id, self.draft()

        def work() -> str:
            if problem_id is None:
                return service.add(draft)
            service.edit(problem_id, draft)
            return problem_id

        return work

    def _on_form_loaded(self, loaded: tuple[FormChoices, ProblemEntry | None, dt.date]) -> None:
        choices, entry, today = loaded
        fill_members(self.owner_combo, choices, entry.owner_id if entry else None)
        if entry is None:
            self.raised_edit.setDate(qdate(today))
            self.deadline_edit.set_value(today + dt.timedelta(days=DEFAULT_DEADLINE_DAYS))
            self.enterprise_picker.setFocus()
            return
        self.places.set_enterprise(entry.enterprise_id, entry.enterprise_name, entry.project_id)
        self.title_edit.setText(entry.title)
        self.detail_edit.setPlainText(entry.detail)
        self.raised_edit.setDate(qdate(entry.raised_on))
        self.deadline_edit.set_value(
            entry.deadline, entry.raised_on + dt.timedelta(days=DEFAULT_DEADLINE_DAYS)
        )
        self.title_edit.setFocus()

    def _on_picker_problem_found(self, message: str) -> None:
        self.errors.show_text("enterprise_id", message)
