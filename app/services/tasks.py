"""Tasks and reminders (任务): filtered lists by owner scope and status; complete and reopen.

Scope 我的 is the tasks the current member owns; 本小分队 the tasks of the member's squad (the
task's squad, or an owner in that squad). With no current member both mean the whole database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.database.tables import (
    EnterpriseRow,
    MemberRow,
    ProjectRow,
    Synced,
    TaskRow,
    VisitRow,
)
from app.database.types import utc_now
from app.domain.errors import NotFoundError, ValidationError
from app.domain.task import TaskDraft, validate_task_draft
from app.domain.vocabulary import TaskStatus
from app.i18n import tr
from app.services.workspace import Workspace

PAGE_SIZE = 500


class TaskScope(StrEnum):
    MINE = "mine"
    SQUAD = "squad"
    ALL = "all"


class TaskState(StrEnum):
    OPEN = "open"
    DONE = "done"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class TaskFilter:
    scope: TaskScope = TaskScope.MINE
    state: TaskState = TaskState.OPEN


@dataclass(frozen=True, slots=True)
class TaskListRow:
    id: str
    title: str
    owner_name: str
    due_on: dt.date | None
    status: TaskStatus
    completed_at: dt.datetime | None
    enterprise_id: str | None
    """The task's enterprise, or its project's enterprise."""
    enterprise_name: str
    project_id: str | None
    project_name: str
    overdue_days: int
    """Days past the due date for an open task due before today, else 0."""

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


@dataclass(frozen=True, slots=True)
class TaskPage:
    rows: tuple[TaskListRow, ...]
    total: int
    offset: int
    today: dt.date


class TaskService:
    """Task lists and the two status changes a user makes from them."""

    def __init__(
        self,
        workspace: Workspace,
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self._workspace = workspace
        self._database = workspace.database
        self._today = today
        self._now = now

    def page(
        self, filter_: TaskFilter | None = None, offset: int = 0, limit: int = PAGE_SIZE
    ) -> TaskPage:
        """One page of matching tasks by due date (undated last), and how many match in all."""
        filter_ = filter_ or TaskFilter()
        today = self._today()
        owner = aliased(MemberRow)
        with self._database.read() as session:
            condition = self._condition(session, filter_)
            total = session.scalar(select(func.count(TaskRow.id)).where(condition)) or 0
            query = (
                select(TaskRow, owner.name, EnterpriseRow.id, EnterpriseRow.name, ProjectRow.name)
                .outerjoin(owner, owner.id == TaskRow.owner_id)
                .outerjoin(ProjectRow, ProjectRow.id == TaskRow.project_id)
                .outerjoin(
                    EnterpriseRow,
                    EnterpriseRow.id
                    == func.coalesce(TaskRow.enterprise_id, ProjectRow.enterprise_id),
                )
                .where(condition)
                .order_by(TaskRow.due_on.asc().nulls_last(), TaskRow.title, TaskRow.id)
                .offset(offset)
                .limit(limit)
            )
            result = session.execute(query)
            rows = tuple(
                TaskListRow(
                    id=task.id,
                    title=task.title,
                    owner_name=owner_name or "",
                    due_on=task.due_on,
                    status=TaskStatus(task.status),
                    completed_at=task.completed_at,
                    enterprise_id=enterprise_id,
                    enterprise_name=enterprise_name or "",
                    project_id=task.project_id,
                    project_name=project_name or "",
                    overdue_days=_overdue_days(task, today),
                )
                for task, owner_name, enterprise_id, enterprise_name, project_name in result
            )
        return TaskPage(rows, total, offset, today)

    def create(
        self,
        draft: TaskDraft,
        *,
        enterprise_id: str | None = None,
        visit_id: str | None = None,
        project_id: str | None = None,
    ) -> str:
        """A new open task; owned by the draft's owner, else by me; in the owner's squad."""
        clean = validate_task_draft(draft)
        with self._database.write(self._workspace.actor()) as session:
            owner_id = clean.owner_id or self._workspace.current_member_id()
            owner = session.get(MemberRow, owner_id) if owner_id else None
            if owner_id and (owner is None or owner.deleted):
                raise ValidationError("owner_id", tr("负责人不存在（{id}）", id=owner_id))
            links: tuple[tuple[str, type[Synced], str | None], ...] = (
                ("enterprise_id", EnterpriseRow, enterprise_id),
                ("visit_id", VisitRow, visit_id),
                ("project_id", ProjectRow, project_id),
            )
            for field, table, value in links:
                found = session.get(table, value) if value else None
                if value and (found is None or found.deleted):
                    raise ValidationError(field, tr("关联的记录不存在（{id}）", id=value))
            task = TaskRow(
                title=clean.title,
                detail=clean.detail,
                owner_id=owner_id,
                squad_id=owner.squad_id if owner is not None else None,
                due_on=clean.due_on,
                status=TaskStatus.OPEN.value,
                enterprise_id=enterprise_id,
                visit_id=visit_id,
                project_id=project_id,
            )
            session.add(task)
            session.flush()
            return task.id

    def complete(self, task_id: str) -> None:
        """Mark the task done now (a no-op for a task already done)."""
        with self._database.write(self._workspace.actor()) as session:
            task = _live(session, task_id)
            if task.status != TaskStatus.DONE.value:
                task.status = TaskStatus.DONE.value
                task.completed_at = self._now()

    def reopen(self, task_id: str) -> None:
        """Put a done task back on the to-do list."""
        with self._database.write(self._workspace.actor()) as session:
            task = _live(session, task_id)
            if task.status != TaskStatus.OPEN.value:
                task.status = TaskStatus.OPEN.value
                task.completed_at = None

    def _condition(self, session: Session, filter_: TaskFilter) -> ColumnElement[bool]:
        conditions: list[ColumnElement[bool]] = [TaskRow.deleted == false()]
        if filter_.state is not TaskState.ALL:
            status = TaskStatus.OPEN if filter_.state is TaskState.OPEN else TaskStatus.DONE
            conditions.append(TaskRow.status == status.value)
        member_id = self._workspace.current_member_id()
        member = session.get(MemberRow, member_id) if member_id else None
        if member is not None and filter_.scope is not TaskScope.ALL:
            if filter_.scope is TaskScope.MINE or member.squad_id is None:
                conditions.append(TaskRow.owner_id == member.id)
            else:
                squad_members = select(MemberRow.id).where(MemberRow.squad_id == member.squad_id)
                conditions.append(
                    or_(TaskRow.squad_id == member.squad_id, TaskRow.owner_id.in_(squad_members))
                )
        return and_(*conditions)


def _overdue_days(task: TaskRow, today: dt.date) -> int:
    if task.status != TaskStatus.OPEN.value or task.due_on is None:
        return 0
    return max(0, (today - task.due_on).days)


def _live(session: Session, task_id: str) -> TaskRow:
    task = session.get(TaskRow, task_id)
    if task is None or task.deleted:
        raise NotFoundError(tr("找不到该任务（{id}）", id=task_id))
    return task
