"""The enterprise library page (企业库): filter, list, the selected dossier, its editor, merges.

F2 / Ctrl+E edit the shown dossier and the window's Ctrl+Shift+N starts a new enterprise: the
editor then takes the whole page (the list comes back on save or cancel). Ctrl+H asks for the
history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import tr
from app.services.enterprise_merge import EnterpriseMergeService
from app.services.enterprise_views import Dossier, EnterpriseFilter
from ui.enterprises.dossier_view import DossierView
from ui.enterprises.enterprise_list_model import Column, EnterpriseListModel
from ui.enterprises.merge_flow import MergeFlow
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.attachment_strip import AttachmentStrip
from ui.widgets.filter_line_edit import FilterLineEdit
from ui.widgets.list_table import list_table
from ui.widgets.message_bar import UndoMessageBar
from ui.widgets.undoable_delete import UndoableDelete

if TYPE_CHECKING:
    from app.services.attachments import AttachmentService
    from app.services.enterprises import EnterpriseService
    from ui.enterprises.enterprise_editor import EnterpriseEditor
    from ui.enterprises.merge_dialog import MergeDialog

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
    visit_requested = Signal(str)  # enterprise id: open a new visit form for it
    note_requested = Signal(str, str)  # enterprise id, note id ("" = a new note)
    history_requested = Signal(str, str)  # table, row id
    save_state_changed = Signal(str, str)  # from the editor: saving | saved | failed, message
    editor_opened = Signal(str)  # enterprise id ("" when new), fields filled and focused
    editor_closed = Signal()
    enterprise_saved = Signal(str)
    merge_finished = Signal(str, str)  # survivor id, merged id
    merge_undone = Signal(str, str)  # survivor id, merged id

    def __init__(
        self,
        service: EnterpriseService,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        merge_service: EnterpriseMergeService | None = None,
        attachments: AttachmentService | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._merge_service = merge_service or EnterpriseMergeService(service.workspace)
        self._attachments = attachments
        self._selected_id: str | None = None
        self._dossier_token: CancelToken | None = None
        self._editor: EnterpriseEditor | None = None
        self._merge_dialog: MergeDialog | None = None

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
        self._merge_bar = UndoMessageBar(self)
        self._merges = MergeFlow(self._merge_service, runner, self._merge_bar, self)
        self._merges.merged.connect(self._on_merges_merged)
        self._merges.undone.connect(self._on_merges_undone)
        self._dossier = DossierView(self)
        if attachments is not None:
            self._dossier.add_attachments(AttachmentStrip(attachments, runner, self._dossier))
        self._dossier.delete_requested.connect(self._deletion.delete)
        self._dossier.visit_activated.connect(self.visit_activated)
        self._dossier.visit_requested.connect(self.visit_requested)
        self._dossier.note_requested.connect(self.note_requested)
        self._dossier.history_requested.connect(self.history_requested)
        self._dossier.edit_requested.connect(self.edit_enterprise)
        self._dossier.enterprise_activated.connect(self.show_enterprise)
        self._dossier.merge_requested.connect(self.open_merge)
        self._dossier.undo_merge_requested.connect(self._merges.undo)

        filter_row = QHBoxLayout()
        filter_row.addWidget(self._filter, 1)
        filter_row.addWidget(self._count)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 4, 8)
        left_layout.addLayout(filter_row)
        left_layout.addWidget(self._message_bar)
        left_layout.addWidget(self._merge_bar)
        left_layout.addWidget(self._table, 1)
        self._splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._splitter.addWidget(left)
        self._splitter.addWidget(self._dossier)
        self._splitter.setStretchFactor(0, 3)
        self._splitter.setStretchFactor(1, 2)
        self._splitter.setChildrenCollapsible(False)
        self._splitter.setSizes([620, 610])  # the dossier's tabs fit without scrolling at 1366
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)
        self._bind_keys()

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

    @property
    def merge_bar(self) -> UndoMessageBar:
        """Says what a merge did and offers 撤销 (the delete bar is ``message_bar``)."""
        return self._merge_bar

    @property
    def editor(self) -> EnterpriseEditor | None:
        """The open editor, or None while the list and dossier are shown."""
        return self._editor

    @property
    def merge_dialog(self) -> MergeDialog | None:
        return self._merge_dialog

    def new_enterprise(self) -> None:
        """Open the editor on a new, empty enterprise (Ctrl+Shift+N)."""
        self._open_editor(None)

    def edit_enterprise(self, enterprise_id: str | None = None) -> None:
        """Open the editor on ``enterprise_id`` (default: the dossier shown) (F2 / Ctrl+E)."""
        if enterprise_id is None:
            dossier = self._dossier.dossier
            enterprise_id = dossier.enterprise.id if dossier is not None else None
        if enterprise_id is not None:
            self._open_editor(enterprise_id)

    def save_now(self) -> None:
        """Save the open editor (for a window-level Ctrl+S); nothing when none is open."""
        if self._editor is not None:
            self._editor.save()

    def open_merge(self, first_id: str, second_id: str) -> MergeDialog:
        """Show the merge dialog for two enterprises (the first is kept unless changed)."""
        if self._merge_dialog is not None:
            self._merge_dialog.close()
        from ui.enterprises.merge_dialog import MergeDialog  # first merge only: quick start-up

        dialog = MergeDialog(self._merge_service, self._runner, first_id, second_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.merge_confirmed.connect(self._merges.merge)
        dialog.destroyed.connect(self._on_merge_dialog_destroyed)
        self._merge_dialog = dialog
        dialog.open()
        return dialog

    def refresh(self) -> None:
        """Re-read the list (keeping how much is loaded) and the open dossier."""
        self._model.reload(keep_loaded=self._model.requested)
        if self._selected_id is not None:
            self._load_dossier(self._selected_id)

    def focus_filter(self) -> None:
        self._filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._filter.selectAll()

    def shown_enterprise_id(self) -> str | None:
        """The enterprise whose dossier is on screen (None while editing or with none shown)."""
        dossier = self._dossier.dossier
        return dossier.enterprise.id if dossier is not None and self._editor is None else None

    def show_enterprise(self, enterprise_id: str) -> None:
        """Open this enterprise's dossier (selecting its row when it is in the list)."""
        self._close_editor()
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

    def _bind_keys(self) -> None:
        bindings = (
            ("F2", self._on_edit_shortcut_activated),
            ("Ctrl+E", self._on_edit_shortcut_activated),
            ("Ctrl+H", self._on_history_shortcut_activated),
        )
        for keys, slot in bindings:
            shortcut = QShortcut(QKeySequence(keys), self._splitter)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _on_edit_shortcut_activated(self) -> None:
        self.edit_enterprise()

    def _on_history_shortcut_activated(self) -> None:
        self._dossier.request_history()

    # -- editor ----------------------------------------------------------------------------------

    def _open_editor(self, enterprise_id: str | None) -> None:
        self._close_editor()
        # The editor's modules load on first use, keeping the first page quick to start.
        from app.services.attachments import AttachmentService
        from ui.enterprises.enterprise_editor import EnterpriseEditor

        if self._attachments is None:
            self._attachments = AttachmentService(self._service.workspace)
        editor = EnterpriseEditor(self._service, self._attachments, self._runner, self)
        editor.opened.connect(self.editor_opened)
        editor.saved.connect(self._on_editor_saved)
        editor.cancelled.connect(self._on_editor_cancelled)
        editor.enterprise_activated.connect(self.show_enterprise)
        editor.merge_requested.connect(self.open_merge)
        editor.save_state_changed.connect(self.save_state_changed)
        self._editor = editor
        self._stack.addWidget(editor)
        self._stack.setCurrentWidget(editor)
        if enterprise_id is None:
            editor.open_new()
        else:
            editor.open_existing(enterprise_id)

    def _close_editor(self) -> None:
        editor, self._editor = self._editor, None
        if editor is None:
            return
        self._stack.setCurrentWidget(self._splitter)
        self._stack.removeWidget(editor)
        editor.hide()
        editor.deleteLater()
        self._table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.editor_closed.emit()

    def _on_editor_saved(self, enterprise_id: str) -> None:
        self._close_editor()
        self._selected_id = enterprise_id
        self._model.reload(keep_loaded=True)
        self._load_dossier(enterprise_id)
        self.enterprise_saved.emit(enterprise_id)

    def _on_editor_cancelled(self) -> None:
        self._close_editor()

    # -- merge -----------------------------------------------------------------------------------

    def _on_merge_dialog_destroyed(self) -> None:
        self._merge_dialog = None

    def _on_merges_merged(self, survivor_id: str, merged_id: str) -> None:
        self._message_bar.hide()
        self._close_editor()
        self._selected_id = survivor_id
        self._model.reload(keep_loaded=True)
        self._load_dossier(survivor_id)
        self.merge_finished.emit(survivor_id, merged_id)

    def _on_merges_undone(self, survivor_id: str, merged_id: str) -> None:
        self._selected_id = survivor_id
        self._model.reload(keep_loaded=True)
        self._load_dossier(survivor_id)
        self.merge_undone.emit(survivor_id, merged_id)

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
        elif self._model.rowCount() > 0 and self._editor is None:
            self._table.selectRow(0)  # a dossier to read at once, not an empty half page
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
        self._merge_bar.hide()
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
