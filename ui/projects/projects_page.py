"""The projects page (项目): the pipeline as a sortable list with counts per stage on the left, and
the selected project's workplace on the right (``ProjectDetailPanel``): its fields, stage moves
with their evidence, funds received, 责任清单, commitments and problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.domain.vocabulary import ProjectStage
from app.i18n import tr
from app.services.projects import ALL_STAGES, ProjectList, ProjectListRow
from ui.projects.project_detail_panel import ProjectDetailPanel
from ui.projects.project_editor_dialog import ProjectEditorDialog
from ui.projects.project_list_model import Column, ProjectFilterProxy, ProjectListModel
from ui.task_runner import TaskRunner
from ui.widgets.filter_line_edit import FilterLineEdit
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordTableModel

if TYPE_CHECKING:
    from ui.projects.project_services import ProjectServices

_COLUMN_WIDTHS = {
    Column.NAME: 200,
    Column.ENTERPRISE: 180,
    Column.STAGE: 50,
    Column.STAGE_ON: 110,
    Column.CONTRACT: 100,
    Column.PHASE1: 90,
    Column.FUNDED: 100,
    Column.RESPONSIBLE: 80,
}
_MUTED = "color: #5f6b7a;"


class ProjectsPage(QWidget):
    """All projects, filtered by stage and text, with the selected one's workplace."""

    enterprise_activated = Signal(str)
    list_loaded = Signal(int)
    history_shown = Signal(str)
    """The selected project's detail (stage history and all) is on screen."""
    history_requested = Signal(str, str)
    dialog_opened = Signal(object)

    def __init__(
        self, services: ProjectServices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._selected_id: str | None = None

        self._model = ProjectListModel(self)
        self._proxy = ProjectFilterProxy(self)
        self._proxy.setSourceModel(self._model)

        self.stage_combo = QComboBox(self)
        self.stage_combo.addItem(tr("全部阶段"), "")
        for stage in ALL_STAGES:
            self.stage_combo.addItem(stage.label, stage.value)
        self.stage_combo.currentIndexChanged.connect(self._on_stage_combo_changed)
        self.filter_edit = FilterLineEdit(tr("筛选：项目、企业、包抓责任人或小分队"), self)
        self.filter_edit.text_settled.connect(self._on_filter_edit_text_settled)
        self.new_button = QPushButton(tr("新建项目…"), self)
        self.new_button.setToolTip(tr("新建项目"))
        self.new_button.clicked.connect(self.new_project)
        self._count = QLabel(tr("正在载入…"), self)
        self._count.setStyleSheet(_MUTED)
        self.summary = QLabel(self)
        self.summary.setStyleSheet(_MUTED)
        self.summary.setWordWrap(True)
        self.summary.setToolTip(tr("各阶段项目个数（全部项目，不受筛选影响）"))
        self.table = self._build_table()
        self.panel = ProjectDetailPanel(services, runner, self)
        self.panel.detail_loaded.connect(self.history_shown)
        self.panel.project_changed.connect(self._on_panel_project_changed)
        self.panel.history_requested.connect(self.history_requested)
        self.panel.dialog_opened.connect(self.dialog_opened)
        # F2 edits the selected project. 新建项目 gets its window-wide key (Ctrl+Shift+P) from the
        # main window's action, which calls ``new_project``; binding it here too would make the
        # key ambiguous and fire neither.
        edit_shortcut = QShortcut(QKeySequence(Qt.Key.Key_F2), self)
        edit_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        edit_shortcut.activated.connect(self.panel.open_editor)

        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel(tr("阶段"), self))
        filter_row.addWidget(self.stage_combo)
        filter_row.addWidget(self.filter_edit, 1)
        filter_row.addWidget(self._count)
        filter_row.addWidget(self.new_button)
        listing = QWidget(self)
        listing_layout = QVBoxLayout(listing)
        listing_layout.setContentsMargins(0, 0, 0, 0)
        listing_layout.addWidget(self.summary)
        listing_layout.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(listing)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(filter_row)
        layout.addWidget(splitter, 1)

    # -- public ----------------------------------------------------------------------------------

    @property
    def model(self) -> ProjectListModel:
        return self._model

    @property
    def proxy(self) -> ProjectFilterProxy:
        return self._proxy

    @property
    def history_model(self) -> RecordTableModel:
        """The selected project's stage history (the 阶段 tab)."""
        return self.panel.stage_tab.history_model

    @property
    def history_title(self) -> QLabel:
        return self.panel.title_label

    def refresh(self) -> None:
        """Reload every project off the GUI thread; the selection survives when it can."""
        service = self._services.projects
        self._runner.submit(
            lambda _token: service.list_projects(),
            self._on_projects_loaded,
            self._on_load_failed,
            owner=self,
        )

    def show_project(self, project_id: str) -> None:
        """Select this project (clearing the filters that would hide it) and show it."""
        self._clear_filters()
        row = self._model.row_of(project_id)
        shown = self._proxy.mapFromSource(self._model.index(row, 0)) if row is not None else None
        if shown is not None and shown.isValid():
            self.table.selectRow(shown.row())
            self.table.scrollTo(shown)
        else:
            self._selected_id = project_id  # selected when the list (being read) arrives

    def selected_project(self) -> ProjectListRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self._model.row_at(self._proxy.mapToSource(rows[0]).row())

    def new_project(self) -> None:
        """Open 新建项目; the saved project is selected in the list."""
        dialog = ProjectEditorDialog(self._services, self._runner, None, self)
        dialog.project_saved.connect(self._on_project_created)
        dialog.setModal(True)
        dialog.show()
        self.dialog_opened.emit(dialog)

    # -- building --------------------------------------------------------------------------------

    def _build_table(self) -> QTableView:
        table = list_table(self._proxy, self, widths=_COLUMN_WIDTHS)
        table.setSortingEnabled(True)
        table.sortByColumn(Column.STAGE_ON, Qt.SortOrder.DescendingOrder)
        table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        table.doubleClicked.connect(self._on_table_double_clicked)
        return table

    # -- handlers --------------------------------------------------------------------------------

    def _on_projects_loaded(self, listing: ProjectList) -> None:
        keep = self._selected_id
        self._selected_id = None  # the detail is read again for the reselected project
        self._model.set_rows(listing.rows)
        self.summary.setText(
            "  ·  ".join(
                tr("{stage} {count}", stage=stage.label, count=count)
                for stage, count in listing.stage_counts
            )
        )
        self._update_count()
        row = self._model.row_of(keep) if keep is not None else None
        shown = self._proxy.mapFromSource(self._model.index(row, 0)) if row is not None else None
        if (shown is None or not shown.isValid()) and self._proxy.rowCount() > 0:
            shown = self._proxy.index(0, 0)  # like the library: a detail, not a placeholder
        if shown is not None and shown.isValid():
            self.table.selectRow(shown.row())
            self.table.scrollTo(shown)
        else:
            self.panel.show_project(None)
        self.list_loaded.emit(len(listing.rows))

    def _on_stage_combo_changed(self, _index: int) -> None:
        value = self.stage_combo.currentData()
        self._proxy.set_stage(ProjectStage(value) if value else None)
        self._update_count()

    def _on_filter_edit_text_settled(self, text: str) -> None:
        self._proxy.set_text(text)
        self._update_count()

    def _on_table_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        project = self.selected_project()
        if project is None:
            return
        if project.id != self._selected_id or self.panel.detail is None:
            self._selected_id = project.id
            self.panel.show_project(project.id)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        row = self._model.row_at(self._proxy.mapToSource(index).row())
        self.enterprise_activated.emit(row.enterprise_id)

    def _on_panel_project_changed(self, project_id: str) -> None:
        self._selected_id = project_id
        self.refresh()

    def _on_project_created(self, project_id: str) -> None:
        self._clear_filters()
        self._selected_id = project_id
        self.refresh()

    def _on_load_failed(self, error: AppError) -> None:
        self._count.setText(error.message)

    # -- internals -------------------------------------------------------------------------------

    def _clear_filters(self) -> None:
        if self.stage_combo.currentIndex() != 0:
            self.stage_combo.setCurrentIndex(0)
        if self.filter_edit.text():
            self.filter_edit.clear()
            self._proxy.set_text("")
            self._update_count()

    def _update_count(self) -> None:
        self._count.setText(
            tr(
                "显示 {shown} / 共 {total} 个项目",
                shown=self._proxy.rowCount(),
                total=self._model.rowCount(),
            )
        )
