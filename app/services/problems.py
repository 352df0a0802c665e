"""Enterprise problems (企业诉求): raised, owned by one member, closed (办结) with a resolution.

办理中 is open; 已超期 is computed (open and past its deadline); 已办结 is resolved. A problem
raised by mistake can be deleted (tombstoned) and restored. The closure rates for a period count
the problems raised in it (see ``CLOSURE_RATE_DEFINITION`` and ``ON_TIME_RATE_DEFINITION``).
Every change is one unit of work, so it reaches the outbox and the history and syncs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.database.tables import EnterpriseRow, MemberRow, ProblemRow, ProjectRow
from app.domain.errors import NotFoundError, ValidationError
from app.domain.problem import ProblemDraft, validate_problem_draft, validate_resolution
from app.domain.vocabulary import ProblemStatus
from app.i18n import tr
from app.services.follow_up_ledgers import (
    LIST_LIMIT,
    FormChoices,
    LedgerColumns,
    LedgerScope,
    check_member,
    check_project,
    form_choices,
    live_enterprise,
    matching,
    projects_of,
)
from app.services.negotiation_views import ProjectChoice
from app.services.problem_views import (
    ClosurePeriod,
    ProblemClosure,
    ProblemCounts,
    ProblemEntry,
    ProblemFilter,
    ProblemPage,
    ProblemState,
)
from app.services.visit_choices import VisitChoices
from app.services.workspace import Workspace

_COLUMNS = LedgerColumns(
    id=ProblemRow.id,
    deleted=ProblemRow.deleted,
    person=ProblemRow.owner_id,
    enterprise_id=ProblemRow.enterprise_id,
    project_id=ProblemRow.project_id,
    texts=(ProblemRow.title, ProblemRow.detail, ProblemRow.resolution),
)


class ProblemService:
    """Reads the problems list and makes the changes a bureau user makes to problems."""

    def __init__(self, workspace: Workspace, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._workspace = workspace
        self._database = workspace.database
        self._today = today
        self.enterprise_choices = VisitChoices(workspace, today)
        """The enterprise picker's look-ups (any part of the name, pinyin initials, USCC)."""

    # -- reading ---------------------------------------------------------------------------------

    def page(
        self,
        filter_: ProblemFilter | None = None,
        period: ClosurePeriod = ClosurePeriod.YEAR,
        limit: int = LIST_LIMIT,
    ) -> ProblemPage:
        """Matching problems (open ones by deadline, then resolved ones, newest first), the
        counts per state and the closure figures of ``period`` under the same filter."""
        filter_ = filter_ or ProblemFilter()
        today = self._today()
        state = _state_expression(today)
        with self._database.read() as session:
            base, condition = self._matching(session, filter_)
            counted = dict(
                session.execute(
                    base.with_only_columns(state, func.count(ProblemRow.id))
                    .where(condition)
                    .group_by(state)
                ).all()
            )
            counts = ProblemCounts(**{key: counted.get(key, 0) for key in _COUNT_KEYS})
            closure = _closure(session, base, condition, *period.bounds(today))
            if filter_.state is not None:
                condition = and_(condition, _state_condition(filter_.state, today))
            is_open = ProblemRow.status == ProblemStatus.OPEN.value
            ids = session.scalars(
                base.where(condition)
                .order_by(
                    case((is_open, 0), else_=1),
                    case((is_open, func.coalesce(ProblemRow.deadline, dt.date.max)), else_=None),
                    ProblemRow.resolved_on.desc(),
                    ProblemRow.raised_on.desc(),
                    ProblemRow.id,
                )
                .limit(limit)
            ).all()
            rows = _entries(session, ids, today)
        return ProblemPage(rows, counts.matching(filter_.state), counts, closure, today)

    def of_enterprise(self, enterprise_id: str) -> ProblemPage:
        """Every problem of one enterprise, whoever owns it (for its dossier)."""
        return self.page(
            ProblemFilter(scope=LedgerScope.ALL, enterprise_id=enterprise_id), ClosurePeriod.ALL
        )

    def closure(
        self,
        start: dt.date | None,
        end: dt.date | None,
        filter_: ProblemFilter | None = None,
    ) -> ProblemClosure:
        """办结率 and 按期办结率 of the problems raised from ``start`` to ``end`` (included)."""
        filter_ = filter_ or ProblemFilter(scope=LedgerScope.ALL)
        with self._database.read() as session:
            base, condition = self._matching(session, filter_)
            return _closure(session, base, condition, start, end)

    def _matching(
        self, session: Session, filter_: ProblemFilter
    ) -> tuple[Select[str], ColumnElement[bool]]:
        return matching(
            session,
            self._workspace.current_member_id(),
            filter_.scope,
            filter_.text,
            _COLUMNS,
            filter_.enterprise_id,
            filter_.project_id,
        )

    def entry(self, problem_id: str) -> ProblemEntry:
        with self._database.read() as session:
            row = _live(session, problem_id)
            enterprise = session.get(EnterpriseRow, row.enterprise_id)
            project = session.get(ProjectRow, row.project_id) if row.project_id else None
            owner = session.get(MemberRow, row.owner_id) if row.owner_id else None
            return _entry(
                row,
                enterprise.name if enterprise else "",
                project.name if project else None,
                owner.name if owner else None,
                self._today(),
            )

    def form_choices(self, problem_id: str | None = None) -> FormChoices:
        """Who may own the problem: my squad, plus its present owner."""
        with self._database.read() as session:
            row = _live(session, problem_id) if problem_id else None
            return form_choices(
                session, self._workspace.current_member_id(), also=[row.owner_id if row else None]
            )

    def projects_of(self, enterprise_id: str) -> tuple[ProjectChoice, ...]:
        with self._database.read() as session:
            return projects_of(session, enterprise_id)

    def today(self) -> dt.date:
        return self._today()

    # -- writing ---------------------------------------------------------------------------------

    def add(self, draft: ProblemDraft) -> str:
        """Record a problem the enterprise raised; open; owned by the draft's owner, else me."""
        clean = validate_problem_draft(draft, today=self._today())
        with self._database.write(self._workspace.actor()) as session:
            enterprise = live_enterprise(session, clean.enterprise_id)
            check_project(session, enterprise.id, clean.project_id)
            owner_id = clean.owner_id or self._workspace.current_member_id()
            check_member(session, "owner_id", owner_id)
            assert clean.raised_on is not None
            row = ProblemRow(
                enterprise_id=enterprise.id,
                project_id=clean.project_id,
                owner_id=owner_id,
                title=clean.title,
                detail=clean.detail,
                raised_on=clean.raised_on,
                deadline=clean.deadline,
                status=ProblemStatus.OPEN.value,
                resolution="",
            )
            session.add(row)
            session.flush()
            return row.id

    def edit(self, problem_id: str, draft: ProblemDraft) -> None:
        """Change everything the form holds (the owner too, when one is named)."""
        clean = validate_problem_draft(draft, today=self._today())
        with self._database.write(self._workspace.actor()) as session:
            row = _live(session, problem_id)
            enterprise = live_enterprise(session, clean.enterprise_id)
            check_project(session, enterprise.id, clean.project_id)
            assert clean.raised_on is not None
            if row.resolved_on is not None and row.resolved_on < clean.raised_on:
                raise ValidationError("raised_on", tr("提出日期不能晚于办结日期"))
            if clean.owner_id is not None:
                check_member(session, "owner_id", clean.owner_id)
                row.owner_id = clean.owner_id
            row.enterprise_id = enterprise.id
            row.project_id = clean.project_id
            row.title = clean.title
            row.detail = clean.detail
            row.raised_on = clean.raised_on
            row.deadline = clean.deadline

    def assign(self, problem_id: str, member_id: str) -> None:
        """Make ``member_id`` responsible for the problem (history keeps who was before)."""
        with self._database.write(self._workspace.actor()) as session:
            row = _live(session, problem_id)
            check_member(session, "owner_id", member_id)
            row.owner_id = member_id

    def resolve(self, problem_id: str, resolution: str, on: dt.date | None = None) -> None:
        """Close the problem (办结) with what was done, on ``on`` (today when not given)."""
        with self._database.write(self._workspace.actor()) as session:
            row = _live(session, problem_id)
            clean = validate_resolution(
                resolution, on, raised_on=row.raised_on, today=self._today()
            )
            row.status = ProblemStatus.RESOLVED.value
            row.resolution = clean.text
            row.resolved_on = clean.resolved_on

    def reopen(self, problem_id: str) -> None:
        """Back to 办理中; the resolution text stays on record, the closing day goes."""
        with self._database.write(self._workspace.actor()) as session:
            row = _live(session, problem_id)
            if row.status != ProblemStatus.OPEN.value:
                row.status = ProblemStatus.OPEN.value
                row.resolved_on = None

    def delete(self, problem_id: str) -> None:
        with self._database.write(self._workspace.actor()) as session:
            _live(session, problem_id).deleted = True

    def restore(self, problem_id: str) -> None:
        with self._database.write(self._workspace.actor()) as session:
            row = session.get(ProblemRow, problem_id)
            if row is None:
                raise NotFoundError(tr("找不到该诉求（{id}）", id=problem_id))
            row.deleted = False


