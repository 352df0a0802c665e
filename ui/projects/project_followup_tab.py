"""承诺与诉求: the commitments made for the project and the problems it raised (read only; they
are kept in the commitments ledger and the problems list)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.i18n import tr
from app.services.project_views import ProjectDetail
from ui.projects.project_tables import COMMITMENT_COLUMNS, PROBLEM_COLUMNS, detail_table
from ui.widgets.record_table_model import RecordTableModel

_HEADING = "font-weight: 600; color: #2b4a6f; padding-top: 4px;"


class ProjectFollowupTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.commitment_model = RecordTableModel(COMMITMENT_COLUMNS, self)
        self.problem_model = RecordTableModel(PROBLEM_COLUMNS, self)
        self.commitments_label = QLabel(self)
        self.commitments_label.setStyleSheet(_HEADING)
        self.problems_label = QLabel(self)
        self.problems_label.setStyleSheet(_HEADING)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.commitments_label)
        layout.addWidget(detail_table(self.commitment_model, self, (260, 80, 150)), 1)
        layout.addWidget(self.problems_label)
        layout.addWidget(detail_table(self.problem_model, self, (200, 80, 120, 150, 70)), 1)

    def show_detail(self, detail: ProjectDetail) -> None:
        self.commitment_model.set_rows(detail.commitments)
        self.problem_model.set_rows(detail.problems)
        self.commitments_label.setText(
            tr("政策承诺（{count} 项）", count=len(detail.commitments))
            if detail.commitments
            else tr("政策承诺：暂无")
        )
        self.problems_label.setText(
            tr("企业诉求（{count} 项）", count=len(detail.problems))
            if detail.problems
            else tr("企业诉求：暂无")
        )
