"""Multi-line text of the visit form: Tab moves on, Ctrl+Enter too; leaving it is reported."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget


class NoteEdit(QPlainTextEdit):
    """Plain text; Enter is a new line, Tab and Ctrl+Enter go to the next field."""

    focus_left = Signal()

    def __init__(
        self, placeholder: str, lines: int, parent: QWidget | None = None, most: int = 0
    ) -> None:
        """``lines`` tall at least; with ``most``, never taller than that many lines (the
        discussion box, without, takes the room a large screen has)."""
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        line = self.fontMetrics().lineSpacing()
        self.setMinimumHeight(line * lines + 14)
        if most:
            self.setMaximumHeight(line * most + 14)
        else:
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def text(self) -> str:
        return self.toPlainText()

    def set_text_quietly(self, text: str) -> None:
        self.blockSignals(True)
        self.setPlainText(text)
        self.blockSignals(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.focusNextChild()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.focus_left.emit()
