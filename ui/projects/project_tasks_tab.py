"""责任清单 (四个明确): 责任、人员、措施、时限 and 状态; add, edit, complete."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.errors import AppError
from app.domain.vocabulary import TaskStatus
from app.i18n import tr
from app.services.project_views import ProjectDetail, ResponsibilityView
from ui.projects.project_tables import TASK_COLUMNS, detail_table
from ui.projects.responsibility_dialog import ResponsibilityDialog
from ui.task_runner import TaskRunner
from ui.widgets.record_table_model import RecordTableModel

if TYPE_CHECKING:
    from ui.projects.project_services import ProjectServices


class ProjectTasksTab(QWidget):
    tasks_changed = Signal()
    dialog_opened = Signal(object)

    def __init__(
        self, services: ProjectServices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._detail: ProjectDetail | None = None
        self.model = RecordTableModel(TASK_COLUMNS, self)
        self.table = detail_table(self.model, self, (200, 70, 200, 120))
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.summary = QLabel(self)
        self.summary.setStyleSheet("color: #5f6b7a;")
        self.add_button = QPushButton(tr("添加责任事项…"), self)
        self.add_button.clicked.connect(lambda: self._open(None))
        self.edit_button = QPushButton(tr("修改…"), self)
        self.edit_button.clicked.connect(self.edit_selected)
        self.complete_button = QPushButton(tr("标为完成"), self)
        self.complete_button.clicked.connect(self._on_complete_clicked)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        for button in (self.add_button, self.edit_button, self.complete_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)

    def show_detail(self, detail: ProjectDetail) -> None:
        self._detail = detail
        self.model.set_rows(detail.tasks)
        open_lines = [t for t in detail.tasks if t.status is TaskStatus.OPEN]
        overdue = sum(1 for t in open_lines if t.overdue_days)
        self.summary.setText(
            tr(
                "责任、人员、措施、时限四个明确：待办 {open} 项，其中逾期 {overdue} 项",
                open=len(open_lines),
                overdue=overdue,
            )
            if detail.tasks
            else tr("还没有责任事项")
        )

    def selected_line(self) -> ResponsibilityView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def edit_selected(self) -> None:
        line = self.selected_line()
        if line is not None:
            self._open(line)

    def _open(self, line: ResponsibilityView | None) -> None:
        if self._detail is None:
            return
        dialog = ResponsibilityDialog(
            self._services, self._runner, self._detail.id, self._detail.today, line, self
        )
        dialog.line_saved.connect(lambda _id: self.tasks_changed.emit())
        dialog.setModal(True)
        dialog.show()
        self.dialog_opened.emit(dialog)

    def _on_complete_clicked(self) -> None:
        line = self.selected_line()
        if line is None or line.status is TaskStatus.DONE:
            return
        tasks = self._services.tasks
        self._runner.submit(
            lambda _token: tasks.complete(line.id),
            lambda _none: self.tasks_changed.emit(),
            self._on_failed,
            owner=self,
        )

    def _on_failed(self, error: AppError) -> None:
        self.summary.setText(error.message)
