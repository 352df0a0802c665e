"""Changes the server refused (被拒的修改): kept on this laptop with the reason, offered for
retry one by one (重试) or all at once (全部重试)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.errors import AppError
from app.i18n import mark, tr
from ui.sync.sync_times import short_time
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordColumn, RecordTableModel

if TYPE_CHECKING:
    from app.services.rejected_changes import RejectedItem

_OPERATIONS = {"insert": mark("新建"), "patch": mark("修改"), "delete": mark("删除")}


class RejectedServiceLike(Protocol):
    def items(self) -> list[RejectedItem]: ...
    def retry(self, change_id: str) -> None: ...
    def retry_all(self) -> int: ...


def _operation(item: RejectedItem) -> str:
    source = _OPERATIONS.get(item.op)
    return tr(source) if source else item.op


COLUMNS = (
    RecordColumn(mark("记录"), lambda item: item.record_label),
    RecordColumn(mark("操作"), _operation),
    RecordColumn(mark("内容"), lambda item: item.summary),
    RecordColumn(mark("被拒原因"), lambda item: item.reason),
    RecordColumn(mark("时间"), lambda item: short_time(item.rejected_at)),
)
_WIDTHS = (220, 60, 300, 380)


class RejectedView(QWidget):
    list_loaded = Signal(int)
    retried = Signal()

    def __init__(
        self, service: RejectedServiceLike, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._keep_row = 0
        self.model = RecordTableModel(COLUMNS, self)
        self.table = list_table(self.model, self, widths=_WIDTHS)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        explanation = QLabel(
            tr(
                "服务器没有接受这些修改，它们仍完整地保存在本机。"
                "按原因处理后（例如补全引用的记录、请组长调整权限），点重试在下次同步时重新上传。"
            ),
            self,
        )
        explanation.setWordWrap(True)
        explanation.setStyleSheet("color: #5f6b7a;")
        self.empty_label = QLabel(tr("没有被拒的修改"), self)
        self.empty_label.setStyleSheet("color: #7a8591;")
        self.message_label = QLabel(self)
        self.message_label.setStyleSheet("color: #5f6b7a;")
        self.retry_button = QPushButton(tr("重试"), self)
        self.retry_button.setToolTip(tr("把选中的修改放回待同步队列"))
        self.retry_button.clicked.connect(self._on_retry_button_clicked)
        self.retry_all_button = QPushButton(tr("全部重试"), self)
        self.retry_all_button.clicked.connect(self._on_retry_all_button_clicked)
        bar = QHBoxLayout()
        bar.addWidget(self.empty_label)
        bar.addWidget(self.message_label, 1)
        bar.addWidget(self.retry_button)
        bar.addWidget(self.retry_all_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        self._update_actions()

    def refresh(self) -> None:
        service = self._service
        self._submit(lambda _token: service.items(), self._on_items_loaded)

    def selected_item(self) -> RejectedItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    # -- handlers --------------------------------------------------------------------------------

    def _on_items_loaded(self, items: list[RejectedItem]) -> None:
        self.model.set_rows(items)
        if items:
            self.table.selectRow(min(self._keep_row, len(items) - 1))
        self._update_actions()
        self.list_loaded.emit(len(items))

    def _on_table_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        self._update_actions()

    def _on_retry_button_clicked(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        self._keep_row = self.table.selectionModel().selectedRows()[0].row()
        service, change_id = self._service, item.change_id
        message = tr("已放回待同步：{record}", record=item.record_label)
        self._retry(lambda _token: service.retry(change_id), lambda _result: message)

    def _on_retry_all_button_clicked(self) -> None:
        service = self._service
        self._keep_row = 0
        self._retry(
            lambda _token: service.retry_all(),
            lambda count: tr("已放回待同步 {count} 条修改", count=count),
        )

    # -- internals -------------------------------------------------------------------------------

    def _retry(self, work: Callable[[CancelToken], Any], message: Callable[[Any], str]) -> None:
        self.retry_button.setEnabled(False)
        self.retry_all_button.setEnabled(False)

        def on_success(result: Any) -> None:
            self.message_label.setText(message(result))
            self.retried.emit()
            self.refresh()

        self._submit(work, on_success)

    def _submit(
        self, work: Callable[[CancelToken], Any], on_success: Callable[[Any], None]
    ) -> None:
        def failure(error: AppError) -> None:
            self.message_label.setText(error.message)
            self._update_actions()

        self._runner.submit(work, on_success, failure, owner=self)

    def _update_actions(self) -> None:
        count = self.model.rowCount()
        self.empty_label.setVisible(count == 0)
        self.retry_button.setEnabled(self.selected_item() is not None)
        self.retry_all_button.setEnabled(count > 0)
