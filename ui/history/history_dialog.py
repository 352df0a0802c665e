"""历史记录: everything that happened to one record — a list (when, who, what) and the detail.

The dialog opens at once and reads the history on the task runner. Arrow keys move through the
list, the pane below shows the selected entry in full (long text compared side by side), Esc
closes. It deletes itself when closed.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import tr
from app.services.history import HistoryItem, HistoryService
from ui.history.history_detail import HistoryDetailView
from ui.history.history_model import Column, HistoryTableModel
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.list_table import list_table

PREFERRED_SIZE = (980, 660)
MUTED = "#5f6b7a"
ERROR = "#b3261e"


class HistoryDialog(QDialog):
    """The history of ``table``/``row_id``.

    ``title`` names the record ("华为技术有限公司"); when empty, the dialog looks the name up
    itself ("企业 · 华为技术有限公司") along with the history.
    """

    history_loaded = Signal(int)  # how many entries are listed
    history_failed = Signal(str)

    def __init__(
        self,
        service: HistoryService,
        runner: TaskRunner,
        table: str,
        row_id: str,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._table = table
        self._row_id = row_id
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._build()
        self._set_title(title)
        self._fit_to_screen()
        self._load(look_up_title=not title)

    # -- public ----------------------------------------------------------------------------------

    @property
    def model(self) -> HistoryTableModel:
        return self._model

    @property
    def record(self) -> tuple[str, str]:
        return self._table, self._row_id

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    # -- building --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = heading = QLabel(self)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        heading.setFont(font)
        heading.setStyleSheet("color: #2b4a6f;")
        heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel(tr("正在读取历史…"), self)
        self.status_label.setStyleSheet(f"color: {MUTED};")
        self._model = HistoryTableModel(self)
        self.table = list_table(
            self._model,
            self,
            widths={Column.WHEN: 170, Column.WHO: 130, Column.WHAT: 150},
        )
        self.table.setToolTip(tr("↑↓ 选择一条，下方显示详细修改"))
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.detail = HistoryDetailView(self)
        self.detail.set_placeholder(tr("正在读取历史…"))
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(tr("关闭"))
        close.setToolTip(tr("关闭 (Esc)"))
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

    def _fit_to_screen(self) -> None:
        width, height = PREFERRED_SIZE
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width() - 40)
            height = min(height, available.height() - 60)
        self.resize(width, height)

    def _set_title(self, title: str) -> None:
        text = tr("历史记录 · {title}", title=title) if title else tr("历史记录")
        self.setWindowTitle(text)
        self.heading.setText(text)

    def _load(self, *, look_up_title: bool) -> None:
        service, table, row_id = self._service, self._table, self._row_id

        def read(_token: CancelToken) -> tuple[str, tuple[HistoryItem, ...]]:
            title = service.title_of(table, row_id) if look_up_title else ""
            return title, service.for_record(table, row_id)

        self._runner.submit(
            read, on_success=self._on_history_read, on_failure=self._on_history_failed, owner=self
        )

    # -- handlers --------------------------------------------------------------------------------

    def _on_history_read(self, read: tuple[str, tuple[HistoryItem, ...]]) -> None:
        title, items = read
        if title:
            self._set_title(title)
        self._model.set_items(items)
        if items:
            self.status_label.setText(tr("共 {count} 条，最新的在前", count=len(items)))
            self.detail.set_placeholder(tr("选择一条查看详细修改"))
            self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.status_label.setText(tr("暂无修改记录"))
            self.detail.set_placeholder(
                tr("这条记录还没有修改记录。演示数据和首次同步下载的记录从下一次修改开始记录。")
            )
        self.history_loaded.emit(len(items))

    def _on_history_failed(self, error: AppError) -> None:
        self.status_label.setText(tr("未能读取历史：{reason}", reason=error.message))
        self.status_label.setStyleSheet(f"color: {ERROR};")
        self.detail.set_placeholder("")
        self.history_failed.emit(error.message)

    def _on_table_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.detail.show_item(self._model.item_at(rows[0].row()) if rows else None)
