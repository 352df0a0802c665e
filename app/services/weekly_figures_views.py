"""Frozen views of the weekly brief (一周一快报) and the ISO week it covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.domain.money import Money
from app.domain.vocabulary import ProjectStage


@dataclass(frozen=True, slots=True, order=True)
class IsoWeek:
    """An ISO 8601 week: Monday to Sunday, numbered 1..52 or 53 within its ISO year."""

    year: int
    week: int

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9998 or not 1 <= self.week <= weeks_in(self.year):
            raise ValueError(f"no ISO week {self.year}-W{self.week:02d}")

    @classmethod
    def containing(cls, day: dt.date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """``2026-W48`` (also ``2026W48``, ``2026-w48``)."""
        year, sep, week = text.strip().upper().replace("-W", "W").partition("W")
        if not sep or not year.isdigit() or not week.isdigit():
            raise ValueError(f"not an ISO week: {text!r}")
        return cls(int(year), int(week))

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 7)

    def previous(self) -> IsoWeek:
        return IsoWeek.containing(self.monday - dt.timedelta(days=7))

    def next(self) -> IsoWeek:
        return IsoWeek.containing(self.monday + dt.timedelta(days=7))

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
    """A project that reached ``stage`` during the week (its first such move in the week)."""

    stage: ProjectStage
    changed_on: dt.date
    project_id: str
    project_name: str
    enterprise_id: str
    enterprise_name: str
    contract_amount: Money | None
    squad_name: str
    responsible_name: str


@dataclass(frozen=True, slots=True)
class WeeklyFigures:
    week: IsoWeek
    squad_id: str | None
    squad_name: str
    """Empty for the whole bureau (全局)."""
    trip_days: int
    trip_count: int
    enterprises_visited: int
    visit_count: int
    milestones: tuple[MilestoneFigure, ...]
    projects: tuple[MilestoneProject, ...]

    def milestone(self, stage: ProjectStage) -> MilestoneFigure:
        for figure in self.milestones:
            if figure.stage is stage:
                return figure
        raise KeyError(stage)
