"""Reporting periods of the KPI dashboard: a month, a quarter, a year or a custom date range,
and calendar-month arithmetic for the overdue rules.

Every period runs from ``start`` to ``end`` inclusive. (The weekly brief has its own ISO week,
``app.services.weekly_figures_views.IsoWeek``; ``app.search.periods`` names index tokens.)

Months are calendar months: adding N months keeps the day of the month, clamped to the last day
of the month reached — 2026-08-31 + 3 months = 2026-11-30, 2024-02-29 + 12 months = 2025-02-28.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from app.i18n import mark, tr

TREND_LENGTH = {"month": 12, "quarter": 8, "year": 5, "custom": 8}
"""How many periods (the chosen one included) the trend chart shows for each kind."""


@lru_cache(maxsize=8192)
def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months (negative goes back), clamped to month end.
    (Cached: overdue lists ask it for thousands of projects signed on the same few days.)"""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return tr(_KIND_LABELS[self])


_KIND_LABELS = {
    PeriodKind.MONTH: mark("月"),
    PeriodKind.QUARTER: mark("季"),
    PeriodKind.YEAR: mark("年"),
    PeriodKind.CUSTOM: mark("自定义"),
}


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A reporting period, ``start`` to ``end`` inclusive. Build it with the class methods."""

    start: dt.date
    end: dt.date
    kind: PeriodKind

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(dt.date(year, month, 1), dt.date(year, month, last), PeriodKind.MONTH)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(f"no quarter {quarter}")
        first = dt.date(year, 3 * quarter - 2, 1)
        return cls(first, add_months(first, 3) - dt.timedelta(days=1), PeriodKind.QUARTER)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), PeriodKind.YEAR)

    @classmethod
    def custom(cls, start: dt.date, end: dt.date) -> Period:
        return cls(start, end, PeriodKind.CUSTOM)

    @classmethod
    def containing(cls, kind: PeriodKind, day: dt.date) -> Period:
        """The month, quarter or year holding ``day`` (a custom period: that day alone)."""
        match kind:
            case PeriodKind.MONTH:
                return cls.month(day.year, day.month)
            case PeriodKind.QUARTER:
                return cls.quarter(day.year, (day.month - 1) // 3 + 1)
            case PeriodKind.YEAR:
                return cls.year(day.year)
            case _:
                return cls.custom(day, day)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def previous(self) -> Period:
        """The period just before: the month/quarter/year before, or a custom range of the same
        number of days ending the day before this one starts."""
        if self.kind is PeriodKind.CUSTOM:
            end = self.start - dt.timedelta(days=1)
            return Period.custom(end - dt.timedelta(days=self.days - 1), end)
        return Period.containing(self.kind, self.start - dt.timedelta(days=1))

    def next(self) -> Period:
        if self.kind is PeriodKind.CUSTOM:
            start = self.end + dt.timedelta(days=1)
            return Period.custom(start, start + dt.timedelta(days=self.days - 1))
        return Period.containing(self.kind, self.end + dt.timedelta(days=1))

    def trend(self, count: int | None = None) -> tuple[Period, ...]:
        """The ``count`` periods ending with this one, oldest first (``TREND_LENGTH`` by
        default: 12 months, 8 quarters, 5 years, 8 custom ranges of the same length)."""
        wanted = TREND_LENGTH[self.kind.value] if count is None else count
        periods = [self]
        while len(periods) < wanted:
            periods.append(periods[-1].previous())
        return tuple(reversed(periods))

    @property
    def label(self) -> str:
        """``2026年11月``, ``2026年第4季度``, ``2026年``, ``2026年11月1日至2026年11月28日``."""
        match self.kind:
            case PeriodKind.MONTH:
                return tr("{year}年{month}月", year=self.start.year, month=self.start.month)
            case PeriodKind.QUARTER:
                return tr(
                    "{year}年第{quarter}季度",
                    year=self.start.year,
                    quarter=(self.start.month - 1) // 3 + 1,
                )
            case PeriodKind.YEAR:
                return tr("{year}年", year=self.start.year)
            case _:
                return tr("{start}至{end}", start=_day(self.start), end=_day(self.end))

    @property
    def short_label(self) -> str:
        """For a chart axis: ``26年11月``, ``26年Q4``, ``2026年``, ``11月1日起``."""
        yy = self.start.year % 100
        match self.kind:
            case PeriodKind.MONTH:
                return tr("{yy:02d}年{month}月", yy=yy, month=self.start.month)
            case PeriodKind.QUARTER:
                return tr("{yy:02d}年Q{quarter}", yy=yy, quarter=(self.start.month - 1) // 3 + 1)
            case PeriodKind.YEAR:
                return tr("{year}年", year=self.start.year)
            case _:
                return tr("{month}月{day}日起", month=self.start.month, day=self.start.day)


def _day(day: dt.date) -> str:
    return tr("{year}年{month}月{day}日", year=day.year, month=day.month, day=day.day)
