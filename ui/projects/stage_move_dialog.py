"""推进阶段: the target stage (only the moves the rules allow), its date and a note (解约 needs
one). A move refused for missing evidence shows the bureau's message and, for each missing
kind, an 上传… button right there; once the files are in, the same 确定 goes through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.domain.bureau_rules import MissingEvidence
from app.domain.errors import AppError
from app.domain.project import MissingEvidenceError
from app.domain.vocabulary import AttachmentKind, ProjectStage
from app.i18n import tr
from app.services.attachments import AttachmentView
from app.services.project_views import ProjectDetail
from ui.formatting import format_date, qdate
from ui.negotiations.typed_date_edit import TypedDateEdit
from ui.projects.dialog_frame import FormDialog
from ui.task_runner import CancelToken, TaskRunner

if TYPE_CHECKING:
    from ui.projects.project_services import ProjectServices

FileChooser = Callable[[QWidget, str], Path | None]


def choose_file(parent: QWidget, title: str) -> Path | None:
    """Ask for one file (the tests put their own chooser in its place)."""
    name, _filter = QFileDialog.getOpenFileName(parent, title)
    return Path(name) if name else None


class StageMoveDialog(FormDialog):
    """Moves one project; ``stage_moved`` carries the project id once the move is saved."""

    stage_moved = Signal(str)
    evidence_added = Signal(str)  # the kind's value

    def __init__(
        self,
        services: ProjectServices,
        runner: TaskRunner,
        project: ProjectDetail,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner, tr("推进阶段 — {name}", name=project.name), parent, save=tr("确定")
        )
        self._services = services
        self._project = project
        self.choose_file: FileChooser = choose_file
        self.resize(520, 340)

        self.current_label = QLabel(
            tr(
                "当前阶段：{stage}（{date}）",
                stage=project.stage.label,
                date=format_date(project.stage_on) or tr("日期未记录"),
            ),
            self,
        )
        self.target_combo = QComboBox(self)
        for stage in project.allowed_moves:
            self.target_combo.addItem(stage.label, stage.value)
        self.date_edit = TypedDateEdit(self)
        self.date_edit.setDate(qdate(project.today))
        self.date_edit.setMaximumDate(qdate(project.today))
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlaceholderText(tr("说明（解约须写明原因）"))
        self.note_edit.setMaximumHeight(90)
        self.form.addRow(self.current_label)
        self.form.addRow(tr("推进到"), self.target_combo)
        self.form.addRow(tr("日期"), self.date_edit)
        self.form.addRow(tr("说明"), self.note_edit)
        self.name_field("stage", self.target_combo)
        self.name_field("changed_on", self.date_edit)
        self.name_field("note", self.note_edit)

        self.upload_row = QHBoxLayout()
        self.upload_buttons: dict[AttachmentKind, QPushButton] = {}
        self.body.insertLayout(2, self.upload_row)
        if not project.allowed_moves:
            self.show_error(tr("项目已到“{stage}”，不能再推进", stage=project.stage.label))
            self.save_button.setEnabled(False)

    def target(self) -> ProjectStage:
        return ProjectStage(self.target_combo.currentData())

    def save(self) -> None:
        if not self._project.allowed_moves:
            return
        pipeline, project_id = self._services.pipeline, self._project.id
        target, note = self.target(), self.note_edit.toPlainText()
        on = self.date_edit.date().toPython()
        assert isinstance(on, dt.date)
        self.submit(lambda _token: pipeline.move(project_id, target, on, note), self._on_moved)

    def attach(self, kind: AttachmentKind, path: Path) -> None:
        """Upload ``path`` as evidence of ``kind`` (what an 上传… button does after its file
        dialog)."""
        pipeline, project_id = self._services.pipeline, self._project.id

        def work(_token: CancelToken) -> AttachmentView:
            return pipeline.add_evidence(project_id, kind, path)

        self._runner.submit(
            work, lambda _view: self._on_evidence_added(kind), self.on_failed, owner=self
        )

    def on_failed(self, error: AppError) -> None:
        super().on_failed(error)
        self._clear_uploads()
        if isinstance(error, MissingEvidenceError):
            self._offer_uploads(error.missing)

    def _offer_uploads(self, missing: tuple[MissingEvidence, ...]) -> None:
        kinds = list(dict.fromkeys(need.kind for need in missing))
        self.upload_row.addWidget(QLabel(tr("上传证据："), self))
        for kind in kinds:
            button = QPushButton(tr("{kind}…", kind=kind.label), self)
            button.setAutoDefault(False)
            button.setToolTip(tr("选择文件作为“{kind}”上传到该项目", kind=kind.label))
            button.clicked.connect(lambda _checked=False, k=kind: self._on_upload_clicked(k))
            self.upload_row.addWidget(button)
            self.upload_buttons[kind] = button
        self.upload_row.addStretch(1)

    def _clear_uploads(self) -> None:
        while self.upload_row.count():
            item = self.upload_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.upload_buttons.clear()

    def _on_upload_clicked(self, kind: AttachmentKind) -> None:
        path = self.choose_file(self, tr("选择“{kind}”文件", kind=kind.label))
        if path is not None:
            self.attach(kind, path)

    def _on_evidence_added(self, kind: AttachmentKind) -> None:
        button = self.upload_buttons.get(kind)
        if button is not None:
            button.setText(tr("✔ {kind}", kind=kind.label))
            button.setEnabled(False)
        if all(not b.isEnabled() for b in self.upload_buttons.values()):
            self.show_error(tr("证据已上传，请点“确定”推进阶段"))
        self.evidence_added.emit(kind.value)

    def _on_moved(self, _change_id: str) -> None:
        self.stage_moved.emit(self._project.id)
        self.accept()
