"""The visit form's enterprise field: type any part of the name, pinyin initials or a USCC."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.domain.errors import AppError
from app.i18n import tr
from app.services.visit_views import EnterpriseChoice
from ui.task_runner import CancelToken, TaskRunner
from ui.visits.choice_line_edit import Choice, ChoiceLineEdit

if TYPE_CHECKING:
    from app.services.visit_choices import VisitChoices


class EnterprisePicker(ChoiceLineEdit):
    """Queries on the task runner as the text settles; ``enterprise_chosen`` on a pick.

    Leaving the field with text that is not a picked enterprise puts the chosen name back (or,
    with none chosen yet, reports ``problem_found`` so the form can say what to do).
    """

    enterprise_chosen = Signal(object)  # EnterpriseChoice
    problem_found = Signal(str)

    def __init__(
        self, choices: VisitChoices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, advance_on_pick=True)
        self._choices = choices
        self._runner = runner
        self._token: CancelToken | None = None
        self._chosen: EnterpriseChoice | None = None
        self.setPlaceholderText(tr("输入企业名称任意部分、拼音首字母或统一社会信用代码"))
        self.text_settled.connect(self._on_self_text_settled)
        self.choice_picked.connect(self._on_self_choice_picked)
        self.focus_left.connect(self._on_self_focus_left)

    @property
    def chosen(self) -> EnterpriseChoice | None:
        return self._chosen

    def set_chosen(self, enterprise: EnterpriseChoice | None) -> None:
        self._chosen = enterprise
        self.setText(enterprise.name if enterprise else "")

    def _on_self_text_settled(self, text: str) -> None:
        if self._token is not None:
            self._token.cancel()
        if not text.strip():
            self.hide_choices()
            return
        choices = self._choices
        self._token = self._runner.submit(
            lambda _token: choices.enterprises(text),
            on_success=lambda found: self._on_enterprises_found(text, found),
            on_failure=self._on_query_failed,
            owner=self,
        )

    def _on_enterprises_found(self, text: str, found: tuple[EnterpriseChoice, ...]) -> None:
        if text != self.text():
            return  # typed on (a newer query is coming) or picked meanwhile
        self.show_choices(
            [
                Choice(e.id, e.name, "  ".join(p for p in (e.region_name, e.uscc) if p), payload=e)
                for e in found
            ]
        )
        if not found:
            self.problem_found.emit(tr("没有找到匹配的企业"))
        else:
            self.problem_found.emit("")

    def _on_query_failed(self, error: AppError) -> None:
        self.problem_found.emit(error.message)

    def _on_self_choice_picked(self, choice: Choice) -> None:
        enterprise: EnterpriseChoice = choice.payload
        if self._token is not None:
            self._token.cancel()
        self._chosen = enterprise
        self.problem_found.emit("")
        self.enterprise_chosen.emit(enterprise)

    def _on_self_focus_left(self) -> None:
        if self._chosen is not None:
            if self.text() != self._chosen.name:
                self.setText(self._chosen.name)
            return
        if self.text().strip():
            self.problem_found.emit(tr("请从候选列表中选择企业（上下键选择，回车确认）"))
