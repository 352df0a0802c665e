"""The 冲突 page: the inbox of open conflicts with the chosen one's resolution view below, and a
second tab of changes the server refused.

Every resolution goes through ``ConflictService`` on the task runner; the list then reloads,
so a resolved conflict leaves the inbox and the next one is selected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from app.domain.errors import AppError
from app.i18n import mark, tr
from ui.sync.conflict_views import FieldConflictView
from ui.sync.rejected_view import RejectedServiceLike, RejectedView
from ui.sync.sync_times import short_time
from ui.sync.text_merge_view import TextMergeView
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordColumn, RecordTableModel

if TYPE_CHECKING:
    from app.services.conflicts import ConflictDetail, ConflictItem

KINDS = {"field": mark("字段"), "text": mark("文本"), "delete": mark("删除与修改")}


class ConflictServiceLike(Protocol):
    def open_conflicts(self) -> list[ConflictItem]: ...
    def detail(self, conflict_id: str) -> ConflictDetail: ...
    def keep_mine(self, conflict_id: str) -> None: ...
    def keep_theirs(self, conflict_id: str) -> None: ...
    def use_merged(self, conflict_id: str, text: str) -> None: ...


def _kind(item: ConflictItem) -> str:
    source = KINDS.get(item.kind)
    return tr(source) if source else item.kind


COLUMNS = (
    RecordColumn(mark("记录"), lambda item: item.record_label),
    RecordColumn(mark("字段"), lambda item: item.field_label),
    RecordColumn(mark("类型"), _kind),
    RecordColumn(mark("发现时间"), lambda item: short_time(item.created_at)),
)
_WIDTHS = (320, 160, 110)


class ConflictsPage(QWidget):
    list_loaded = Signal(int)  # open conflicts
    detail_shown = Signal(object)  # ConflictDetail
    changed = Signal()  # a conflict was resolved or a rejected change retried

    def __init__(
        self,
        conflicts: ConflictServiceLike,
        rejected: RejectedServiceLike,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = conflicts
        self._runner = runner
        self._keep_id: str | None = None
        self._keep_row = 0
        self._detail_token: CancelToken | None = None
        self.model = RecordTableModel(COLUMNS, self)
        self.table = list_table(self.model, self, widths=_WIDTHS)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.message_label = QLabel(self)
        self.message_label.setStyleSheet("color: #5f6b7a;")
        self.field_view = FieldConflictView(self)
        self.text_view = TextMergeView(self)
        for view in (self.field_view, self.text_view):
            view.keep_mine_requested.connect(self._on_view_keep_mine_requested)
            view.keep_theirs_requested.connect(self._on_view_keep_theirs_requested)
            view.merged_requested.connect(self._on_view_merged_requested)
        self.placeholder = QLabel(tr("没有待处理的冲突"), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #7a8591;")
        self.detail_stack = QStackedWidget(self)
        for widget in (self.placeholder, self.field_view, self.text_view):
            self.detail_stack.addWidget(widget)

        inbox = QWidget(self)
        list_box = QWidget(inbox)
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 6, 0, 0)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.message_label)
        splitter = QSplitter(Qt.Orientation.Vertical, inbox)
        splitter.addWidget(list_box)
        splitter.addWidget(self.detail_stack)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([150, 450])
        splitter.setChildrenCollapsible(False)
        inbox_layout = QVBoxLayout(inbox)
        inbox_layout.setContentsMargins(0, 0, 0, 0)
        inbox_layout.addWidget(splitter)

        self.rejected_view = RejectedView(rejected, runner, self)
        self.rejected_view.list_loaded.connect(self._on_rejected_view_list_loaded)
        self.rejected_view.retried.connect(self.changed)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(inbox, tr("冲突"))
        self.tabs.addTab(self.rejected_view, tr("被拒的修改"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addWidget(self.tabs)

    # -- public ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload both lists, keeping the selected conflict when it is still open."""
        self._remember_selection()
        service = self._service
        self._submit(lambda _token: service.open_conflicts(), self._on_conflicts_loaded)
        self.rejected_view.refresh()

    def show_conflicts(self) -> None:
        self.tabs.setCurrentIndex(0)

    def show_rejected(self) -> None:
        self.tabs.setCurrentIndex(1)

    @property
    def shown_detail(self) -> ConflictDetail | None:
        """The conflict whose resolution view is on screen."""
        view = self.detail_stack.currentWidget()
        if isinstance(view, FieldConflictView | TextMergeView):
            return view.detail
        return None

    def selected_conflict(self) -> ConflictItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    # -- list ------------------------------------------------------------------------------------

    def _on_conflicts_loaded(self, items: list[ConflictItem]) -> None:
        self.model.set_rows(items)
        self.tabs.setTabText(0, tr("冲突 ({count})", count=len(items)) if items else tr("冲突"))
        if items:
            row = next(
                (n for n, item in enumerate(items) if item.id == self._keep_id),
                min(self._keep_row, len(items) - 1),
            )
            self.table.selectRow(row)
        else:
            self.detail_stack.setCurrentWidget(self.placeholder)
        self.list_loaded.emit(len(items))

    def _on_rejected_view_list_loaded(self, count: int) -> None:
        self.tabs.setTabText(
            1, tr("被拒的修改 ({count})", count=count) if count else tr("被拒的修改")
        )

    def _on_table_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        item = self.selected_conflict()
        if item is None:
            return
        if self._detail_token is not None:
            self._detail_token.cancel()
        service, conflict_id = self._service, item.id
        self._detail_token = self._submit(
            lambda _token: service.detail(conflict_id), self._on_detail_loaded
        )

    def _on_detail_loaded(self, detail: ConflictDetail) -> None:
        self._detail_token = None
        view: FieldConflictView | TextMergeView
        view = self.text_view if detail.is_text and detail.hunks else self.field_view
        if view.detail != detail or self.detail_stack.currentWidget() is not view:
            view.show_detail(detail)  # the same conflict again (a refresh) keeps what was typed
        else:
            view.set_enabled(True)
        self.detail_stack.setCurrentWidget(view)
        self.detail_shown.emit(detail)

    # -- resolutions -----------------------------------------------------------------------------

    def _on_view_keep_mine_requested(self) -> None:
        item = self.selected_conflict()
        if item is not None:
            service, conflict_id = self._service, item.id
            done = (
                tr("已恢复记录：{record}", record=item.record_label)
                if item.kind == "delete"
                else tr(
                    "已保留我的：{record} · {field}",
                    record=item.record_label,
                    field=item.field_label,
                )
            )
            self._resolve(lambda _token: service.keep_mine(conflict_id), done)

    def _on_view_keep_theirs_requested(self) -> None:
        item = self.selected_conflict()
        if item is not None:
            service, conflict_id = self._service, item.id
            done = (
                tr("已确认删除：{record}", record=item.record_label)
                if item.kind == "delete"
                else tr(
                    "已保留对方的：{record} · {field}",
                    record=item.record_label,
                    field=item.field_label,
                )
            )
            self._resolve(lambda _token: service.keep_theirs(conflict_id), done)

    def _on_view_merged_requested(self, text: str) -> None:
        item = self.selected_conflict()
        if item is not None:
            service, conflict_id = self._service, item.id
            done = tr(
                "已保存合并结果：{record} · {field}",
                record=item.record_label,
                field=item.field_label,
            )
            self._resolve(lambda _token: service.use_merged(conflict_id, text), done)

    def _resolve(self, work: Callable[[CancelToken], Any], done: str) -> None:
        self.field_view.set_enabled(False)
        self.text_view.set_enabled(False)
        self._remember_selection()

        def on_success(_result: object) -> None:
            self.message_label.setText(done)
            self.changed.emit()
            self.refresh()

        self._submit(work, on_success)

    # -- internals -------------------------------------------------------------------------------

    def _submit(
        self, work: Callable[[CancelToken], Any], on_success: Callable[[Any], None]
    ) -> CancelToken:
        def failure(error: AppError) -> None:
            self.message_label.setText(error.message)
            self.field_view.set_enabled(True)
            self.text_view.set_enabled(True)

        return self._runner.submit(work, on_success, failure, owner=self)

    def _remember_selection(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._keep_row = rows[0].row()
            self._keep_id = self.model.row_at(self._keep_row).id
