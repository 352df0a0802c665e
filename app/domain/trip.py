"""Trips (外出招商): a journey's dates and how its days count toward 外出招商天数."""

from __future__ import annotations

import datetime as dt

from app.domain.errors import ValidationError
from app.i18n import tr


def validate_trip_dates(start_on: dt.date, end_on: dt.date) -> None:
    if end_on < start_on:
        raise ValidationError("end_on", tr("返程日期不能早于出发日期"))
    if (end_on - start_on).days > 365:
        raise ValidationError("end_on", tr("一次出行不能超过一年"))


def trip_days(start_on: dt.date, end_on: dt.date) -> int:
    """Days away, counting both the departure and the return day (出访天数)."""
    return (end_on - start_on).days + 1


def days_within(start_on: dt.date, end_on: dt.date, first: dt.date, last: dt.date) -> int:
    """Days of a trip that fall inside the period ``first``..``last`` (both included)."""
    overlap_start = max(start_on, first)
    overlap_end = min(end_on, last)
    return max(0, (overlap_end - overlap_start).days + 1)
