"""The right half of the 荣誉名录 page: the selected list's heading, counts and source, a filter
line, and its entries (rank, name as listed, USCC, the matched dossier or 未匹配)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from app.domain.errors import AppError
from app.i18n import tr
from app.services.honour_directory_views import DirectoryView, EntryView
from ui.honours.honour_models import EntryColumn, EntryFilterProxy, EntryListModel
from ui.task_runner import TaskRunner
from ui.widgets.filter_line_edit import FilterLineEdit
from ui.widgets.list_table import list_table

if TYPE_CHECKING:
    from app.services.honour_directories import HonourDirectoryService

MUTED = "color: #5f6b7a;"


class EntriesPanel(QWidget):
    """Shows one list's entries; Enter or a double-click on a matched one opens the dossier."""

    entries_loaded = Signal(int)
    enterprise_activated = Signal(str)
    unmatched_activated = Signal(str)
    """An entry with no dossier was opened: carries its listed name."""
    load_failed = Signal(str)

    def __init__(
        self, service: HonourDirectoryService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._generation = 0
        self._shown: str | None = None
        self._editable = False
        self.model = EntryListModel(self)
        self.proxy = EntryFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.title = QLabel(tr("选择左侧的名录查看其中的企业"), self)
        self.title.setStyleSheet("font-weight: 600; padding: 2px 0;")
        self.title.setWordWrap(True)
        self.detail = QLabel(self)
        self.detail.setStyleSheet(MUTED)
        self.detail.setWordWrap(True)
        self.filter_edit = FilterLineEdit(tr("筛选：企业名称、统一社会信用代码或“未匹配”"), self)
        self.filter_edit.text_settled.connect(self._on_filter_edit_text_settled)
        self.table = self._build_table()
        self.count = QLabel(self)
        self.count.setStyleSheet(MUTED)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

    @property
    def shown_directory_id(self) -> str | None:
        return self._shown

    def forget_shown(self) -> None:
        """The next ``show_directory`` reads the entries again even for the same list."""
        self._shown = None

    def selected_entry(self) -> EntryView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0])
        return self.model.row_at(source.row()) if source.isValid() else None

    def show_directory(
        self, directory: DirectoryView | None, *, any_directories: bool, editable: bool
    ) -> None:
        """Show ``directory``'s heading now and its entries once read (None: an empty state)."""
        self._generation += 1
        self._shown = directory.id if directory else None
        self._editable = editable
        if directory is None:
            self.model.set_rows(())
            self.title.setText(
                tr("选择左侧的名录查看其中的企业")
                if any_directories
                else tr("还没有名录：点击“新建名录”，再导入名单")
            )
            self.detail.setText("")
            self.count.setText("")
            return
        self.title.setText(directory.title)
        self.detail.setText(_detail_text(directory))
        generation, service, directory_id = self._generation, self._service, directory.id

        def on_entries(entries: tuple[EntryView, ...]) -> None:
            if generation == self._generation:
                self.model.set_rows(entries)
                self._update_count()
                self.entries_loaded.emit(len(entries))

        def on_failed(error: AppError) -> None:
            self.load_failed.emit(error.message)

        self._runner.submit(
            lambda _token: service.entries(directory_id), on_entries, on_failed, owner=self
        )

    def _build_table(self) -> QTableView:
        widths = {EntryColumn.RANK: 50, EntryColumn.NAME: 250, EntryColumn.USCC: 170}
        table = list_table(self.proxy, self, widths=widths)
        table.setSortingEnabled(True)
        table.sortByColumn(EntryColumn.RANK, Qt.SortOrder.AscendingOrder)
        table.activated.connect(self._on_table_activated)
        return table

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == 0:
            self.count.setText(
                tr("名录中还没有企业：导入名单或添加企业")
                if self._editable
                else tr("名录中还没有企业")
            )
        else:
            self.count.setText(tr("显示 {shown} / 共 {total} 家", shown=shown, total=total))

    def _on_filter_edit_text_settled(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _on_table_activated(self, index: QModelIndex) -> None:
        entry = self.model.row_at(self.proxy.mapToSource(index).row())
        if entry.enterprise_id:
            self.enterprise_activated.emit(entry.enterprise_id)
        else:
            self.unmatched_activated.emit(entry.name)


def _detail_text(directory: DirectoryView) -> str:
    text = tr(
        "{kind} · {year}年{batch} · 共 {entries} 家，已匹配 {matched} 家，未匹配 {unmatched} 家",
        kind=directory.kind_label,
        year=directory.year,
        batch=tr("（{batch}）", batch=directory.batch) if directory.batch else "",
        entries=directory.entry_count,
        matched=directory.matched_count,
        unmatched=directory.unmatched_count,
    )
    if directory.source:
        text += "\n" + tr("来源：{source}", source=directory.source)
    return text
