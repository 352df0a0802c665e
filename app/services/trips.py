"""Trips (外出招商): create and edit journeys, list them with days and visits, file visits.

A trip holds the visits of one journey: dates, destination, squad, who went, the leader type
that counts in the weekly figures. Its day count is ``app.domain.trip.trip_days``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.database.tables import EnterpriseRow, MemberRow, SquadRow, TripMemberRow, TripRow, VisitRow
from app.domain.errors import NotFoundError, ValidationError
from app.domain.names import pinyin_initials
from app.domain.trip import TripDraft, trip_days, trip_label, validate_trip_draft
from app.i18n import tr
from app.services.visit_views import PersonChoice, VisitListRow
from app.services.workspace import Workspace

PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class TripFilter:
    text: str = ""
    squad_id: str | None = None


@dataclass(frozen=True, slots=True)
class TripListRow:
    id: str
    title: str
    start_on: dt.date
    end_on: dt.date
    destination: str
    squad_name: str
    leader_type: str
    visit_count: int

    @property
    def days(self) -> int:
        return trip_days(self.start_on, self.end_on)


@dataclass(frozen=True, slots=True)
class TripPage:
    rows: tuple[TripListRow, ...]
    total: int
    offset: int


@dataclass(frozen=True, slots=True)
class SquadChoice:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class TripPeople:
    """Who can go on a trip: the squads and their members; my squad first."""

    squads: tuple[SquadChoice, ...]
    members: tuple[tuple[str | None, PersonChoice], ...]
    """(squad id, member) pairs."""
    my_squad_id: str | None
    me: str | None


@dataclass(frozen=True, slots=True)
class TripDetail:
    id: str
    draft: TripDraft
    squad_name: str
    participants: tuple[PersonChoice, ...]
    visits: tuple[VisitListRow, ...]

    @property
    def days(self) -> int:
        assert self.draft.start_on is not None and self.draft.end_on is not None
        return trip_days(self.draft.start_on, self.draft.end_on)


class TripService:
    """Trips as the visits page uses them."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._database = workspace.database

    def page(
        self, filter_: TripFilter = TripFilter(), offset: int = 0, limit: int = PAGE_SIZE
    ) -> TripPage:
        """Latest trips first, each with its number of (live) visits."""
        conditions = [TripRow.deleted == false()]
        if filter_.squad_id:
            conditions.append(TripRow.squad_id == filter_.squad_id)
        text = filter_.text.strip()
        if text:
            pattern = f"%{_escape_like(text)}%"
            conditions.append(
                or_(
                    TripRow.title.like(pattern, escape="\\"),
                    TripRow.destination.like(pattern, escape="\\"),
                )
            )
        with self._database.read() as session:
            total = session.scalar(select(func.count(TripRow.id)).where(*conditions)) or 0
            found = session.execute(
                select(TripRow, SquadRow.name)
                .outerjoin(SquadRow, SquadRow.id == TripRow.squad_id)
                .where(*conditions)
                .order_by(TripRow.start_on.desc(), TripRow.id.desc())
                .offset(offset)
                .limit(limit)
            ).all()
            counts = _visit_counts(session, [trip.id for trip, _ in found])
            rows = tuple(
                TripListRow(
                    id=trip.id,
                    title=trip.title,
                    start_on=trip.start_on,
                    end_on=trip.end_on,
                    destination=trip.destination,
                    squad_name=squad or "",
                    leader_type=trip.leader_type,
                    visit_count=counts.get(trip.id, 0),
                )
                for trip, squad in found
            )
        return TripPage(rows, total, offset)

    def detail(self, trip_id: str) -> TripDetail:
        with self._database.read() as session:
            trip = _live(session, trip_id)
            squad = session.get(SquadRow, trip.squad_id) if trip.squad_id else None
            members = session.execute(
                select(MemberRow.id, MemberRow.name, MemberRow.title)
                .join(TripMemberRow, TripMemberRow.member_id == MemberRow.id)
                .where(TripMemberRow.trip_id == trip_id, TripMemberRow.deleted == false())
                .order_by(MemberRow.name)
            ).all()
            participants = tuple(
                PersonChoice(m.id, m.name, m.title, pinyin_initials(m.name)) for m in members
            )
            visits = _visit_rows(session, VisitRow.trip_id == trip_id)
            draft = TripDraft(
                title=trip.title,
                start_on=trip.start_on,
                end_on=trip.end_on,
                destination=trip.destination,
                squad_id=trip.squad_id,
                leader_type=trip.leader_type,
                purpose=trip.purpose,
                participant_ids=tuple(p.id for p in participants),
            )
        return TripDetail(trip_id, draft, squad.name if squad else "", participants, visits)

    def people(self) -> TripPeople:
        member_id = self._workspace.current_member_id()
        with self._database.read() as session:
            me = session.get(MemberRow, member_id) if member_id else None
            squads = tuple(
                SquadChoice(row.id, row.name)
                for row in session.execute(
                    select(SquadRow.id, SquadRow.name)
                    .where(SquadRow.deleted == false())
                    .order_by(SquadRow.name)
                )
            )
            members = tuple(
                (row.squad_id, PersonChoice(row.id, row.name, row.title, pinyin_initials(row.name)))
                for row in session.execute(
                    select(MemberRow.id, MemberRow.name, MemberRow.title, MemberRow.squad_id)
                    .where(MemberRow.deleted == false())
                    .order_by(MemberRow.name)
                )
            )
        my_squad = me.squad_id if me else None
        squads = tuple(sorted(squads, key=lambda squad: squad.id != my_squad))
        return TripPeople(squads, members, my_squad, me.id if me else None)

    def create(self, draft: TripDraft) -> str:
        clean = validate_trip_draft(draft)
        with self._database.write(self._workspace.actor()) as session:
            _check_people(session, clean)
            trip = TripRow(**_row_values(clean))
            session.add(trip)
            session.flush()
            _set_members(session, trip.id, clean.participant_ids)
            return trip.id

    def update(self, trip_id: str, draft: TripDraft) -> None:
        clean = validate_trip_draft(draft)
        with self._database.write(self._workspace.actor()) as session:
            trip = _live(session, trip_id)
            _check_people(session, clean)
            for field, value in _row_values(clean).items():
                setattr(trip, field, value)
            _set_members(session, trip_id, clean.participant_ids)

    def delete(self, trip_id: str) -> None:
        """Tombstone the trip; its visits stay, filed under no trip (undo files them again)."""
        with self._database.write(self._workspace.actor()) as session:
            _live(session, trip_id).deleted = True

    def restore(self, trip_id: str) -> None:
        with self._database.write(self._workspace.actor()) as session:
            trip = session.get(TripRow, trip_id)
            if trip is None:
                raise NotFoundError(tr("找不到该出行（{id}）", id=trip_id))
            trip.deleted = False

    def candidate_visits(self, trip_id: str | None, draft: TripDraft) -> tuple[VisitListRow, ...]:
        """Visits that could be filed under this trip: of its squad, on its dates, under no
        other trip — and the ones filed under it now."""
        if draft.start_on is None or draft.end_on is None:
            return ()
        free = VisitRow.trip_id.is_(None)
        mine = free if trip_id is None else or_(free, VisitRow.trip_id == trip_id)
        conditions = [
            mine,
            VisitRow.visited_on >= draft.start_on,
            VisitRow.visited_on <= draft.end_on,
        ]
        if draft.squad_id:
            conditions.append(VisitRow.squad_id == draft.squad_id)
        with self._database.read() as session:
            near = _visit_rows(session, *conditions)
            if trip_id is None:
                return near
            filed = _visit_rows(session, VisitRow.trip_id == trip_id)
        seen = {row.id for row in near}
        return near + tuple(row for row in filed if row.id not in seen)

    def set_visits(self, trip_id: str, visit_ids: Sequence[str]) -> None:
        """File exactly these visits under the trip (others filed there now are taken out)."""
        wanted = set(visit_ids)
        with self._database.write(self._workspace.actor()) as session:
            _live(session, trip_id)
            for filed in session.scalars(select(VisitRow).where(VisitRow.trip_id == trip_id)):
                if filed.id not in wanted:
                    filed.trip_id = None
            for visit_id in wanted:
                visit = session.get(VisitRow, visit_id)
                if visit is None or visit.deleted:
                    raise ValidationError("visits", tr("拜访记录不存在（{id}）", id=visit_id))
                visit.trip_id = trip_id


