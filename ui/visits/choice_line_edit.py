"""A line edit that offers choices as you type: Up/Down to move, Enter or Tab to take one.

The choices come either from a fixed list filtered here (our members, their contacts: name
substring or pinyin initials) or from a query the owner runs when the text settles (the
enterprise picker). The popup is a ``QCompleter`` over a list model of frozen rows, shown
unfiltered: the matching is ours, the keyboard handling is Qt's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractProxyModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit, QWidget

AnyIndex = QModelIndex | QPersistentModelIndex
SETTLE_MS = 150


@dataclass(frozen=True, slots=True)
class Choice:
    """One offered line: ``text`` goes into the box, ``detail`` is shown beside it."""

    id: str
    text: str
    detail: str = ""
    initials: str = ""
    payload: Any = None

    def matches(self, typed: str) -> bool:
        typed = typed.strip().lower()
        if not typed:
            return True
        return typed in self.text.lower() or (bool(self.initials) and typed in self.initials)


class ChoiceListModel(QAbstractListModel):
    """The offered choices; the display shows the detail too, the edit role only the text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[Choice, ...] = ()

    def set_rows(self, rows: Sequence[Choice]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Choice:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        choice = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{choice.text}    {choice.detail}" if choice.detail else choice.text
        if role == Qt.ItemDataRole.EditRole:
            return choice.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return choice.detail or None
        return None


class ChoiceLineEdit(QLineEdit):
    """Emits ``choice_picked`` when a choice is taken (Enter or Tab in the open list, or a
    click), ``text_settled`` when typing pauses (for owners that query), and
    ``advance_requested`` on Enter with the list closed (move to the next field)."""

    choice_picked = Signal(object)  # Choice
    text_settled = Signal(str)
    advance_requested = Signal()
    focus_left = Signal()

    def __init__(self, parent: QWidget | None = None, *, advance_on_pick: bool = False) -> None:
        super().__init__(parent)
        self.advance_on_pick = advance_on_pick
        """Enter that takes a choice also moves on (else a second Enter does)."""
        self._fixed: tuple[Choice, ...] | None = None
        self._model = ChoiceListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCompletionRole(Qt.ItemDataRole.EditRole)
        self._completer.setMaxVisibleItems(10)
        self._completer.setWidget(self)
        activated = self._completer.activated[QModelIndex]  # type: ignore[index]
        activated.connect(self._on_completer_activated)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._on_settle_timeout)
        self.textEdited.connect(self._on_self_text_edited)

    @property
    def model(self) -> ChoiceListModel:
        return self._model

    def popup_visible(self) -> bool:
        return self._popup().isVisible()

    def set_fixed_choices(self, choices: Sequence[Choice]) -> None:
        """Offer these, filtered here as the user types."""
        self._fixed = tuple(choices)

    def show_choices(self, choices: Sequence[Choice]) -> None:
        """Offer these now (the answer to a query), the first one ready to take."""
        self._model.set_rows(choices)
        if not choices or not self.hasFocus():
            self._popup().hide()
            return
        self._completer.complete()
        popup = self._popup()
        popup.setCurrentIndex(self._completer.completionModel().index(0, 0))
        popup.setMinimumWidth(max(self.width(), 360))

    def hide_choices(self) -> None:
        self._popup().hide()

    def _popup(self) -> QAbstractItemView:
        popup = self._completer.popup()
        assert popup is not None
        return popup

    def event(self, event: QEvent) -> bool:
        # With the list open, key presses reach us through the completer's popup first.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
            and self.popup_visible()
        ):
            index = self._popup().currentIndex()
            self.hide_choices()
            if index.isValid():
                self._take(index)
            if event.key() != Qt.Key.Key_Tab:  # Tab goes on to the next field as well
                event.accept()
                if index.isValid() and self.advance_on_pick:
                    self.advance_requested.emit()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.advance_requested.emit()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Down and not self.popup_visible() and self._fixed is not None:
            self._offer_fixed()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.focus_left.emit()

    def _on_self_text_edited(self, _text: str) -> None:
        if self._fixed is not None:
            self._offer_fixed()
        else:
            self._settle.start()

    def offer_choices(self) -> None:
        """Show the fixed choices matching the text now."""
        if self._fixed is not None:
            self._offer_fixed()

    def _offer_fixed(self) -> None:
        assert self._fixed is not None
        typed = self.text()
        self.show_choices([choice for choice in self._fixed if choice.matches(typed)])

    def _on_settle_timeout(self) -> None:
        self.text_settled.emit(self.text())

    def _on_completer_activated(self, index: QModelIndex) -> None:
        self._take(index)  # a click in the list

    def _take(self, index: QModelIndex) -> None:
        proxy = self._completer.completionModel()
        if index.model() is not self._model and isinstance(proxy, QAbstractProxyModel):
            index = proxy.mapToSource(index)
        if not index.isValid() or not (0 <= index.row() < self._model.rowCount()):
            return
        choice = self._model.row_at(index.row())
        self._settle.stop()
        self.setText(choice.text)
        self.choice_picked.emit(choice)
