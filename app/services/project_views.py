"""What the project workplace reads: one project's detail in one piece, and the results of
its writes (a funding change with its notice, the editor's choices)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from app.domain.money import Money
from app.domain.vocabulary import (
    AttachmentKind,
    CommitmentStatus,
    ProblemStatus,
    ProjectStage,
    TaskStatus,
)
from app.services.member_choices import MemberChoice
from app.services.projects import StageChangeView


@dataclass(frozen=True, slots=True)
class Choice:
    """Something to pick in a combo box: its id and how it reads."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class ProjectFormChoices:
    """What the project editor offers: squads, chain links, and the defaults of a new project."""

    squads: tuple[Choice, ...]
    chain_links: tuple[Choice, ...]
    """Every live link, named “chain · link”."""
    members: tuple[MemberChoice, ...]
    current_member_id: str | None
    current_squad_id: str | None
    today: dt.date


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    id: str
    filename: str
    kind: AttachmentKind
    owner_table: str
    """"projects", or "funding_entries" for a 到资凭证 filed with its entry."""
    sha256: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class EvidenceNeed:
    """One evidence kind a gate requires, with the files that satisfy it (none: missing)."""

    kind: AttachmentKind
    files: tuple[EvidenceFile, ...]

    @property
    def present(self) -> bool:
        return bool(self.files)


@dataclass(frozen=True, slots=True)
class GateEvidence:
    """A gate (签约 and later) with the bureau's requirements and whether they are met."""

    gate: ProjectStage
    reached: bool
    """The project has been at this gate or beyond."""
    needs: tuple[EvidenceNeed, ...]
    """Empty: the bureau requires no evidence to enter this gate."""

    @property
    def complete(self) -> bool:
        return all(need.present for need in self.needs)


@dataclass(frozen=True, slots=True)
class EvidenceStatus:
    gates: tuple[GateEvidence, ...]
    other: tuple[EvidenceFile, ...]
    """Evidence files of kinds no gate requires (e.g. 到资凭证 under the default rules)."""


@dataclass(frozen=True, slots=True)
class FundingEntryView:
    id: str
    received_on: dt.date
    amount: Money
    note: str
    proofs: tuple[EvidenceFile, ...]


@dataclass(frozen=True, slots=True)
class FundingChange:
    """A funding write's outcome: the entry, the new cumulative and a notice to show (or "")."""

    entry_id: str
    cumulative: Money
    notice: str


@dataclass(frozen=True, slots=True)
class ResponsibleSpell:
    """One cadre's time as 包抓责任人: who, since when, who made the change."""

    member_id: str | None
    member_name: str
    since: dt.datetime | None
    """UTC; None when the start is not on record (a project from before history was kept)."""
    until: dt.datetime | None
    """UTC; None for the current responsible cadre."""
    changed_by_name: str
    """Who made this cadre responsible ("" when not on record)."""
    source: str
    """"" for a change made here; else how it arrived (同步, 本机导入)."""


@dataclass(frozen=True, slots=True)
class ResponsibilityView:
    """A line of the 责任清单 (四个明确): 责任 = title, 人员 = owner, 措施 = detail, 时限 = due."""

    id: str
    title: str
    owner_id: str | None
    owner_name: str
    detail: str
    due_on: dt.date | None
    status: TaskStatus
    overdue_days: int


@dataclass(frozen=True, slots=True)
class CommitmentLine:
    id: str
    content: str
    promised_by_name: str
    due_on: dt.date | None
    status: CommitmentStatus
    honoured_on: dt.date | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class ProblemLine:
    id: str
    title: str
    owner_name: str
    raised_on: dt.date
    deadline: dt.date | None
    status: ProblemStatus
    resolution: str
    overdue: bool


@dataclass(frozen=True, slots=True)
class ProjectDetail:
    """Everything the detail panel shows, read at once."""

    id: str
    name: str
    enterprise_id: str
    enterprise_name: str
    squad_id: str | None
    squad_name: str
    responsible_id: str | None
    responsible_name: str
    chain_link_id: str | None
    chain_link_name: str
    stage: ProjectStage
    stage_on: dt.date | None
    signed_on: dt.date | None
    content: str
    site: str
    land_mu: Decimal | None
    contract_amount: Money | None
    phase1_amount: Money | None
    stage_history: tuple[StageChangeView, ...]
    allowed_moves: tuple[ProjectStage, ...]
    funding: tuple[FundingEntryView, ...]
    funded_total: Money
    evidence: EvidenceStatus
    tasks: tuple[ResponsibilityView, ...]
    commitments: tuple[CommitmentLine, ...]
    problems: tuple[ProblemLine, ...]
    responsible_history: tuple[ResponsibleSpell, ...]
    today: dt.date

    @property
    def funding_rate(self) -> Decimal | None:
        """资金到位率 of this project: funds received ÷ contract amount (None without one)."""
        if self.contract_amount is None or self.contract_amount.fen <= 0:
            return None
        return Decimal(self.funded_total.fen) / Decimal(self.contract_amount.fen)
