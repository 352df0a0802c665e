"""Domain rules a pushed change must keep, beyond each value's type: the same validators the
desktop forms use (``app.domain``), so a value a form refuses is refused here too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from app.domain import enterprise, visit
from app.domain.trip import validate_trip_dates

DomainCheck = Callable[[Mapping[str, Any], Mapping[str, Any], bool, dt.date], None]
"""``(pushed values, values after the change, creating, today)``; raises ``ValidationError``."""


def _enterprise(
    pushed: Mapping[str, Any], _after: Mapping[str, Any], creating: bool, today: dt.date
) -> None:
    editable = {name: value for name, value in pushed.items() if name in enterprise.EDITABLE_FIELDS}
    enterprise.validate_enterprise_changes(editable, creating=creating, today=today)


def _visit(
    pushed: Mapping[str, Any], _after: Mapping[str, Any], creating: bool, today: dt.date
) -> None:
    editable = {name: value for name, value in pushed.items() if name in visit.EDITABLE_FIELDS}
    visit.validate_visit_changes(editable, creating=creating, today=today)


def _trip(
    pushed: Mapping[str, Any], after: Mapping[str, Any], _creating: bool, _today: dt.date
) -> None:
    start, end = after.get("start_on"), after.get("end_on")
    touched = "start_on" in pushed or "end_on" in pushed
    if touched and isinstance(start, dt.date) and isinstance(end, dt.date):
        validate_trip_dates(start, end)


CHECKS: Mapping[str, DomainCheck] = {
    "enterprises": _enterprise,
    "visits": _visit,
    "trips": _trip,
}


def latest_today() -> dt.date:
    """Today somewhere on Earth (UTC+14): a laptop's "today" is never refused as future."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date()
