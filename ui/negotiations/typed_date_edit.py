"""A date field that takes a date typed the way people write it: ``2026-12-31`` or ``20261231``.

Qt's date edit moves to the next section by itself once a section is full, so the separator a
user types next would skip a section (``2026-`` lands in the day). This one swallows a separator
typed right after such an automatic move.
"""

from __future__ import annotations

from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QDateEdit, QWidget

from app.i18n import tr

SEPARATORS = frozenset("-/. ")


class TypedDateEdit(QDateEdit):
    """``yyyy-MM-dd`` with a calendar on Alt+↓; separators after a full section are skipped."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setToolTip(tr("可直接键入日期，如 2026-12-31；Alt+↓ 打开日历"))
        self._moved_by_itself = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text and text in SEPARATORS and self._moved_by_itself:
            self._moved_by_itself = False
            event.accept()
            return
        before = self.currentSection()
        super().keyPressEvent(event)
        self._moved_by_itself = bool(text) and text.isdigit() and self.currentSection() != before

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._moved_by_itself = False
        super().focusInEvent(event)
