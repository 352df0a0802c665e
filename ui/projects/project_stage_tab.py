"""阶段: the dated stage history with who moved the project, and 推进阶段…."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import tr
from app.services.project_views import ProjectDetail
from ui.projects.project_tables import HISTORY_COLUMNS, detail_table
from ui.widgets.record_table_model import RecordTableModel


class ProjectStageTab(QWidget):
    move_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history_model = RecordTableModel(HISTORY_COLUMNS, self)
        self.history_table = detail_table(self.history_model, self, (130, 140, 90))
        self.moves_label = QLabel(self)
        self.moves_label.setStyleSheet("color: #5f6b7a;")
        self.moves_label.setWordWrap(True)
        self.move_button = QPushButton(tr("推进阶段…"), self)
        self.move_button.setToolTip(tr("把项目推进到下一阶段，或转为解约、暂缓"))
        self.move_button.clicked.connect(self.move_requested)
        row = QHBoxLayout()
        row.addWidget(self.moves_label, 1)
        row.addWidget(self.move_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.history_table, 1)

    def show_detail(self, detail: ProjectDetail) -> None:
        self.history_model.set_rows(detail.stage_history)
        self.move_button.setEnabled(bool(detail.allowed_moves))
        if detail.allowed_moves:
            self.moves_label.setText(
                tr(
                    "可推进到：{stages}",
                    stages=tr("、").join(s.label for s in detail.allowed_moves),
                )
            )
        else:
            self.moves_label.setText(tr("项目已到“{stage}”，不能再推进", stage=detail.stage.label))
