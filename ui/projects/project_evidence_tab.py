"""证据: per gate, the evidence kinds the bureau requires, each ✔ with its files or 缺; files are
attached by choosing or dropping them, as the kind picked beside the button."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.bureau_rules import EVIDENCE_KINDS
from app.domain.errors import AppError
from app.domain.vocabulary import AttachmentKind
from app.i18n import mark, tr
from app.services.project_views import EvidenceFile, EvidenceStatus, ProjectDetail
from ui.formatting import format_date
from ui.projects.project_tables import detail_table
from ui.projects.stage_move_dialog import FileChooser, choose_file
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.attachment_strip import copy_to_open
from ui.widgets.record_table_model import RecordColumn, RecordTableModel

if TYPE_CHECKING:
    from ui.projects.project_services import ProjectServices


@dataclass(frozen=True, slots=True)
class EvidenceLine:
    gate: str
    kind: str
    status: str
    file: EvidenceFile | None

    @property
    def id(self) -> str | None:
        return self.file.id if self.file else None


def _file_text(line: EvidenceLine) -> str:
    if line.file is None:
        return ""
    added = format_date(line.file.created_at.astimezone().date())
    return tr("{name}（{date}上传）", name=line.file.filename, date=added)


EVIDENCE_COLUMNS = (
    RecordColumn(mark("阶段"), lambda line: line.gate),
    RecordColumn(mark("证据"), lambda line: line.kind),
    RecordColumn(mark("状态"), lambda line: line.status),
    RecordColumn(mark("文件"), _file_text),
)


def evidence_lines(status: EvidenceStatus) -> tuple[EvidenceLine, ...]:
    lines: list[EvidenceLine] = []
    for gate in status.gates:
        label = gate.gate.label + (tr("（已到）") if gate.reached else "")
        if not gate.needs:
            lines.append(EvidenceLine(label, tr("无需证据"), "", None))
        for need in gate.needs:
            if not need.files:
                lines.append(EvidenceLine(label, need.kind.label, tr("✘ 缺"), None))
            for file in need.files:
                lines.append(EvidenceLine(label, need.kind.label, tr("✔ 已上传"), file))
    for file in status.other:
        lines.append(EvidenceLine(tr("其他"), file.kind.label, tr("✔ 已上传"), file))
    return tuple(lines)


class ProjectEvidenceTab(QWidget):
    """``evidence_changed`` after a file is attached or removed; Enter or a double-click on a
    file opens a copy of it with the system's viewer."""

    evidence_changed = Signal()

    def __init__(
        self, services: ProjectServices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._project_id: str | None = None
        self.choose_file: FileChooser = choose_file
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.setAcceptDrops(True)
        self.model = RecordTableModel(EVIDENCE_COLUMNS, self)
        self.table = detail_table(self.model, self, (110, 90, 80))
        self.table.activated.connect(self._on_table_activated)
        self.kind_combo = QComboBox(self)
        for kind in EVIDENCE_KINDS:
            self.kind_combo.addItem(kind.label, kind.value)
        self.upload_button = QPushButton(tr("上传证据…"), self)
        self.upload_button.clicked.connect(self._on_upload_clicked)
        self.remove_button = QPushButton(tr("移除所选文件"), self)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.message = QLabel(
            tr("也可把文件拖到这里，作为所选类型的证据上传；双击文件即可打开"), self
        )
        self.message.setStyleSheet("color: #5f6b7a;")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("证据类型"), self))
        row.addWidget(self.kind_combo)
        row.addWidget(self.upload_button)
        row.addStretch(1)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

    def show_detail(self, detail: ProjectDetail) -> None:
        self._project_id = detail.id
        self.model.set_rows(evidence_lines(detail.evidence))

    def kind(self) -> AttachmentKind:
        return AttachmentKind(self.kind_combo.currentData())

    def attach(self, paths: list[Path]) -> None:
        """Attach the files as evidence of the chosen kind."""
        project_id, kind, pipeline = self._project_id, self.kind(), self._services.pipeline
        if project_id is None or not paths:
            return

        def work(_token: CancelToken) -> int:
            for path in paths:
                pipeline.add_evidence(project_id, kind, path)
            return len(paths)

        self._runner.submit(work, self._on_attached, self._on_failed, owner=self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self._project_id is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.attach(paths)

    def _on_upload_clicked(self) -> None:
        path = self.choose_file(self, tr("选择“{kind}”文件", kind=self.kind().label))
        if path is not None:
            self.attach([path])

    def _on_remove_clicked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        line = self.model.row_at(rows[0].row()) if rows else None
        if line is None or line.file is None:
            self.message.setText(tr("请先选中一个已上传的文件"))
            return
        attachments, file = self._services.attachments, line.file
        self._runner.submit(
            lambda _token: attachments.remove(file.id),
            lambda _none: self._on_removed(file.filename),
            self._on_failed,
            owner=self,
        )

    def _on_table_activated(self, index: QModelIndex) -> None:
        line = self.model.row_at(index.row())
        if line is None or line.file is None:
            return
        name = line.file.filename
        source = self._services.attachments.path_of(line.file.sha256)

        def work(token: CancelToken) -> Path:
            if not source.is_file():
                raise AppError(tr("“{name}”还没有下载到本机，同步后即可打开", name=name))
            return copy_to_open(source, name, token)

        self._runner.submit(work, self._on_copy_made, self._on_failed, owner=self)

    def _on_copy_made(self, copy: Path) -> None:
        self.open_url(QUrl.fromLocalFile(str(copy)))

    def _on_attached(self, count: int) -> None:
        self.message.setText(tr("已上传 {count} 个文件", count=count))
        self.evidence_changed.emit()

    def _on_removed(self, name: str) -> None:
        self.message.setText(tr("已移除“{name}”", name=name))
        self.evidence_changed.emit()

    def _on_failed(self, error: AppError) -> None:
        self.message.setText(error.message)
