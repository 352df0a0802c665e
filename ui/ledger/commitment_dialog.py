"""新增承诺 / 编辑承诺: a commitment entered directly in the ledger, or one being corrected.

The enterprise is picked as on the visit form (any part of the name, pinyin initials, USCC); the
project combo then offers that enterprise's projects. A commitment made in a negotiation round
keeps the round's enterprise and project (changed in the round itself).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from app.domain.ids import new_id
from app.domain.negotiation import CommitmentDraft
from app.i18n import tr
from app.services.commitment_ledger import CommitmentLedgerService
from app.services.commitment_ledger_views import LedgerDraft, LedgerEntry
from app.services.follow_up_ledgers import FormChoices
from ui.formatting import format_date, qdate
from ui.ledger.form_fields import EnterpriseProjectFields
from ui.ledger.ledger_form_dialog import LedgerFormDialog, fill_members
from ui.negotiations.typed_date_edit import TypedDateEdit
from ui.task_runner import TaskRunner

DEFAULT_DUE_DAYS = 30
"""A new commitment is due this many days after today unless the user says otherwise."""


class CommitmentDialog(LedgerFormDialog):
    """Adds a commitment (``commitment_id`` None) or edits one; ``saved`` carries its id."""

    def __init__(
        self,
        service: CommitmentLedgerService,
        runner: TaskRunner,
        commitment_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, parent)
        self._service = service
        self._commitment_id = commitment_id
        self._new_id = new_id()
        self.setWindowTitle(tr("新增承诺") if commitment_id is None else tr("编辑承诺"))
        self.resize(580, 320)

        self.places = EnterpriseProjectFields(
            service.enterprise_choices, service.projects_of, runner, self
        )
        self.enterprise_picker = self.places.picker
        self.project_combo = self.places.project_combo
        self.content_edit = QPlainTextEdit(self)
        self.content_edit.setTabChangesFocus(True)
        self.content_edit.setPlaceholderText(tr("承诺内容，如：协调 200 亩用地指标"))
        self.content_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.promiser_combo = QComboBox(self)
        self.due_edit = TypedDateEdit(self)
        self.source_label = QLabel(tr("直接录入"), self)
        self.source_label.setStyleSheet("color: #5f6b7a;")

        self.add_row(tr("企业"), "enterprise_id", self.enterprise_picker)
        self.add_row(tr("关联项目"), "project_id", self.project_combo)
        self.add_row(tr("承诺事项"), "content", self.content_edit)
        self.add_row(tr("承诺人"), "promised_by_id", self.promiser_combo)
        self.add_row(tr("兑现期限"), "due_on", self.due_edit)
        self.form.addRow(tr("来源"), self.source_label)
        self.enterprise_picker.problem_found.connect(self._on_picker_problem_found)

        self.load(
            lambda _token: (
                service.form_choices(commitment_id),
                service.entry(commitment_id) if commitment_id else None,
                service.today(),
            ),
            self._on_form_loaded,
        )

    def draft(self) -> LedgerDraft:
        due = self.due_edit.date().toPython()
        assert isinstance(due, dt.date)
        return LedgerDraft(
            enterprise_id=self.places.enterprise_id,
            project_id=self.places.project_id,
            commitment=CommitmentDraft(
                id=self._commitment_id or self._new_id,
                content=self.content_edit.toPlainText(),
                due_on=due,
                promised_by_id=self.promiser_combo.currentData() or None,
            ),
        )

    def save_work(self) -> Callable[[], str]:
        service, commitment_id, draft = self._service, self._commitment_id, self.draft()

        def work() -> str:
            if commitment_id is None:
                return service.add(draft)
            service.edit(commitment_id, draft)
            return commitment_id

        return work

    def _on_form_loaded(self, loaded: tuple[FormChoices, LedgerEntry | None, dt.date]) -> None:
        choices, entry, today = loaded
        fill_members(self.promiser_combo, choices, entry.promised_by_id if entry else None)
        if entry is None:
            self.due_edit.setDate(qdate(today + dt.timedelta(days=DEFAULT_DUE_DAYS)))
            self.enterprise_picker.setFocus()
            return
        self.places.set_enterprise(entry.enterprise_id, entry.enterprise_name, entry.project_id)
        self.content_edit.setPlainText(entry.content)
        self.due_edit.setDate(qdate(entry.due_on or today))
        if entry.negotiation_note_id is not None:
            self.places.set_locked(True, tr("这项承诺来自洽谈记录，企业和项目随洽谈记录"))
            held = format_date(entry.held_on) if entry.held_on else ""
            self.source_label.setText(
                tr("{source}（{date}）", source=entry.source, date=held) if held else entry.source
            )
        self.content_edit.setFocus()

    def _on_picker_problem_found(self, message: str) -> None:
        self.errors.show_text("enterprise_id", message)
