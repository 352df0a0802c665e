"""Frozen views of the weekly brief (一周一快报), the ISO week it covers, and the same figures
over any date range (``PeriodFigures``, for the month and the quarter)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.domain.money import Money
from app.domain.vocabulary import ProjectStage


@dataclass(frozen=True, slots=True, order=True)
class IsoWeek:
    """A reporting week named by its ISO 8601 week (``2026-W48``).

    With ``start`` 1 (Monday, the default) it is the ISO week itself, Monday to Sunday. A bureau
    that starts its reporting weeks on another day (``BureauRules.week_start``, ISO weekday)
    gets the seven days from that weekday of ISO week N: with ``start`` 5, 2026-W48 runs from
    Friday 27 November to Thursday 3 December 2026.
    """

    year: int
    week: int
    start: int = 1
    """ISO weekday the reporting week starts on (1 = Monday … 7 = Sunday)."""

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9998 or not 1 <= self.week <= weeks_in(self.year):
            raise ValueError(f"no ISO week {self.year}-W{self.week:02d}")
        if not 1 <= self.start <= 7:
            raise ValueError(f"no ISO weekday {self.start}")

    @classmethod
    def containing(cls, day: dt.date, start: int = 1) -> IsoWeek:
        """The reporting week (starting on ISO weekday ``start``) that ``day`` falls in."""
        first = day - dt.timedelta(days=(day.isoweekday() - start) % 7)
        year, week, _ = first.isocalendar()
        return cls(year, week, start)

    @classmethod
    def parse(cls, text: str, start: int = 1) -> IsoWeek:
        """``2026-W48`` (also ``2026W48``, ``2026-w48``)."""
        year, sep, week = text.strip().upper().replace("-W", "W").partition("W")
        if not sep or not year.isdigit() or not week.isdigit():
            raise ValueError(f"not an ISO week: {text!r}")
        return cls(int(year), int(week), start)

    @property
    def first_day(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, self.start)

    @property
    def last_day(self) -> dt.date:
        return self.first_day + dt.timedelta(days=6)

    def previous(self) -> IsoWeek:
        return IsoWeek.containing(self.first_day - dt.timedelta(days=7), self.start)

    def next(self) -> IsoWeek:
        return IsoWeek.containing(self.first_day + dt.timedelta(days=7), self.start)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


def weeks_in(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the year's last."""
    return dt.date(year, 12, 28).isocalendar().week


class Figure(StrEnum):
    """The figures of the weekly brief (and ``SCOPE``, the rule for what counts at all)."""

    TRIP_DAYS = "trip_days"
    ENTERPRISES_VISITED = "enterprises_visited"
    VISITS = "visits"
    SIGNED = "signed"
    STARTED = "started"
    COMPLETED = "completed"
    PRODUCING = "producing"
    SCOPE = "scope"


@dataclass(frozen=True, slots=True)
class FigureDefinition:
    figure: Figure
    name: str
    definition: str


@dataclass(frozen=True, slots=True)
class SquadOption:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class MilestoneFigure:
    """新签约 / 新开工 / 新竣工 / 新投产: how many projects reached ``stage`` and their amount."""

    stage: ProjectStage
    count: int
    amount: Money


@dataclass(frozen=True, slots=True)
class MilestoneProject:
    """A project that first reached ``stage`` inside the week (or the period)."""

    stage: ProjectStage
    changed_on: dt.date
    project_id: str
    project_name: str
    enterprise_id: str
    enterprise_name: str
    contract_amount: Money | None
    squad_name: str
    responsible_name: str
    squad_id: str | None = None


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    """The figures of one date range (``start`` to ``end`` inclusive) for one squad, the
    bureau (``squad_id`` None, ``squad_name`` empty) or the records of no squad."""

    start: dt.date
    end: dt.date
    squad_id: str | None
    squad_name: str
    trip_days: int
    trip_count: int
    """Trips overlapping the range (each counted once, whatever its days inside)."""
    enterprises_visited: int
    visit_count: int
    milestones: tuple[MilestoneFigure, ...]
    """新签约 / 新开工 / 新竣工 / 新投产, in that order."""
    projects: tuple[MilestoneProject, ...]
    """The projects behind them, by stage, then date, then name."""

    def milestone(self, stage: ProjectStage) -> MilestoneFigure:
        for figure in self.milestones:
            if figure.stage is stage:
                return figure
        raise KeyError(stage)


@dataclass(frozen=True, slots=True)
class WeeklyFigures(PeriodFigures):
    """The figures of one reporting week (its ``start``/``end`` are the week's days)."""

    week: IsoWeek
