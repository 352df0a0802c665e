"""The enterprise library page (企业库): filter, list, and the selected enterprise's dossier."""

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
from app.services.enterprise_views import Dossier, EnterpriseFilter
from ui.enterprises.dossier_view import DossierView
from ui.enterprises.enterprise_list_model import Column, EnterpriseListModel
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.filter_line_edit import FilterLineEdit
from ui.widgets.list_table import list_table
from ui.widgets.message_bar import UndoMessageBar
from ui.widgets.undoable_delete import UndoableDelete

if TYPE_CHECKING:
    from app.services.enterprises import EnterpriseService

_COLUMN_WIDTHS = {
    Column.NAME: 250,
    Column.USCC: 170,
    Column.REGION: 130,
    Column.INDUSTRY: 150,
    Column.SQUAD: 110,
    Column.OWNER: 90,
    Column.LAST_VISIT: 120,
    Column.TAGS: 160,
}


class EnterprisePage(QWidget):
    """Lists enterprises (paged, filtered, sorted by the database) beside the dossier."""

    list_loaded = Signal(int)  # total matches, after each (re)load of the list
    dossier_shown = Signal(str)  # enterprise id
    visit_activated = Signal(str)

    def __init__(
        self, service: EnterpriseService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._selected_id: str | None = None
        self._dossier_token: CancelToken | None = None

        self._model = EnterpriseListModel(service, runner, self)
        self._model.rows_loaded.connect(self._on_model_rows_loaded)
        self._model.load_failed.connect(self._on_action_failed)

        self._filter = FilterLineEdit(tr("筛选：企业名称、信用代码或拼音首字母（如 hwjs）"), self)
        self._filter.text_settled.connect(self._on_filter_text_settled)
        self._count = QLabel(tr("正在载入…"), self)
        self._count.setStyleSheet("color: #5f6b7a;")
        self._message_bar = UndoMessageBar(self)
        self._deletion = UndoableDelete(
            runner, self._message_bar, service.delete, service.restore, self
        )
        self._deletion.deleted.connect(self._on_enterprise_deleted)
        self._deletion.restored.connect(self._on_enterprise_restored)
        self._table = self._build_table()
        self._dossier = DossierView(self)
        self._dossier.delete_requested.connect(self._deletion.delete)
        self._dossier.visit_activated.connect(self.visit_activated)

        filter_row = QHBoxLayout()
        filter_row.addWidget(self._filter, 1)
        filter_row.addWidget(self._count)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 4, 8)
        left_layout.addLayout(filter_row)
        left_layout.addWidget(self._message_bar)
        left_layout.addWidget(self._table, 1)
        self._splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._splitter.addWidget(left)
        self._splitter.addWidget(self._dossier)
        self._splitter.setStretchFactor(0, 3)
        self._splitter.setStretchFactor(1, 2)
        self._splitter.setChildrenCollapsible(False)
        self._splitter.setSizes([620, 610])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._splitter)

    # -- public ----------------------------------------------------------------------------------

    @property
    def model(self) -> EnterpriseListModel:
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
    def dossier_view(self) -> DossierView:
        return self._dossier

    @property
    def message_bar(self) -> UndoMessageBar:
        return self._message_bar

    def refresh(self) -> None:
        """Re-read the list (keeping how much is loaded) and the open dossier."""
        self._model.reload(keep_loaded=self._model.requested)
        if self._selected_id is not None:
            self._load_dossier(self._selected_id)

    def focus_filter(self) -> None:
        self._filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._filter.selectAll()

    def show_enterprise(self, enterprise_id: str) -> None:
        """Open this enterprise's dossier (selecting its row when it is in the list)."""
        self._selected_id = enterprise_id
        self._select_row_of(enterprise_id)
        self._load_dossier(enterprise_id)

    # -- building --------------------------------------------------------------------------------

    def _build_table(self) -> QTableView:
        table = list_table(
            self._model, self, widths=_COLUMN_WIDTHS, show_grid=True, stretch_last=False
        )
        header = table.horizontalHeader()
        header.setSortIndicator(Column.NAME, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._on_delete_shortcut_activated)
        return table

    # -- list ------------------------------------------------------------------------------------

    def _on_filter_text_settled(self, text: str) -> None:
        self._model.set_filter(EnterpriseFilter(text=text.strip()))

    def _on_header_sort_indicator_changed(self, section: int, _order: Qt.SortOrder) -> None:
        if Column(section).sort is None:  # keep showing the order the list really has
            header = self._table.horizontalHeader()
            order = (
                Qt.SortOrder.DescendingOrder
                if self._model.descending
                else Qt.SortOrder.AscendingOrder
            )
            header.blockSignals(True)
            header.setSortIndicator(self._model.sort_column, order)
            header.blockSignals(False)

    def _on_model_rows_loaded(self, total: int) -> None:
        self._count.setText(tr("共 {count} 家企业", count=f"{total:,}"))
        if self._selected_id is not None:
            self._select_row_of(self._selected_id)
        self.list_loaded.emit(total)

    def _select_row_of(self, enterprise_id: str) -> None:
        row = self._model.row_of(enterprise_id)
        selection = self._table.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self._model.index(row, Column.NAME)
        if selection.currentIndex().row() != row or not selection.hasSelection():
            self._table.selectRow(row)
        self._table.scrollTo(index)

    def _on_table_selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        rows = {index.row() for index in selected.indexes()}
        if len(rows) != 1:
            return
        enterprise_id = self._model.row_at(rows.pop()).id
        if enterprise_id != self._selected_id or self._dossier.dossier is None:
            self._selected_id = enterprise_id
            self._load_dossier(enterprise_id)

    # -- dossier ---------------------------------------------------------------------------------

    def _load_dossier(self, enterprise_id: str) -> None:
        if self._dossier_token is not None:
            self._dossier_token.cancel()
        self._dossier.show_loading()
        service = self._service
        self._dossier_token = self._runner.submit(
            lambda _token: service.dossier(enterprise_id),
            on_success=self._on_dossier_loaded,
            on_failure=self._on_action_failure,
            owner=self,
        )

    def _on_dossier_loaded(self, dossier: Dossier) -> None:
        if dossier.enterprise.id != self._selected_id:
            return
        if dossier.enterprise.deleted:
            self._dossier.clear()
            return
        self._dossier.show_dossier(dossier)
        self.dossier_shown.emit(dossier.enterprise.id)

    # -- delete and undo -------------------------------------------------------------------------

    def _on_delete_shortcut_activated(self) -> None:
        dossier = self._dossier.dossier
        if dossier is not None and dossier.enterprise.id == self._selected_id:
            self._dossier.request_delete()

    def _on_enterprise_deleted(self, enterprise_id: str) -> None:
        if self._selected_id == enterprise_id:
            self._selected_id = None
            self._dossier.clear()
        self._model.reload(keep_loaded=True)

    def _on_enterprise_restored(self, enterprise_id: str) -> None:
        self._selected_id = enterprise_id
        self._model.reload(keep_loaded=True)
        self._load_dossier(enterprise_id)

    # -- failures --------------------------------------------------------------------------------

    def _on_action_failure(self, error: AppError) -> None:
        self._on_action_failed(error.message)

    def _on_action_failed(self, message: str) -> None:
        self._message_bar.show_message(message)
