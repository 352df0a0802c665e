"""更换包抓责任人: a member of the project's squad, and a note on the handover."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from app.i18n import tr
from app.services.project_views import ProjectDetail, ProjectFormChoices
from ui.formatting import or_empty
from ui.projects.dialog_frame import FormDialog
from ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from ui.projects.project_services import ProjectServices


class ResponsibleDialog(FormDialog):
    """``responsible_changed`` carries the project id once the change is saved."""

    responsible_changed = Signal(str)
    form_loaded = Signal()

    def __init__(
        self,
        services: ProjectServices,
        runner: TaskRunner,
        project: ProjectDetail,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, tr("更换包抓责任人 — {name}", name=project.name), parent)
        self._services = services
        self._project = project
        self.resize(460, 260)
        self.member_combo = QComboBox(self)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlaceholderText(tr("交接说明，如：原责任人调任，已移交全部材料"))
        self.form.addRow(tr("现任"), QLabel(or_empty(project.responsible_name), self))
        self.form.addRow(tr("新的包抓责任人"), self.member_combo)
        self.form.addRow(tr("交接说明"), self.note_edit)
        self.name_field("responsible_id", self.member_combo)
        self.save_button.setEnabled(False)
        editing = services.editing
        runner.submit(
            lambda _token: editing.form_choices(project.id),
            self._on_choices_loaded,
            self.on_failed,
            owner=self,
        )

    def save(self) -> None:
        member_id = self.member_combo.currentData()
        if not member_id or not self.save_button.isEnabled():
            return
        editing, project_id, note = (
            self._services.editing,
            self._project.id,
            self.note_edit.toPlainText(),
        )
        self.submit(
            lambda _token: editing.change_responsible(project_id, member_id, note),
            lambda _none: self._on_saved(),
        )

    def _on_choices_loaded(self, choices: ProjectFormChoices) -> None:
        for member in choices.members:
            if member.id != self._project.responsible_id:
                label = member.name
                if member.squad_name:
                    label = tr("{name}（{squad}）", name=member.name, squad=member.squad_name)
                self.member_combo.addItem(label, member.id)
        self.save_button.setEnabled(self.member_combo.count() > 0)
        if self.member_combo.count() == 0:
            self.show_error(tr("本小分队没有其他队员可以接手"))
        self.member_combo.setFocus()
        self.form_loaded.emit()

    def _on_saved(self) -> None:
        self.responsible_changed.emit(self._project.id)
        self.accept()
