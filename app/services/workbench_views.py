"""Frozen views of the workbench (工作台): my tasks, recent visits, what needs attention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class TaskBucket(StrEnum):
    """Where an open task falls relative to today."""

    OVERDUE = "overdue"
    TODAY = "today"
    UPCOMING = "upcoming"


class AttentionKind(StrEnum):
    """Why an item is on the 需要关注 list."""

    COMMITMENT_OVERDUE = "commitment_overdue"
    PROBLEM_OVERDUE = "problem_overdue"
    SIGNED_NOT_STARTED = "signed_not_started"
    VISIT_UNWRITTEN = "visit_unwritten"
    """A recent visit of mine whose discussion (洽谈内容) is still empty: the write-up is owed."""


@dataclass(frozen=True, slots=True)
class WorkbenchTask:
    id: str
    title: str
    due_on: dt.date
    bucket: TaskBucket
    enterprise_id: str | None
    enterprise_name: str
    project_name: str
    visit_id: str | None = None
    project_id: str | None = None


@dataclass(frozen=True, slots=True)
class RecentVisit:
    id: str
    visited_on: dt.date
    enterprise_id: str
    enterprise_name: str
    author_name: str
    place: str
    purpose: str


@dataclass(frozen=True, slots=True)
class AttentionItem:
    """A commitment past due, a problem past its deadline, a project signed but not started, or
    a visit not yet written up.

    ``record_id`` is the commitment, problem, project or visit. ``since`` is the due date, the
    deadline, the signing date or the visit date; ``days`` is how many days overdue (commitments,
    problems) or since (projects, visits).
    """

    kind: AttentionKind
    record_id: str
    enterprise_id: str
    enterprise_name: str
    title: str
    since: dt.date
    days: int
    owner_name: str


@dataclass(frozen=True, slots=True)
class WorkbenchOverview:
    today: dt.date
    member_name: str
    squad_name: str
    tasks: tuple[WorkbenchTask, ...]
    recent_visits: tuple[RecentVisit, ...]
    attention: tuple[AttentionItem, ...]
    unwritten_visits: tuple[AttentionItem, ...] = ()
    open_conflicts: int = 0
    """Sync conflicts waiting for someone to decide (冲突处理)."""

    def count(self, bucket: TaskBucket) -> int:
        return sum(1 for task in self.tasks if task.bucket is bucket)
