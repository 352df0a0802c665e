"""The visit form's trip choice: my squad's trips near the visit date, or none.

Until the user picks one, the choice follows the date: a trip I am on that covers it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from app.i18n import tr
from app.services.visit_views import TripChoice
from ui.formatting import format_date
from ui.task_runner import CancelToken, TaskRunner

if TYPE_CHECKING:
    from app.services.visit_choices import VisitChoices


class TripField(QComboBox):
    """``trip_chosen`` when the user picks; ``choices_changed`` when a new date's list came."""

    trip_chosen = Signal()
    choices_changed = Signal()

    def __init__(
        self, choices: VisitChoices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._choices = choices
        self._runner = runner
        self._token: CancelToken | None = None
        self.touched = False
        """The user chose (or the visit already had) a trip: the date no longer decides."""
        self.setMinimumContentsLength(16)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.activated.connect(self._on_self_activated)

    def trip_id(self) -> str | None:
        value = self.currentData()
        return value if isinstance(value, str) else None

    def show_trips(self, trips: tuple[TripChoice, ...], selected: str | None) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItem(tr("不属于任何出行"), None)
        for trip in trips:
            self.addItem(
                tr(
                    "{title}（{start}—{end}，{destination}）",
                    title=trip.title,
                    start=format_date(trip.start_on),
                    end=format_date(trip.end_on),
                    destination=trip.destination or tr("目的地未填"),
                ),
                trip.id,
            )
        index = self.findData(selected) if selected else 0
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)

    def follow_date(self, on: dt.date) -> None:
        """Offer the trips near ``on`` (and pick the default one if the user has not chosen)."""
        if self._token is not None:
            self._token.cancel()
        choices, current = self._choices, self.trip_id()
        self._token = self._runner.submit(
            lambda _token: choices.trips(on, current),
            on_success=self._on_trips_loaded,
            owner=self,
        )

    def _on_trips_loaded(self, result: tuple[tuple[TripChoice, ...], str | None]) -> None:
        trips, default_id = result
        self.show_trips(trips, self.trip_id() if self.touched else default_id)
        self.choices_changed.emit()

    def _on_self_activated(self, _index: int) -> None:
        self.touched = True
        self.trip_chosen.emit()
