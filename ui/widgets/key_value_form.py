"""A read-only form of labelled values in sections, for dossiers and visit details."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from ui.formatting import EMPTY


class KeyValueForm(QWidget):
    """Rows declared once (``add_row``); values set each time a record is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self._layout.setHorizontalSpacing(16)
        self._layout.setVerticalSpacing(6)
        self._layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._values: dict[str, QLabel] = {}

    def add_section(self, title: str) -> None:
        heading = QLabel(title, self)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        heading.setStyleSheet("color: #2b4a6f; padding-top: 8px;")
        self._layout.addRow(heading)

    def add_row(self, key: str, label: str) -> None:
        value = QLabel(EMPTY, self)
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        caption = QLabel(label, self)
        caption.setStyleSheet("color: #5f6b7a;")
        self._layout.addRow(caption, value)
        self._values[key] = value

    def add_wide(self, widget: QWidget) -> None:
        """A widget across the whole width (e.g. a record's photos under their heading)."""
        self._layout.addRow(widget)

    def set_value(self, key: str, text: str) -> None:
        label = self._values[key]
        label.setText(text if text else EMPTY)
        label.setStyleSheet("" if text else "color: #9aa3ad;")

    def value(self, key: str) -> str:
        return self._values[key].text()

    def clear_values(self) -> None:
        for key in self._values:
            self.set_value(key, "")
