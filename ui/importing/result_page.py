"""The last page of the import wizard: what was imported, and the rows that were not."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import mark, tr
from app.services.enterprise_import_views import ImportResult, RejectedRow
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordColumn, RecordTableModel


def _name_cell(result: ImportResult, row: RejectedRow) -> str:
    column = result.name_column
    if column is not None and column < len(row.cells) and row.cells[column]:
        return row.cells[column]
    return " · ".join(cell for cell in row.cells[:3] if cell)


class ResultPage(QWidget):
    export_requested = Signal()
    undo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(
            "background: #eef7ee; border-radius: 4px; padding: 10px; color: #1e4620;"
            " font-size: 14px;"
        )
        self.rejected_title = QLabel(self)
        self.rejected_title.setStyleSheet("color: #2b4a6f; font-weight: bold;")
        self._result: ImportResult | None = None
        columns = (
            RecordColumn(mark("行号"), lambda r: str(r.number)),
            RecordColumn(mark("企业名称"), self._name_of),
            RecordColumn(mark("原因"), lambda r: r.reason),
        )
        self.rejected_model = RecordTableModel(columns, self)
        self.rejected_table = list_table(
            self.rejected_model, self, widths=(60, 240), stretch_last=True
        )
        self.export_button = QPushButton(tr("导出未导入行…"), self)
        self.export_button.clicked.connect(self.export_requested)
        self.undo_button = QPushButton(tr("撤销本次导入"), self)
        self.undo_button.clicked.connect(self.undo_requested)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.rejected_title)
        layout.addWidget(self.rejected_table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def _name_of(self, row: RejectedRow) -> str:
        return _name_cell(self._result, row) if self._result is not None else ""

    def set_result(self, result: ImportResult) -> None:
        self._result = result
        text = tr(
            "已导入“{file}”：新增企业 {created} 家，更新已有企业 {updated} 家，"
            "跳过重复 {skipped} 家，未导入 {rejected} 行（用时 {seconds} 秒）。",
            file=result.file_name,
            created=f"{result.created:,}",
            updated=f"{result.updated:,}",
            skipped=f"{result.skipped:,}",
            rejected=f"{len(result.rejected):,}",
            seconds=f"{result.seconds:.1f}",
        )
        if result.unchanged:
            text += tr("另有 {count} 家已有企业无需更新。", count=f"{result.unchanged:,}")
        self.summary.setText(text)
        self.rejected_model.set_rows(result.rejected)
        has_rejected = bool(result.rejected)
        self.rejected_title.setText(
            tr("未导入的行（{count}），修改后可以再次导入：", count=len(result.rejected))
            if has_rejected
            else tr("所有非空行都已导入。")
        )
        self.rejected_table.setVisible(has_rejected)
        self.export_button.setEnabled(has_rejected)
        self.undo_button.setEnabled(result.receipt_id is not None)
        self.message.setText("")

    def set_message(self, text: str) -> None:
        self.message.setText(text)
