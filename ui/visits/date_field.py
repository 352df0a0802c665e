"""A date box for keyboard-first forms: type the digits, Tab leaves the field.

``QDateEdit`` spends Tab on moving between year, month and day; here the digits are typed
straight through (the separators skip to the next part, ←/→ move between parts) and Tab goes
to the next field like everywhere else. The calendar opens only on Alt+↓ / F4 or a click, so it
never takes the keyboard by surprise.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDateEdit, QWidget

from app.i18n import tr
from ui.formatting import qdate


class DateField(QDateEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setToolTip(tr("直接输入数字修改；Alt+↓ 打开日历"))

    def day(self) -> dt.date:
        value = self.date()
        return dt.date(value.year(), value.month(), value.day())

    def set_day(self, day: dt.date) -> None:
        self.setDate(qdate(day))

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)
