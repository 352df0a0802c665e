"""The visit form (拜访记录): keyboard first, saved as it is typed.

Tab goes top to bottom — enterprise, date, place, trip, chain link, our participants, their
attendees, purpose, discussion, outcomes, next steps, follow-up tasks, attachments. Enter moves
on in one-line fields (and takes the highlighted choice in a list), Ctrl+Enter moves on from the
text boxes, Ctrl+S saves at once, Esc closes (what was typed is already saved). Autosave is
``VisitAutosaver``; the visit row is created as soon as an enterprise is chosen.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from app.domain.visit import PLACE_LIMIT, VisitContent
from app.i18n import tr
from app.services.visit_views import EnterpriseChoice, PersonChoice
from ui.chains.link_field import LinkField
from ui.formatting import qdate
from ui.task_runner import TaskRunner
from ui.visits.attendees_editor import AttendeesEditor
from ui.visits.date_field import DateField
from ui.visits.enterprise_picker import EnterprisePicker
from ui.visits.follow_up_editor import FollowUpEditor
from ui.visits.form_rows import FieldProblems, section
from ui.visits.note_edit import NoteEdit
from ui.visits.participants_editor import ParticipantsEditor
from ui.visits.trip_field import TripField
from ui.visits.visit_autosave import DRAFT, VisitAutosaver
from ui.visits.visit_form_start import VisitFormStart
from ui.visits.visit_services import VisitServices
from ui.widgets.attachment_strip import AttachmentStrip
from ui.widgets.form_keys import claims_form_key, is_escape_key, is_save_key
from ui.widgets.save_status import SaveStatusLabel

BODY_MAX_WIDTH = 1800
"""On a wide screen the form stays this wide (lines of text stay readable), centred."""


class VisitEditor(QWidget):
    """One visit being written. Lives until its last save is done (the page keeps it so)."""

    save_state_changed = Signal(str, str)
    history_requested = Signal(str, str)
    close_requested = Signal()
    visit_created = Signal(str)
    print_requested = Signal(str)  # visit id, once what was typed is on its way to the database

    def __init__(
        self,
        services: VisitServices,
        runner: TaskRunner,
        start: VisitFormStart,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._start = start
        self._problems = FieldProblems()
        self._last_content = VisitContent()
        self._build()
        self._fill(start)
        defaults = start.defaults
        self.autosaver = VisitAutosaver(
            services,
            runner,
            self.content,
            create_fields={"squad_id": defaults.squad_id, "author_id": defaults.member_id},
            visit_id=start.visit.id if start.visit else None,
            saved=start.saved,
            draft_id=start.draft.draft_id if start.draft else None,
            parent=self,
        )
        self.autosaver.set_enterprise_name(start.enterprise.name if start.enterprise else "")
        self.autosaver.save_state_changed.connect(self._on_autosaver_save_state_changed)
        self.autosaver.visit_created.connect(self._on_autosaver_visit_created)
        self.autosaver.field_problem.connect(self._on_autosaver_field_problem)
        self._connect_changes()
        self._set_visit_id(self.autosaver.visit_id if self.autosaver.exists else None)
        if start.draft is not None or (start.visit is None and start.enterprise is not None):
            self.autosaver.save_now()  # a recovered draft, or a new visit of a known enterprise

    # -- public ----------------------------------------------------------------------------------

    @property
    def visit_id(self) -> str | None:
        """Set once the visit row exists."""
        return self.autosaver.visit_id if self.autosaver.exists else None

    @property
    def is_new(self) -> bool:
        return self._start.visit is None

    def content(self) -> VisitContent:
        """What the form holds now (while the form is being torn down — focus moving out of a
        field as its neighbours go — what it held last)."""
        if not self._inputs_alive():
            return self._last_content
        chosen = self.enterprise.chosen
        self._last_content = VisitContent(
            enterprise_id=chosen.id if chosen else None,
            visited_on=self.date.day(),
            place=self.place.text(),
            trip_id=self.trip.trip_id(),
            chain_link_id=self.link.link_id(),
            purpose=self.purpose.text(),
            discussion=self.discussion.text(),
            outcomes=self.outcomes.text(),
            next_steps=self.next_steps.text(),
            participant_ids=self.participants.member_ids(),
            attendees=self.attendees.attendees(),
        )
        return self._last_content

    def _inputs_alive(self) -> bool:
        boxes: list[QWidget] = [
            self.enterprise,
            self.date,
            self.place,
            self.trip,
            self.link,
            self.participants,
            self.attendees,
            self.purpose,
            self.discussion,
            self.outcomes,
            self.next_steps,
        ]
        return all(Shiboken.isValid(box) for box in boxes) and all(
            Shiboken.isValid(row) for row in self.attendees.rows
        )

    def focus_first_field(self) -> None:
        """The enterprise for a new visit without one, else the first thing to write."""
        if self.enterprise.chosen is None:
            self.enterprise.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.is_new:
            self.place.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.discussion.setFocus(Qt.FocusReason.OtherFocusReason)
            self.discussion.moveCursor(self.discussion.textCursor().MoveOperation.End)

    def save_now(self) -> None:
        self.autosaver.save_now()

    def request_print(self) -> None:
        """打印纪要: save what was typed (queued ahead of the report), then ask for the summary."""
        self.autosaver.save_now()
        if self.visit_id is None:
            self._problems.show("enterprise_id", tr("选择拜访企业后才能打印纪要"))
            return
        self.print_requested.emit(self.visit_id)

    def problem(self, field: str) -> str:
        return self._problems.text(field)

    # -- keyboard --------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Ctrl+S and Esc belong to the form while it has focus, whatever the window binds.
        return claims_form_key(event) or super().event(event)

    def hideEvent(self, event: QHideEvent) -> None:
        # Leaving the page or closing the window: what was typed goes now, not in a second.
        super().hideEvent(event)
        self.autosaver.save_now()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_save_key(event):
            self.autosaver.save_now()
            event.accept()
            return
        if is_escape_key(event):
            self.autosaver.save_now()
            self.close_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter moves on from the date and the trip (their popups keep their own Enter)."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self._advance()
            return True
        return super().eventFilter(watched, event)

    # -- building --------------------------------------------------------------------------------

    def _build(self) -> None:
        self._title = QLabel(self)
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self._title.setFont(font)
        self._status = SaveStatusLabel(self)
        self._history = QPushButton(tr("历史"), self)
        self._history.setToolTip(tr("这条拜访记录的修改历史"))
        self._history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._history.clicked.connect(self._on_history_clicked)
        self._print = QPushButton(tr("打印纪要"), self)
        self._print.setToolTip(tr("保存后预览并打印这次拜访的纪要 (Ctrl+P)"))
        self._print.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._print.clicked.connect(self.request_print)
        self._close = QPushButton(tr("完成"), self)
        self._close.setToolTip(tr("关闭表单（Esc）；输入的内容已自动保存"))
        self._close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._close.clicked.connect(self._on_close_clicked)
        header = QHBoxLayout()
        header.addWidget(self._title, 1)
        header.addWidget(self._status)
        header.addWidget(self._print)
        header.addWidget(self._history)
        header.addWidget(self._close)

        services, runner = self._services, self._runner
        self.enterprise = EnterprisePicker(services.choices, runner, self)
        self.date = DateField(self)
        self.place = QLineEdit(self)
        self.place.setMaxLength(PLACE_LIMIT)
        self.place.setPlaceholderText(tr("如：企业总部会议室"))
        self.trip = TripField(services.choices, runner, self)
        self.trip.touched = self._start.visit is not None or self._start.draft is not None
        self.link = LinkField(services.chains, runner, self)
        self.link.touched = self.trip.touched
        self.participants = ParticipantsEditor(self)
        self.attendees = AttendeesEditor(self)
        self.purpose = NoteEdit(tr("这次拜访想谈成什么"), 2, self, most=4)
        self.discussion = NoteEdit(tr("谈了什么：对方的诉求、我方的介绍与回应…"), 7, self)
        self.outcomes = NoteEdit(tr("达成的共识、拿到的资料、确定的事项"), 3, self, most=8)
        self.next_steps = NoteEdit(tr("下一步怎么跟进"), 3, self, most=8)
        self.follow_up = FollowUpEditor(services.tasks, services.visits, runner, self)
        self.attachments = AttachmentStrip(services.attachments, runner, self)
        for widget in (self.date, self.trip, self.link):
            widget.installEventFilter(self)

        basics = QFormLayout()
        basics.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        basics.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._problems.add_row(basics, tr("拜访企业"), "enterprise_id", self.enterprise)
        when = QHBoxLayout()
        when.addWidget(self.date)
        when.addWidget(QLabel(tr("地点"), self))
        when.addWidget(self.place, 1)
        self._problems.add_row(basics, tr("拜访日期"), "visited_on", when, also=("place",))
        self._problems.add_row(basics, tr("所属出行"), "trip_id", self.trip)
        self._problems.add_row(basics, tr("产业链环节"), "chain_link_id", self.link)
        self._problems.add_row(basics, tr("我方人员"), "participants", self.participants)
        self._problems.add_row(basics, tr("对方人员"), "attendees", self.attendees)

        texts = QFormLayout()
        texts.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._problems.add_row(texts, tr("拜访目的"), "purpose", self.purpose)
        self._problems.add_row(texts, tr("洽谈内容"), "discussion", self.discussion)
        self._problems.add_row(texts, tr("成果"), "outcomes", self.outcomes)
        self._problems.add_row(texts, tr("下一步"), "next_steps", self.next_steps)

        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(10)
        grid.addWidget(section(tr("基本情况"), basics, self), 0, 0)
        grid.addWidget(section(tr("拜访内容"), texts, self, stretch=False), 0, 1)
        grid.addWidget(section(tr("跟进任务"), self.follow_up, self), 1, 0)
        grid.addWidget(section(tr("照片和文件"), self.attachments, self), 1, 1)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 6)
        grid.setRowStretch(0, 1)

        body = QWidget(self)
        body.setLayout(grid)
        body.setMaximumWidth(BODY_MAX_WIDTH)
        centred = QWidget(self)
        centring = QHBoxLayout(centred)
        centring.setContentsMargins(0, 0, 0, 0)
        centring.addWidget(body)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(centred)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        top = QWidget(self)
        top.setLayout(header)
        top.setMaximumWidth(BODY_MAX_WIDTH)
        top_row = QHBoxLayout()
        top_row.addWidget(top)  # centred like the body below it on a wide screen
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top_row)
        layout.addWidget(scroll, 1)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.enterprise,
            self.date,
            self.place,
            self.trip,
            self.link,
            self.participants.input,
            *[w for row in self.attendees.rows for w in (row.name, row.title)],
            self.purpose,
            self.discussion,
            self.outcomes,
            self.next_steps,
            self.follow_up.title,
            self.follow_up.owner,
            self.follow_up.due,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- filling ---------------------------------------------------------------------------------

    def _fill(self, start: VisitFormStart) -> None:
        shown = start.shown
        defaults = start.defaults
        self._title.setText(tr("新建拜访记录") if start.visit is None else tr("编辑拜访记录"))
        self.enterprise.set_chosen(start.enterprise)
        today = defaults.today
        self.date.setMaximumDate(qdate(today))
        self.date.set_day(shown.visited_on or today)
        self.place.setText(shown.place)
        self.trip.show_trips(start.trips, shown.trip_id)
        self.link.show_choices(start.links, shown.chain_link_id)
        self.participants.set_people(defaults.members)
        self.participants.set_chosen(start.participants)
        self.attendees.set_contacts(start.contacts)
        self.attendees.set_attendees(shown.typed_attendees())
        for box, text in (
            (self.purpose, shown.purpose),
            (self.discussion, shown.discussion),
            (self.outcomes, shown.outcomes),
            (self.next_steps, shown.next_steps),
        ):
            box.set_text_quietly(text)
        self.follow_up.set_people(defaults.members, defaults.member_id, today)
        self.follow_up.show_tasks(start.tasks)

    def _connect_changes(self) -> None:
        saver = self.autosaver
        self.enterprise.enterprise_chosen.connect(self._on_enterprise_chosen)
        self.enterprise.problem_found.connect(self._on_enterprise_problem_found)
        self.enterprise.advance_requested.connect(self._on_enterprise_advance_requested)
        self.date.dateChanged.connect(self._on_date_changed)
        self.place.textEdited.connect(saver.content_changed)
        self.place.editingFinished.connect(saver.save_now)
        self.place.returnPressed.connect(self._advance)
        self.trip.trip_chosen.connect(saver.save_now)
        self.trip.choices_changed.connect(saver.content_changed)
        self.link.link_chosen.connect(saver.save_now)
        self.participants.participants_changed.connect(saver.save_now)
        self.participants.advance_requested.connect(self._advance)
        self.attendees.attendees_changed.connect(saver.content_changed)
        self.attendees.advance_requested.connect(self._on_attendees_advance_requested)
        for box in (self.purpose, self.discussion, self.outcomes, self.next_steps):
            box.textChanged.connect(saver.content_changed)
            box.focus_left.connect(saver.save_now)
        self.attendees.field_left.connect(saver.save_now)
        self.follow_up.advance_requested.connect(self._advance)

    # -- handlers --------------------------------------------------------------------------------

    def _advance(self) -> None:
        self.focusNextChild()

    def _on_enterprise_advance_requested(self) -> None:
        if self.enterprise.chosen is not None and not self.enterprise.popup_visible():
            self._advance()

    def _on_enterprise_chosen(self, enterprise: EnterpriseChoice) -> None:
        self.autosaver.set_enterprise_name(enterprise.name)
        self.autosaver.save_now()
        self.link.follow_enterprise(enterprise.id)
        choices = self._services.choices
        self._runner.submit(
            lambda _token: choices.contacts(enterprise.id),
            on_success=self._on_contacts_loaded,
            owner=self,
        )

    def _on_contacts_loaded(self, contacts: tuple[PersonChoice, ...]) -> None:
        self.attendees.set_contacts(contacts)

    def _on_enterprise_problem_found(self, message: str) -> None:
        self._on_autosaver_field_problem("enterprise_id", message)

    def _on_date_changed(self, _day: QDate) -> None:
        self.autosaver.content_changed()
        self.trip.follow_date(self.date.day())

    def _on_attendees_advance_requested(self) -> None:
        self.purpose.setFocus(Qt.FocusReason.TabFocusReason)

    def _on_history_clicked(self) -> None:
        if self.visit_id is not None:
            self.history_requested.emit("visits", self.visit_id)

    def _on_close_clicked(self) -> None:
        self.autosaver.save_now()
        self.close_requested.emit()

    def _on_autosaver_save_state_changed(self, state: str, message: str) -> None:
        self._status.show_state(state, message)
        if self.autosaver.state == DRAFT:
            self._status.setText(tr("草稿已存在本机，选择企业后存入数据库"))
        self.save_state_changed.emit(state, message)

    def _on_autosaver_visit_created(self, visit_id: str) -> None:
        self._set_visit_id(visit_id)
        self.visit_created.emit(visit_id)

    def _set_visit_id(self, visit_id: str | None) -> None:
        chosen = self.enterprise.chosen
        self.follow_up.set_visit(visit_id, chosen.id if chosen else None)
        self.attachments.set_owner("visits", visit_id)
        self._history.setEnabled(visit_id is not None)
        self._print.setEnabled(visit_id is not None)

    def _on_autosaver_field_problem(self, field: str, message: str) -> None:
        self._problems.show(field, message)