def _row_values(clean: TripDraft) -> dict[str, object]:
    return {
        "title": clean.title,
        "start_on": clean.start_on,
        "end_on": clean.end_on,
        "destination": clean.destination,
        "squad_id": clean.squad_id,
        "leader_type": clean.leader_type,
        "purpose": clean.purpose,
    }


def _check_people(session: Session, clean: TripDraft) -> None:
    if clean.squad_id:
        squad = session.get(SquadRow, clean.squad_id)
        if squad is None or squad.deleted:
            raise ValidationError("squad_id", tr("{field}不存在", field=trip_label("squad_id")))
    for member_id in clean.participant_ids:
        member = session.get(MemberRow, member_id)
        if member is None or member.deleted:
            raise ValidationError("participants", tr("出行人员不存在（{id}）", id=member_id))


def _set_members(session: Session, trip_id: str, member_ids: Sequence[str]) -> None:
    wanted = list(dict.fromkeys(member_ids))
    existing = {
        row.member_id: row
        for row in session.scalars(select(TripMemberRow).where(TripMemberRow.trip_id == trip_id))
    }
    for member_id, row in existing.items():
        row.deleted = member_id not in wanted
    for member_id in wanted:
        if member_id not in existing:
            session.add(TripMemberRow(trip_id=trip_id, member_id=member_id))


def _visit_counts(session: Session, trip_ids: Sequence[str]) -> dict[str, int]:
    if not trip_ids:
        return {}
    rows = session.execute(
        select(VisitRow.trip_id, func.count(VisitRow.id))
        .where(VisitRow.trip_id.in_(trip_ids), VisitRow.deleted == false())
        .group_by(VisitRow.trip_id)
    )
    return {trip_id: count for trip_id, count in rows if trip_id is not None}


def _visit_rows(session: Session, *conditions: ColumnElement[bool]) -> tuple[VisitListRow, ...]:
    author = aliased(MemberRow)
    query = (
        select(VisitRow, EnterpriseRow.name, SquadRow.name, author.name)
        .join(EnterpriseRow, EnterpriseRow.id == VisitRow.enterprise_id)
        .outerjoin(SquadRow, SquadRow.id == VisitRow.squad_id)
        .outerjoin(author, author.id == VisitRow.author_id)
        .where(VisitRow.deleted == false(), *conditions)
        .order_by(VisitRow.visited_on, VisitRow.id)
        .limit(500)
    )
    return tuple(
        VisitListRow(
            id=visit.id,
            visited_on=visit.visited_on,
            enterprise_id=visit.enterprise_id,
            enterprise_name=enterprise,
            place=visit.place,
            purpose=visit.purpose,
            squad_name=squad or "",
            author_name=author_name or "",
        )
        for visit, enterprise, squad, author_name in session.execute(query)
    )


def _live(session: Session, trip_id: str) -> TripRow:
    trip = session.get(TripRow, trip_id)
    if trip is None or trip.deleted:
        raise NotFoundError(tr("找不到该出行（{id}）", id=trip_id))
    return trip


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
