"""Visit use cases: list, read, create, edit (autosave), delete with undo.

Autosave and history: the visit form saves what was typed every second or two, each save one
unit of work holding only the changed fields (so the change-tracking hook writes one outbox entry
and one history row per save). To keep the history readable, ``save`` folds a save that changes
only text fields into the previous history row of the same visit when that row is the same
member's save of the same fields less than ``HISTORY_MERGE_WINDOW`` earlier: the folded row
keeps the old value from before the first save and the new value of the last. Outbox entries are
never folded (each is a change the server must see in order).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, TypeVarTuple

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session, aliased

from app.database.tables import (
    ChainLinkRow,
    EnterpriseRow,
    HistoryEntry,
    MemberRow,
    SquadRow,
    Synced,
    TaskRow,
    TripRow,
    VisitAttendeeRow,
    VisitParticipantRow,
    VisitRow,
)
from app.domain.errors import NotFoundError, ValidationError
from app.domain.visit import (
    TEXT_FIELDS,
    AttendeeDraft,
    label,
    validate_attendees,
    validate_visit_changes,
)
from app.domain.vocabulary import TaskStatus
from app.i18n import tr
from app.search.matching import matching_clause
from app.search.service import refresh_index
from app.services.chains import link_label
from app.services.visit_views import (
    AttendeeView,
    ParticipantView,
    VisitDetail,
    VisitFilter,
    VisitListRow,
    VisitPage,
    VisitTaskView,
)
from app.services.workspace import Workspace

_Ts = TypeVarTuple("_Ts")

HISTORY_MERGE_WINDOW = dt.timedelta(minutes=2)

_REFERENCES: dict[str, type[Synced]] = {
    "enterprise_id": EnterpriseRow,
    "trip_id": TripRow,
    "squad_id": SquadRow,
    "author_id": MemberRow,
    "chain_link_id": ChainLinkRow,
}


class VisitService:
    """Visit records (拜访记录) as the UI and CLI use them."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._database = workspace.database

    def page(
        self, filter_: VisitFilter = VisitFilter(), offset: int = 0, limit: int = 200
    ) -> VisitPage:
        """Newest first."""
        author = aliased(MemberRow)
        query = (
            select(VisitRow, EnterpriseRow.name, SquadRow.name, author.name)
            .join(EnterpriseRow, EnterpriseRow.id == VisitRow.enterprise_id)
            .outerjoin(SquadRow, SquadRow.id == VisitRow.squad_id)
            .outerjoin(author, author.id == VisitRow.author_id)
        )
        query = _apply_filter(query, filter_)
        query = query.order_by(VisitRow.visited_on.desc(), VisitRow.id.desc())
        if filter_.text.strip():
            refresh_index(self._workspace)  # the last edits are in the index before it is asked
        with self._database.read() as session:
            count_query = _apply_filter(select(func.count(VisitRow.id)), filter_)
            total = session.scalar(count_query) or 0
            rows = tuple(
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
                for visit, enterprise, squad, author_name in session.execute(
                    query.offset(offset).limit(limit)
                )
            )
        return VisitPage(rows, total, offset)

    def detail(self, visit_id: str) -> VisitDetail:
        with self._database.read() as session:
            visit = session.get(VisitRow, visit_id)
            if visit is None:
                raise NotFoundError(tr("找不到该拜访记录（{id}）", id=visit_id))
            return _detail(session, visit)

    def create(
        self,
        changes: Mapping[str, Any],
        participant_ids: Sequence[str] = (),
        attendees: Sequence[AttendeeDraft] = (),
        *,
        visit_id: str | None = None,
    ) -> str:
        """Record a visit with our participants and their attendees in one unit of work.

        ``visit_id`` lets the form choose the id up front (ids are made on the client), so its
        later saves can queue behind the create without waiting for it.
        """
        clean = validate_visit_changes(changes, creating=True)
        people = validate_attendees(attendees)
        with self._database.write(self._workspace.actor()) as session:
            _check_references(session, clean)
            if visit_id is not None and session.get(VisitRow, visit_id) is not None:
                raise ValidationError("id", tr("该拜访记录已存在（{id}）", id=visit_id))
            visit = VisitRow(id=visit_id, **clean)
            session.add(visit)
            session.flush()
            self._set_participants(session, visit.id, participant_ids)
            _set_attendees(session, visit.id, people)
            return visit.id

    def follow_up_tasks(self, visit_id: str) -> tuple[VisitTaskView, ...]:
        """Tasks made from this visit, oldest first."""
        with self._database.read() as session:
            return _tasks_of(session, visit_id)

    def update(self, visit_id: str, changes: Mapping[str, Any]) -> None:
        clean = validate_visit_changes(changes, creating=False)
        with self._database.write(self._workspace.actor()) as session:
            visit = _live(session, visit_id)
            _check_references(session, clean)
            for field, value in clean.items():
                setattr(visit, field, value)

    def save(
        self,
        visit_id: str,
        changes: Mapping[str, Any],
        participant_ids: Sequence[str] | None = None,
        attendees: Sequence[AttendeeDraft] | None = None,
    ) -> None:
        """Autosave: write only what changed, in one unit of work.

        ``participant_ids`` / ``attendees`` replace the visit's lists when given (attendees are
        matched by their ``id``; rows left out are tombstoned).
        """
        clean = validate_visit_changes(changes, creating=False)
        people = None if attendees is None else validate_attendees(attendees)
        actor = self._workspace.actor()
        with self._database.write(actor) as session:
            visit = _live(session, visit_id)
            _check_references(session, clean)
            for field, value in clean.items():
                setattr(visit, field, value)
            if participant_ids is not None:
                self._set_participants(session, visit_id, participant_ids)
            if people is not None:
                _set_attendees(session, visit_id, people)
            if clean and set(clean) <= set(TEXT_FIELDS):
                session.flush()  # the change-tracking hook writes this save's history row
                _fold_history(session, visit_id)

    def set_participants(self, visit_id: str, member_ids: Sequence[str]) -> None:
        with self._database.write(self._workspace.actor()) as session:
            _live(session, visit_id)
            self._set_participants(session, visit_id, member_ids)

    def delete(self, visit_id: str) -> None:
        with self._database.write(self._workspace.actor()) as session:
            _live(session, visit_id).deleted = True

    def restore(self, visit_id: str) -> None:
        with self._database.write(self._workspace.actor()) as session:
            visit = session.get(VisitRow, visit_id)
            if visit is None:
                raise NotFoundError(tr("找不到该拜访记录（{id}）", id=visit_id))
            visit.deleted = False

    @staticmethod
    def _set_participants(session: Session, visit_id: str, member_ids: Sequence[str]) -> None:
        wanted = list(dict.fromkeys(member_ids))
        for member_id in wanted:
            member = session.get(MemberRow, member_id)
            if member is None or member.deleted:
                raise ValidationError("participants", tr("参与人员不存在（{id}）", id=member_id))
        existing = {
            row.member_id: row
            for row in session.scalars(
                select(VisitParticipantRow).where(VisitParticipantRow.visit_id == visit_id)
            )
        }
        for member_id, row in existing.items():
            row.deleted = member_id not in wanted
        for member_id in wanted:
            if member_id not in existing:
                session.add(VisitParticipantRow(visit_id=visit_id, member_id=member_id))


