"""Trips, visits, negotiation rounds, commitments and tasks — the squad's field work."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database.tables.base import Base, Synced, ref
from app.database.types import UTCDateTime


class TripRow(Synced, Base):
    """One journey (外出招商): dates, destination, squad, leader type; holds visits."""

    __tablename__ = "trips"

    squad_id: Mapped[str | None] = ref("squads")
    title: Mapped[str] = mapped_column(String(200))
    destination: Mapped[str] = mapped_column(String(200), default="")
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date] = mapped_column(Date)
    leader_type: Mapped[str] = mapped_column(String(30), default="other")
    purpose: Mapped[str] = mapped_column(Text, default="")


class TripMemberRow(Synced, Base):
    __tablename__ = "trip_members"

    trip_id: Mapped[str] = ref("trips", nullable=False)
    member_id: Mapped[str] = ref("members", nullable=False)


class VisitRow(Synced, Base):
    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_enterprise_visited", "enterprise_id", "visited_on"),)

    enterprise_id: Mapped[str] = ref("enterprises", nullable=False)
    trip_id: Mapped[str | None] = ref("trips")
    squad_id: Mapped[str | None] = ref("squads")
    author_id: Mapped[str | None] = ref("members")
    chain_link_id: Mapped[str | None] = ref("chain_links")
    visited_on: Mapped[dt.date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    discussion: Mapped[str] = mapped_column(Text, default="")
    outcomes: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")


class VisitParticipantRow(Synced, Base):
    """One of our cadres at a visit."""

    __tablename__ = "visit_participants"

    visit_id: Mapped[str] = ref("visits", nullable=False)
    member_id: Mapped[str] = ref("members", nullable=False)


class VisitAttendeeRow(Synced, Base):
    """One of their people at a visit, with the title they held then."""

    __tablename__ = "visit_attendees"

    visit_id: Mapped[str] = ref("visits", nullable=False)
    contact_id: Mapped[str | None] = ref("contacts")
    name: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(50), default="")


class NegotiationNoteRow(Synced, Base):
    __tablename__ = "negotiation_notes"

    enterprise_id: Mapped[str] = ref("enterprises", nullable=False)
    project_id: Mapped[str | None] = ref("projects")
    author_id: Mapped[str | None] = ref("members")
    round_no: Mapped[int] = mapped_column(Integer, default=1)
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    their_asks: Mapped[str] = mapped_column(Text, default="")
    our_offers: Mapped[str] = mapped_column(Text, default="")
    sticking_points: Mapped[str] = mapped_column(Text, default="")
    next_round: Mapped[str] = mapped_column(Text, default="")
    next_round_on: Mapped[dt.date | None] = mapped_column(Date)


class CommitmentRow(Synced, Base):
    """A promise made to an enterprise (政策兑现 ledger)."""

    __tablename__ = "commitments"

    enterprise_id: Mapped[str] = ref("enterprises", nullable=False)
    project_id: Mapped[str | None] = ref("projects")
    negotiation_note_id: Mapped[str | None] = ref("negotiation_notes")
    promised_by_id: Mapped[str | None] = ref("members")
    content: Mapped[str] = mapped_column(Text)
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    honoured_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")


class TaskRow(Synced, Base):
    __tablename__ = "tasks"

    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[str | None] = ref("members")
    squad_id: Mapped[str | None] = ref("squads")
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    enterprise_id: Mapped[str | None] = ref("enterprises")
    project_id: Mapped[str | None] = ref("projects")
    visit_id: Mapped[str | None] = ref("visits")
