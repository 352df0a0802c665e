"""The right side of the projects page: one project in tabs (概况, 阶段, 证据, 到资, 责任清单,
承诺与诉求) with its actions. Every write ends in ``project_changed``; the page then reloads the
list and this panel together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import mark, tr
from app.services.project_views import ProjectDetail
from ui.projects.project_editor_dialog import ProjectEditorDialog
from ui.projects.project_evidence_tab import ProjectEvidenceTab
from ui.projects.project_followup_tab import ProjectFollowupTab
from ui.projects.project_funding_tab import ProjectFundingTab
from ui.projects.project_overview_tab import ProjectOverviewTab
from ui.projects.project_stage_tab import ProjectStageTab
from ui.projects.project_tasks_tab import ProjectTasksTab
from ui.projects.responsible_dialog import ResponsibleDialog
from ui.projects.stage_move_dialog import StageMoveDialog
from ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from ui.projects.project_services import ProjectServices

_PROMPT = mark("选择一个项目查看详情")


class ProjectDetailPanel(QWidget):
    detail_loaded = Signal(str)
    project_changed = Signal(str)
    history_requested = Signal(str, str)
    dialog_opened = Signal(object)

    def __init__(
        self, services: ProjectServices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._generation = 0
        self._detail: ProjectDetail | None = None

        self.title_label = QLabel(tr(_PROMPT), self)
        self.title_label.setStyleSheet("font-size: 15px; font-weight: 600; padding: 2px 0;")
        self.title_label.setWordWrap(True)
        self.stage_label = QLabel(self)
        self.stage_label.setStyleSheet(
            "background: #e8eef6; color: #2b4a6f; border-radius: 3px; padding: 2px 8px;"
        )
        self.edit_button = QPushButton(tr("编辑…"), self)
        self.edit_button.setToolTip(tr("编辑项目信息（F2）"))
        self.edit_button.clicked.connect(self.open_editor)
        self.responsible_button = QPushButton(tr("更换包抓责任人…"), self)
        self.responsible_button.clicked.connect(self.open_responsible)
        self.history_button = QPushButton(tr("变更历史…"), self)
        self.history_button.clicked.connect(self._on_history_clicked)

        self.overview = ProjectOverviewTab(self)
        self.stage_tab = ProjectStageTab(self)
        self.stage_tab.move_requested.connect(self.open_move)
        self.evidence_tab = ProjectEvidenceTab(services, runner, self)
        self.evidence_tab.evidence_changed.connect(self._on_changed)
        self.funding_tab = ProjectFundingTab(services, runner, self)
        self.funding_tab.funding_changed.connect(self._on_changed)
        self.funding_tab.dialog_opened.connect(self.dialog_opened)
        self.tasks_tab = ProjectTasksTab(services, runner, self)
        self.tasks_tab.tasks_changed.connect(self._on_changed)
        self.tasks_tab.dialog_opened.connect(self.dialog_opened)
        self.followup_tab = ProjectFollowupTab(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.overview, tr("概况"))
        self.tabs.addTab(self.stage_tab, tr("阶段"))
        self.tabs.addTab(self.evidence_tab, tr("证据"))
        self.tabs.addTab(self.funding_tab, tr("到资"))
        self.tabs.addTab(self.tasks_tab, tr("责任清单"))
        self.tabs.addTab(self.followup_tab, tr("承诺与诉求"))

        header = QHBoxLayout()
        header.addWidget(self.title_label, 1)
        header.addWidget(self.stage_label)
        actions = QHBoxLayout()
        actions.addWidget(self.edit_button)
        actions.addWidget(self.responsible_button)
        actions.addStretch(1)
        actions.addWidget(self.history_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addLayout(header)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)
        self._set_enabled(False)

    @property
    def detail(self) -> ProjectDetail | None:
        return self._detail

    def show_project(self, project_id: str | None) -> None:
        """Read the project on the task runner and show it (None: show the prompt)."""
        self._generation += 1
        if project_id is None:
            self._detail = None
            self.title_label.setText(tr(_PROMPT))
            self.stage_label.hide()
            self._set_enabled(False)
            return
        generation, service = self._generation, self._services.detail

        def on_loaded(detail: ProjectDetail) -> None:
            if generation == self._generation:
                self._show(detail)

        self._runner.submit(
            lambda _token: service.detail(project_id), on_loaded, self._on_failed, owner=self
        )

    def open_editor(self) -> None:
        if self._detail is not None:
            dialog = ProjectEditorDialog(self._services, self._runner, self._detail, self)
            dialog.project_saved.connect(self._on_changed_id)
            self._open(dialog)

    def open_move(self) -> None:
        if self._detail is not None:
            dialog = StageMoveDialog(self._services, self._runner, self._detail, self)
            dialog.stage_moved.connect(self._on_changed_id)
            dialog.evidence_added.connect(lambda _kind: self._on_changed())
            self._open(dialog)

    def open_responsible(self) -> None:
        if self._detail is not None:
            dialog = ResponsibleDialog(self._services, self._runner, self._detail, self)
            dialog.responsible_changed.connect(self._on_changed_id)
            self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        dialog.setModal(True)
        dialog.show()
        self.dialog_opened.emit(dialog)

    def _show(self, detail: ProjectDetail) -> None:
        self._detail = detail
        self.title_label.setText(
            tr("{name}（{enterprise}）", name=detail.name, enterprise=detail.enterprise_name)
        )
        self.stage_label.setText(detail.stage.label)
        self.stage_label.show()
        for tab in (
            self.overview,
            self.stage_tab,
            self.evidence_tab,
            self.funding_tab,
            self.tasks_tab,
            self.followup_tab,
        ):
            tab.show_detail(detail)
        self._set_enabled(True)
        self.tabs.setTabText(
            5, tr("承诺与诉求（{count}）", count=len(detail.commitments) + len(detail.problems))
        )
        self.detail_loaded.emit(detail.id)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.edit_button, self.responsible_button, self.history_button, self.tabs):
            widget.setEnabled(enabled)

    def _on_changed(self) -> None:
        if self._detail is not None:
            self.project_changed.emit(self._detail.id)

    def _on_changed_id(self, project_id: str) -> None:
        self.project_changed.emit(project_id)

    def _on_history_clicked(self) -> None:
        if self._detail is not None:
            self.history_requested.emit("projects", self._detail.id)

    def _on_failed(self, error: AppError) -> None:
        self.title_label.setText(error.message)
