"""Tasks and reminders (任务): filtered lists by owner scope and status, grouped by when they are
due; create, complete, reopen, reassign within the squad, snooze, edit, delete and restore.

Scope 我的 is the tasks the current member owns; 本小分队 the tasks of the member's squad (the
task's squad, or an owner in that squad). With no current member both mean the whole database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select
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
from app.services.member_choices import MemberChoice, squad_members
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


class TaskGroup(StrEnum):
    """Where a task falls in the list, in list order: open ones by when they are due, then done."""

    OVERDUE = "overdue"
    TODAY = "today"
    UPCOMING = "upcoming"
    UNDATED = "undated"
    DONE = "done"


GROUP_ORDER = tuple(TaskGroup)


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
    group: TaskGroup = TaskGroup.UNDATED
    owner_id: str | None = None
    visit_id: str | None = None

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


@dataclass(frozen=True, slots=True)
class TaskPage:
    rows: tuple[TaskListRow, ...]
    total: int
    offset: int
    today: dt.date
    group_counts: tuple[tuple[TaskGroup, int], ...] = ()
    """How many matching tasks fall in each group (all of them, not only this page's)."""

    def count(self, group: TaskGroup) -> int:
        return dict(self.group_counts).get(group, 0)


@dataclass(frozen=True, slots=True)
class TaskDetail:
    """One task as the edit form shows it."""

    id: str
    title: str
    detail: str
    due_on: dt.date | None
    status: TaskStatus
    owner_id: str | None
    owner_name: str


def snoozed_due(due_on: dt.date | None, today: dt.date, days: int) -> dt.date:
    """The due date after putting a task off by ``days``: counted from its due date, or from
    today when it is already due (so "one day" on an overdue task means tomorrow)."""
    start = today if due_on is None or due_on < today else due_on
    return start + dt.timedelta(days=days)


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
        group = case(
            (TaskRow.status == TaskStatus.DONE.value, TaskGroup.DONE.value),
            (TaskRow.due_on.is_(None), TaskGroup.UNDATED.value),
            (TaskRow.due_on < today, TaskGroup.OVERDUE.value),
            (TaskRow.due_on == today, TaskGroup.TODAY.value),
            else_=TaskGroup.UPCOMING.value,
        )
        with self._database.read() as session:
            condition = self._condition(session, filter_)
            counted: dict[str, int] = {
                name: number
                for name, number in session.execute(
                    select(group, func.count(TaskRow.id)).where(condition).group_by(group)
                )
            }
            counts = tuple((g, counted[g.value]) for g in GROUP_ORDER if counted.get(g.value))
            total = sum(count for _group, count in counts)
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
                .order_by(
                    (TaskRow.status == TaskStatus.DONE.value).asc(),
                    TaskRow.due_on.asc().nulls_last(),
                    TaskRow.title,
                    TaskRow.id,
                )
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
                    group=_group(task, today),
                    owner_id=task.owner_id,
                    visit_id=task.visit_id,
                )
                for task, owner_name, enterprise_id, enterprise_name, project_name in result
            )
        return TaskPage(rows, total, offset, today, counts)

    def detail(self, task_id: str) -> TaskDetail:
        with self._database.read() as session:
            task = _live(session, task_id)
            owner = session.get(MemberRow, task.owner_id) if task.owner_id else None
            return TaskDetail(
                task.id,
                task.title,
                task.detail,
                task.due_on,
                TaskStatus(task.status),
                task.owner_id,
                owner.name if owner else "",
            )

    def current_member_id(self) -> str | None:
        """Who is working (the default owner of a new task)."""
        return self._workspace.current_member_id()

    def assignable_members(self, task_id: str | None = None) -> tuple[MemberChoice, ...]:
        """Who may own the task: its squad's members (the current member's squad for a new
        task); everyone when no squad is known."""
        with self._database.read() as session:
            task = _live(session, task_id) if task_id else None
            return squad_members(
                session,
                self._squad_of(session, task),
                also=[task.owner_id if task else self._workspace.current_member_id()],
            )

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

    def reassign(self, task_id: str, member_id: str) -> None:
        """Hand the task to another member of its squad (history keeps who had it before)."""
        with self._database.write(self._workspace.actor()) as session:
            task = _live(session, task_id)
            self._reassign(session, task, member_id)

    def snooze(self, task_id: str, days: int) -> dt.date:
        """Put an open task off by ``days`` (see ``snoozed_due``); the new due date."""
        if days < 1:
            raise ValueError("snooze by at least one day")
        with self._database.write(self._workspace.actor()) as session:
            task = _open(session, task_id)
            task.due_on = snoozed_due(task.due_on, self._today(), days)
            return task.due_on

    def reschedule(self, task_id: str, due_on: dt.date) -> None:
        """Move an open task's due date to a day picked by the user, today or later."""
        if due_on < self._today():
            raise ValidationError("due_on", tr("新的截止日期不能早于今天"))
        with self._database.write(self._workspace.actor()) as session:
            _open(session, task_id).due_on = due_on

    def update(self, task_id: str, draft: TaskDraft) -> None:
        """Change the title, detail, due date and (within the squad) the owner."""
        clean = validate_task_draft(draft)
        with self._database.write(self._workspace.actor()) as session:
            task = _live(session, task_id)
            task.title = clean.title
            task.detail = clean.detail
            task.due_on = clean.due_on
            if clean.owner_id is not None:
                self._reassign(session, task, clean.owner_id)

    def delete(self, task_id: str) -> None:
        with self._database.write(self._workspace.actor()) as session:
            _live(session, task_id).deleted = True

    def restore(self, task_id: str) -> None:
        with self._database.write(self._workspace.actor()) as session:
            task = session.get(TaskRow, task_id)
            if task is None:
                raise NotFoundError(tr("找不到该任务（{id}）", id=task_id))
            task.deleted = False

    def _reassign(self, session: Session, task: TaskRow, member_id: str) -> None:
        if member_id == task.owner_id:
            return
        member = session.get(MemberRow, member_id)
        if member is None or member.deleted:
            raise ValidationError("owner_id", tr("负责人不存在（{id}）", id=member_id))
        squad_id = self._squad_of(session, task)
        if squad_id is not None and member.squad_id != squad_id:
            raise ValidationError(
                "owner_id", tr("只能转给本小分队的队员：{name}不在该小分队", name=member.name)
            )
        task.owner_id = member.id
        if task.squad_id is None:
            task.squad_id = member.squad_id

    def _squad_of(self, session: Session, task: TaskRow | None) -> str | None:
        """The task's squad, else its owner's, else (for a new task) the current member's."""
        if task is not None and task.squad_id:
            return task.squad_id
        member_id = task.owner_id if task is not None else self._workspace.current_member_id()
        member = session.get(MemberRow, member_id) if member_id else None
        return member.squad_id if member is not None else None

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


def _group(task: TaskRow, today: dt.date) -> TaskGroup:
    if task.status == TaskStatus.DONE.value:
        return TaskGroup.DONE
    if task.due_on is None:
        return TaskGroup.UNDATED
    if task.due_on < today:
        return TaskGroup.OVERDUE
    return TaskGroup.TODAY if task.due_on == today else TaskGroup.UPCOMING


def _open(session: Session, task_id: str) -> TaskRow:
    task = _live(session, task_id)
    if task.status != TaskStatus.OPEN.value:
        raise ValidationError("status", tr("任务“{title}”已完成，无需推迟", title=task.title))
    return task


def _live(session: Session, task_id: str) -> TaskRow:
    task = session.get(TaskRow, task_id)
    if task is None or task.deleted:
        raise NotFoundError(tr("找不到该任务（{id}）", id=task_id))
    return task
