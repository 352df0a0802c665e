"""The workbench (工作台): what the current member should look at first today.

Scope: with a current member, "my" tasks are the tasks they own; visits and the 需要关注 list
cover their squad (and anything they own or promised themselves). With no current member the
whole database is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, false, func, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from app.database.tables import (
    CommitmentRow,
    ConflictRow,
    EnterpriseRow,
    MemberRow,
    ProblemRow,
    ProjectRow,
    SquadRow,
    StageChangeRow,
    TaskRow,
    VisitParticipantRow,
    VisitRow,
)
from app.domain.period import add_months
from app.domain.vocabulary import CommitmentStatus, ProblemStatus, ProjectStage, TaskStatus
from app.services.bureau_settings import load_rules
from app.services.lookups import as_date
from app.services.tasks import TaskService
from app.services.workbench_views import (
    AttentionItem,
    AttentionKind,
    RecentVisit,
    TaskBucket,
    WorkbenchOverview,
    WorkbenchTask,
)
from app.services.workspace import Workspace

UPCOMING_DAYS = 7
"""Open tasks due within this many days after today are "upcoming"."""
RECENT_VISIT_DAYS = 14
"""Visits from the last this-many days, today included."""
NOT_STARTED_STAGES = (ProjectStage.SIGNED, ProjectStage.REGISTERED)

_IdColumn = InstrumentedAttribute[str | None]


@dataclass(frozen=True, slots=True)
class _Scope:
    member_id: str | None
    squad_id: str | None

    @property
    def everything(self) -> bool:
        return self.member_id is None


class WorkbenchService:
    """Reads the workbench for the workspace's current member."""

    def __init__(self, workspace: Workspace, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._workspace = workspace
        self._database = workspace.database
        self._today = today

    def complete_task(self, task_id: str) -> None:
        """Tick a task off from the workbench (the same change as on the tasks page)."""
        TaskService(self._workspace, self._today).complete(task_id)

    def overview(self) -> WorkbenchOverview:
        today = self._today()
        member_id = self._workspace.current_member_id()
        with self._database.read() as session:
            member = session.get(MemberRow, member_id) if member_id else None
            if member is not None and member.deleted:
                member = None
            scope = _Scope(member.id if member else None, member.squad_id if member else None)
            squad = session.get(SquadRow, scope.squad_id) if scope.squad_id else None
            return WorkbenchOverview(
                today=today,
                member_name=member.name if member else "",
                squad_name=squad.name if squad else "",
                tasks=_tasks(session, scope, today),
                recent_visits=_recent_visits(session, scope, today),
                attention=(
                    _overdue_commitments(session, scope, today)
                    + _overdue_problems(session, scope, today)
                    + _signed_not_started(session, scope, today)
                ),
                unwritten_visits=_unwritten_visits(session, scope, today),
                open_conflicts=_open_conflicts(session),
            )


def _tasks(session: Session, scope: _Scope, today: dt.date) -> tuple[WorkbenchTask, ...]:
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    query = (
        select(TaskRow, EnterpriseRow.id, EnterpriseRow.name, ProjectRow.name)
        .outerjoin(ProjectRow, ProjectRow.id == TaskRow.project_id)
        .outerjoin(
            EnterpriseRow,
            EnterpriseRow.id == func.coalesce(TaskRow.enterprise_id, ProjectRow.enterprise_id),
        )
        .where(
            TaskRow.deleted == false(),
            TaskRow.status == TaskStatus.OPEN.value,
            TaskRow.due_on.is_not(None),
            TaskRow.due_on <= horizon,
        )
        .order_by(TaskRow.due_on, TaskRow.title, TaskRow.id)
    )
    if not scope.everything:
        query = query.where(TaskRow.owner_id == scope.member_id)
    rows = []
    for task, enterprise_id, enterprise_name, project_name in session.execute(query):
        due = task.due_on
        assert due is not None
        bucket = (
            TaskBucket.OVERDUE
            if due < today
            else TaskBucket.TODAY
            if due == today
            else TaskBucket.UPCOMING
        )
        rows.append(
            WorkbenchTask(
                task.id,
                task.title,
                due,
                bucket,
                enterprise_id,
                enterprise_name or "",
                project_name or "",
                task.visit_id,
                task.project_id,
            )
        )
    return tuple(rows)


def _recent_visits(session: Session, scope: _Scope, today: dt.date) -> tuple[RecentVisit, ...]:
    """Visits of the last ``RECENT_VISIT_DAYS`` days: the squad's, or with no squad the member's.

    The date window is the selective condition: the squad is checked here rather than in SQL,
    so SQLite walks the date index instead of every visit the squad ever made.
    """
    author = aliased(MemberRow)
    query = (
        select(
            VisitRow.id,
            VisitRow.visited_on,
            VisitRow.enterprise_id,
            EnterpriseRow.name,
            author.name,
            VisitRow.place,
            VisitRow.purpose,
            VisitRow.squad_id,
        )
        .join(EnterpriseRow, EnterpriseRow.id == VisitRow.enterprise_id)
        .outerjoin(author, author.id == VisitRow.author_id)
        .where(
            VisitRow.visited_on >= today - dt.timedelta(days=RECENT_VISIT_DAYS - 1),
            VisitRow.visited_on <= today,
            VisitRow.deleted.is_not(True),  # == false(), but lets SQLite use the date index
        )
        .order_by(VisitRow.visited_on.desc(), EnterpriseRow.name_key, VisitRow.id)
    )
    if scope.squad_id is None and scope.member_id is not None:
        took_part = exists().where(
            VisitParticipantRow.visit_id == VisitRow.id,
            VisitParticipantRow.member_id == scope.member_id,
            VisitParticipantRow.deleted == false(),
        )
        query = query.where(or_(VisitRow.author_id == scope.member_id, took_part))
    visits = []
    for (
        visit_id,
        visited_on,
        enterprise_id,
        enterprise,
        author_name,
        place,
        purpose,
        squad,
    ) in session.execute(query):
        if scope.squad_id is None or squad == scope.squad_id:
            visits.append(
                RecentVisit(
                    visit_id,
                    visited_on,
                    enterprise_id,
                    enterprise,
                    author_name or "",
                    place,
                    purpose,
                )
            )
    return tuple(visits)


def _unwritten_visits(session: Session, scope: _Scope, today: dt.date) -> tuple[AttentionItem, ...]:
    """Visits of the last ``RECENT_VISIT_DAYS`` days the member wrote (all, with no member)
    whose discussion is still empty, oldest first."""
    author = aliased(MemberRow)
    query = (
        select(VisitRow, EnterpriseRow.name, author.name)
        .join(EnterpriseRow, EnterpriseRow.id == VisitRow.enterprise_id)
        .outerjoin(author, author.id == VisitRow.author_id)
        .where(
            VisitRow.visited_on >= today - dt.timedelta(days=RECENT_VISIT_DAYS - 1),
            VisitRow.visited_on <= today,
            VisitRow.deleted.is_not(True),  # lets SQLite use the date index
            func.trim(VisitRow.discussion) == "",
        )
        .order_by(VisitRow.visited_on, VisitRow.id)
    )
    if not scope.everything:
        query = query.where(VisitRow.author_id == scope.member_id)
    return tuple(
        AttentionItem(
            AttentionKind.VISIT_UNWRITTEN,
            visit.id,
            visit.enterprise_id,
            enterprise,
            visit.purpose,
            visit.visited_on,
            (today - visit.visited_on).days,
            author_name or "",
        )
        for visit, enterprise, author_name in session.execute(query)
    )


def _open_conflicts(session: Session) -> int:
    query = select(func.count(ConflictRow.id)).where(
        ConflictRow.status == "open", ConflictRow.deleted == false()
    )
    return session.scalar(query) or 0


def _overdue_commitments(
    session: Session, scope: _Scope, today: dt.date
) -> tuple[AttentionItem, ...]:
    promiser = aliased(MemberRow)
    query = (
        select(CommitmentRow, EnterpriseRow.name, promiser.name)
        .join(EnterpriseRow, EnterpriseRow.id == CommitmentRow.enterprise_id)
        .outerjoin(promiser, promiser.id == CommitmentRow.promised_by_id)
        .where(
            CommitmentRow.deleted == false(),
            CommitmentRow.status == CommitmentStatus.PENDING.value,
            CommitmentRow.due_on < today,
        )
        .order_by(CommitmentRow.due_on, CommitmentRow.id)
    )
    query = query.where(_within(scope, CommitmentRow.promised_by_id, CommitmentRow.project_id))
    items = []
    for row, enterprise, owner in session.execute(query):
        due = row.due_on
        assert due is not None
        items.append(
            AttentionItem(
                AttentionKind.COMMITMENT_OVERDUE,
                row.id,
                row.enterprise_id,
                enterprise,
                row.content,
                due,
                (today - due).days,
                owner or "",
            )
        )
    return tuple(items)


def _overdue_problems(session: Session, scope: _Scope, today: dt.date) -> tuple[AttentionItem, ...]:
    owner = aliased(MemberRow)
    query = (
        select(ProblemRow, EnterpriseRow.name, owner.name)
        .join(EnterpriseRow, EnterpriseRow.id == ProblemRow.enterprise_id)
        .outerjoin(owner, owner.id == ProblemRow.owner_id)
        .where(
            ProblemRow.deleted == false(),
            ProblemRow.status == ProblemStatus.OPEN.value,
            ProblemRow.deadline < today,
        )
        .order_by(ProblemRow.deadline, ProblemRow.id)
    )
    query = query.where(_within(scope, ProblemRow.owner_id, ProblemRow.project_id))
    items = []
    for row, enterprise, owner_name in session.execute(query):
        deadline = row.deadline
        assert deadline is not None
        items.append(
            AttentionItem(
                AttentionKind.PROBLEM_OVERDUE,
                row.id,
                row.enterprise_id,
                enterprise,
                row.title,
                deadline,
                (today - deadline).days,
                owner_name or "",
            )
        )
    return tuple(items)


def _signed_not_started(
    session: Session, scope: _Scope, today: dt.date
) -> tuple[AttentionItem, ...]:
    """Projects still at 签约 or 注册 whose signing date is at least the bureau's N months back
    (``BureauRules.not_started_months``, 3 unless the bureau set another).

    The signing date is ``projects.signed_on``, or failing that the latest stage change to 签约.
    """
    cutoff = add_months(today, -load_rules(session).not_started_months)
    last_signing = (
        select(func.max(StageChangeRow.changed_on))
        .where(
            StageChangeRow.project_id == ProjectRow.id,
            StageChangeRow.to_stage == ProjectStage.SIGNED.value,
            StageChangeRow.deleted == false(),
        )
        .correlate(ProjectRow)
        .scalar_subquery()
    )
    signed = func.coalesce(ProjectRow.signed_on, last_signing)
    responsible = aliased(MemberRow)
    query = (
        select(ProjectRow, EnterpriseRow.name, responsible.name, signed)
        .join(EnterpriseRow, EnterpriseRow.id == ProjectRow.enterprise_id)
        .outerjoin(responsible, responsible.id == ProjectRow.responsible_id)
        .where(
            ProjectRow.deleted == false(),
            ProjectRow.stage.in_([stage.value for stage in NOT_STARTED_STAGES]),
            signed <= cutoff,
        )
        .order_by(signed, ProjectRow.id)
    )
    if not scope.everything:
        query = query.where(
            or_(
                ProjectRow.responsible_id == scope.member_id,
                _same_squad(ProjectRow.squad_id, scope),
            )
        )
    items = []
    for row, enterprise, owner, signed_on in session.execute(query):
        since = as_date(signed_on)
        items.append(
            AttentionItem(
                AttentionKind.SIGNED_NOT_STARTED,
                row.id,
                row.enterprise_id,
                enterprise,
                row.name,
                since,
                (today - since).days,
                owner or "",
            )
        )
    return tuple(items)


def _within(scope: _Scope, person: _IdColumn, project_id: _IdColumn) -> ColumnElement[bool]:
    """Rows the member owns, or whose enterprise or project belongs to their squad."""
    if scope.everything:
        return true()
    squad_projects = select(ProjectRow.id).where(_same_squad(ProjectRow.squad_id, scope))
    return or_(
        person == scope.member_id,
        _same_squad(EnterpriseRow.squad_id, scope),
        project_id.in_(squad_projects),
    )


def _same_squad(column: _IdColumn, scope: _Scope) -> ColumnElement[bool]:
    if scope.squad_id is None:
        return false() if not scope.everything else true()
    return column == scope.squad_id
