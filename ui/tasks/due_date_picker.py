"""选择日期…: a calendar to move a task's due date to, from the keyboard (arrows, Enter)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from ui.formatting import qdate


class DueDatePicker(QDialog):
    """Arrow keys move the day, PgUp/PgDn the month; Enter picks it, Esc cancels."""

    date_picked = Signal(object)  # dt.date

    def __init__(
        self, title: str, current: dt.date | None, today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("选择截止日期"))
        self.calendar = QCalendarWidget(self)
        self.calendar.setMinimumDate(qdate(today))
        self.calendar.setGridVisible(True)
        start = current if current is not None and current >= today else today
        self.calendar.setSelectedDate(qdate(start + dt.timedelta(days=1)))
        self.calendar.activated.connect(self._on_calendar_activated)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        caption = QLabel(tr("“{title}”推迟到：", title=title), self)
        caption.setWordWrap(True)
        layout.addWidget(caption)
        layout.addWidget(self.calendar)
        layout.addWidget(buttons)
        self.accepted.connect(self._on_accepted)
        self.calendar.setFocus()

    def _on_calendar_activated(self, _date: QDate) -> None:
        self.accept()

    def _on_accepted(self) -> None:
        self.date_picked.emit(self.calendar.selectedDate().toPython())
