"""以前的导入: the enterprise-list imports this computer can still undo, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import mark, tr
from app.services.enterprise_import_views import ImportRecord, UndoImportResult
from ui.formatting import format_date
from ui.task_runner import TaskRunner
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordColumn, RecordTableModel

if TYPE_CHECKING:
    from app.services.enterprise_import import EnterpriseImportService


def imported_at_text(record: ImportRecord) -> str:
    local = record.imported_at.astimezone()
    return f"{format_date(local.date())} {local:%H:%M}"


COLUMNS = (
    RecordColumn(mark("导入时间"), imported_at_text),
    RecordColumn(mark("文件"), lambda r: r.file_name),
    RecordColumn(mark("新增企业"), lambda r: f"{r.created:,}"),
    RecordColumn(mark("更新企业"), lambda r: f"{r.updated:,}"),
)


class ImportHistoryDialog(QDialog):
    """Lists past imports; 撤销所选导入 undoes one on the task runner."""

    import_undone = Signal(str)  # the message shown
    records_loaded = Signal()

    def __init__(
        self,
        service: EnterpriseImportService,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("以前的导入"))
        self.resize(640, 360)
        self._service = service
        self._runner = runner
        intro = QLabel(
            tr(
                "撤销一次导入：删除它新建、之后没有再修改或添加记录的企业，"
                "并把它更新过的字段恢复为原来的值。"
            ),
            self,
        )
        intro.setWordWrap(True)
        self.model = RecordTableModel(COLUMNS, self)
        self.table = list_table(self.model, self, widths=(140, 260, 90))
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.undo_button = QPushButton(tr("撤销所选导入"), self)
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.reload()

    def reload(self) -> None:
        service = self._service
        self._runner.submit(
            lambda _token: service.recent_imports(),
            on_success=self._on_records_loaded,
            on_failure=self._on_failed,
            owner=self,
        )

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _on_records_loaded(self, records: tuple[ImportRecord, ...]) -> None:
        self.model.set_rows(records)
        if not records:
            self.message.setText(tr("没有可以撤销的导入"))
        self._on_selection_changed()
        self.records_loaded.emit()

    def _on_selection_changed(self) -> None:
        self.undo_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _on_undo_button_clicked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        record: ImportRecord = self.model.row_at(rows[0].row())
        self.undo_button.setEnabled(False)
        self.message.setText(tr("正在撤销…"))
        service = self._service
        self._runner.submit(
            lambda _token: service.undo(record.receipt_id),
            on_success=self._on_undone,
            on_failure=self._on_failed,
            owner=self,
        )

    def _on_undone(self, result: UndoImportResult) -> None:
        self.message.setText(result.message)
        self.import_undone.emit(result.message)
        self.reload()

    def _on_failed(self, error: AppError) -> None:
        self.message.setText(str(error))
        self._on_selection_changed()
