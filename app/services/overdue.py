"""督办清单: the overdue lists a bureau leader reads on Monday morning, each row naming the cadre
who answers for it, its squad, the enterprise and project, how long it is overdue and the next
action (the earliest open task).

All lists are computed for one fixed ``today`` (the service's clock), from the stage history
(``app.services.project_facts``: "reached" includes skipped stages) and the bureau's rules:

- **签约N个月未开工** (N = ``not_started_months``): signed on or before today − N months, not
  started by today, and not terminated (解约) today. Projects on hold (暂缓) stay listed — being
  paused does not start them; the row shows the stage. Due on signing date + N months.
- **三未**, a project row tagged with each that applies (terminated projects never listed):
  - 未履约: signed on or before today − ``unfulfilled_months`` months and not fulfilling by the
    bureau's 履约率 formula (its ``reached`` stage, or any funds when ``or_funded``);
  - 未开工: as 签约N个月未开工 above;
  - 未建成投产: started on or before today − ``not_producing_months`` months, not producing.
  The row is as overdue as its oldest condition.
- **承诺逾期**: commitments still pending whose due date is before today; the cadre is whoever
  promised it.
- **诉求超期**: problems still open whose deadline is before today; the cadre is the owner.

Months are calendar months (``app.domain.period.add_months``): 2026-08-31 + 3 months is
2026-11-30. "Overdue days" count from the day an item fell due (0 on that day) to today.
A commitment or problem belongs to its project's squad, or without a project to its
enterprise's squad. Tombstoned records never count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Select, String, and_, false, select, type_coerce
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from app.database.tables import (
    CommitmentRow,
    EnterpriseRow,
    MemberRow,
    ProblemRow,
    ProjectRow,
    SquadRow,
    TaskRow,
)
from app.domain.bureau_rules import BureauRules, KpiKey
from app.domain.period import add_months
from app.domain.vocabulary import CommitmentStatus, ProblemStatus, ProjectStage, TaskStatus
from app.services.bureau_settings import load_rules
from app.services.kpi import counted
from app.services.lookups import as_date, squad_options
from app.services.overdue_cadres import group_by_cadre, member_squads
from app.services.overdue_views import (
    CadreLoad,
    NextAction,
    OverdueBoard,
    OverdueFilter,
    OverdueList,
    OverdueRow,
    ThreeNot,
)
from app.services.project_facts import (
    CHUNK,
    ProjectFacts,
    ProjectLabels,
    driver_rows,
    load_labels,
)
from app.services.project_facts_cache import ProjectFactsSource
from app.services.weekly_figures_views import SquadOption
from app.services.workspace import Workspace

ALL = OverdueFilter()
NO_CADRE = ""


class OverdueService:
    """Computes the overdue lists for a fixed today."""

    def __init__(
        self,
        workspace: Workspace,
        today: Callable[[], dt.date] = dt.date.today,
        facts: ProjectFactsSource | None = None,
    ) -> None:
        self._database = workspace.database
        self._today = today
        self._facts = facts or ProjectFactsSource(workspace.database)

    def today(self) -> dt.date:
        return self._today()

    def squads(self) -> tuple[SquadOption, ...]:
        with self._database.read() as session:
            return squad_options(session)

    def cadres(self, squad_id: str | None = None) -> tuple[SquadOption, ...]:
        """Members (id, name) to filter by, of one squad or all."""
        query = select(MemberRow.id, MemberRow.name).where(MemberRow.deleted == false())
        if squad_id is not None:
            query = query.where(MemberRow.squad_id == squad_id)
        with self._database.read() as session:
            return tuple(
                SquadOption(member_id, name)
                for member_id, name in session.execute(query.order_by(MemberRow.name, MemberRow.id))
            )

    # -- the lists -------------------------------------------------------------------------------

    def not_started(self, where: OverdueFilter = ALL) -> tuple[OverdueRow, ...]:
        """签约N个月未开工."""
        with self._database.read() as session:
            return self._project_lists(session, where)[0]

    def three_nots(self, where: OverdueFilter = ALL) -> tuple[OverdueRow, ...]:
        """三未: 未履约 / 未开工 / 未建成投产, each row tagged."""
        with self._database.read() as session:
            return self._project_lists(session, where)[1]

    def commitments(self, where: OverdueFilter = ALL) -> tuple[OverdueRow, ...]:
        with self._database.read() as session:
            return self._with_actions(session, self._commitments(session, where))

    def problems(self, where: OverdueFilter = ALL) -> tuple[OverdueRow, ...]:
        with self._database.read() as session:
            return self._with_actions(session, self._problems(session, where))

    def board(self, where: OverdueFilter = ALL) -> OverdueBoard:
        """All four lists and the per-cadre summary in one read."""
        today = self._today()
        with self._database.read() as session:
            rules = load_rules(session)
            not_started, three_nots = self._project_lists(session, where, rules)
            commitments = self._with_actions(session, self._commitments(session, where))
            problems = self._with_actions(session, self._problems(session, where))
            members = member_squads(session)
        return OverdueBoard(
            today=today,
            not_started_months=rules.not_started_months,
            unfulfilled_months=rules.unfulfilled_months,
            not_producing_months=rules.not_producing_months,
            not_started=not_started,
            three_nots=three_nots,
            commitments=commitments,
            problems=problems,
            by_cadre=group_by_cadre(not_started, three_nots, commitments, problems, members),
        )

    def by_cadre(self, where: OverdueFilter = ALL) -> tuple[CadreLoad, ...]:
        """Who must do what: per cadre, how many items of each list (most first)."""
        return self.board(where).by_cadre

    # -- projects --------------------------------------------------------------------------------

    def _project_lists(
        self, session: Session, where: OverdueFilter, rules: BureauRules | None = None
    ) -> tuple[tuple[OverdueRow, ...], tuple[OverdueRow, ...]]:
        rules = rules or load_rules(session)
        today = self._today()
        facts = self._facts.facts(
            session, squad_id=where.squad_id, responsible_id=where.cadre_id, signed_only=True
        )
        fulfilment = rules.formula(KpiKey.FULFILMENT)
        found: list[tuple[ProjectFacts, dict[ThreeNot, tuple[dt.date, dt.date]]]] = []
        for fact in facts:
            signed_on = fact.signed_on
            if signed_on is None or signed_on > today or fact.is_terminated(today):
                continue
            due: dict[ThreeNot, tuple[dt.date, dt.date]] = {}  # condition → (since, basis)
            if not fact.has_reached(ProjectStage.STARTED, today):
                since = add_months(signed_on, rules.not_started_months)
                if since <= today:
                    due[ThreeNot.NOT_STARTED] = (since, signed_on)
            since = add_months(signed_on, rules.unfulfilled_months)
            if since <= today and not counted(fulfilment, fact, today):
                due[ThreeNot.UNFULFILLED] = (since, signed_on)
            started_on = fact.reached_on(ProjectStage.STARTED)
            if started_on is not None and not fact.has_reached(ProjectStage.PRODUCING, today):
                since = add_months(started_on, rules.not_producing_months)
                if since <= today:
                    due[ThreeNot.NOT_PRODUCING] = (since, started_on)
            if due:
                found.append((fact, due))
        labels = load_labels(session, (fact for fact, _due in found))
        actions = _earliest_open_tasks(
            session, TaskRow.project_id, (f.project_id for f, _ in found)
        )
        not_started: list[OverdueRow] = []
        three_nots: list[OverdueRow] = []
        for fact, due in found:
            label, action = labels[fact.project_id], actions.get(fact.project_id)
            tags = tuple(tag for tag in ThreeNot if tag in due)
            three_nots.append(
                _project_row(
                    OverdueList.THREE_NOTS, fact, label, today, min(due.values()), tags, action
                )
            )
            if ThreeNot.NOT_STARTED in due:
                not_started.append(
                    _project_row(
                        OverdueList.NOT_STARTED,
                        fact,
                        label,
                        today,
                        due[ThreeNot.NOT_STARTED],
                        (),
                        action,
                    )
                )
        return _ordered(not_started), _ordered(three_nots)

    # -- commitments and problems ----------------------------------------------------------------

    def _commitments(self, session: Session, where: OverdueFilter) -> list[OverdueRow]:
        today = self._today()
        query = _linked_query(
            CommitmentRow.id,
            CommitmentRow.content,
            CommitmentRow.due_on,
            CommitmentRow.promised_by_id,
            CommitmentRow.enterprise_id,
            CommitmentRow.project_id,
        ).where(
            CommitmentRow.deleted == false(),
            CommitmentRow.status == CommitmentStatus.PENDING.value,
            CommitmentRow.due_on < today,
        )
        if where.cadre_id is not None:
            query = query.where(CommitmentRow.promised_by_id == where.cadre_id)
        return _linked_rows(session, query, OverdueList.COMMITMENTS, today, where)

    def _problems(self, session: Session, where: OverdueFilter) -> list[OverdueRow]:
        today = self._today()
        query = _linked_query(
            ProblemRow.id,
            ProblemRow.title,
            ProblemRow.deadline,
            ProblemRow.owner_id,
            ProblemRow.enterprise_id,
            ProblemRow.project_id,
        ).where(
            ProblemRow.deleted == false(),
            ProblemRow.status == ProblemStatus.OPEN.value,
            ProblemRow.deadline < today,
        )
        if where.cadre_id is not None:
            query = query.where(ProblemRow.owner_id == where.cadre_id)
        return _linked_rows(session, query, OverdueList.PROBLEMS, today, where)

    # -- next actions ----------------------------------------------------------------------------

    def _with_actions(self, session: Session, rows: Sequence[OverdueRow]) -> tuple[OverdueRow, ...]:
        by_project = _earliest_open_tasks(
            session, TaskRow.project_id, {r.project_id for r in rows if r.project_id}
        )
        by_enterprise = _earliest_open_tasks(
            session, TaskRow.enterprise_id, {r.enterprise_id for r in rows if not r.project_id}
        )
        done = [
            _replace_action(
                row,
                by_project.get(row.project_id)
                if row.project_id is not None
                else by_enterprise.get(row.enterprise_id),
            )
            for row in rows
        ]
        return _ordered(done)


def _ordered(rows: list[OverdueRow]) -> tuple[OverdueRow, ...]:
    """Longest overdue first."""
    rows.sort(key=lambda row: (-row.overdue_days, row.cadre_name, row.title, row.id))
    return tuple(rows)


def _project_row(
    which: OverdueList,
    fact: ProjectFacts,
    label: ProjectLabels,
    today: dt.date,
    due: tuple[dt.date, dt.date],
    tags: tuple[ThreeNot, ...],
    action: NextAction | None,
) -> OverdueRow:
    since, basis = due
    return OverdueRow(
        list=which,
        id=fact.project_id,
        title=fact.name,
        project_id=fact.project_id,
        project_name=fact.name,
        enterprise_id=fact.enterprise_id,
        enterprise_name=label.enterprise_name,
        squad_id=fact.squad_id,
        squad_name=label.squad_name,
        cadre_id=fact.responsible_id,
        cadre_name=label.responsible_name,
        since=since,
        overdue_days=(today - since).days,
        basis=basis,
        stage=fact.stage_at(today),
        tags=tags,
        next_action=action,
    )


def _linked_query(
    item_id: InstrumentedAttribute[str],
    title: InstrumentedAttribute[str],
    due: InstrumentedAttribute[dt.date | None],
    cadre_id: InstrumentedAttribute[str | None],
    enterprise_id: InstrumentedAttribute[str],
    project_id: InstrumentedAttribute[str | None],
) -> Select[*tuple[Any, ...]]:
    """A commitment or problem with its enterprise, project, squad and cadre."""
    project_squad, enterprise_squad, cadre = (
        aliased(SquadRow),
        aliased(SquadRow),
        aliased(MemberRow),
    )
    return (
        select(
            item_id,
            title,
            due,
            cadre_id,
            cadre.name,
            enterprise_id,
            EnterpriseRow.name,
            ProjectRow.id,
            ProjectRow.name,
            ProjectRow.stage,
            ProjectRow.squad_id,
            project_squad.name,
            EnterpriseRow.squad_id,
            enterprise_squad.name,
        )
        .join(EnterpriseRow, EnterpriseRow.id == enterprise_id)
        .outerjoin(ProjectRow, and_(ProjectRow.id == project_id, ProjectRow.deleted == false()))
        .outerjoin(project_squad, project_squad.id == ProjectRow.squad_id)
        .outerjoin(enterprise_squad, enterprise_squad.id == EnterpriseRow.squad_id)
        .outerjoin(cadre, cadre.id == cadre_id)
        .where(EnterpriseRow.deleted == false())
    )


def _linked_rows(
    session: Session,
    query: Select[*tuple[Any, ...]],
    which: OverdueList,
    today: dt.date,
    where: OverdueFilter,
) -> list[OverdueRow]:
    rows: list[OverdueRow] = []
    for record in session.execute(query):
        (item_id, title, due, cadre_id, cadre_name, enterprise_id, enterprise_name) = record[:7]
        (project_id, project_name, stage, project_squad, project_squad_name) = record[7:12]
        (enterprise_squad, enterprise_squad_name) = record[12:]
        squad_id = project_squad if project_id else enterprise_squad
        if where.squad_id is not None and squad_id != where.squad_id:
            continue
        since = as_date(due)
        rows.append(
            OverdueRow(
                list=which,
                id=item_id,
                title=title,
                project_id=project_id,
                project_name=project_name or "",
                enterprise_id=enterprise_id,
                enterprise_name=enterprise_name or "",
                squad_id=squad_id,
                squad_name=(project_squad_name if project_id else enterprise_squad_name) or "",
                cadre_id=cadre_id,
                cadre_name=cadre_name or "",
                since=since,
                overdue_days=(today - since).days,
                basis=since,
                stage=_STAGES.get(stage or ""),
                tags=(),
                next_action=None,
            )
        )
    return rows


_STAGES = {stage.value: stage for stage in ProjectStage}


def _earliest_open_tasks(
    session: Session, key: InstrumentedAttribute[str | None], ids: Iterable[str]
) -> dict[str, NextAction]:
    """Per project (or enterprise) id, its open task due first (undated last, then oldest)."""
    wanted = sorted(ids)
    found: dict[str, NextAction] = {}
    if not wanted:
        return found
    members = {member_id: name for member_id, name in session.execute(
        select(MemberRow.id, MemberRow.name))}  # fmt: skip
    tasks = TaskRow.__table__.c
    column = tasks[key.key]
    connection = session.connection()
    for start in range(0, len(wanted), CHUNK):
        query = (
            select(
                column,
                tasks.id,
                tasks.title,
                tasks.owner_id,
                type_coerce(tasks.due_on, String),
            )
            .where(
                column.in_(wanted[start : start + CHUNK]),
                # ``|| ''`` keeps SQLite off the status index (a third of all tasks are open)
                # so it looks the ids up by their own index: 15x faster on the large dataset.
                tasks.status + "" == TaskStatus.OPEN.value,
                tasks.deleted.is_not(True),
            )
            .order_by(column, tasks.due_on.is_(None), tasks.due_on, tasks.created_at, tasks.id)
        )
        for owner_key, task_id, title, owner_id, due_on in driver_rows(connection, query):
            if owner_key is not None and owner_key not in found:
                found[owner_key] = NextAction(
                    task_id,
                    title,
                    members.get(owner_id, "") if owner_id else "",
                    None if due_on is None else as_date(due_on[:10]),
                )
    return found


def _replace_action(row: OverdueRow, action: NextAction | None) -> OverdueRow:
    return row if action is None else replace(row, next_action=action)
