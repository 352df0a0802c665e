"""Visit records: the fields a user writes and the rules for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.errors import ValidationError
from app.i18n import mark, tr

FIELD_LABELS: Mapping[str, str] = {
    "enterprise_id": mark("拜访企业"),
    "visited_on": mark("拜访日期"),
    "place": mark("地点"),
    "purpose": mark("拜访目的"),
    "discussion": mark("洽谈内容"),
    "outcomes": mark("成果"),
    "next_steps": mark("下一步"),
    "trip_id": mark("所属出行"),
    "squad_id": mark("小分队"),
    "author_id": mark("记录人"),
    "chain_link_id": mark("产业链环节"),
}
EDITABLE_FIELDS = frozenset(FIELD_LABELS)
TEXT_FIELDS = ("place", "purpose", "discussion", "outcomes", "next_steps")
CONTENT_FIELDS = ("enterprise_id", "visited_on", "trip_id", "chain_link_id", *TEXT_FIELDS)
PLACE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class AttendeeDraft:
    """One of their people at the visit; ``id`` names the row once it exists (client-made)."""

    name: str
    title: str = ""
    contact_id: str | None = None
    id: str | None = None

    @property
    def blank(self) -> bool:
        return not self.name.strip() and not self.title.strip()


@dataclass(frozen=True, slots=True)
class VisitContent:
    """Everything the visit form holds, as typed: compared with what is saved to find changes."""

    enterprise_id: str | None = None
    visited_on: dt.date | None = None
    place: str = ""
    trip_id: str | None = None
    chain_link_id: str | None = None
    purpose: str = ""
    discussion: str = ""
    outcomes: str = ""
    next_steps: str = ""
    participant_ids: tuple[str, ...] = ()
    attendees: tuple[AttendeeDraft, ...] = ()

    def field_values(self) -> dict[str, Any]:
        """The visit row's own fields (not participants or attendees)."""
        return {field: getattr(self, field) for field in CONTENT_FIELDS}

    def changed_fields(self, before: VisitContent) -> dict[str, Any]:
        """Row fields whose value differs from ``before``, with their new value."""
        return {
            field: value
            for field, value in self.field_values().items()
            if getattr(before, field) != value
        }

    def typed_attendees(self) -> tuple[AttendeeDraft, ...]:
        """Attendee rows with something typed in them (empty rows of the form are ignored)."""
        return tuple(attendee for attendee in self.attendees if not attendee.blank)

    @property
    def has_text(self) -> bool:
        """Anything typed that would be lost if the form vanished."""
        return any(getattr(self, field) for field in TEXT_FIELDS) or bool(self.typed_attendees())


def label(field: str) -> str:
    return tr(FIELD_LABELS.get(field, field))


def validate_visit_changes(
    changes: Mapping[str, Any], *, creating: bool, today: dt.date | None = None
) -> dict[str, Any]:
    """Check and normalise visit fields; raise ``ValidationError`` naming the first bad one."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    today = today or dt.date.today()
    clean: dict[str, Any] = {}
    for field, value in changes.items():
        if field in TEXT_FIELDS:
            if value is not None and not isinstance(value, str):
                raise ValidationError(field, tr("{field}必须是文字", field=label(field)))
            text = (value or "").strip() if field == "place" else (value or "")
            if field == "place" and len(text) > PLACE_LIMIT:
                raise ValidationError(
                    field, tr("{field}不能超过 {limit} 个字", field=label(field), limit=PLACE_LIMIT)
                )
            clean[field] = text
        elif field == "visited_on":
            if not isinstance(value, dt.date):
                raise ValidationError(field, tr("请填写{field}", field=label(field)))
            if value > today:
                raise ValidationError(field, tr("{field}不能晚于今天", field=label(field)))
            clean[field] = value
        else:
            clean[field] = None if value in (None, "") else str(value)
    if creating:
        for required in ("enterprise_id", "visited_on"):
            if clean.get(required) is None:
                raise ValidationError(required, tr("请填写{field}", field=label(required)))
    elif "enterprise_id" in clean and clean["enterprise_id"] is None:
        raise ValidationError("enterprise_id", tr("请填写{field}", field=label("enterprise_id")))
    return clean


def validate_attendees(attendees: Sequence[AttendeeDraft]) -> list[AttendeeDraft]:
    clean = []
    for number, attendee in enumerate(attendees, start=1):
        name = attendee.name.strip()
        if not name:
            raise ValidationError(
                "attendees", tr("第 {number} 位对方参会人员缺少姓名", number=number)
            )
        if len(name) > 50 or len(attendee.title) > 50:
            raise ValidationError(
                "attendees", tr("第 {number} 位对方参会人员的姓名或职务过长", number=number)
            )
        clean.append(
            AttendeeDraft(name, attendee.title.strip(), attendee.contact_id or None, attendee.id)
        )
    return clean
