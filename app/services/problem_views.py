"""What the enterprise problems list (企业诉求) hands out: its filter, lines, counts, the closure
figures of a period (办结率, 按期办结率) and the periods offered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.domain.vocabulary import ProblemStatus
from app.i18n import mark, tr
from app.services.follow_up_ledgers import LedgerScope, Rate

CLOSURE_RATE_DEFINITION = mark(
    "办结率 = 期内提出且已办结的诉求 ÷ 期内提出的诉求（按提出日期计入期间）；"
    "期内没有提出诉求时显示“—”。"
)
ON_TIME_RATE_DEFINITION = mark(
    "按期办结率 = 期内提出、且在办结时限当天或之前办结的诉求 ÷ 期内提出的诉求；"
    "未设时限的诉求办结即算按期。"
)


class ProblemState(StrEnum):
    """What a problem is now, 已超期 included (open and past its deadline)."""

    OPEN = "open"
    OVERDUE = "overdue"
    RESOLVED = "resolved"

    @property
    def label(self) -> str:
        return tr(_STATE_LABELS[self])


_STATE_LABELS = {
    ProblemState.OPEN: mark("办理中"),
    ProblemState.OVERDUE: mark("已超期"),
    ProblemState.RESOLVED: mark("已办结"),
}


class ClosurePeriod(StrEnum):
    """The periods the closure rates are offered for, each ending today."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    ALL = "all"

    @property
    def label(self) -> str:
        return tr(_PERIOD_LABELS[self])

    def bounds(self, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """First and last day (both included); (None, None) for 全部."""
        match self:
            case ClosurePeriod.MONTH:
                start = today.replace(day=1)
            case ClosurePeriod.QUARTER:
                start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
            case ClosurePeriod.YEAR:
                start = dt.date(today.year, 1, 1)
            case ClosurePeriod.ALL:
                return None, None
        return start, today


_PERIOD_LABELS = {
    ClosurePeriod.MONTH: mark("本月"),
    ClosurePeriod.QUARTER: mark("本季度"),
    ClosurePeriod.YEAR: mark("本年"),
    ClosurePeriod.ALL: mark("全部"),
}


@dataclass(frozen=True, slots=True)
class ProblemFilter:
    """``state`` None: every problem; OPEN includes the overdue ones."""

    state: ProblemState | None = None
    scope: LedgerScope = LedgerScope.SQUAD
    enterprise_id: str | None = None
    project_id: str | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class ProblemEntry:
    id: str
    enterprise_id: str
    enterprise_name: str
    project_id: str | None
    project_name: str
    title: str
    detail: str
    owner_id: str | None
    owner_name: str
    raised_on: dt.date
    deadline: dt.date | None
    status: ProblemStatus
    resolution: str
    resolved_on: dt.date | None
    overdue_days: int
    """Days past the deadline of an open problem, else 0."""

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

    @property
    def state(self) -> ProblemState:
        if self.overdue:
            return ProblemState.OVERDUE
        return ProblemState(self.status.value)


@dataclass(frozen=True, slots=True)
class ProblemCounts:
    open: int = 0
    """Open and not past the deadline."""
    overdue: int = 0
    resolved: int = 0

    @property
    def total(self) -> int:
        return self.open + self.overdue + self.resolved

    def matching(self, state: ProblemState | None) -> int:
        """How many are in ``state`` (None: any; OPEN includes the overdue ones)."""
        match state:
            case None:
                return self.total
            case ProblemState.OPEN:
                return self.open + self.overdue
            case ProblemState.OVERDUE:
                return self.overdue
            case ProblemState.RESOLVED:
                return self.resolved


@dataclass(frozen=True, slots=True)
class ProblemClosure:
    """The closure figures of the problems raised from ``start`` to ``end`` (both included;
    None: unbounded)."""

    start: dt.date | None
    end: dt.date | None
    raised: int
    resolved: int
    resolved_on_time: int

    @property
    def closure_rate(self) -> Rate:
        return Rate(self.resolved, self.raised)

    @property
    def on_time_rate(self) -> Rate:
        return Rate(self.resolved_on_time, self.raised)


@dataclass(frozen=True, slots=True)
class ProblemPage:
    rows: tuple[ProblemEntry, ...]
    total: int
    counts: ProblemCounts
    closure: ProblemClosure
    today: dt.date
