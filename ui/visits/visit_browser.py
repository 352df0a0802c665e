"""The visit list beside the selected visit's detail: filter as you type, delete with undo."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import tr
from app.services.visit_views import VisitDetail, VisitFilter
from ui.task_runner import CancelToken, TaskRunner
from ui.visits.visit_detail_view import VisitDetailView
from ui.visits.visit_list_model import Column, VisitListModel
from ui.widgets.filter_line_edit import FilterLineEdit
from ui.widgets.list_table import list_table
from ui.widgets.message_bar import UndoMessageBar
from ui.widgets.undoable_delete import UndoableDelete

if TYPE_CHECKING:
    from app.services.attachments import AttachmentService
    from app.services.visits import VisitService

_COLUMN_WIDTHS = {
    Column.DATE: 120,
    Column.ENTERPRISE: 230,
    Column.PLACE: 150,
    Column.PURPOSE: 260,
    Column.SQUAD: 110,
    Column.AUTHOR: 80,
}


class VisitBrowser(QWidget):
    """Lists visits (paged, newest first) beside the selected visit's detail.

    Enter or F2 on a row asks for the visit's form (``edit_requested``), as does 编辑.
    """

    enterprise_activated = Signal(str)
    list_loaded = Signal(int)
    visit_shown = Signal(str)
    edit_requested = Signal(str)
    history_requested = Signal(str, str)
    print_requested = Signal(str)  # visit id: its 拜访纪要

    def __init__(
        self,
        service: VisitService,
        attachments: AttachmentService,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._selected_id: str | None = None
        self._detail_token: CancelToken | None = None

        self._model = VisitListModel(service, runner, self)
        self._model.rows_loaded.connect(self._on_model_rows_loaded)
        self._model.load_failed.connect(self._on_action_failed)
        self._filter = FilterLineEdit(tr("筛选：企业名称、拜访目的、地点或洽谈内容"), self)
        self._filter.text_settled.connect(self._on_filter_text_settled)
        self._count = QLabel(tr("正在载入…"), self)
        self._count.setStyleSheet("color: #5f6b7a;")
        self._message_bar = UndoMessageBar(self)
        self._deletion = UndoableDelete(
            runner, self._message_bar, service.delete, service.restore, self
        )
        self._deletion.deleted.connect(self._on_visit_deleted)
        self._deletion.restored.connect(self._on_visit_restored)
        self._table = self._build_table()
        self._detail = VisitDetailView(attachments, runner, self)
        self._detail.delete_requested.connect(self._deletion.delete)
        self._detail.enterprise_activated.connect(self.enterprise_activated)
        self._detail.edit_requested.connect(self.edit_requested)
        self._detail.history_requested.connect(self.history_requested)
        self._detail.print_requested.connect(self.print_requested)

        filter_row = QHBoxLayout()
        filter_row.addWidget(self._filter, 1)
        filter_row.addWidget(self._count)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 4, 8)
        left_layout.addLayout(filter_row)
        left_layout.addWidget(self._message_bar)
        left_layout.addWidget(self._table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self._detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([760, 460])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # -- public ----------------------------------------------------------------------------------

    @property
    def model(self) -> VisitListModel:
        return self._model

    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def filter_edit(self) -> FilterLineEdit:
        return self._filter

    @property
    def count_label(self) -> QLabel:
        return self._count

    @property
    def detail_view(self) -> VisitDetailView:
        return self._detail

    @property
    def message_bar(self) -> UndoMessageBar:
        return self._message_bar

    def refresh(self) -> None:
        self._model.reload(keep_loaded=self._model.requested)
        if self._selected_id is not None:
            self._load_detail(self._selected_id)

    @property
    def selected_id(self) -> str | None:
        return self._selected_id

    def reload_list(self) -> None:
        self._model.reload(keep_loaded=True)

    def focus_table(self) -> None:
        self._table.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_filter(self) -> None:
        self._filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._filter.selectAll()

    def show_visit(self, visit_id: str) -> None:
        """Open this visit (selecting its row when it is in the list)."""
        self._selected_id = visit_id
        self._select_row_of(visit_id)
        self._load_detail(visit_id)

    # -- building --------------------------------------------------------------------------------

    def _build_table(self) -> QTableView:
        table = list_table(self._model, self, widths=_COLUMN_WIDTHS, show_grid=True)
        table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._on_delete_shortcut_activated)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            edit = QShortcut(QKeySequence(key), table)
            edit.setContext(Qt.ShortcutContext.WidgetShortcut)
            edit.activated.connect(self._on_edit_shortcut_activated)
        history = QShortcut(QKeySequence("Ctrl+H"), table)
        history.setContext(Qt.ShortcutContext.WidgetShortcut)
        history.activated.connect(self._on_history_shortcut_activated)
        return table

    def _on_history_shortcut_activated(self) -> None:
        if self._selected_id is not None:
            self.history_requested.emit("visits", self._selected_id)

    # -- list ------------------------------------------------------------------------------------

    def _on_filter_text_settled(self, text: str) -> None:
        self._model.set_filter(VisitFilter(text=text.strip()))

    def _on_model_rows_loaded(self, total: int) -> None:
        self._count.setText(tr("共 {count} 条拜访记录", count=f"{total:,}"))
        if self._selected_id is not None:
            self._select_row_of(self._selected_id)
        self.list_loaded.emit(total)

    def _select_row_of(self, visit_id: str) -> None:
        row = self._model.row_of(visit_id)
        selection = self._table.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        if selection.currentIndex().row() != row or not selection.hasSelection():
            self._table.selectRow(row)
        self._table.scrollTo(self._model.index(row, Column.DATE))

    def _on_table_selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        rows = {index.row() for index in selected.indexes()}
        if len(rows) != 1:
            return
        visit_id = self._model.row_at(rows.pop()).id
        if visit_id != self._selected_id or self._detail.visit is None:
            self._selected_id = visit_id
            self._load_detail(visit_id)

    # -- detail ----------------------------------------------------------------------------------

    def _load_detail(self, visit_id: str) -> None:
        if self._detail_token is not None:
            self._detail_token.cancel()
        self._detail.show_loading()
        service = self._service
        self._detail_token = self._runner.submit(
            lambda _token: service.detail(visit_id),
            on_success=self._on_detail_loaded,
            on_failure=self._on_action_failure,
            owner=self,
        )

    def _on_detail_loaded(self, visit: VisitDetail) -> None:
        if visit.id != self._selected_id:
            return
        if visit.deleted:
            self._detail.clear()
            return
        self._detail.show_visit(visit)
        self.visit_shown.emit(visit.id)

    # -- delete and undo -------------------------------------------------------------------------

    def _on_edit_shortcut_activated(self) -> None:
        index = self._table.selectionModel().currentIndex()
        if index.isValid():
            self.edit_requested.emit(self._model.row_at(index.row()).id)

    def _on_delete_shortcut_activated(self) -> None:
        visit = self._detail.visit
        if visit is not None and visit.id == self._selected_id:
            self._detail.request_delete()

    def _on_visit_deleted(self, visit_id: str) -> None:
        if self._selected_id == visit_id:
            self._selected_id = None
            self._detail.clear()
        self._model.reload(keep_loaded=True)

    def _on_visit_restored(self, visit_id: str) -> None:
        self._selected_id = visit_id
        self._model.reload(keep_loaded=True)
        self._load_detail(visit_id)

    # -- failures --------------------------------------------------------------------------------

    def _on_action_failure(self, error: AppError) -> None:
        self._on_action_failed(error.message)

    def _on_action_failed(self, message: str) -> None:
        self._message_bar.show_message(message)