def _set_attendees(session: Session, visit_id: str, people: Sequence[AttendeeDraft]) -> None:
    existing = {
        row.id: row
        for row in session.scalars(
            select(VisitAttendeeRow).where(VisitAttendeeRow.visit_id == visit_id)
        )
    }
    wanted = {attendee.id for attendee in people if attendee.id}
    for row_id, old in existing.items():
        if row_id not in wanted and not old.deleted:
            old.deleted = True
    for attendee in people:
        row = existing.get(attendee.id) if attendee.id else None
        if row is None:
            session.add(
                VisitAttendeeRow(
                    id=attendee.id or None,
                    visit_id=visit_id,
                    name=attendee.name,
                    title=attendee.title,
                    contact_id=attendee.contact_id,
                )
            )
            continue
        if row.visit_id != visit_id:
            raise ValidationError("attendees", tr("对方参会人员记录有误，请重新填写"))
        row.deleted = False
        row.name = attendee.name
        row.title = attendee.title
        row.contact_id = attendee.contact_id


def _fold_history(session: Session, visit_id: str) -> None:
    """Fold this save's history row into the previous one (see the module docstring)."""
    latest = session.scalars(
        select(HistoryEntry)
        .where(HistoryEntry.table_name == "visits", HistoryEntry.row_id == visit_id)
        .order_by(HistoryEntry.id.desc())
        .limit(2)
    ).all()
    if len(latest) < 2:
        return
    new, previous = latest
    if (
        new.op != "patch"
        or previous.op != "patch"
        or previous.source != new.source
        or previous.actor_id != new.actor_id
        or set(previous.changes) != set(new.changes)
        or new.changed_at - previous.changed_at > HISTORY_MERGE_WINDOW
    ):
        return
    merged: dict[str, object] = {}
    for field, pair in new.changes.items():
        before = _pair(previous.changes[field])[0]
        after = _pair(pair)[1]
        if before != after:
            merged[field] = [before, after]
    previous.changes = merged
    previous.changed_at = new.changed_at
    session.delete(new)
    if not merged:  # typed and then typed back: nothing changed after all
        session.delete(previous)