# -- helpers ---------------------------------------------------------------------------------------

_COUNT_KEYS = ("open", "overdue", "resolved")


def _overdue_condition(today: dt.date) -> ColumnElement[bool]:
    return and_(ProblemRow.status == ProblemStatus.OPEN.value, ProblemRow.deadline < today)


def _state_expression(today: dt.date) -> ColumnElement[str]:
    return case((_overdue_condition(today), ProblemState.OVERDUE.value), else_=ProblemRow.status)


def _state_condition(state: ProblemState, today: dt.date) -> ColumnElement[bool]:
    if state is ProblemState.OVERDUE:
        return _overdue_condition(today)
    return ProblemRow.status == state.value


def _closure(
    session: Session,
    base: Select[str],
    condition: ColumnElement[bool],
    start: dt.date | None,
    end: dt.date | None,
) -> ProblemClosure:
    resolved = ProblemRow.status == ProblemStatus.RESOLVED.value
    on_time = and_(
        resolved,
        ProblemRow.resolved_on.is_not(None),
        or_(ProblemRow.deadline.is_(None), ProblemRow.resolved_on <= ProblemRow.deadline),
    )
    period: list[ColumnElement[bool]] = []
    if start is not None:
        period.append(ProblemRow.raised_on >= start)
    if end is not None:
        period.append(ProblemRow.raised_on <= end)
    raised, closed, in_time = session.execute(
        base.with_only_columns(
            func.count(ProblemRow.id),
            func.coalesce(func.sum(case((resolved, 1), else_=0)), 0),
            func.coalesce(func.sum(case((on_time, 1), else_=0)), 0),
        ).where(condition, *period)
    ).one()
    return ProblemClosure(start, end, int(raised), int(closed), int(in_time))


