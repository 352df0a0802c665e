"""一周一快报: the week's figures for one squad or the whole bureau.

The figures are those of any date range (``app.services.period_figures``, where their
definitions are), over the bureau's reporting week: the ISO week, Monday to Sunday, unless the
bureau starts its weeks on another day (``BureauRules.week_start``; with 5 the week 2026-W48
runs from Friday 27 November to Thursday 3 December). The definitions (口径) returned by
``definitions`` name that week (“本周（周五至下周四）”).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import fields

from app.services.bureau_settings import load_rules
from app.services.figure_definitions import figure_definitions, week_words
from app.services.lookups import squad_options
from app.services.period_figures import MILESTONE_STAGES, read_activity
from app.services.weekly_figures_views import (
    FigureDefinition,
    IsoWeek,
    SquadOption,
    WeeklyFigures,
)
from app.services.workspace import Workspace

__all__ = ["MILESTONE_STAGES", "WeeklyFiguresService", "figure_definitions"]


class WeeklyFiguresService:
    """Computes the weekly brief's figures."""

    def __init__(self, workspace: Workspace, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._database = workspace.database
        self._today = today

    def week_start(self) -> int:
        """The bureau's first day of a reporting week (ISO weekday, 1 = Monday)."""
        with self._database.read() as session:
            return load_rules(session).week_start

    def definitions(self) -> tuple[FigureDefinition, ...]:
        """The 口径 every screen and report states, for the bureau's reporting week."""
        return figure_definitions(week_words(self.week_start()))

    def current_week(self) -> IsoWeek:
        return IsoWeek.containing(self._today(), self.week_start())

    def squads(self) -> tuple[SquadOption, ...]:
        with self._database.read() as session:
            return squad_options(session)

    def figures(self, week: IsoWeek, squad_id: str | None = None) -> WeeklyFigures:
        """The figures of ``week`` as the bureau's rules lay it out (the week is re-anchored on
        the bureau's week start), for one squad or the whole bureau."""
        with self._database.read() as session:
            start = load_rules(session).week_start
            week = IsoWeek(week.year, week.week, start)
            figures = read_activity(session, week.first_day, week.last_day, squad_id).figures()
        values = {field.name: getattr(figures, field.name) for field in fields(figures)}
        return WeeklyFigures(**values, week=week)
