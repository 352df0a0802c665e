"""A form of labelled input widgets whose problems are shown right under the field that is wrong."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

ERROR_STYLE = "color: #b3261e;"
_INVALID = "invalid"


class FieldGrid(QWidget):
    """Fields laid out in ``columns`` label/widget pairs; ``show_error(field, …)`` points at one.

    Each field gets a hidden message line under its widget; a wrong field also gets a red frame
    (the ``invalid`` property, styled once here), so the eye finds it without reading.
    """

    def __init__(self, columns: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(4, 4, 4, 4)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(2)
        self._columns = columns
        self._next_row = [0] * columns
        self._widgets: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        for column in range(columns):
            self._grid.setColumnStretch(column * 2 + 1, 1)
        self.setStyleSheet(
            f'*[{_INVALID}="true"] {{ border: 1px solid #b3261e; border-radius: 3px; }}'
        )

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self._widgets)

    def widget(self, field: str) -> QWidget:
        return self._widgets[field]

    def has_field(self, field: str) -> bool:
        return field in self._widgets

    def add_field(
        self, field: str, label: str, widget: QWidget, *, column: int = 0, span: bool = False
    ) -> None:
        """Add ``widget`` under ``label``; ``span`` makes it take every column (long names)."""
        if span:
            column = 0
        row = max(self._next_row) if span else self._next_row[column]
        caption = QLabel(label, self)
        caption.setStyleSheet("color: #5f6b7a;")
        caption.setBuddy(widget)
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        caption.setContentsMargins(0, 5, 0, 0)
        error = QLabel(self)
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        cell = QWidget(self)
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 6)
        box.setSpacing(2)
        box.addWidget(widget)
        box.addWidget(error)
        width = self._columns * 2 - 1 if span else 1
        self._grid.addWidget(caption, row, column * 2)
        self._grid.addWidget(cell, row, column * 2 + 1, 1, width, Qt.AlignmentFlag.AlignTop)
        if span:
            self._next_row = [row + 1] * self._columns
        else:
            self._next_row[column] = row + 1
        self._widgets[field] = widget
        self._errors[field] = error

    def add_stretch(self) -> None:
        self._grid.setRowStretch(max(self._next_row), 1)

    def show_error(self, field: str, message: str) -> None:
        error = self._errors[field]
        error.setText(message)
        error.show()
        self._set_invalid(field, True)

    def clear_error(self, field: str) -> None:
        if field in self._errors:
            self._errors[field].hide()
            self._errors[field].clear()
            self._set_invalid(field, False)

    def clear_errors(self) -> None:
        for field in self._errors:
            self.clear_error(field)

    def error(self, field: str) -> str:
        """The message shown under ``field`` ("" when it is fine)."""
        label = self._errors[field]
        return label.text() if not label.isHidden() else ""

    def _set_invalid(self, field: str, invalid: bool) -> None:
        widget = self._widgets[field]
        widget.setProperty(_INVALID, invalid)
        widget.style().unpolish(widget)
        widget.style().polish(widget)
