"""Choose a reporting week: year and week number, its days, ‹ 上一周 · 本周 · 下一周 ›.

Weeks are named by their ISO week number; a bureau that starts its weeks on another day
(``BureauRules.week_start``) gets the seven days from that weekday of the ISO week
(``IsoWeek.start``), and the days shown beside the number say which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from app.i18n import tr
from app.services.weekly_figures_views import IsoWeek, weeks_in
from ui.formatting import format_date

_MUTED = "color: #5f6b7a;"


class WeekPicker(QWidget):
    """Emits ``week_changed`` (an ``IsoWeek``) whenever the chosen week or its start day changes."""

    week_changed = Signal(object)

    def __init__(
        self, today: Callable[[], dt.date] = dt.date.today, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._week = IsoWeek.containing(today())
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, 2100)
        self.week_spin = QSpinBox(self)
        self.year_spin.valueChanged.connect(self._on_year_spin_changed)
        self.week_spin.valueChanged.connect(self._on_week_spin_changed)
        self.range_label = QLabel(self)
        self.range_label.setStyleSheet(_MUTED)
        self.previous_button = QPushButton(tr("‹ 上一周"), self)
        self.previous_button.clicked.connect(self._on_previous_button_clicked)
        self.current_button = QPushButton(tr("本周"), self)
        self.current_button.clicked.connect(self._on_current_button_clicked)
        self.next_button = QPushButton(tr("下一周 ›"), self)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(tr("年份"), self))
        layout.addWidget(self.year_spin)
        layout.addWidget(QLabel(tr("周次"), self))
        layout.addWidget(self.week_spin)
        layout.addWidget(self.range_label)
        layout.addSpacing(8)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.current_button)
        layout.addWidget(self.next_button)
        self._show()

    @property
    def week(self) -> IsoWeek:
        return self._week

    def current_week(self) -> IsoWeek:
        """The reporting week holding today (with the bureau's start day)."""
        return IsoWeek.containing(self._today(), self._week.start)

    def set_week(self, week: IsoWeek) -> None:
        """Show ``week`` and report it (when it differs from the week shown)."""
        changed = week != self._week
        self._week = week
        self._show()
        if changed:
            self.week_changed.emit(week)

    def set_start(self, start: int) -> None:
        """The bureau's first day of the week (ISO weekday): this week stays this week, another
        week keeps its number and now starts on that weekday."""
        if start == self._week.start:
            return
        if self._week == self.current_week():
            self.set_week(IsoWeek.containing(self._today(), start))
        else:
            self.set_week(IsoWeek(self._week.year, self._week.week, start))

    # -- handlers --------------------------------------------------------------------------------

    def _on_year_spin_changed(self, year: int) -> None:
        week = min(self.week_spin.value(), weeks_in(year))
        self.set_week(IsoWeek(year, week, self._week.start))

    def _on_week_spin_changed(self, week: int) -> None:
        self.set_week(IsoWeek(self._week.year, week, self._week.start))

    def _on_previous_button_clicked(self) -> None:
        self.set_week(self._week.previous())

    def _on_current_button_clicked(self) -> None:
        self.set_week(self.current_week())

    def _on_next_button_clicked(self) -> None:
        self.set_week(self._week.next())

    # -- internals -------------------------------------------------------------------------------

    def _show(self) -> None:
        week = self._week
        for spin in (self.year_spin, self.week_spin):
            spin.blockSignals(True)
        self.year_spin.setValue(week.year)
        self.week_spin.setRange(1, weeks_in(week.year))
        self.week_spin.setValue(week.week)
        for spin in (self.year_spin, self.week_spin):
            spin.blockSignals(False)
        self.range_label.setText(
            tr(
                "{monday} — {sunday}",
                monday=format_date(week.first_day),
                sunday=format_date(week.last_day),
            )
        )
        self.current_button.setEnabled(week != self.current_week())
