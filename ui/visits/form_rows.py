"""Rows and sections of the visit and trip forms, each field with its message underneath.

A form keeps one ``FieldProblems``; a ``ValidationError(field, message)`` is shown in red right
under the field it names, and cleared once the field is fixed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QFormLayout, QLabel, QVBoxLayout, QWidget

PROBLEM_STYLE = "color: #b3261e;"


class FieldProblems:
    """The message labels of one form, by field name."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}

    def add_row(
        self,
        form: QFormLayout,
        caption: str,
        field: str,
        content: QWidget | QBoxLayout,
        *,
        also: tuple[str, ...] = (),
    ) -> None:
        """``caption`` beside ``content``, with a (hidden) message label for ``field`` and for
        each of ``also`` underneath."""
        parent = form.parentWidget()
        box = QVBoxLayout()
        box.setSpacing(2)
        if isinstance(content, QWidget):
            box.addWidget(content)
        else:
            box.addLayout(content)
        for name in (field, *also):
            problem = QLabel(parent)
            problem.setStyleSheet(PROBLEM_STYLE)
            problem.setWordWrap(True)
            problem.hide()
            box.addWidget(problem)
            self._labels[name] = problem
        label = QLabel(caption, parent)
        label.setStyleSheet("color: #5f6b7a; padding-top: 4px;")
        form.addRow(label, box)

    def show(self, field: str, message: str) -> bool:
        """Show (or, with an empty message, clear) the field's message; False for a field the
        form does not have."""
        label = self._labels.get(field)
        if label is None:
            return False
        label.setText(message)
        label.setVisible(bool(message))
        return True

    def clear(self) -> None:
        for label in self._labels.values():
            label.hide()

    def text(self, field: str) -> str:
        label = self._labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""


def section(
    title: str, content: QWidget | QFormLayout, parent: QWidget, *, stretch: bool = True
) -> QWidget:
    """A headed block of a form; without ``stretch`` its content takes any room left."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(6)
    heading = QLabel(title, box)
    font = heading.font()
    font.setBold(True)
    heading.setFont(font)
    heading.setStyleSheet("color: #2b4a6f;")
    layout.addWidget(heading)
    if isinstance(content, QWidget):
        layout.addWidget(content)
    else:
        layout.addLayout(content, 1)
    if stretch:
        layout.addStretch(1)
    return box
