"""The projects page (项目): the pipeline as a sortable list, counts per stage, and the selected
project's dated stage history."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.domain.vocabulary import ProjectStage
from app.i18n import mark, tr
from app.services.projects import ALL_STAGES, ProjectList, ProjectListRow, StageChangeView
from ui.formatting import format_date
from ui.projects.project_list_model import Column, ProjectFilterProxy, ProjectListModel
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.filter_line_edit import FilterLineEdit
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordColumn, RecordTableModel

if TYPE_CHECKING:
    from app.services.projects import ProjectService

_COLUMN_WIDTHS = {
    Column.NAME: 220,
    Column.ENTERPRISE: 220,
    Column.STAGE: 60,
    Column.STAGE_ON: 120,
    Column.CONTRACT: 110,
    Column.PHASE1: 100,
    Column.FUNDED: 110,
    Column.RESPONSIBLE: 90,
}
_MUTED = "color: #5f6b7a;"


def _move_text(change: StageChangeView) -> str:
    if change.from_stage is None:
        return change.to_stage.label
    return tr("{before} → {after}", before=change.from_stage.label, after=change.to_stage.label)


HISTORY_COLUMNS = (
    RecordColumn(mark("日期"), lambda c: format_date(c.changed_on)),
    RecordColumn(mark("阶段变化"), _move_text),
    RecordColumn(mark("经办人"), lambda c: c.changed_by_name),
    RecordColumn(mark("说明"), lambda c: c.note),
)


class ProjectsPage(QWidget):
    """All projects, filtered by stage and text, with the selected one's stage history."""

    enterprise_activated = Signal(str)
    list_loaded = Signal(int)
    history_shown = Signal(str)

    def __init__(
        self, service: ProjectService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._selected_id: str | None = None
        self._history_generation = 0

        self._model = ProjectListModel(self)
        self._proxy = ProjectFilterProxy(self)
        self._proxy.setSourceModel(self._model)
        self._history_model = RecordTableModel(HISTORY_COLUMNS, self)

        self.stage_combo = QComboBox(self)
        self.stage_combo.addItem(tr("全部阶段"), "")
        for stage in ALL_STAGES:
            self.stage_combo.addItem(stage.label, stage.value)
        self.stage_combo.currentIndexChanged.connect(self._on_stage_combo_changed)
        self.filter_edit = FilterLineEdit(tr("筛选：项目、企业、包抓责任人或小分队"), self)
        self.filter_edit.text_settled.connect(self._on_filter_edit_text_settled)
        self._count = QLabel(tr("正在载入…"), self)
        self._count.setStyleSheet(_MUTED)
        self.summary = QLabel(self)
        self.summary.setStyleSheet(_MUTED)
        self.summary.setToolTip(tr("各阶段项目个数（全部项目，不受筛选影响）"))
        self.table = self._build_table()
        self.history_title = QLabel(tr("选择一个项目查看阶段记录"), self)
        self.history_title.setStyleSheet("font-weight: 600; padding: 4px 0;")
        self.history_table = self._build_history_table()

        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel(tr("阶段"), self))
        filter_row.addWidget(self.stage_combo)
        filter_row.addWidget(self.filter_edit, 1)
        filter_row.addWidget(self._count)
        history = QWidget(self)
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 4, 0, 0)
        history_layout.addWidget(self.history_title)
        history_layout.addWidget(self.history_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(history)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(filter_row)
        layout.addWidget(self.summary)
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
        return self._history_model

    def refresh(self) -> None:
        """Reload every project off the GUI thread; the selection survives when it can."""
        service = self._service
        self._submit(lambda _token: service.list_projects(), self._on_projects_loaded)

    def show_project(self, project_id: str) -> None:
        """Select this project (clearing the filters that would hide it) and show its history."""
        if self.stage_combo.currentIndex() != 0:
            self.stage_combo.setCurrentIndex(0)
        if self.filter_edit.text():
            self.filter_edit.clear()
            self._proxy.set_text("")
            self._update_count()
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

    # -- building --------------------------------------------------------------------------------

    def _build_table(self) -> QTableView:
        table = list_table(self._proxy, self, widths=_COLUMN_WIDTHS)
        table.setSortingEnabled(True)
        table.sortByColumn(Column.STAGE_ON, Qt.SortOrder.DescendingOrder)
        table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        table.doubleClicked.connect(self._on_table_double_clicked)
        return table

    def _build_history_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self._history_model)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        table.setColumnWidth(0, 130)
        table.setColumnWidth(1, 140)
        table.setColumnWidth(2, 90)
        return table

    # -- handlers --------------------------------------------------------------------------------

    def _on_projects_loaded(self, listing: ProjectList) -> None:
        keep = self._selected_id
        self._selected_id = None  # the history is read again for the reselected project
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
        if shown is not None and shown.isValid():
            self.table.selectRow(shown.row())
        else:
            self._show_history(None)
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
        if project.id != self._selected_id or self._history_model.rowCount() == 0:
            self._show_history(project)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        row = self._model.row_at(self._proxy.mapToSource(index).row())
        self.enterprise_activated.emit(row.enterprise_id)

    def _on_load_failed(self, error: AppError) -> None:
        self.history_title.setText(error.message)

    # -- internals -------------------------------------------------------------------------------

    def _show_history(self, project: ProjectListRow | None) -> None:
        self._history_generation += 1
        self._selected_id = project.id if project else None
        self._history_model.set_rows(())
        if project is None:
            self.history_title.setText(tr("选择一个项目查看阶段记录"))
            return
        self.history_title.setText(
            tr(
                "阶段记录 — {name}（{enterprise}）",
                name=project.name,
                enterprise=project.enterprise_name,
            )
        )
        generation, service, project_id = self._history_generation, self._service, project.id

        def on_history(changes: tuple[StageChangeView, ...]) -> None:
            if generation == self._history_generation:
                self._history_model.set_rows(changes)
                if not changes:
                    self.history_title.setText(
                        tr("阶段记录 — {name}：暂无阶段变更记录", name=project.name)
                    )
                self.history_shown.emit(project_id)

        self._submit(lambda _token: service.stage_history(project_id), on_history)

    def _update_count(self) -> None:
        self._count.setText(
            tr(
                "显示 {shown} / 共 {total} 个项目",
                shown=self._proxy.rowCount(),
                total=self._model.rowCount(),
            )
        )

    def _submit(self, work: Callable[[CancelToken], Any], done: Callable[[Any], None]) -> None:
        self._runner.submit(work, done, self._on_load_failed, owner=self)
