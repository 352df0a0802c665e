"""What the commitments ledger (政策兑现台账) hands out: its filter, lines, counts and 兑现率, and
the draft of a directly entered commitment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.domain.negotiation import CommitmentDraft
from app.domain.vocabulary import CommitmentStatus
from app.i18n import mark, tr
from app.services.follow_up_ledgers import LedgerScope, Rate

HONOUR_RATE_DEFINITION = mark(
    "兑现率 = 已兑现 ÷（已兑现 + 已逾期未兑现）。已撤回的承诺和未到期的待兑现承诺不计入；"
    "无可计算的承诺时显示“—”。"
)


class LedgerStatus(StrEnum):
    """What a commitment is now, 已逾期 included (pending and due before today)."""

    PENDING = "pending"
    OVERDUE = "overdue"
    HONOURED = "honoured"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return tr(_STATUS_LABELS[self])


_STATUS_LABELS = {
    LedgerStatus.PENDING: mark("待兑现"),
    LedgerStatus.OVERDUE: mark("已逾期"),
    LedgerStatus.HONOURED: mark("已兑现"),
    LedgerStatus.WITHDRAWN: mark("已撤回"),
}


@dataclass(frozen=True, slots=True)
class LedgerFilter:
    """``status`` None: every status; PENDING includes the overdue ones."""

    status: LedgerStatus | None = None
    scope: LedgerScope = LedgerScope.SQUAD
    enterprise_id: str | None = None
    project_id: str | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One line of the ledger."""

    id: str
    enterprise_id: str
    enterprise_name: str
    project_id: str | None
    project_name: str
    content: str
    promised_by_id: str | None
    promised_by_name: str
    due_on: dt.date | None
    status: CommitmentStatus
    honoured_on: dt.date | None
    withdrawn_reason: str
    negotiation_note_id: str | None
    round_no: int | None
    held_on: dt.date | None
    overdue_days: int
    """Days past the due date of a pending commitment due before today, else 0."""

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

    @property
    def state(self) -> LedgerStatus:
        if self.overdue:
            return LedgerStatus.OVERDUE
        return LedgerStatus(self.status.value)

    @property
    def source(self) -> str:
        """洽谈第 N 轮 for a commitment made in a negotiation round, else 直接录入."""
        if self.negotiation_note_id is None:
            return tr("直接录入")
        if self.round_no is None:
            return tr("洽谈记录")
        return tr("洽谈第 {round} 轮", round=self.round_no)


@dataclass(frozen=True, slots=True)
class LedgerCounts:
    """How many commitments of the filter (status aside) are in each state."""

    pending: int = 0
    """Pending and not overdue (due today or later, or undated)."""
    overdue: int = 0
    honoured: int = 0
    withdrawn: int = 0

    @property
    def open(self) -> int:
        """Pending, overdue ones included."""
        return self.pending + self.overdue

    @property
    def total(self) -> int:
        return self.pending + self.overdue + self.honoured + self.withdrawn

    def matching(self, status: LedgerStatus | None) -> int:
        """How many have ``status`` (None: any; PENDING includes the overdue ones)."""
        match status:
            case None:
                return self.total
            case LedgerStatus.PENDING:
                return self.open
            case LedgerStatus.OVERDUE:
                return self.overdue
            case LedgerStatus.HONOURED:
                return self.honoured
            case LedgerStatus.WITHDRAWN:
                return self.withdrawn

    @property
    def honour_rate(self) -> Rate:
        """兑现率: honoured ÷ (honoured + overdue); see ``HONOUR_RATE_DEFINITION``."""
        return Rate(self.honoured, self.honoured + self.overdue)


@dataclass(frozen=True, slots=True)
class LedgerPage:
    rows: tuple[LedgerEntry, ...]
    total: int
    """Matching commitments in all (``rows`` stops at ``LIST_LIMIT``)."""
    counts: LedgerCounts
    today: dt.date

    @property
    def rate_definition(self) -> str:
        return tr(HONOUR_RATE_DEFINITION)


@dataclass(frozen=True, slots=True)
class LedgerDraft:
    """A commitment entered directly in the ledger (or edited there)."""

    enterprise_id: str | None
    commitment: CommitmentDraft
    """Content, due date and promiser; its ``withdrawn_reason`` is ignored here."""
    project_id: str | None = None
