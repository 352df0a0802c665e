"""Frozen views of visits for lists and the visit detail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class VisitFilter:
    text: str = ""
    enterprise_id: str | None = None
    squad_id: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class VisitListRow:
    id: str
    visited_on: dt.date
    enterprise_id: str
    enterprise_name: str
    place: str
    purpose: str
    squad_name: str
    author_name: str


@dataclass(frozen=True, slots=True)
class VisitPage:
    rows: tuple[VisitListRow, ...]
    total: int
    offset: int


@dataclass(frozen=True, slots=True)
class AttendeeView:
    id: str
    name: str
    title: str
    contact_id: str | None


@dataclass(frozen=True, slots=True)
class ParticipantView:
    member_id: str
    name: str
    title: str


@dataclass(frozen=True, slots=True)
class VisitDetail:
    id: str
    enterprise_id: str
    enterprise_name: str
    trip_id: str | None
    trip_title: str
    squad_id: str | None
    squad_name: str
    author_id: str | None
    author_name: str
    chain_link_id: str | None
    chain_link_label: str
    """“新能源产业链 · 动力电池” when the visit is tagged with a link, else ""."""
    visited_on: dt.date
    place: str
    purpose: str
    discussion: str
    outcomes: str
    next_steps: str
    participants: tuple[ParticipantView, ...]
    attendees: tuple[AttendeeView, ...]
    updated_at: dt.datetime
    deleted: bool
    tasks: tuple[VisitTaskView, ...] = ()


@dataclass(frozen=True, slots=True)
class VisitTaskView:
    """A follow-up task made from a visit."""

    id: str
    title: str
    owner_id: str | None
    owner_name: str
    due_on: dt.date | None
    done: bool


@dataclass(frozen=True, slots=True)
class EnterpriseChoice:
    """One line of the visit form's enterprise picker."""

    id: str
    name: str
    uscc: str
    region_name: str


@dataclass(frozen=True, slots=True)
class PersonChoice:
    """A member of ours or a contact of theirs, offered while typing a name."""

    id: str
    name: str
    title: str
    initials: str
    """Pinyin initials of the name, so ``wq`` finds 王强."""


@dataclass(frozen=True, slots=True)
class TripChoice:
    id: str
    title: str
    start_on: dt.date
    end_on: dt.date
    destination: str


@dataclass(frozen=True, slots=True)
class VisitFormDefaults:
    """What a new visit starts with: me as author and participant, my squad, its people."""

    today: dt.date
    member_id: str | None
    member_name: str
    squad_id: str | None
    squad_name: str
    members: tuple[PersonChoice, ...]
    """The people of my squad (me included), for our participants and task owners."""