def _pair(value: object) -> tuple[object, object]:
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, value


def _apply_filter(query: Select[*_Ts], filter_: VisitFilter) -> Select[*_Ts]:
    query = query.where(VisitRow.deleted == false())
    if filter_.enterprise_id:
        query = query.where(VisitRow.enterprise_id == filter_.enterprise_id)
    if filter_.squad_id:
        query = query.where(VisitRow.squad_id == filter_.squad_id)
    if filter_.since:
        query = query.where(VisitRow.visited_on >= filter_.since)
    if filter_.until:
        query = query.where(VisitRow.visited_on <= filter_.until)
    if filter_.text.strip():  # through the search index: every word, anywhere in the visit
        query = query.where(matching_clause("visit", filter_.text))
    return query


def live_visit_detail(session: Session, visit_id: str) -> VisitDetail:
    """The detail of a visit that exists and is not deleted, read in the caller's session
    (reports read it with the rest of what they print); ``NotFoundError`` otherwise."""
    return _detail(session, _live(session, visit_id))


def _live(session: Session, visit_id: str) -> VisitRow:
    visit = session.get(VisitRow, visit_id)
    if visit is None or visit.deleted:
        raise NotFoundError(tr("找不到该拜访记录（{id}）", id=visit_id))
    return visit


def _check_references(session: Session, clean: Mapping[str, Any]) -> None:
    for field, table in _REFERENCES.items():
        value = clean.get(field)
        if value is not None:
            found = session.get(table, value)
            if found is None or found.deleted:
                raise ValidationError(field, tr("{field}不存在", field=label(field)))


def _detail(session: Session, visit: VisitRow) -> VisitDetail:
    enterprise = session.get(EnterpriseRow, visit.enterprise_id)
    trip = session.get(TripRow, visit.trip_id) if visit.trip_id else None
    squad = session.get(SquadRow, visit.squad_id) if visit.squad_id else None
    author = session.get(MemberRow, visit.author_id) if visit.author_id else None
    participants = session.execute(
        select(MemberRow.id, MemberRow.name, MemberRow.title)
        .join(VisitParticipantRow, VisitParticipantRow.member_id == MemberRow.id)
        .where(VisitParticipantRow.visit_id == visit.id, VisitParticipantRow.deleted == false())
        .order_by(MemberRow.name)
    )
    attendees = session.scalars(
        select(VisitAttendeeRow)
        .where(VisitAttendeeRow.visit_id == visit.id, VisitAttendeeRow.deleted == false())
        .order_by(VisitAttendeeRow.created_at, VisitAttendeeRow.id)
    )
    return VisitDetail(
        id=visit.id,
        enterprise_id=visit.enterprise_id,
        enterprise_name=enterprise.name if enterprise else "",
        trip_id=visit.trip_id,
        trip_title=trip.title if trip else "",
        squad_id=visit.squad_id,
        squad_name=squad.name if squad else "",
        author_id=visit.author_id,
        author_name=author.name if author else "",
        chain_link_id=visit.chain_link_id,
        chain_link_label=link_label(session, visit.chain_link_id),
        visited_on=visit.visited_on,
        place=visit.place,
        purpose=visit.purpose,
        discussion=visit.discussion,
        outcomes=visit.outcomes,
        next_steps=visit.next_steps,
        participants=tuple(ParticipantView(m.id, m.name, m.title) for m in participants),
        attendees=tuple(AttendeeView(a.id, a.name, a.title, a.contact_id) for a in attendees),
        updated_at=visit.updated_at,
        deleted=visit.deleted,
        tasks=_tasks_of(session, visit.id),
    )


def _tasks_of(session: Session, visit_id: str) -> tuple[VisitTaskView, ...]:
    owner = aliased(MemberRow)
    rows = session.execute(
        select(TaskRow, owner.name)
        .outerjoin(owner, owner.id == TaskRow.owner_id)
        .where(TaskRow.visit_id == visit_id, TaskRow.deleted == false())
        .order_by(TaskRow.created_at, TaskRow.id)
    )
    return tuple(
        VisitTaskView(
            task.id,
            task.title,
            task.owner_id,
            owner_name or "",
            task.due_on,
            task.status == TaskStatus.DONE.value,
        )
        for task, owner_name in rows
    )
