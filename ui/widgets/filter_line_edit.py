"""A filter box that reports its text once the user pauses typing."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

DEBOUNCE_MS = 200


class FilterLineEdit(QLineEdit):
    """Emits ``text_settled`` ~200 ms after the last keystroke (Esc clears at once)."""

    text_settled = Signal(str)

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.textEdited.connect(self._on_self_text_edited)
        self.textChanged.connect(self._on_self_text_changed)

    def settle_now(self) -> None:
        """Report the current text without waiting (Enter does this too)."""
        self._timer.stop()
        self.text_settled.emit(self.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            self.settle_now()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.settle_now()
            return
        super().keyPressEvent(event)

    def _on_self_text_edited(self, _text: str) -> None:
        self._timer.start()

    def _on_self_text_changed(self, text: str) -> None:
        if not text and not self._timer.isActive():
            self._timer.start()  # the clear button empties the box without textEdited

    def _on_timer_timeout(self) -> None:
        self.text_settled.emit(self.text())