def _entry(
    row: ProblemRow, enterprise: str, project: str | None, owner: str | None, today: dt.date
) -> ProblemEntry:
    overdue = 0
    if row.status == ProblemStatus.OPEN.value and row.deadline is not None:
        overdue = max(0, (today - row.deadline).days)
    return ProblemEntry(
        id=row.id,
        enterprise_id=row.enterprise_id,
        enterprise_name=enterprise,
        project_id=row.project_id,
        project_name=project or "",
        title=row.title,
        detail=row.detail or "",
        owner_id=row.owner_id,
        owner_name=owner or "",
        raised_on=row.raised_on,
        deadline=row.deadline,
        status=ProblemStatus(row.status),
        resolution=row.resolution or "",
        resolved_on=row.resolved_on,
        overdue_days=overdue,
    )


def _entries(session: Session, ids: Sequence[str], today: dt.date) -> tuple[ProblemEntry, ...]:
    """The problems of ``ids``, in that order, with the names they show."""
    if not ids:
        return ()
    owner = aliased(MemberRow)
    query = (
        select(ProblemRow, EnterpriseRow.name, ProjectRow.name, owner.name)
        .join(EnterpriseRow, EnterpriseRow.id == ProblemRow.enterprise_id)
        .outerjoin(ProjectRow, ProjectRow.id == ProblemRow.project_id)
        .outerjoin(owner, owner.id == ProblemRow.owner_id)
        .where(ProblemRow.id.in_(ids))
    )
    found = {
        row.id: _entry(row, enterprise, project, owner_name, today)
        for row, enterprise, project, owner_name in session.execute(query)
    }
    return tuple(found[problem_id] for problem_id in ids if problem_id in found)


def _live(session: Session, problem_id: str | None) -> ProblemRow:
    row = session.get(ProblemRow, problem_id) if problem_id else None
    if row is None or row.deleted:
        raise NotFoundError(tr("找不到该诉求（{id}）", id=problem_id))
    return row
