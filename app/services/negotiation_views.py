"""Frozen views of negotiation rounds (洽谈记录) and the commitments made in them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.vocabulary import CommitmentStatus
from app.services.member_choices import MemberChoice


@dataclass(frozen=True, slots=True)
class ProjectChoice:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class CommitmentView:
    """One entry of the commitments ledger made in a round."""

    id: str
    content: str
    due_on: dt.date | None
    promised_by_id: str | None
    promised_by_name: str
    status: CommitmentStatus
    withdrawn_reason: str
    honoured_on: dt.date | None
    synced: bool
    """The server has it: it can be withdrawn (with a reason) but no longer discarded."""


@dataclass(frozen=True, slots=True)
class NoteDetail:
    id: str
    enterprise_id: str
    project_id: str | None
    round_no: int
    held_on: dt.date
    their_asks: str
    our_offers: str
    sticking_points: str
    next_round: str
    next_round_on: dt.date | None
    author_name: str
    synced: bool
    commitments: tuple[CommitmentView, ...]


@dataclass(frozen=True, slots=True)
class NoteForm:
    """What the editor needs to open: the note (None for a new one) and the choices it offers."""

    enterprise_id: str
    enterprise_name: str
    today: dt.date
    current_member_id: str | None
    members: tuple[MemberChoice, ...]
    projects: tuple[ProjectChoice, ...]
    next_rounds: tuple[tuple[str | None, int], ...]
    """The next free round number with no project (None) and for each project."""
    note: NoteDetail | None
    latest_project_id: str | None = None
    """The project of the enterprise's latest round: a new round is most likely about it too."""

    def next_round(self, project_id: str | None) -> int:
        return dict(self.next_rounds).get(project_id, 1)


@dataclass(frozen=True, slots=True)
class NoteRound:
    """One round in an enterprise's list of negotiation notes."""

    id: str
    round_no: int
    held_on: dt.date
    project_id: str | None
    project_name: str
    author_name: str
    their_asks: str
    our_offers: str
    sticking_points: str
    next_round: str
    next_round_on: dt.date | None
    commitments: int
    pending_commitments: int


@dataclass(frozen=True, slots=True)
class SavedNote:
    note_id: str
    created: bool
    """True when this save created the note row."""
