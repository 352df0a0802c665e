"""What a visit summary (拜访纪要) prints, read in one unit of work as frozen values.

The visit itself comes from the visit service's reader and the enterprise from the dossier
reader, so the summary shows the same names, titles and labels as the screens. On top of them:

- the negotiation rounds (洽谈记录) with the enterprise held on the day of the visit;
- the enterprise's problems (诉求) raised that day;
- the commitments (承诺事项) made in those rounds, plus commitments to the enterprise entered that
  day (local time) without a round;
- the visit's photos, with the blob store path where this laptop keeps their bytes (a photo whose
  bytes have not synced yet is still listed, marked unavailable).

``commitment_lines`` and ``problem_lines`` also serve the pre-trip brief.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session, aliased

from app.database.tables import (
    AttachmentRow,
    CommitmentRow,
    MemberRow,
    NegotiationNoteRow,
    ProblemRow,
    TripRow,
)
from app.services.attachments import IMAGE_SUFFIXES
from app.services.bureau_settings import load_rules
from app.services.dossier import load_dossier
from app.services.enterprise_views import Dossier
from app.services.visit_views import VisitDetail
from app.services.visits import live_visit_detail
from app.services.workspace import Workspace
from app.storage.blobs import BlobStore


@dataclass(frozen=True, slots=True)
class TripFacts:
    title: str
    start_on: dt.date
    end_on: dt.date
    destination: str


@dataclass(frozen=True, slots=True)
class RoundOfTheDay:
    """One negotiation round held with the enterprise on the visit's day."""

    id: str
    round_no: int
    their_asks: str
    our_offers: str
    sticking_points: str


@dataclass(frozen=True, slots=True)
class CommitmentLine:
    id: str
    content: str
    promised_by: str
    due_on: dt.date | None
    status: str
    """A ``CommitmentStatus`` value."""


@dataclass(frozen=True, slots=True)
class ProblemLine:
    id: str
    title: str
    owner_name: str
    raised_on: dt.date
    deadline: dt.date | None
    status: str
    """A ``ProblemStatus`` value."""


@dataclass(frozen=True, slots=True)
class PhotoFile:
    path: Path
    """Where the blob store keeps the bytes on this laptop (it may not be there)."""
    name: str
    caption: str
    available: bool


@dataclass(frozen=True, slots=True)
class VisitSummaryData:
    visit: VisitDetail
    dossier: Dossier
    bureau_name: str
    trip: TripFacts | None
    rounds: tuple[RoundOfTheDay, ...]
    problems: tuple[ProblemLine, ...]
    commitments: tuple[CommitmentLine, ...]
    photos: tuple[PhotoFile, ...]


def load_visit_summary(workspace: Workspace, visit_id: str) -> VisitSummaryData:
    """Everything the summary prints; ``NotFoundError`` for an unknown or deleted visit."""
    blobs = BlobStore.for_data_dir(workspace.data_dir)
    with workspace.database.read() as session:
        visit = live_visit_detail(session, visit_id)
        trip = session.get(TripRow, visit.trip_id) if visit.trip_id else None
        rounds = _rounds_of_the_day(session, visit.enterprise_id, visit.visited_on)
        return VisitSummaryData(
            visit=visit,
            dossier=load_dossier(session, visit.enterprise_id),
            bureau_name=load_rules(session).bureau_name,
            trip=None
            if trip is None or trip.deleted
            else TripFacts(trip.title, trip.start_on, trip.end_on, trip.destination),
            rounds=rounds,
            problems=problem_lines(
                session,
                ProblemRow.enterprise_id == visit.enterprise_id,
                ProblemRow.raised_on == visit.visited_on,
            ),
            commitments=_commitments_of_the_day(
                session, visit.enterprise_id, visit.visited_on, [r.id for r in rounds]
            ),
            photos=_photos(session, blobs, visit.id),
        )


