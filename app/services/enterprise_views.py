"""Frozen views of enterprises handed to the UI and CLI (never live ORM objects)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.domain.money import Money


class EnterpriseSort(StrEnum):
    NAME = "name"
    USCC = "uscc"
    REGION = "region"
    INDUSTRY = "industry"
    SQUAD = "squad"
    LAST_VISIT = "last_visit"
    UPDATED = "updated"


@dataclass(frozen=True, slots=True)
class EnterpriseFilter:
    """What the enterprise list shows: text matches name, USCC or pinyin initials."""

    text: str = ""
    squad_id: str | None = None
    intent_level: str | None = None
    include_deleted: bool = False


@dataclass(frozen=True, slots=True)
class EnterpriseListRow:
    id: str
    name: str
    uscc: str | None
    region_code: str | None
    region_name: str
    industry_code: str | None
    industry_name: str
    squad_name: str
    owner_name: str
    intent_level: str
    tags: tuple[str, ...]
    last_visit_on: dt.date | None
    updated_at: dt.datetime
    deleted: bool
    honours: tuple[str, ...] = ()
    """Tags of the honour lists it is matched on (``honour_matching.honour_tags_in``)."""


@dataclass(frozen=True, slots=True)
class EnterprisePage:
    rows: tuple[EnterpriseListRow, ...]
    total: int
    offset: int


@dataclass(frozen=True, slots=True)
class EnterpriseDetail:
    id: str
    name: str
    uscc: str | None
    region_code: str | None
    region_name: str
    industry_code: str | None
    industry_name: str
    registered_capital: Money | None
    legal_representative: str
    headquarters: str
    address: str
    founded_on: dt.date | None
    website: str
    profile: str
    investment_intent: str
    intent_level: str
    land_mu: Decimal | None
    water_need: str
    power_need: str
    workforce_need: int | None
    site_preference: str
    tags: tuple[str, ...]
    squad_id: str | None
    squad_name: str
    owner_id: str | None
    owner_name: str
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted: bool


@dataclass(frozen=True, slots=True)
class ContactView:
    id: str
    name: str
    title: str
    phone: str
    mobile: str
    email: str
    is_primary: bool
    wechat: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class VisitSummary:
    id: str
    visited_on: dt.date
    place: str
    purpose: str
    author_name: str
    participants: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NoteSummary:
    id: str
    round_no: int
    held_on: dt.date
    their_asks: str
    our_offers: str
    sticking_points: str
    next_round_on: dt.date | None


@dataclass(frozen=True, slots=True)
class ProjectSummary:
    id: str
    name: str
    stage: str
    stage_on: dt.date | None
    contract_amount: Money | None
    responsible_name: str


@dataclass(frozen=True, slots=True)
class TaskSummary:
    id: str
    title: str
    owner_name: str
    due_on: dt.date | None
    status: str


@dataclass(frozen=True, slots=True)
class CommitmentSummary:
    id: str
    content: str
    due_on: dt.date | None
    status: str


@dataclass(frozen=True, slots=True)
class ProblemSummary:
    id: str
    title: str
    owner_name: str
    deadline: dt.date | None
    status: str


@dataclass(frozen=True, slots=True)
class HonourView:
    kind: str
    year: int
    batch: str
    title: str
    entry_id: str = ""


@dataclass(frozen=True, slots=True)
class ChainLinkView:
    chain_name: str
    link_name: str
    kind: str
    link_id: str = ""


@dataclass(frozen=True, slots=True)
class Dossier:
    """Everything the dossier view shows for one enterprise."""

    enterprise: EnterpriseDetail
    contacts: tuple[ContactView, ...]
    visits: tuple[VisitSummary, ...]
    notes: tuple[NoteSummary, ...]
    projects: tuple[ProjectSummary, ...]
    tasks: tuple[TaskSummary, ...]
    commitments: tuple[CommitmentSummary, ...]
    problems: tuple[ProblemSummary, ...]
    honours: tuple[HonourView, ...]
    links: tuple[ChainLinkView, ...]
    open_conflicts: int = 0  # sync conflicts on it or its contacts, visits, notes, projects
    duplicates: tuple[DuplicateCandidate, ...] = ()  # live enterprises that look like this one
    merges: tuple[MergeNote, ...] = ()  # merges into this enterprise that can still be undone


@dataclass(frozen=True, slots=True)
class DuplicateCandidate:
    id: str
    name: str
    uscc: str | None
    reason: str  # "uscc" | "name"


@dataclass(frozen=True, slots=True)
class MergeNote:
    """An enterprise merged into the one shown; the merge can be undone by these ids."""

    survivor_id: str
    merged_id: str
    merged_name: str
    merged_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Choice:
    """One entry of a picker: the id stored, the text shown."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class EditorChoices:
    """What the dossier editor's pickers offer: squads, members, industry-chain links."""

    squads: tuple[Choice, ...]
    members: tuple[Choice, ...]
    links: tuple[ChainLinkView, ...]
    my_member_id: str | None = None  # a new enterprise's 包抓责任人 and squad default to mine
    my_squad_id: str | None = None


@dataclass(frozen=True, slots=True)
class EditContext:
    """What the editor opens with: the dossier (None when creating) and the pickers' choices."""

    dossier: Dossier | None
    choices: EditorChoices
    draft: str | None = None  # typing kept from an edit that was never saved nor cancelled
