"""Years, months and days, newest first, as the index tokens of visits and notes name them."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Period:
    """A year, month or day: its index token, and (but for days) the periods inside it."""

    token: str
    parts: tuple[Period, ...] = ()


def _days(year: int, month: int, first: dt.date, last: dt.date) -> tuple[Period, ...]:
    days = range(calendar.monthrange(year, month)[1], 0, -1)
    return tuple(
        Period(f"d{year:04d}{month:02d}{day:02d}")
        for day in days
        if first <= dt.date(year, month, day) <= last
    )


@lru_cache(maxsize=8)
def periods_between(first: dt.date, last: dt.date) -> tuple[Period, ...]:
    """The years from ``last`` back to ``first``, each holding its months, each its days."""
    years = []
    for year in range(last.year, first.year - 1, -1):
        months = tuple(
            Period(f"m{year:04d}{month:02d}", _days(year, month, first, last))
            for month in range(12, 0, -1)
            if (year, month) >= (first.year, first.month)
            and (year, month) <= (last.year, last.month)
        )
        years.append(Period(f"y{year:04d}", months))
    return tuple(years)
