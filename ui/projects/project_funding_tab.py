"""到资: the 实际到资 entries, their total and 到位率, with add / edit / remove and 到资凭证."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.errors import AppError
from app.i18n import tr
from app.services.project_views import FundingChange, FundingEntryView, ProjectDetail
from ui.formatting import format_money
from ui.projects.funding_dialog import FundingDialog
from ui.projects.project_overview_tab import format_rate
from ui.projects.project_tables import FUNDING_COLUMNS, detail_table
from ui.projects.stage_move_dialog import FileChooser, choose_file
from ui.task_runner import TaskRunner
from ui.widgets.message_bar import UndoMessageBar
from ui.widgets.record_table_model import RecordTableModel

if TYPE_CHECKING:
    from ui.projects.project_services import ProjectServices


class ProjectFundingTab(QWidget):
    """``funding_changed`` after any write; ``dialog_opened`` with each dialog (for tests)."""

    funding_changed = Signal()
    dialog_opened = Signal(object)

    def __init__(
        self, services: ProjectServices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._detail: ProjectDetail | None = None
        self.choose_file: FileChooser = choose_file
        self.model = RecordTableModel(FUNDING_COLUMNS, self)
        self.table = detail_table(self.model, self, (130, 110, 160))
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.total_label = QLabel(self)
        self.total_label.setStyleSheet("font-weight: 600;")
        self.notice_label = QLabel(self)
        self.notice_label.setWordWrap(True)
        self.notice_label.setStyleSheet("color: #8a5a00;")
        self.notice_label.hide()
        self.undo_bar = UndoMessageBar(self)
        self.undo_bar.undo_clicked.connect(self._on_undo_clicked)
        self.add_button = QPushButton(tr("添加到资…"), self)
        self.add_button.clicked.connect(self.add_entry)
        self.edit_button = QPushButton(tr("修改…"), self)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button = QPushButton(tr("删除"), self)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.proof_button = QPushButton(tr("添加到资凭证…"), self)
        self.proof_button.setToolTip(tr("为所选到资记录上传凭证（银行回单等）"))
        self.proof_button.clicked.connect(self._on_proof_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.total_label, 1)
        for button in (self.add_button, self.edit_button, self.remove_button, self.proof_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.table, 1)

    def show_detail(self, detail: ProjectDetail) -> None:
        if self._detail is None or self._detail.id != detail.id:
            self.notice_label.hide()
        self._detail = detail
        self.model.set_rows(detail.funding)
        text = tr(
            "实际到资累计：{total}（{count} 笔）",
            total=format_money(detail.funded_total),
            count=len(detail.funding),
        )
        if detail.contract_amount is not None:
            text = tr(
                "{text}；合同投资额 {contract}，到位率 {rate}",
                text=text,
                contract=format_money(detail.contract_amount),
                rate=format_rate(detail.funding_rate),
            )
        self.total_label.setText(text)

    def selected_entry(self) -> FundingEntryView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def add_entry(self) -> None:
        self._open(None)

    def edit_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self._open(entry)

    def _open(self, entry: FundingEntryView | None) -> None:
        if self._detail is None:
            return
        dialog = FundingDialog(self._services, self._runner, self._detail, entry, self)
        dialog.choose_file = self.choose_file
        dialog.funding_saved.connect(self._on_funding_saved)
        dialog.setModal(True)
        dialog.show()
        self.dialog_opened.emit(dialog)

    def _on_remove_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        funding = self._services.funding

        def on_removed(change: FundingChange) -> None:
            self.undo_bar.show_undo(
                tr("已删除一笔到资记录（{amount}）", amount=format_money(entry.amount)), entry.id
            )
            self._on_funding_saved(change)

        self._runner.submit(
            lambda _token: funding.remove(entry.id), on_removed, self._on_failed, owner=self
        )

    def _on_undo_clicked(self, entry_id: str) -> None:
        funding = self._services.funding
        self._runner.submit(
            lambda _token: funding.restore(entry_id),
            self._on_funding_saved,
            self._on_failed,
            owner=self,
        )

    def _on_proof_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self._show_notice(tr("请先选中一笔到资记录"))
            return
        path = self.choose_file(self, tr("选择到资凭证文件"))
        if path is None:
            return
        funding = self._services.funding
        self._runner.submit(
            lambda _token: funding.attach_proof(entry.id, path),
            lambda _none: self.funding_changed.emit(),
            self._on_failed,
            owner=self,
        )

    def _on_funding_saved(self, change: FundingChange) -> None:
        if change.notice:
            self._show_notice(change.notice)
        else:
            self.notice_label.hide()
        self.funding_changed.emit()

    def _show_notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self.notice_label.show()

    def _on_failed(self, error: AppError) -> None:
        self._show_notice(error.message)
