"""Create or edit a trip: title, dates (days counted as you type), destination, squad, leader
type, who went, purpose, and which of the squad's visits on those dates belong to it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError, ValidationError
from app.domain.trip import TITLE_LIMIT, TripDraft, trip_days, validate_trip_draft
from app.domain.vocabulary import LeaderType
from app.i18n import tr
from app.services.trips import TripDetail, TripPeople
from app.services.visit_views import PersonChoice, VisitListRow
from ui.formatting import format_date, qdate
from ui.task_runner import CancelToken, TaskRunner
from ui.visits.check_list_model import CheckListModel
from ui.visits.date_field import DateField
from ui.visits.form_rows import FieldProblems

if TYPE_CHECKING:
    from app.services.trips import TripService


class TripDialog(QDialog):
    """``trip_saved(id)`` once the trip and its visits are written (one unit of work each)."""

    trip_saved = Signal(str)
    loaded = Signal()

    def __init__(
        self,
        service: TripService,
        runner: TaskRunner,
        trip_id: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._trip_id = trip_id
        self._people: TripPeople | None = None
        self._visits_token: CancelToken | None = None
        self._filed: set[str] = set()
        self.setWindowTitle(tr("新建出行") if trip_id is None else tr("编辑出行"))
        self.resize(720, 600)
        self._problems = FieldProblems()

        self.title = QLineEdit(self)
        self.title.setMaxLength(TITLE_LIMIT)
        self.title.setPlaceholderText(tr("如：赴长三角开展新能源产业链精准招商"))
        today = dt.date.today()
        self.start = _date_edit(today, self)
        self.end = _date_edit(today, self)
        self._days = QLabel(self)
        self._days.setStyleSheet("color: #5f6b7a;")
        self.destination = QLineEdit(self)
        self.destination.setPlaceholderText(tr("如：上海、苏州"))
        self.squad = QComboBox(self)
        self.leader = QComboBox(self)
        for kind in LeaderType:
            self.leader.addItem(kind.label, kind.value)
        self.leader.setCurrentIndex(self.leader.findData(LeaderType.OTHER.value))
        self._member_model: CheckListModel[PersonChoice] = CheckListModel(
            lambda p: f"{p.name}  {p.title}".strip(), lambda p: p.id, self
        )
        self.members = _check_list(self._member_model, self, rows=4)
        self.purpose = QPlainTextEdit(self)
        self.purpose.setTabChangesFocus(True)
        self.purpose.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self._visit_model: CheckListModel[VisitListRow] = CheckListModel(
            lambda v: f"{format_date(v.visited_on)}  {v.enterprise_name}", lambda v: v.id, self
        )
        self.visits = _check_list(self._visit_model, self, rows=6)
        self._visits_hint = QLabel(self)
        self._visits_hint.setStyleSheet("color: #7a8591;")
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self._buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("保存"))
        self._buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self._buttons.accepted.connect(self._on_buttons_accepted)
        self._buttons.rejected.connect(self.reject)
        self._message = QLabel(self)
        self._message.setStyleSheet("color: #b3261e;")
        self._message.setWordWrap(True)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._problems.add_row(form, tr("出行名称"), "title", self.title)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel(tr("至"), self))
        dates.addWidget(self.end)
        dates.addWidget(self._days, 1)
        self._problems.add_row(form, tr("日期"), "end_on", dates, also=("start_on",))
        self._problems.add_row(form, tr("目的地"), "destination", self.destination)
        self._problems.add_row(form, tr("小分队"), "squad_id", self.squad)
        self._problems.add_row(form, tr("带队领导"), "leader_type", self.leader)
        self._problems.add_row(form, tr("出行人员"), "participants", self.members)
        self._problems.add_row(form, tr("出行目的"), "purpose", self.purpose)
        visits = QVBoxLayout()
        visits.addWidget(self.visits)
        visits.addWidget(self._visits_hint)
        self._problems.add_row(form, tr("拜访记录"), "visits", visits)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self._message)
        layout.addWidget(self._buttons)

        self.start.dateChanged.connect(self._on_dates_changed)
        self.end.dateChanged.connect(self._on_dates_changed)
        self.squad.currentIndexChanged.connect(self._on_squad_changed)
        self._set_enabled(False)
        self._on_dates_changed()
        service_, trip_id_ = service, trip_id
        runner.submit(
            lambda _token: (
                service_.people(),
                service_.detail(trip_id_) if trip_id_ else None,
            ),
            on_success=self._on_loaded,
            on_failure=self._on_failed,
            owner=self,
        )

    # -- public ----------------------------------------------------------------------------------

    def draft(self) -> TripDraft:
        return TripDraft(
            title=self.title.text(),
            start_on=_day(self.start.date()),
            end_on=_day(self.end.date()),
            destination=self.destination.text(),
            squad_id=self.squad.currentData(),
            leader_type=self.leader.currentData(),
            purpose=self.purpose.toPlainText(),
            participant_ids=self._member_model.checked_keys(),
        )

    @property
    def member_model(self) -> CheckListModel[PersonChoice]:
        return self._member_model

    @property
    def visit_model(self) -> CheckListModel[VisitListRow]:
        return self._visit_model

    def problem(self, field: str) -> str:
        return self._problems.text(field)

    # -- building --------------------------------------------------------------------------------

    def _set_enabled(self, enabled: bool) -> None:
        self._buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(enabled)

    # -- loading ---------------------------------------------------------------------------------

    def _on_loaded(self, loaded: tuple[TripPeople, TripDetail | None]) -> None:
        people, trip = loaded
        self._people = people
        self.squad.blockSignals(True)
        self.squad.addItem(tr("（不指定）"), None)
        for squad in people.squads:
            self.squad.addItem(squad.name, squad.id)
        self.squad.blockSignals(False)
        if trip is None:
            self.squad.setCurrentIndex(max(self.squad.findData(people.my_squad_id), 0))
            self._show_members((people.me,) if people.me else ())
        else:
            draft = trip.draft
            self._filed = {visit.id for visit in trip.visits}
            self.title.setText(draft.title)
            assert draft.start_on is not None and draft.end_on is not None
            self.start.setDate(qdate(draft.start_on))
            self.end.setDate(qdate(draft.end_on))
            self.destination.setText(draft.destination)
            self.squad.setCurrentIndex(max(self.squad.findData(draft.squad_id), 0))
            self.leader.setCurrentIndex(max(self.leader.findData(draft.leader_type), 0))
            self.purpose.setPlainText(draft.purpose)
            self._show_members(draft.participant_ids, extra=trip.participants)
        self._set_enabled(True)
        self._load_visits()
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)
        self.loaded.emit()

    def _show_members(
        self, checked: tuple[str, ...] | list[str], extra: tuple[PersonChoice, ...] = ()
    ) -> None:
        if self._people is None:
            return
        squad_id = self.squad.currentData()
        rows = [p for s, p in self._people.members if squad_id is None or s == squad_id]
        shown = {p.id for p in rows}
        rows += [p for p in extra if p.id not in shown]
        self._member_model.set_rows(rows, checked)

    def _on_squad_changed(self, _index: int) -> None:
        self._show_members(self._member_model.checked_keys())
        self._load_visits()

    def _on_dates_changed(self) -> None:
        start, end = _day(self.start.date()), _day(self.end.date())
        if end >= start:
            self._days.setText(tr("共 {n} 天", n=trip_days(start, end)))
        else:
            self._days.setText("")
        self._load_visits()

    def _load_visits(self) -> None:
        if self._people is None:
            return
        if self._visits_token is not None:
            self._visits_token.cancel()
        service, trip_id, draft = self._service, self._trip_id, self.draft()
        checked = set(self._visit_model.checked_keys()) | self._filed
        self._visits_token = self._runner.submit(
            lambda _token: service.candidate_visits(trip_id, draft),
            on_success=lambda rows: self._on_visits_loaded(rows, checked),
            owner=self,
        )

    def _on_visits_loaded(self, rows: tuple[VisitListRow, ...], checked: set[str]) -> None:
        self._filed = set()
        self._visit_model.set_rows(rows, checked & {row.id for row in rows})
        self._visits_hint.setText(
            tr("本小分队在这些日期里的拜访，勾选的归入本次出行（空格键勾选）")
            if rows
            else tr("这些日期里没有可归入的拜访记录")
        )

    # -- saving ----------------------------------------------------------------------------------

    def _on_buttons_accepted(self) -> None:
        self._problems.clear()
        try:
            draft = validate_trip_draft(self.draft())
        except ValidationError as error:
            self._show_problem(error)
            return
        service, trip_id = self._service, self._trip_id
        visit_ids = self._visit_model.checked_keys()

        def work(_token: CancelToken) -> str:
            saved_id = trip_id
            if saved_id is None:
                saved_id = service.create(draft)
            else:
                service.update(saved_id, draft)
            service.set_visits(saved_id, visit_ids)
            return saved_id

        self._set_enabled(False)
        self._runner.submit(work, self._on_saved, self._on_failed, owner=self)

    def _on_saved(self, trip_id: str) -> None:
        self._trip_id = trip_id
        self.trip_saved.emit(trip_id)
        self.accept()

    def _on_failed(self, error: AppError) -> None:
        self._set_enabled(True)
        if isinstance(error, ValidationError):
            self._show_problem(error)
        else:
            self._message.setText(error.message)

    def _show_problem(self, error: ValidationError) -> None:
        if not self._problems.show(error.field, error.message):
            self._message.setText(error.message)


def _date_edit(day: dt.date, parent: QWidget) -> DateField:
    edit = DateField(parent)
    edit.set_day(day)
    return edit


def _check_list(model: QAbstractItemModel, parent: QWidget, rows: int) -> QListView:
    view = QListView(parent)
    view.setModel(model)
    view.setUniformItemSizes(True)
    view.setFixedHeight(view.fontMetrics().height() * rows + 24)
    return view


def _day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())
