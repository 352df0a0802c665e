"""What the visit form offers while a user types: enterprises, people, trips, defaults.

Every query here is small and answers one keystroke-paced question; the form runs them on the
task runner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from app.database.tables import (
    ContactRow,
    EnterpriseRow,
    MemberRow,
    SquadRow,
    TripMemberRow,
    TripRow,
)
from app.domain.names import name_key, pinyin_initials
from app.domain.uscc import normalise_uscc
from app.services.lookups import region_label
from app.services.visit_views import (
    EnterpriseChoice,
    PersonChoice,
    TripChoice,
    VisitFormDefaults,
)
from app.services.workspace import Workspace

ENTERPRISE_CHOICES = 12
SCAN_LIMIT = 300
TRIP_CHOICES = 30
TRIP_WINDOW = dt.timedelta(days=120)
"""Trips offered for a visit: those of my squad within this many days of the visit date."""


class VisitChoices:
    """Look-ups for the visit form, each returning frozen rows."""

    def __init__(self, workspace: Workspace, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._workspace = workspace
        self._database = workspace.database
        self._today = today

    def enterprises(
        self, text: str, limit: int = ENTERPRISE_CHOICES
    ) -> tuple[EnterpriseChoice, ...]:
        """Enterprises whose name holds ``text`` anywhere, whose pinyin initials hold it
        (``hwjs`` → 华为技术), or whose USCC starts with it.

        Names, initials and codes that *start* with the text come first (found by index); the
        rest of the list is the shortest names among the first matches of a scan that stops
        after ``SCAN_LIMIT`` hits, so one common character answers as fast as a rare phrase.
        """
        text = text.strip()
        if not text:
            return ()
        key = name_key(text)
        starts = [_starts_with(EnterpriseRow.name_key, key)]
        contains = [EnterpriseRow.name_key.like(f"%{_escape_like(key)}%", escape="\\")]
        if text.isascii():
            letters = text.lower().replace(" ", "")
            code = normalise_uscc(text)
            starts += [
                _starts_with(EnterpriseRow.name_initials, letters),
                _starts_with(EnterpriseRow.uscc, code),
            ]
            contains.append(
                EnterpriseRow.name_initials.like(f"%{_escape_like(letters)}%", escape="\\")
            )
        columns = (
            EnterpriseRow.id,
            EnterpriseRow.name,
            EnterpriseRow.uscc,
            EnterpriseRow.region_code,
        )
        live = EnterpriseRow.deleted == false()
        with self._database.read() as session:
            first = session.execute(
                select(*columns)
                .where(live, or_(*starts))
                .order_by(func.length(EnterpriseRow.name), EnterpriseRow.name_initials)
                .limit(limit)
            ).all()
            rest: Sequence[Row[Any]] = ()
            if len(first) < limit:
                scanned = select(*columns).where(live, or_(*contains)).limit(SCAN_LIMIT).subquery()
                rest = session.execute(
                    select(scanned).order_by(func.length(scanned.c.name), scanned.c.id).limit(limit)
                ).all()
        seen: set[str] = set()
        choices: list[EnterpriseChoice] = []
        for row in (*first, *rest):
            if row.id not in seen and len(choices) < limit:
                seen.add(row.id)
                choices.append(
                    EnterpriseChoice(
                        row.id, row.name, row.uscc or "", region_label(row.region_code)
                    )
                )
        return tuple(choices)

    def enterprise(self, enterprise_id: str) -> EnterpriseChoice | None:
        with self._database.read() as session:
            row = session.get(EnterpriseRow, enterprise_id)
            if row is None or row.deleted:
                return None
            return EnterpriseChoice(row.id, row.name, row.uscc or "", region_label(row.region_code))

    def contacts(self, enterprise_id: str) -> tuple[PersonChoice, ...]:
        """The enterprise's known contacts, primary ones first."""
        query = (
            select(ContactRow.id, ContactRow.name, ContactRow.title)
            .where(ContactRow.enterprise_id == enterprise_id, ContactRow.deleted == false())
            .order_by(ContactRow.is_primary.desc(), ContactRow.name)
        )
        with self._database.read() as session:
            return tuple(
                PersonChoice(row.id, row.name, row.title, pinyin_initials(row.name))
                for row in session.execute(query)
            )

    def defaults(self) -> VisitFormDefaults:
        """Me, my squad and its members (everyone, when no member is signed in)."""
        member_id = self._workspace.current_member_id()
        with self._database.read() as session:
            me = session.get(MemberRow, member_id) if member_id else None
            squad = session.get(SquadRow, me.squad_id) if me and me.squad_id else None
            query = select(MemberRow.id, MemberRow.name, MemberRow.title).where(
                MemberRow.deleted == false()
            )
            if squad is not None:
                query = query.where(MemberRow.squad_id == squad.id)
            members = tuple(
                PersonChoice(row.id, row.name, row.title, pinyin_initials(row.name))
                for row in session.execute(query.order_by(MemberRow.name))
            )
        return VisitFormDefaults(
            today=self._today(),
            member_id=me.id if me else None,
            member_name=me.name if me else "",
            squad_id=squad.id if squad else None,
            squad_name=squad.name if squad else "",
            members=members,
        )

    def trips(
        self, on: dt.date, include_id: str | None = None
    ) -> tuple[tuple[TripChoice, ...], str | None]:
        """Trips to file a visit of ``on`` under, and the default one.

        Offered: my squad's trips (all trips without a squad of mine) near the date, and
        ``include_id`` (the visit's trip) wherever it is. The default is a trip I am on whose
        dates cover the visit date.
        """
        member_id = self._workspace.current_member_id()
        with self._database.read() as session:
            me = session.get(MemberRow, member_id) if member_id else None
            near = (TripRow.end_on >= on - TRIP_WINDOW) & (TripRow.start_on <= on + TRIP_WINDOW)
            condition = near if include_id is None else or_(near, TripRow.id == include_id)
            query = select(TripRow).where(TripRow.deleted == false(), condition)
            if me is not None and me.squad_id:
                query = query.where(
                    or_(TripRow.squad_id == me.squad_id, TripRow.id == (include_id or ""))
                )
            rows = session.scalars(
                query.order_by(TripRow.start_on.desc(), TripRow.id).limit(TRIP_CHOICES)
            ).all()
            default_id = None
            if me is not None:
                default_id = session.scalar(
                    select(TripRow.id)
                    .join(TripMemberRow, TripMemberRow.trip_id == TripRow.id)
                    .where(
                        TripMemberRow.member_id == me.id,
                        TripMemberRow.deleted == false(),
                        TripRow.deleted == false(),
                        TripRow.start_on <= on,
                        TripRow.end_on >= on,
                    )
                    .order_by(TripRow.start_on.desc(), TripRow.id)
                    .limit(1)
                )
            choices = tuple(
                TripChoice(row.id, row.title, row.start_on, row.end_on, row.destination)
                for row in rows
            )
            if default_id is not None and all(choice.id != default_id for choice in choices):
                trip = session.get(TripRow, default_id)
                if trip is not None:
                    choices = (
                        TripChoice(
                            trip.id, trip.title, trip.start_on, trip.end_on, trip.destination
                        ),
                        *choices,
                    )
        return choices, default_id


def _starts_with(column: InstrumentedAttribute[Any], prefix: str) -> ColumnElement[bool]:
    """``column`` starts with ``prefix``, as a range an index answers (LIKE would scan)."""
    return and_(column >= prefix, column < prefix + "\U0010ffff")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
