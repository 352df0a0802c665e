"""The trips tab (出行): every trip with its days and visits; create, edit, file visits.

Enter or F2 on a trip edits it (dates, people, which visits belong to it); Enter on one of its
visits opens that visit. Delete tombstones the trip with 撤销.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import mark, tr
from app.services.trips import TripDetail, TripFilter
from ui.formatting import format_date, join_names
from ui.task_runner import CancelToken, TaskRunner
from ui.visits.trip_dialog import TripDialog
from ui.visits.trip_list_model import Column, TripListModel, leader_label
from ui.widgets.filter_line_edit import FilterLineEdit
from ui.widgets.key_value_form import KeyValueForm
from ui.widgets.list_table import list_table
from ui.widgets.message_bar import UndoMessageBar
from ui.widgets.record_table_model import RecordColumn, RecordTableModel
from ui.widgets.undoable_delete import UndoableDelete

if TYPE_CHECKING:
    from app.services.trips import TripService

_WIDTHS = {
    Column.TITLE: 230,
    Column.DATES: 250,
    Column.DAYS: 60,
    Column.DESTINATION: 150,
    Column.VISITS: 60,
    Column.SQUAD: 120,
}
_VISIT_COLUMNS = (
    RecordColumn(mark("拜访日期"), lambda v: format_date(v.visited_on)),
    RecordColumn(mark("企业"), lambda v: v.enterprise_name),
    RecordColumn(mark("拜访目的"), lambda v: " ".join(v.purpose.split())),
)


class TripsPanel(QWidget):
    visit_activated = Signal(str)
    history_requested = Signal(str, str)
    trip_shown = Signal(str)
    list_loaded = Signal(int)

    def __init__(
        self, service: TripService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._selected_id: str | None = None
        self._trip: TripDetail | None = None
        self._token: CancelToken | None = None
        self.dialog: TripDialog | None = None
        self._model = TripListModel(service, runner, self)
        self._model.rows_loaded.connect(self._on_model_rows_loaded)
        self._model.load_failed.connect(self._on_failed_message)
        self._filter = FilterLineEdit(tr("筛选：出行名称或目的地"), self)
        self._filter.text_settled.connect(self._on_filter_text_settled)
        self._new = QPushButton(tr("新建出行…"), self)
        self._new.clicked.connect(self._on_new_clicked)
        self._count = QLabel(self)
        self._count.setStyleSheet("color: #5f6b7a;")
        self._bar = UndoMessageBar(self)
        self._deletion = UndoableDelete(runner, self._bar, service.delete, service.restore, self)
        self._deletion.deleted.connect(self._on_trip_deleted)
        self._deletion.restored.connect(self._on_trip_restored)
        self._table = list_table(self._model, self, widths=_WIDTHS, show_grid=True)
        self._table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self._shortcut(self._table, self._on_edit_shortcut_activated, Qt.Key.Key_Return)
        self._shortcut(self._table, self._on_edit_shortcut_activated, Qt.Key.Key_Enter)
        self._shortcut(self._table, self._on_edit_shortcut_activated, Qt.Key.Key_F2)
        self._shortcut(
            self._table, self._on_delete_shortcut_activated, QKeySequence.StandardKey.Delete
        )

        self._title = QLabel(self)
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self._title.setFont(font)
        self._title.setWordWrap(True)
        self._edit = QPushButton(tr("编辑…"), self)
        self._edit.clicked.connect(self._on_edit_clicked)
        self._history = QPushButton(tr("历史"), self)
        self._history.clicked.connect(self._on_history_clicked)
        self._form = KeyValueForm(self)
        for key, caption in (
            ("dates", tr("日期")),
            ("days", tr("天数")),
            ("destination", tr("目的地")),
            ("squad", tr("小分队")),
            ("leader", tr("带队领导")),
            ("participants", tr("出行人员")),
            ("purpose", tr("出行目的")),
        ):
            self._form.add_row(key, caption)
        self._visit_model = RecordTableModel(_VISIT_COLUMNS, self)
        self._visits = list_table(self._visit_model, self, widths=(130, 220))
        self._visits.activated.connect(self._on_visits_activated)
        self._shortcut(self._visits, self._on_visit_enter, Qt.Key.Key_Return)
        self._shortcut(self._visits, self._on_visit_enter, Qt.Key.Key_Enter)
        self._visits_heading = QLabel(self)
        self._visits_heading.setStyleSheet("color: #2b4a6f; font-weight: bold;")

        top = QHBoxLayout()
        top.addWidget(self._filter, 1)
        top.addWidget(self._count)
        top.addWidget(self._new)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 4, 8)
        left_layout.addLayout(top)
        left_layout.addWidget(self._bar)
        left_layout.addWidget(self._table, 1)
        header = QHBoxLayout()
        header.addWidget(self._title, 1)
        header.addWidget(self._edit, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self._history, 0, Qt.AlignmentFlag.AlignTop)
        self._detail = QWidget(self)
        detail_layout = QVBoxLayout(self._detail)
        detail_layout.setContentsMargins(12, 8, 8, 8)
        detail_layout.addLayout(header)
        detail_layout.addWidget(self._form)
        detail_layout.addWidget(self._visits_heading)
        detail_layout.addWidget(self._visits, 1)
        self._detail.hide()
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self._detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([720, 460])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # -- public ----------------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self._model.requested

    @property
    def model(self) -> TripListModel:
        return self._model

    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def trip(self) -> TripDetail | None:
        return self._trip

    @property
    def visit_model(self) -> RecordTableModel:
        return self._visit_model

    def refresh(self) -> None:
        self._model.reload(keep_loaded=self._model.requested)
        if self._selected_id is not None:
            self._load_detail(self._selected_id)

    def new_trip(self) -> None:
        self._open_dialog(None)

    def edit_trip(self, trip_id: str) -> None:
        self._open_dialog(trip_id)

    # -- list ------------------------------------------------------------------------------------

    def _shortcut(
        self, view: QWidget, slot: Callable[[], None], key: Qt.Key | QKeySequence.StandardKey
    ) -> None:
        shortcut = QShortcut(QKeySequence(key), view)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(slot)

    def _on_filter_text_settled(self, text: str) -> None:
        self._model.set_filter(TripFilter(text=text.strip()))

    def _on_model_rows_loaded(self, total: int) -> None:
        self._count.setText(tr("共 {count} 次出行", count=f"{total:,}"))
        if self._selected_id is not None:
            row = self._model.row_of(self._selected_id)
            if row is not None:
                self._table.selectRow(row)
        self.list_loaded.emit(total)

    def _on_table_selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        rows = {index.row() for index in selected.indexes()}
        if len(rows) == 1:
            trip_id = self._model.row_at(rows.pop()).id
            if trip_id != self._selected_id or self._trip is None:
                self._selected_id = trip_id
                self._load_detail(trip_id)

    def _selected_row_id(self) -> str | None:
        index = self._table.selectionModel().currentIndex()
        return self._model.row_at(index.row()).id if index.isValid() else None

    def _on_edit_shortcut_activated(self) -> None:
        trip_id = self._selected_row_id()
        if trip_id is not None:
            self._open_dialog(trip_id)

    def _on_delete_shortcut_activated(self) -> None:
        if self._trip is not None:
            self._deletion.delete(self._trip.id, self._trip.draft.title)

    def _on_trip_deleted(self, trip_id: str) -> None:
        if self._selected_id == trip_id:
            self._selected_id = None
            self._trip = None
            self._detail.hide()
        self._model.reload(keep_loaded=True)

    def _on_trip_restored(self, trip_id: str) -> None:
        self._selected_id = trip_id
        self.refresh()

    # -- detail ----------------------------------------------------------------------------------

    def _load_detail(self, trip_id: str) -> None:
        if self._token is not None:
            self._token.cancel()
        service = self._service
        self._token = self._runner.submit(
            lambda _token: service.detail(trip_id),
            on_success=self._on_detail_loaded,
            on_failure=self._on_failed,
            owner=self,
        )

    def _on_detail_loaded(self, trip: TripDetail) -> None:
        if trip.id != self._selected_id:
            return
        self._trip = trip
        draft = trip.draft
        self._title.setText(draft.title)
        self._form.set_value(
            "dates",
            tr("{start} — {end}", start=format_date(draft.start_on), end=format_date(draft.end_on)),
        )
        self._form.set_value("days", tr("{n} 天", n=trip.days))
        self._form.set_value("destination", draft.destination)
        self._form.set_value("squad", trip.squad_name)
        self._form.set_value("leader", leader_label(draft.leader_type))
        self._form.set_value("participants", join_names(p.name for p in trip.participants))
        self._form.set_value("purpose", draft.purpose)
        self._visit_model.set_rows(trip.visits)
        self._visits_heading.setText(tr("本次出行的拜访（{n}）", n=len(trip.visits)))
        self._detail.show()
        self.trip_shown.emit(trip.id)

    def _on_edit_clicked(self) -> None:
        if self._trip is not None:
            self._open_dialog(self._trip.id)

    def _on_history_clicked(self) -> None:
        if self._trip is not None:
            self.history_requested.emit("trips", self._trip.id)

    def _on_visits_activated(self, index: QModelIndex) -> None:
        self.visit_activated.emit(self._visit_model.row_at(index.row()).id)

    def _on_visit_enter(self) -> None:
        index = self._visits.selectionModel().currentIndex()
        if index.isValid():
            self._on_visits_activated(index)

    # -- dialog ----------------------------------------------------------------------------------

    def _on_new_clicked(self) -> None:
        self._open_dialog(None)

    def _open_dialog(self, trip_id: str | None) -> None:
        dialog = TripDialog(self._service, self._runner, trip_id, self)
        dialog.trip_saved.connect(self._on_dialog_trip_saved)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def _on_dialog_trip_saved(self, trip_id: str) -> None:
        self.dialog = None
        self._selected_id = trip_id
        self._trip = None
        self.refresh()

    def _on_failed(self, error: AppError) -> None:
        self._on_failed_message(error.message)

    def _on_failed_message(self, message: str) -> None:
        self._bar.show_message(message)
