"""Choose the reporting period: month / quarter / year / custom range, and step through them."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QPushButton, QWidget

from app.domain.period import Period, PeriodKind
from app.i18n import tr
from ui.formatting import qdate


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class PeriodChooser(QWidget):
    """‹ 上一期 · [月/季/年/自定义] · label · 下一期 › · 本期; custom shows two date edits."""

    period_changed = Signal(object)  # Period

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._period = Period.containing(PeriodKind.MONTH, today)
        self.kind_combo = QComboBox(self)
        for kind in PeriodKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.previous_button = QPushButton(tr("‹ 上一期"), self)
        self.previous_button.clicked.connect(self._on_previous_button_clicked)
        self.label = QLabel(self)
        self.label.setMinimumWidth(120)
        self.label.setStyleSheet("font-weight: 600;")
        self.next_button = QPushButton(tr("下一期 ›"), self)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.current_button = QPushButton(tr("本期"), self)
        self.current_button.clicked.connect(self._on_current_button_clicked)
        self.start_edit = QDateEdit(self)
        self.end_edit = QDateEdit(self)
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._on_range_edit_changed)
        self._range_separator = QLabel(tr("至"), self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind_combo)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.label)
        layout.addWidget(self.start_edit)
        layout.addWidget(self._range_separator)
        layout.addWidget(self.end_edit)
        layout.addWidget(self.next_button)
        layout.addWidget(self.current_button)
        self._show()

    @property
    def period(self) -> Period:
        return self._period

    def set_period(self, period: Period) -> None:
        """Show ``period`` and report it."""
        self._period = period
        self.kind_combo.blockSignals(True)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(period.kind.value))
        self.kind_combo.blockSignals(False)
        self._show()
        self.period_changed.emit(period)

    # -- handlers --------------------------------------------------------------------------------

    def _on_kind_combo_changed(self, _index: int) -> None:
        kind = PeriodKind(self.kind_combo.currentData())
        if kind is PeriodKind.CUSTOM:
            start = min(self._period.start, self._today)
            self.set_period(Period.custom(start, max(start, min(self._period.end, self._today))))
        else:
            self.set_period(Period.containing(kind, min(self._period.end, self._today)))

    def _on_previous_button_clicked(self) -> None:
        self.set_period(self._period.previous())

    def _on_next_button_clicked(self) -> None:
        self.set_period(self._period.next())

    def _on_current_button_clicked(self) -> None:
        kind = self._period.kind
        if kind is PeriodKind.CUSTOM:
            kind = PeriodKind.MONTH
        self.set_period(Period.containing(kind, self._today))

    def _on_range_edit_changed(self, _date: QDate) -> None:
        if self._period.kind is not PeriodKind.CUSTOM:
            return
        start, end = _pydate(self.start_edit.date()), _pydate(self.end_edit.date())
        if end < start:
            end = start
        if (start, end) != (self._period.start, self._period.end):
            self.set_period(Period.custom(start, end))

    # -- internals -------------------------------------------------------------------------------

    def _show(self) -> None:
        custom = self._period.kind is PeriodKind.CUSTOM
        self.label.setVisible(not custom)
        for widget in (self.start_edit, self._range_separator, self.end_edit):
            widget.setVisible(custom)
        self.label.setText(self._period.label)
        for edit, day in ((self.start_edit, self._period.start), (self.end_edit, self._period.end)):
            edit.blockSignals(True)
            edit.setDate(qdate(day))
            edit.blockSignals(False)
        current = Period.containing(PeriodKind.MONTH if custom else self._period.kind, self._today)
        self.current_button.setEnabled(self._period != current)
