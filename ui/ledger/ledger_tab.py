"""What both tabs of 承诺与诉求 are made of: a filter bar (status, scope, text), the action buttons,
a summary line with the rate and its definition, the sortable table, and the plumbing that runs
reads and changes on the task runner and keeps the selection across reloads.

Keys on the list: N new, F2 (or double-click) edit, Enter 打开企业, Ctrl+H 历史; each tab adds
its own (Ctrl+D closes, Ctrl+Shift+D reopens, …). Every action is also a button.
"""

from __future__ import annotations

import datetime as dt
from abc import abstractmethod
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import tr
from app.services.follow_up_ledgers import LedgerScope
from ui.ledger.closing_dialog import Ask, ClosingDialog
from ui.ledger.entry_table_model import EntrySortProxy, EntryTableModel
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.filter_line_edit import FilterLineEdit
from ui.widgets.list_table import list_table
from ui.widgets.message_bar import UndoMessageBar

MUTED = "color: #5f6b7a;"


class LedgerTab(QWidget):
    """Subclasses give the model, the status choices, the read and the summary."""

    enterprise_activated = Signal(str)
    history_requested = Signal(str, str)
    list_loaded = Signal(int)
    entry_changed = Signal(str)
    """An entry was added, edited, closed, withdrawn, reopened, deleted or restored."""

    TABLE = ""
    """The database table of the rows (for 历史)."""

    def __init__(
        self,
        runner: TaskRunner,
        model: EntryTableModel[Any, Any],
        statuses: Sequence[tuple[str, str]],
        widths: dict[int, int],
        filter_placeholder: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._generation = 0
        self._keep_id: str | None = None
        self._keep_row = 0
        self.today = dt.date.today()
        self.dialog: QWidget | None = None
        self.popup: QMenu | None = None

        self.model = model
        self.proxy = EntrySortProxy(self)
        self.proxy.setSourceModel(model)
        self.status_combo = QComboBox(self)
        for text, value in statuses:
            self.status_combo.addItem(text, value)
        self.scope_combo = QComboBox(self)
        for text, scope in (
            (tr("本小分队"), LedgerScope.SQUAD),
            (tr("我的"), LedgerScope.MINE),
            (tr("全部"), LedgerScope.ALL),
        ):
            self.scope_combo.addItem(text, scope.value)
        self.scope_combo.setToolTip(
            tr("我的：我承诺或负责的；本小分队：本小分队队员的，或本小分队企业、项目的")
        )
        self.filter_edit = FilterLineEdit(filter_placeholder, self)
        self.count_label = QLabel(tr("正在载入…"), self)
        self.count_label.setStyleSheet(MUTED)
        self.summary_label = QLabel(self)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.definition_label = QLabel(self)
        self.definition_label.setStyleSheet(MUTED)
        self.definition_label.setWordWrap(True)
        self.message_bar = UndoMessageBar(self)
        self.message_label = QLabel(self)
        self.message_label.setStyleSheet(MUTED)
        self.table = self._build_table(widths)

        self.filter_bar = QHBoxLayout()
        self.filter_bar.addWidget(QLabel(tr("状态"), self))
        self.filter_bar.addWidget(self.status_combo)
        self.filter_bar.addSpacing(8)
        self.filter_bar.addWidget(QLabel(tr("范围"), self))
        self.filter_bar.addWidget(self.scope_combo)
        self.filter_bar.addSpacing(8)
        self.filter_bar.addWidget(self.filter_edit, 1)
        self.filter_bar.addWidget(self.count_label)
        self.action_bar = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(self.filter_bar)
        layout.addLayout(self.action_bar)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.definition_label)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label)

        self.status_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.scope_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.filter_edit.text_settled.connect(self._on_filter_changed)

    # -- public ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the list again off the GUI thread; the selection stays when it can."""
        self._remember_selection()
        self._read()

    def _read(self) -> None:
        self._generation += 1
        generation, work = self._generation, self.page_work()
        self._runner.submit(
            work, lambda page: self._on_page_read(generation, page), self._failed, owner=self
        )

    def selected(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0])
        return self.model.row_at(source.row()) if source.isValid() else None

    def select_id(self, record_id: str) -> bool:
        row = self.model.row_of(record_id)
        if row is None:
            return False
        shown = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(shown.row())
        self.table.scrollTo(shown)
        return True

    @property
    def message(self) -> str:
        return self.message_label.text()

    @property
    def scope(self) -> LedgerScope:
        return LedgerScope(self.scope_combo.currentData())

    @property
    def status_value(self) -> str:
        return str(self.status_combo.currentData() or "")

    # -- for subclasses --------------------------------------------------------------------------

    @abstractmethod
    def page_work(self) -> Callable[[CancelToken], Any]:
        """The read of this tab's list with the filters shown (run on the task runner)."""

    @abstractmethod
    def show_page(self, page: Any) -> None:
        """Put the read page's summary on screen (rows are set already)."""

    @abstractmethod
    def update_actions(self) -> None:
        """Enable the actions that fit the selected row."""

    @abstractmethod
    def edit(self, record_id: str | None) -> None:
        """Open the tab's form on a record (None: a new one)."""

    def add_action(
        self, text: str, keys: Sequence[str], slot: Callable[[], None], *, button: bool = True
    ) -> QAction:
        action = QAction(text, self.table)
        if keys:
            action.setShortcuts([QKeySequence(key) for key in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shown = tr(" / ").join(QKeySequence(key).toString() for key in keys)
            action.setToolTip(tr("{action}（{keys}）", action=text.rstrip("…"), keys=shown))
        action.triggered.connect(slot)
        self.table.addAction(action)
        if button:
            tool = QToolButton(self)
            tool.setDefaultAction(action)
            tool.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.action_bar.addWidget(tool)
        return action

    def add_common_actions(self, new_text: str) -> None:
        self.new_action = self.add_action(new_text, ["N"], self._on_new_triggered)
        self.edit_action = self.add_action(tr("编辑"), ["F2"], self._on_edit_triggered)

    def add_trailing_actions(self) -> None:
        self.history_action = self.add_action(tr("历史"), ["Ctrl+H"], self._on_history_triggered)
        self.open_action = self.add_action(
            tr("打开企业"), ["Return", "Enter"], self._on_open_triggered
        )
        self.action_bar.addStretch(1)

    def ask(
        self,
        ask: Ask,
        change: Callable[[str, dt.date | None], object],
        done: str,
        *,
        earliest: dt.date | None = None,
        text: str = "",
    ) -> ClosingDialog:
        """Open a closing dialog; on confirm run ``change(text, day)`` and say ``done``."""
        dialog = ClosingDialog(ask, self.today, self, earliest=earliest, text=text)

        def on_submitted(typed: str, day: dt.date | None) -> None:
            def on_success(_result: object) -> None:
                dialog.finish()
                self._after_change(done, record_id)

            self._runner.submit(
                lambda _t: change(typed, day), on_success, dialog.show_error, owner=dialog
            )

        entry = self.selected()
        record_id = getattr(entry, "id", "")
        dialog.submitted.connect(on_submitted)
        self.dialog = dialog
        dialog.open()
        return dialog

    def change(self, record_id: str, work: Callable[[], object], done: str) -> None:
        """Run one change at once (no question to ask) and say ``done``."""
        self._remember_selection()
        self._runner.submit(
            lambda _t: work(),
            lambda _r: self._after_change(done, record_id),
            self._failed,
            owner=self,
        )

    def saved(self, record_id: str, done: str) -> None:
        """A dialog saved ``record_id``: select it after the reload."""
        self._keep_id = record_id
        self._after_change(done, record_id, keep_selection=False)

    def count_text(self, shown: int, total: int) -> str:
        if total > shown:
            return tr(
                "显示前 {shown} 条，共 {total} 条；请用筛选缩小范围", shown=shown, total=total
            )
        return tr("共 {count} 条", count=total)

    # -- handlers --------------------------------------------------------------------------------

    def _on_filter_changed(self, *_args: object) -> None:
        self._keep_id = None
        self._keep_row = 0
        self.reload()

    def _on_page_read(self, generation: int, page: Any) -> None:
        if generation != self._generation:
            return  # a newer read is on its way
        self.today = page.today
        self.model.set_rows(page.rows)
        self.count_label.setText(self.count_text(len(page.rows), page.total))
        self.show_page(page)
        self._restore_selection()
        self.update_actions()
        self.list_loaded.emit(page.total)

    def _on_table_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        self.update_actions()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if source.isValid():
            self.edit(self.model.row_at(source.row()).id)

    def _on_table_context_menu_requested(self, position: QPoint) -> None:
        menu = QMenu(self)
        for action in self.table.actions():
            menu.addAction(action)
        self.popup = menu
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _on_new_triggered(self) -> None:
        self.edit(None)

    def _on_edit_triggered(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.edit(entry.id)

    def _on_history_triggered(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.history_requested.emit(self.TABLE, entry.id)

    def _on_open_triggered(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.enterprise_activated.emit(entry.enterprise_id)

    def _failed(self, error: AppError) -> None:
        self.message_label.setText(error.message)
        self.update_actions()

    # -- internals -------------------------------------------------------------------------------

    def _build_table(self, widths: dict[int, int]) -> QTableView:
        table = list_table(self.proxy, self, widths=widths)
        table.setSortingEnabled(True)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order until a click
        table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        table.doubleClicked.connect(self._on_table_double_clicked)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        return table

    def _after_change(self, done: str, record_id: str, *, keep_selection: bool = True) -> None:
        self.message_label.setText(done)
        self.entry_changed.emit(record_id)
        if keep_selection:
            self._remember_selection()
        self._read()

    def _remember_selection(self) -> None:
        entry = self.selected()
        if entry is not None:
            self._keep_id = entry.id
            self._keep_row = self.model.row_of(entry.id) or 0

    def _restore_selection(self) -> None:
        count = self.model.rowCount()
        if count == 0:
            return
        if self._keep_id is not None and self.select_id(self._keep_id):
            return
        shown = self.proxy.index(min(self._keep_row, count - 1), 0)
        self.table.selectRow(shown.row())
