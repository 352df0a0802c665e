"""The columns of the two ledger tables: 政策兑现台账 and 企业诉求."""

from __future__ import annotations

import datetime as dt
from enum import IntEnum

from app.domain.vocabulary import CommitmentStatus, ProblemStatus
from app.i18n import mark, tr
from app.services.commitment_ledger_views import LedgerEntry, LedgerStatus
from app.services.problem_views import ProblemEntry, ProblemState
from ui.formatting import format_date
from ui.ledger.entry_table_model import ColumnSpec


class CommitmentColumn(IntEnum):
    ENTERPRISE = 0
    PROJECT = 1
    CONTENT = 2
    PROMISED_BY = 3
    DUE = 4
    STATUS = 5
    HONOURED_ON = 6
    SOURCE = 7
    REASON = 8


class ProblemColumn(IntEnum):
    ENTERPRISE = 0
    PROJECT = 1
    TITLE = 2
    OWNER = 3
    RAISED_ON = 4
    DEADLINE = 5
    STATUS = 6
    RESOLVED_ON = 7
    RESOLUTION = 8


def _day(value: dt.date | None) -> int:
    """Sort key of a date; an empty one sorts after every date."""
    return value.toordinal() if value is not None else dt.date.max.toordinal()


def _due_text(entry: LedgerEntry) -> str:
    if entry.due_on is None:
        return tr("未设期限")
    return format_date(entry.due_on)


def _commitment_status(entry: LedgerEntry) -> str:
    if entry.overdue:
        return tr("已逾期 {days} 天", days=entry.overdue_days)
    return entry.state.label


_COMMITMENT_ORDER = {
    LedgerStatus.OVERDUE: 0,
    LedgerStatus.PENDING: 1,
    LedgerStatus.HONOURED: 2,
    LedgerStatus.WITHDRAWN: 3,
}

COMMITMENT_COLUMNS: dict[CommitmentColumn, ColumnSpec[LedgerEntry]] = {
    CommitmentColumn.ENTERPRISE: ColumnSpec(
        mark("企业"), lambda e: e.enterprise_name, tooltip=True
    ),
    CommitmentColumn.PROJECT: ColumnSpec(mark("项目"), lambda e: e.project_name, tooltip=True),
    CommitmentColumn.CONTENT: ColumnSpec(mark("承诺事项"), lambda e: e.content, tooltip=True),
    CommitmentColumn.PROMISED_BY: ColumnSpec(mark("承诺人"), lambda e: e.promised_by_name),
    CommitmentColumn.DUE: ColumnSpec(
        mark("兑现期限"), _due_text, lambda e: _day(e.due_on), emphasis=True
    ),
    CommitmentColumn.STATUS: ColumnSpec(
        mark("状态"),
        _commitment_status,
        lambda e: _COMMITMENT_ORDER[e.state] * 1_000_000 - e.overdue_days,
        emphasis=True,
    ),
    CommitmentColumn.HONOURED_ON: ColumnSpec(
        mark("兑现日期"), lambda e: format_date(e.honoured_on), lambda e: _day(e.honoured_on)
    ),
    CommitmentColumn.SOURCE: ColumnSpec(mark("来源"), lambda e: e.source),
    CommitmentColumn.REASON: ColumnSpec(
        mark("撤回原因"), lambda e: e.withdrawn_reason, tooltip=True
    ),
}


def commitment_closed(entry: LedgerEntry) -> bool:
    return entry.status is not CommitmentStatus.PENDING


def _deadline_text(entry: ProblemEntry) -> str:
    return format_date(entry.deadline) if entry.deadline is not None else tr("无期限")


def _problem_status(entry: ProblemEntry) -> str:
    if entry.overdue:
        return tr("已超期 {days} 天", days=entry.overdue_days)
    return entry.state.label


_PROBLEM_ORDER = {ProblemState.OVERDUE: 0, ProblemState.OPEN: 1, ProblemState.RESOLVED: 2}

PROBLEM_COLUMNS: dict[ProblemColumn, ColumnSpec[ProblemEntry]] = {
    ProblemColumn.ENTERPRISE: ColumnSpec(mark("企业"), lambda e: e.enterprise_name, tooltip=True),
    ProblemColumn.PROJECT: ColumnSpec(mark("项目"), lambda e: e.project_name, tooltip=True),
    ProblemColumn.TITLE: ColumnSpec(mark("诉求"), lambda e: e.title, tooltip=True),
    ProblemColumn.OWNER: ColumnSpec(mark("负责人"), lambda e: e.owner_name),
    ProblemColumn.RAISED_ON: ColumnSpec(
        mark("提出日期"), lambda e: format_date(e.raised_on), lambda e: _day(e.raised_on)
    ),
    ProblemColumn.DEADLINE: ColumnSpec(
        mark("办结时限"), _deadline_text, lambda e: _day(e.deadline), emphasis=True
    ),
    ProblemColumn.STATUS: ColumnSpec(
        mark("状态"),
        _problem_status,
        lambda e: _PROBLEM_ORDER[e.state] * 1_000_000 - e.overdue_days,
        emphasis=True,
    ),
    ProblemColumn.RESOLVED_ON: ColumnSpec(
        mark("办结日期"), lambda e: format_date(e.resolved_on), lambda e: _day(e.resolved_on)
    ),
    ProblemColumn.RESOLUTION: ColumnSpec(mark("办结情况"), lambda e: e.resolution, tooltip=True),
}


def problem_closed(entry: ProblemEntry) -> bool:
    return entry.status is ProblemStatus.RESOLVED
