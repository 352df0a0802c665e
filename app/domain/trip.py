"""Trips (外出招商): a journey's dates and how its days count toward 外出招商天数."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.errors import ValidationError
from app.domain.vocabulary import LeaderType
from app.i18n import mark, tr

TITLE_LIMIT = 200
DESTINATION_LIMIT = 200

FIELD_LABELS: Mapping[str, str] = {
    "title": mark("出行名称"),
    "start_on": mark("出发日期"),
    "end_on": mark("返程日期"),
    "destination": mark("目的地"),
    "squad_id": mark("小分队"),
    "leader_type": mark("带队领导"),
    "purpose": mark("出行目的"),
    "participants": mark("出行人员"),
}


@dataclass(frozen=True, slots=True)
class TripDraft:
    """A trip as typed in the trip form."""

    title: str
    start_on: dt.date | None
    end_on: dt.date | None
    destination: str = ""
    squad_id: str | None = None
    leader_type: str = LeaderType.OTHER.value
    purpose: str = ""
    participant_ids: tuple[str, ...] = ()


def validate_trip_dates(start_on: dt.date, end_on: dt.date) -> None:
    if end_on < start_on:
        raise ValidationError("end_on", tr("返程日期不能早于出发日期"))
    if (end_on - start_on).days > 365:
        raise ValidationError("end_on", tr("一次出行不能超过一年"))


def validate_trip_draft(draft: TripDraft) -> TripDraft:
    """A trimmed copy of the draft; ``ValidationError`` naming the first bad field."""
    title = " ".join(draft.title.split())
    if not title:
        raise ValidationError("title", tr("请填写出行名称"))
    if len(title) > TITLE_LIMIT:
        raise ValidationError("title", tr("出行名称不能超过 {limit} 个字", limit=TITLE_LIMIT))
    if not isinstance(draft.start_on, dt.date):
        raise ValidationError("start_on", tr("请填写出发日期"))
    if not isinstance(draft.end_on, dt.date):
        raise ValidationError("end_on", tr("请填写返程日期"))
    validate_trip_dates(draft.start_on, draft.end_on)
    destination = draft.destination.strip()
    if len(destination) > DESTINATION_LIMIT:
        raise ValidationError(
            "destination", tr("目的地不能超过 {limit} 个字", limit=DESTINATION_LIMIT)
        )
    try:
        leader_type = LeaderType(draft.leader_type).value
    except ValueError:
        raise ValidationError("leader_type", tr("带队领导类型无效")) from None
    return TripDraft(
        title=title,
        start_on=draft.start_on,
        end_on=draft.end_on,
        destination=destination,
        squad_id=draft.squad_id or None,
        leader_type=leader_type,
        purpose=draft.purpose.strip(),
        participant_ids=tuple(dict.fromkeys(draft.participant_ids)),
    )


def trip_label(field: str) -> str:
    return tr(FIELD_LABELS.get(field, field))


def trip_days(start_on: dt.date, end_on: dt.date) -> int:
    """Days away, counting both the departure and the return day (出访天数)."""
    return (end_on - start_on).days + 1


def days_within(start_on: dt.date, end_on: dt.date, first: dt.date, last: dt.date) -> int:
    """Days of a trip that fall inside the period ``first``..``last`` (both included)."""
    overlap_start = max(start_on, first)
    overlap_end = min(end_on, last)
    return max(0, (overlap_end - overlap_start).days + 1)
