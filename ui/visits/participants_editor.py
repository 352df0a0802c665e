"""Our participants at a visit: names as chips, more added by typing a name or its initials."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from app.i18n import tr
from app.services.visit_views import PersonChoice
from ui.visits.choice_line_edit import Choice, ChoiceLineEdit


class _NameInput(ChoiceLineEdit):
    """Backspace in the empty box takes the last chip away."""

    backspace_on_empty = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Backspace and not self.text():
            self.backspace_on_empty.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class ParticipantsEditor(QWidget):
    """Holds the chosen member ids in order; ``participants_changed`` after each change."""

    participants_changed = Signal()
    advance_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._people: dict[str, PersonChoice] = {}
        self._chosen: list[str] = []
        self._chips: dict[str, QToolButton] = {}
        self._input = _NameInput(self)
        self._input.setPlaceholderText(tr("输入姓名或拼音首字母添加"))
        self._input.choice_picked.connect(self._on_input_choice_picked)
        self._input.backspace_on_empty.connect(self._on_input_backspace_on_empty)
        self._input.advance_requested.connect(self._on_input_advance_requested)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._layout.addWidget(self._input, 1)
        self.setFocusProxy(self._input)

    @property
    def input(self) -> ChoiceLineEdit:
        return self._input

    def member_ids(self) -> tuple[str, ...]:
        return tuple(self._chosen)

    def names(self) -> tuple[str, ...]:
        return tuple(self._people[m].name if m in self._people else m for m in self._chosen)

    def set_people(self, people: Sequence[PersonChoice]) -> None:
        """Who may be added (my squad); people already chosen stay whatever the list."""
        for person in people:
            self._people[person.id] = person
        self._refresh_offer(people)

    def set_chosen(self, people: Sequence[PersonChoice]) -> None:
        for member_id in list(self._chosen):
            self._remove_chip(member_id)
        self._chosen.clear()
        for person in people:
            self._people.setdefault(person.id, person)
            self._add(person.id)

    def _refresh_offer(self, people: Sequence[PersonChoice] | None = None) -> None:
        pool = people if people is not None else tuple(self._people.values())
        self._input.set_fixed_choices(
            [
                Choice(p.id, p.name, p.title, p.initials, payload=p)
                for p in pool
                if p.id not in self._chosen
            ]
        )

    def _add(self, member_id: str) -> None:
        if member_id in self._chosen:
            return
        self._chosen.append(member_id)
        person = self._people.get(member_id)
        chip = QToolButton(self)
        chip.setText(tr("{name} ×", name=person.name if person else member_id))
        chip.setToolTip(tr("移除（或在输入框为空时按退格键）"))
        chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        chip.setStyleSheet(
            "QToolButton { background: #e8eef6; border: 1px solid #c5d3e6; border-radius: 9px;"
            " padding: 1px 8px; color: #23405f; }"
        )
        chip.clicked.connect(lambda _checked=False, mid=member_id: self._on_chip_clicked(mid))
        self._layout.insertWidget(self._layout.count() - 1, chip)
        chip.show()
        self._chips[member_id] = chip

    def _remove_chip(self, member_id: str) -> None:
        chip = self._chips.pop(member_id, None)
        if chip is not None:
            self._layout.removeWidget(chip)
            chip.deleteLater()

    def _remove(self, member_id: str) -> None:
        if member_id not in self._chosen:
            return
        self._chosen.remove(member_id)
        self._remove_chip(member_id)
        self._refresh_offer()
        self.participants_changed.emit()

    def _on_chip_clicked(self, member_id: str) -> None:
        self._remove(member_id)

    def _on_input_choice_picked(self, choice: Choice) -> None:
        self._input.clear()
        self._add(choice.id)
        self._refresh_offer()
        self.participants_changed.emit()

    def _on_input_backspace_on_empty(self) -> None:
        if self._chosen:
            self._remove(self._chosen[-1])

    def _on_input_advance_requested(self) -> None:
        if not self._input.text().strip():
            self.advance_requested.emit()
