"""添加目标企业: pick an enterprise (the visit form's picker: any part of the name, pinyin
initials or USCC) and, optionally, a note; saved as a target of the link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget

from app.domain.chain import NOTE_LIMIT
from app.domain.errors import ValidationError
from app.i18n import tr
from app.services.visit_views import EnterpriseChoice
from ui.chains.chain_dialogs import SavingDialog
from ui.chains.chain_services import ChainServices
from ui.task_runner import CancelToken, TaskRunner
from ui.visits.enterprise_picker import EnterprisePicker


class AddTargetDialog(SavingDialog):
    """``saved(enterprise_id)`` once the enterprise is a target of the link."""

    def __init__(
        self,
        services: ChainServices,
        runner: TaskRunner,
        link_id: str,
        link_label: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, tr("添加目标企业 — {link}", link=link_label), parent)
        self.setMinimumWidth(560)
        self._editing = services.editing
        self._link_id = link_id
        self.enterprise = EnterprisePicker(services.choices, runner, self)
        self.enterprise.problem_found.connect(self._on_enterprise_problem_found)
        self.note = QLineEdit(self)
        self.note.setMaxLength(NOTE_LIMIT)
        self.note.setPlaceholderText(tr("如：龙头企业，重点跟踪其扩产计划"))
        self.form.addRow(tr("企业"), self.enterprise)
        self.form.addRow(tr("备注"), self.note)

    @property
    def chosen(self) -> EnterpriseChoice | None:
        return self.enterprise.chosen

    def work(self) -> Callable[[CancelToken], Any]:
        chosen, editing, link_id, note = (
            self.enterprise.chosen,
            self._editing,
            self._link_id,
            self.note.text(),
        )

        def add(_token: CancelToken) -> str:
            if chosen is None:
                raise ValidationError("enterprise_id", tr("请先从候选列表中选择企业"))
            editing.add_target(link_id, chosen.id, note)
            return chosen.id

        return add

    def _on_enterprise_problem_found(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.setVisible(bool(message))