def commitment_lines(
    session: Session, *conditions: ColumnElement[bool]
) -> tuple[CommitmentLine, ...]:
    """Live commitments meeting ``conditions``, soonest due first (undated last)."""
    promiser = aliased(MemberRow)
    rows = session.execute(
        select(CommitmentRow, promiser.name)
        .outerjoin(promiser, promiser.id == CommitmentRow.promised_by_id)
        .where(CommitmentRow.deleted == false(), *conditions)
        .order_by(
            CommitmentRow.due_on.asc().nulls_last(), CommitmentRow.created_at, CommitmentRow.id
        )
    )
    return tuple(
        CommitmentLine(row.id, row.content, name or "", row.due_on, row.status)
        for row, name in rows
    )


def problem_lines(session: Session, *conditions: ColumnElement[bool]) -> tuple[ProblemLine, ...]:
    """Live problems meeting ``conditions``, oldest raised first."""
    owner = aliased(MemberRow)
    rows = session.execute(
        select(ProblemRow, owner.name)
        .outerjoin(owner, owner.id == ProblemRow.owner_id)
        .where(ProblemRow.deleted == false(), *conditions)
        .order_by(ProblemRow.raised_on, ProblemRow.created_at, ProblemRow.id)
    )
    return tuple(
        ProblemLine(row.id, row.title, name or "", row.raised_on, row.deadline, row.status)
        for row, name in rows
    )


def _rounds_of_the_day(
    session: Session, enterprise_id: str, day: dt.date
) -> tuple[RoundOfTheDay, ...]:
    rows = session.scalars(
        select(NegotiationNoteRow)
        .where(
            NegotiationNoteRow.enterprise_id == enterprise_id,
            NegotiationNoteRow.held_on == day,
            NegotiationNoteRow.deleted == false(),
        )
        .order_by(NegotiationNoteRow.round_no, NegotiationNoteRow.created_at)
    )
    return tuple(
        RoundOfTheDay(n.id, n.round_no, n.their_asks, n.our_offers, n.sticking_points) for n in rows
    )


def _commitments_of_the_day(
    session: Session, enterprise_id: str, day: dt.date, round_ids: list[str]
) -> tuple[CommitmentLine, ...]:
    """Made in the day's rounds, or entered that day (local time) without a round."""
    in_rounds = set(
        session.scalars(
            select(CommitmentRow.id).where(CommitmentRow.negotiation_note_id.in_(round_ids))
        )
    )
    entered = session.execute(
        select(CommitmentRow.id, CommitmentRow.created_at).where(
            CommitmentRow.enterprise_id == enterprise_id,
            CommitmentRow.negotiation_note_id.is_(None),
            CommitmentRow.deleted == false(),
        )
    )
    same_day = {row_id for row_id, made in entered if made.astimezone().date() == day}
    wanted = in_rounds | same_day
    if not wanted:
        return ()
    return commitment_lines(session, CommitmentRow.id.in_(wanted))


def _photos(session: Session, blobs: BlobStore, visit_id: str) -> tuple[PhotoFile, ...]:
    rows = session.scalars(
        select(AttachmentRow)
        .where(
            AttachmentRow.owner_table == "visits",
            AttachmentRow.owner_id == visit_id,
            AttachmentRow.deleted == false(),
        )
        .order_by(AttachmentRow.created_at, AttachmentRow.id)
    )
    photos: list[PhotoFile] = []
    for row in rows:
        if not _is_image(row):
            continue
        try:
            path = blobs.path(row.sha256)
        except ValueError:  # a malformed hash names no file: list the photo as unavailable
            path = blobs.root / "missing" / row.id
        photos.append(PhotoFile(path, row.filename, row.caption, path.is_file()))
    return tuple(photos)


def _is_image(row: AttachmentRow) -> bool:
    return row.mime.startswith("image/") or Path(row.filename).suffix.lower() in IMAGE_SUFFIXES
