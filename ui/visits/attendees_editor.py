"""Their attendees at a visit: one row per person, name and title; Enter adds a row.

Typing a name offers the enterprise's known contacts (name or pinyin initials); taking one
fills in the title and links the contact. A name nobody knows stays free text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QVBoxLayout, QWidget

from app.domain.ids import new_id
from app.domain.visit import AttendeeDraft
from app.i18n import tr
from app.services.visit_views import PersonChoice
from ui.visits.choice_line_edit import Choice, ChoiceLineEdit


class AttendeeRow(QWidget):
    """One person: name (with contact choices), title, and a remove button."""

    changed = Signal()
    enter_in_name = Signal()
    enter_in_title = Signal()
    remove_clicked = Signal()

    def __init__(self, attendee: AttendeeDraft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attendee_id = ""
        self._contact_id: str | None = None
        self._contact_name = ""
        self.name = ChoiceLineEdit(self, advance_on_pick=True)
        self.name.setPlaceholderText(tr("姓名"))
        self.name.setMaxLength(50)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(tr("职务"))
        self.title.setMaxLength(50)
        self.load(attendee)
        remove = QToolButton(self)
        remove.setText("×")
        remove.setAutoRaise(True)
        remove.setToolTip(tr("删除这一行"))
        remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        remove.clicked.connect(self.remove_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.name, 3)
        layout.addWidget(self.title, 4)
        layout.addWidget(remove)
        self.name.textChanged.connect(self._on_name_text_changed)
        self.name.choice_picked.connect(self._on_name_choice_picked)
        self.name.advance_requested.connect(self.enter_in_name)
        self.title.textChanged.connect(self.changed)
        self.title.returnPressed.connect(self.enter_in_title)

    def load(self, attendee: AttendeeDraft) -> None:
        """Show this person (quietly: loading is not an edit)."""
        self.attendee_id = attendee.id or new_id()
        self._contact_id = attendee.contact_id
        self._contact_name = attendee.name if attendee.contact_id else ""
        for box, text in ((self.name, attendee.name), (self.title, attendee.title)):
            box.blockSignals(True)
            box.setText(text)
            box.blockSignals(False)

    def draft(self) -> AttendeeDraft:
        return AttendeeDraft(
            self.name.text(), self.title.text(), self._contact_id, self.attendee_id
        )

    def is_blank(self) -> bool:
        return self.draft().blank

    def _on_name_text_changed(self, text: str) -> None:
        if self._contact_id is not None and text != self._contact_name:
            self._contact_id = None  # a different person now: free text
        self.changed.emit()

    def _on_name_choice_picked(self, choice: Choice) -> None:
        contact: PersonChoice = choice.payload
        self._contact_id = contact.id
        self._contact_name = contact.name
        if contact.title:
            self.title.setText(contact.title)
        self.changed.emit()


class AttendeesEditor(QWidget):
    """The rows; ``attendees_changed`` on any edit, ``advance_requested`` when Enter is pressed
    in an empty last row (done with this list)."""

    attendees_changed = Signal()
    advance_requested = Signal()
    field_left = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._contacts: tuple[Choice, ...] = ()
        self._rows: list[AttendeeRow] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._add_row(AttendeeDraft(""))

    @property
    def rows(self) -> tuple[AttendeeRow, ...]:
        return tuple(self._rows)

    def first_field(self) -> QWidget:
        return self._rows[0].name

    def last_field(self) -> QWidget:
        return self._rows[-1].title

    def attendees(self) -> tuple[AttendeeDraft, ...]:
        return tuple(row.draft() for row in self._rows)

    def set_contacts(self, contacts: Sequence[PersonChoice]) -> None:
        self._contacts = tuple(
            Choice(c.id, c.name, c.title, c.initials, payload=c) for c in contacts
        )
        for row in self._rows:
            row.name.set_fixed_choices(self._contacts)
            if row.name.hasFocus() and row.name.text():
                row.name.offer_choices()  # typed before the contacts arrived

    def set_attendees(self, attendees: Sequence[AttendeeDraft]) -> None:
        """Show these people and one empty row (the first row is reused: it keeps its place
        in the form's Tab order)."""
        for row in self._rows[1:]:
            self._layout.removeWidget(row)
            row.deleteLater()
        del self._rows[1:]
        people = [*attendees, AttendeeDraft("")]
        self._rows[0].load(people[0])
        for attendee in people[1:]:
            self._add_row(attendee)

    def _add_row(self, attendee: AttendeeDraft) -> AttendeeRow:
        row = AttendeeRow(attendee, self)
        row.name.set_fixed_choices(self._contacts)
        row.changed.connect(self.attendees_changed)
        row.name.focus_left.connect(self.field_left)
        row.title.editingFinished.connect(self.field_left)
        row.enter_in_name.connect(lambda r=row: self._on_row_enter_in_name(r))
        row.enter_in_title.connect(lambda r=row: self._on_row_enter_in_title(r))
        row.remove_clicked.connect(lambda r=row: self._on_row_remove_clicked(r))
        if self._rows:
            before = self._rows[-1].title
            QWidget.setTabOrder(before, row.name)
            QWidget.setTabOrder(row.name, row.title)
        self._rows.append(row)
        self._layout.addWidget(row)
        row.show()  # at once: a row still hidden would be skipped by Tab and refuse focus
        return row

    def _on_row_enter_in_name(self, row: AttendeeRow) -> None:
        if row.name.text().strip():
            row.title.setFocus(Qt.FocusReason.TabFocusReason)
        elif row is self._rows[-1] and len(self._rows) > 1:
            self.advance_requested.emit()
        else:
            row.title.setFocus(Qt.FocusReason.TabFocusReason)

    def _on_row_enter_in_title(self, row: AttendeeRow) -> None:
        index = self._rows.index(row)
        if index + 1 < len(self._rows):
            self._rows[index + 1].name.setFocus(Qt.FocusReason.TabFocusReason)
        elif row.is_blank():
            self.advance_requested.emit()
        else:
            self._add_row(AttendeeDraft("")).name.setFocus(Qt.FocusReason.TabFocusReason)

    def _on_row_remove_clicked(self, row: AttendeeRow) -> None:
        if len(self._rows) == 1:
            row.name.clear()
            row.title.clear()
            return
        self._rows.remove(row)
        self._layout.removeWidget(row)
        row.deleteLater()
        self.attendees_changed.emit()
