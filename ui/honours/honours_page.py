"""The 荣誉名录 page: published lists (世界500强, 专精特新“小巨人”, 瞪羚 …) by kind and year on
the left, the enterprises on the selected list on the right, each matched to its dossier or
marked 未匹配.

Lists are bureau records kept by squad leaders and admins; for a plain member the page says so
and offers no editing. Enter or a double-click on a matched entry opens the enterprise
(``enterprise_activated``); F2 edits an entry, Delete removes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.domain.vocabulary import HonourKind
from app.i18n import tr
from app.services.honour_directory_views import (
    DirectoryView,
    EntryView,
    HonourAccess,
    ImportReport,
    RematchReport,
)
from ui.honours.entries_panel import MUTED, EntriesPanel
from ui.honours.honour_dialogs import DirectoryDialog, EntryDialog, delete_confirmation
from ui.honours.honour_models import (
    DirectoryColumn,
    DirectoryFilterProxy,
    DirectoryListModel,
)
from ui.honours.import_result_dialog import ImportResultDialog
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.list_table import list_table

if TYPE_CHECKING:
    from app.services.honour_directories import HonourDirectoryService

_NOTICE = "background: #fff8e1; border: 1px solid #f0d58c; border-radius: 4px; padding: 6px 10px;"


class HonoursPage(QWidget):
    """Honour lists and their entries, with import, matching and (for leaders) editing."""

    enterprise_activated = Signal(str)
    list_loaded = Signal(int)
    entries_loaded = Signal(int)
    directories_changed = Signal()
    """A list or an entry was created, changed, imported, re-matched or deleted."""

    def __init__(
        self, service: HonourDirectoryService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._access = HonourAccess(editable=False)
        self._keep_id: str | None = None
        self.dialog: DirectoryDialog | EntryDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.delete_button: QAbstractButton | None = None
        self.file_dialog: QFileDialog | None = None
        self.result_dialog: ImportResultDialog | None = None

        self.directory_model = DirectoryListModel(self)
        self.directory_proxy = DirectoryFilterProxy(self)
        self.directory_proxy.setSourceModel(self.directory_model)

        self.message = QLabel(self)
        self.message.setStyleSheet(MUTED)
        self.message.setWordWrap(True)
        heading = QLabel(tr("荣誉名录"), self)
        heading.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(_NOTICE)
        self.notice.hide()
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem(tr("全部类别"), "")
        for kind in HonourKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.directory_table = self._build_directory_table()
        self.directory_count = QLabel(tr("正在载入…"), self)
        self.directory_count.setStyleSheet(MUTED)
        self.entries = EntriesPanel(service, runner, self)
        self.entries.entries_loaded.connect(self._on_entries_loaded)
        self.entries.enterprise_activated.connect(self.enterprise_activated)
        self.entries.unmatched_activated.connect(self._on_entries_unmatched_activated)
        self.entries.load_failed.connect(self.message.setText)
        self.entries.table.selectionModel().selectionChanged.connect(
            self._on_entry_selection_changed
        )

        self.new_action = self._action(tr("新建名录…"), (), self._on_new_triggered)
        self.edit_action = self._action(tr("编辑名录…"), (), self._on_edit_triggered)
        self.delete_action = self._action(tr("删除名录"), (), self._on_delete_triggered)
        self.import_action = self._action(tr("导入名单…"), (), self._on_import_triggered)
        self.add_entry_action = self._action(tr("添加企业…"), (), self._on_add_entry_triggered)
        self.edit_entry_action = self._action(
            tr("编辑条目…"), ("F2",), self._on_edit_entry_triggered, self.entries.table
        )
        self.remove_action = self._action(
            tr("移除"), ("Delete",), self._on_remove_triggered, self.entries.table
        )
        self.rematch_action = self._action(tr("重新匹配"), (), self._on_rematch_triggered)
        self.rematch_action.setToolTip(
            tr("为所有未匹配的条目重新查找企业档案（导入企业或同步之后）")
        )

        bar = QHBoxLayout()
        bar.addWidget(heading)
        bar.addSpacing(16)
        for group in (
            (self.new_action, self.edit_action, self.delete_action),
            (self.import_action, self.add_entry_action, self.edit_entry_action, self.remove_action),
            (self.rematch_action,),
        ):
            for action in group:
                button = QToolButton(self)
                button.setDefaultAction(action)
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
                bar.addWidget(button)
            bar.addSpacing(10)
        bar.addStretch(1)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 4, 0)
        kind_row = QHBoxLayout()
        kind_row.addWidget(QLabel(tr("类别"), left))
        kind_row.addWidget(self.kind_combo, 1)
        left_layout.addLayout(kind_row)
        left_layout.addWidget(self.directory_table, 1)
        left_layout.addWidget(self.directory_count)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.entries)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([540, 800])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        self._update_actions()

    # -- public ----------------------------------------------------------------------------------

    @property
    def editable(self) -> bool:
        return self._access.editable

    def refresh(self) -> None:
        """Read who may edit and every list again; the selected list stays selected."""
        selected = self.selected_directory()
        if selected is not None and self._keep_id is None:
            self._keep_id = selected.id
        service = self._service
        self._submit(
            lambda _token: (service.access(), service.directories()), self._on_directories_loaded
        )

    def selected_directory(self) -> DirectoryView | None:
        rows = self.directory_table.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.directory_proxy.mapToSource(rows[0])
        return self.directory_model.row_at(source.row()) if source.isValid() else None

    def select_directory(self, directory_id: str) -> bool:
        row = self.directory_model.row_of(directory_id)
        if row is None:
            return False
        shown = self.directory_proxy.mapFromSource(self.directory_model.index(row, 0))
        if not shown.isValid():
            self.kind_combo.setCurrentIndex(0)
            shown = self.directory_proxy.mapFromSource(self.directory_model.index(row, 0))
        self.directory_table.selectRow(shown.row())
        self.directory_table.scrollTo(shown)
        return True

    def selected_entry(self) -> EntryView | None:
        entry: EntryView | None = self.entries.selected_entry()
        return entry

    def import_file(self, path: Path) -> None:
        """Import ``path`` into the selected list (what the file dialog's choice does)."""
        directory = self.selected_directory()
        if directory is None or not self.editable:
            return
        service, directory_id = self._service, directory.id
        self.message.setText(tr("正在导入“{name}”…", name=path.name))
        self._keep_id = directory_id
        self._submit(
            lambda _token: service.import_entries(directory_id, path), self._on_import_done
        )

    # -- building --------------------------------------------------------------------------------

    def _build_directory_table(self) -> QTableView:
        widths = {
            DirectoryColumn.KIND: 118,
            DirectoryColumn.YEAR: 46,
            DirectoryColumn.BATCH: 58,
            DirectoryColumn.TITLE: 170,
            DirectoryColumn.ENTRIES: 54,
            DirectoryColumn.MATCHED: 54,
        }
        table = list_table(self.directory_proxy, self, widths=widths)
        table.setSortingEnabled(True)
        table.sortByColumn(DirectoryColumn.KIND, Qt.SortOrder.AscendingOrder)
        table.selectionModel().selectionChanged.connect(self._on_directory_selection_changed)
        return table

    def _action(
        self,
        text: str,
        keys: Sequence[str],
        slot: Callable[[], None],
        widget: QWidget | None = None,
    ) -> QAction:
        action = QAction(text, widget or self)
        if keys:
            action.setShortcuts([QKeySequence(key) for key in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.setToolTip(tr("{action}（{keys}）", action=text.rstrip("…"), keys=keys[0]))
        action.triggered.connect(slot)
        if widget is not None:
            widget.addAction(action)
        return action

    # -- loading ---------------------------------------------------------------------------------

    def _on_directories_loaded(
        self, loaded: tuple[HonourAccess, tuple[DirectoryView, ...]]
    ) -> None:
        access, directories = loaded
        self._access = access
        self.entries.forget_shown()  # the counts changed: show the entries again
        self.notice.setText(access.reason)
        self.notice.setVisible(not access.editable and bool(access.reason))
        keep = self._keep_id
        self._keep_id = None
        self.directory_model.set_rows(directories)
        self._update_directory_count()
        if not (keep and self.select_directory(keep)) and self.directory_proxy.rowCount():
            self.directory_table.selectRow(0)
        selected = self.selected_directory()
        if selected is None or selected.id != self.entries.shown_directory_id:
            self._show_entries(selected)
        self._update_actions()
        self.list_loaded.emit(len(directories))

    def _show_entries(self, directory: DirectoryView | None) -> None:
        self.entries.show_directory(
            directory,
            any_directories=self.directory_model.rowCount() > 0,
            editable=self.editable,
        )
        self._update_actions()

    def _update_directory_count(self) -> None:
        self.directory_count.setText(
            tr("共 {count} 份名录", count=self.directory_model.rowCount())
            if self.directory_model.rowCount()
            else tr("还没有名录")
        )

    def _update_actions(self) -> None:
        editable = self.editable
        has_directory = self.selected_directory() is not None
        has_entry = self.selected_entry() is not None
        self.new_action.setEnabled(editable)
        for action in (self.edit_action, self.delete_action, self.import_action,
                       self.add_entry_action):  # fmt: skip
            action.setEnabled(editable and has_directory)
        for action in (self.edit_entry_action, self.remove_action):
            action.setEnabled(editable and has_entry)
        self.rematch_action.setEnabled(editable and self.directory_model.rowCount() > 0)
        if not editable:
            tip = tr("只有队长或管理员可以修改荣誉名录")
            for action in (self.new_action, self.edit_action, self.delete_action,
                           self.import_action, self.add_entry_action, self.edit_entry_action,
                           self.remove_action, self.rematch_action):  # fmt: skip
                action.setToolTip(tip)

    # -- handlers: selection and filters ---------------------------------------------------------

    def _on_kind_combo_changed(self, _index: int) -> None:
        self.directory_proxy.set_kind(str(self.kind_combo.currentData() or ""))
        if self.selected_directory() is None and self.directory_proxy.rowCount():
            self.directory_table.selectRow(0)
        elif self.selected_directory() is None:
            self._show_entries(None)
        self._update_actions()

    def _on_directory_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        directory = self.selected_directory()
        if directory is None or directory.id != self.entries.shown_directory_id:
            self._show_entries(directory)
        self._update_actions()

    def _on_entry_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_actions()

    def _on_entries_loaded(self, count: int) -> None:
        self._update_actions()
        self.entries_loaded.emit(count)

    def _on_entries_unmatched_activated(self, name: str) -> None:
        self.message.setText(tr("“{name}”还没有匹配到企业档案", name=name))

    # -- handlers: actions -----------------------------------------------------------------------

    def _on_new_triggered(self) -> None:
        self._open_dialog(DirectoryDialog(self._service, self._runner, None, self))

    def _on_edit_triggered(self) -> None:
        directory = self.selected_directory()
        if directory is not None and self.editable:
            self._open_dialog(DirectoryDialog(self._service, self._runner, directory, self))

    def _on_add_entry_triggered(self) -> None:
        directory = self.selected_directory()
        if directory is not None and self.editable:
            self._open_dialog(EntryDialog(self._service, self._runner, directory, None, self))

    def _on_edit_entry_triggered(self) -> None:
        directory, entry = self.selected_directory(), self.selected_entry()
        if directory is not None and entry is not None and self.editable:
            self._open_dialog(EntryDialog(self._service, self._runner, directory, entry, self))

    def _open_dialog(self, dialog: DirectoryDialog | EntryDialog) -> None:
        if not self.editable:
            return
        dialog.saved.connect(self._on_dialog_saved)
        self.dialog = dialog
        dialog.open()

    def _on_dialog_saved(self, row_id: str) -> None:
        dialog = self.dialog
        self.dialog = None
        if isinstance(dialog, DirectoryDialog):
            self._keep_id = row_id
            self.message.setText(tr("名录已保存"))
        else:
            self.message.setText(tr("名录条目已保存"))
        self._changed()

    def _on_delete_triggered(self) -> None:
        directory = self.selected_directory()
        if directory is None or not self.editable:
            return
        box, self.delete_button = delete_confirmation(directory, self)
        box.finished.connect(lambda _result: self._on_confirm_box_finished(box, directory))
        self.confirm_box = box
        box.open()

    def _on_confirm_box_finished(self, box: QMessageBox, directory: DirectoryView) -> None:
        self.confirm_box = None
        if self.delete_button is None or box.clickedButton() is not self.delete_button:
            return
        service, directory_id = self._service, directory.id

        def deleted(count: int) -> None:
            self.message.setText(
                tr("已删除名录“{title}”及其 {count} 个条目", title=directory.title, count=count)
            )
            self._changed()

        self._submit(lambda _token: service.delete_directory(directory_id), deleted)

    def _on_import_triggered(self) -> None:
        if self.selected_directory() is None or not self.editable:
            return
        dialog = QFileDialog(self, tr("导入名单"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([tr("名单表格 (*.xlsx *.csv)"), tr("所有文件 (*)")])
        dialog.fileSelected.connect(self._on_file_dialog_file_selected)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.file_dialog = dialog
        dialog.open()

    def _on_file_dialog_file_selected(self, name: str) -> None:
        self.file_dialog = None
        if name:
            self.import_file(Path(name))

    def _on_import_done(self, report: ImportReport) -> None:
        self.message.setText(
            tr(
                "导入完成：新增 {added} 家（匹配 {matched} 家），未导入 {rejected} 行",
                added=report.added,
                matched=report.matched,
                rejected=len(report.rejected),
            )
        )
        dialog = ImportResultDialog(report, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.result_dialog = dialog
        dialog.open()
        self._changed()

    def _on_remove_triggered(self) -> None:
        entry = self.selected_entry()
        if entry is None or not self.editable:
            return
        service = self._service

        def removed(_result: object) -> None:
            self.message.setText(tr("已从名录中移除“{name}”", name=entry.name))
            self._changed()

        self._submit(lambda _token: service.remove_entry(entry.id), removed)

    def _on_rematch_triggered(self) -> None:
        if not self.editable:
            return
        service = self._service
        self.message.setText(tr("正在重新匹配…"))
        self._submit(lambda _token: service.rematch_all(), self._on_rematch_done)

    def _on_rematch_done(self, report: RematchReport) -> None:
        self.message.setText(
            tr(
                "重新匹配完成：新匹配 {newly} 家企业，仍有 {left} 条未匹配",
                newly=report.newly_matched,
                left=report.still_unmatched,
            )
        )
        self._changed()

    def _on_failed(self, error: AppError) -> None:
        self.message.setText(error.message)

    # -- internals -------------------------------------------------------------------------------

    def _changed(self) -> None:
        self.directories_changed.emit()
        self.refresh()

    def _submit(self, work: Callable[[CancelToken], Any], done: Callable[[Any], None]) -> None:
        self._runner.submit(work, done, self._on_failed, owner=self)
