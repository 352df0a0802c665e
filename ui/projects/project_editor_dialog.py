"""新建项目 / 编辑项目: name, enterprise, squad, chain link, site, land (亩), 合同投资额 and 一期
(万元, or with 亿), content; a new project also gets its starting stage (线索 or 在谈) and date.

Amounts are parsed and checked on the task runner; a refused save names the field under the
form and puts the cursor in it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from app.domain.money import Money
from app.domain.project import (
    NAME_LIMIT,
    STARTING_STAGES,
    ProjectDraft,
    parse_mu,
    parse_optional_wan,
)
from app.domain.vocabulary import ProjectStage
from app.i18n import tr
from app.services.project_views import ProjectDetail, ProjectFormChoices
from app.services.visit_views import EnterpriseChoice
from ui.formatting import format_decimal, qdate
from ui.negotiations.typed_date_edit import TypedDateEdit
from ui.projects.dialog_frame import FormDialog
from ui.task_runner import CancelToken, TaskRunner
from ui.visits.enterprise_picker import EnterprisePicker

if TYPE_CHECKING:
    from ui.projects.project_services import ProjectServices


def _wan_text(amount: Money | None) -> str:
    return "" if amount is None else format_decimal(amount.wan)


class ProjectEditorDialog(FormDialog):
    """Creates a project (``project`` None) or edits one; ``project_saved`` carries its id."""

    project_saved = Signal(str)
    form_loaded = Signal()

    def __init__(
        self,
        services: ProjectServices,
        runner: TaskRunner,
        project: ProjectDetail | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = tr("新建项目") if project is None else tr("编辑项目")
        super().__init__(runner, title, parent)
        self._services = services
        self._project = project
        self.resize(600, 560)

        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(NAME_LIMIT)
        self.name_edit.setPlaceholderText(tr("如：年产 5 万吨碳纤维复合材料项目"))
        self.enterprise = EnterprisePicker(services.choices, runner, self)
        self.enterprise.problem_found.connect(self.show_error)
        self.squad_combo = QComboBox(self)
        self.link_combo = QComboBox(self)
        self.stage_combo = QComboBox(self)
        for stage in STARTING_STAGES:
            self.stage_combo.addItem(stage.label, stage.value)
        self.stage_date = TypedDateEdit(self)
        self.site_edit = QLineEdit(self)
        self.site_edit.setPlaceholderText(tr("如：高新区新材料产业园"))
        self.land_edit = QLineEdit(self)
        self.land_edit.setPlaceholderText(tr("亩，可不填"))
        self.contract_edit = QLineEdit(self)
        self.contract_edit.setPlaceholderText(tr("万元，如 50000 或 5亿"))
        self.phase1_edit = QLineEdit(self)
        self.phase1_edit.setPlaceholderText(tr("万元，不超过合同投资额"))
        self.content_edit = QPlainTextEdit(self)
        self.content_edit.setTabChangesFocus(True)
        self.content_edit.setPlaceholderText(tr("建设内容、产品、产能等"))

        self.form.addRow(tr("项目名称"), self.name_edit)
        self.form.addRow(tr("企业"), self.enterprise)
        if project is None:
            self.form.addRow(tr("起始阶段"), self.stage_combo)
            self.form.addRow(tr("阶段日期"), self.stage_date)
        self.form.addRow(tr("小分队"), self.squad_combo)
        self.form.addRow(tr("产业链环节"), self.link_combo)
        self.form.addRow(tr("项目选址"), self.site_edit)
        self.form.addRow(tr("用地（亩）"), self.land_edit)
        self.form.addRow(tr("合同投资额（万元）"), self.contract_edit)
        self.form.addRow(tr("一期投资（万元）"), self.phase1_edit)
        self.form.addRow(tr("建设内容"), self.content_edit)
        for field, widget in (
            ("name", self.name_edit),
            ("enterprise_id", self.enterprise),
            ("stage", self.stage_combo),
            ("stage_on", self.stage_date),
            ("squad_id", self.squad_combo),
            ("chain_link_id", self.link_combo),
            ("site", self.site_edit),
            ("land_mu", self.land_edit),
            ("contract_amount", self.contract_edit),
            ("phase1_amount", self.phase1_edit),
        ):
            self.name_field(field, widget)

        if project is not None:
            self.stage_combo.hide()
            self.stage_date.hide()
            self._fill(project)
        self.save_button.setEnabled(False)
        editing, project_id = services.editing, project.id if project else None
        runner.submit(
            lambda _token: editing.form_choices(project_id),
            self._on_choices_loaded,
            self.on_failed,
            owner=self,
        )

    def draft_text(self) -> tuple[str, str, str]:
        return self.land_edit.text(), self.contract_edit.text(), self.phase1_edit.text()

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        chosen = self.enterprise.chosen
        land, contract, phase1 = self.draft_text()
        name, content, site = (
            self.name_edit.text(),
            self.content_edit.toPlainText(),
            self.site_edit.text(),
        )
        squad_id, link_id = self.squad_combo.currentData(), self.link_combo.currentData()
        stage = ProjectStage(self.stage_combo.currentData())
        stage_on = self.stage_date.date().toPython()
        assert isinstance(stage_on, dt.date)
        editing, project = self._services.editing, self._project

        def work(_token: CancelToken) -> str:
            draft = ProjectDraft(
                name=name,
                enterprise_id=chosen.id if chosen else None,
                squad_id=squad_id or None,
                chain_link_id=link_id or None,
                content=content,
                site=site,
                land_mu=parse_mu(land),
                contract_amount=parse_optional_wan(contract, "contract_amount"),
                phase1_amount=parse_optional_wan(phase1, "phase1_amount"),
            )
            if project is None:
                return editing.create(draft, stage=stage, stage_on=stage_on)
            editing.update(project.id, draft)
            return project.id

        self.submit(work, self._on_saved)

    def _fill(self, project: ProjectDetail) -> None:
        self.name_edit.setText(project.name)
        self.enterprise.set_chosen(
            EnterpriseChoice(project.enterprise_id, project.enterprise_name, "", "")
        )
        self.site_edit.setText(project.site)
        self.land_edit.setText(format_decimal(project.land_mu))
        self.contract_edit.setText(_wan_text(project.contract_amount))
        self.phase1_edit.setText(_wan_text(project.phase1_amount))
        self.content_edit.setPlainText(project.content)

    def _on_choices_loaded(self, choices: ProjectFormChoices) -> None:
        self.squad_combo.addItem(tr("（未指定）"), "")
        for squad in choices.squads:
            self.squad_combo.addItem(squad.name, squad.id)
        self.link_combo.addItem(tr("（不关联产业链）"), "")
        for link in choices.chain_links:
            self.link_combo.addItem(link.name, link.id)
        project = self._project
        squad_id = project.squad_id if project else choices.current_squad_id
        self.squad_combo.setCurrentIndex(max(0, self.squad_combo.findData(squad_id or "")))
        link_id = project.chain_link_id if project else None
        self.link_combo.setCurrentIndex(max(0, self.link_combo.findData(link_id or "")))
        self.stage_date.setDate(qdate(choices.today))
        self.stage_date.setMaximumDate(qdate(choices.today))
        self.save_button.setEnabled(True)
        self.name_edit.setFocus()
        self.form_loaded.emit()

    def _on_saved(self, project_id: str) -> None:
        self.project_saved.emit(project_id)
        self.accept()
