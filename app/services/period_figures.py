"""The figures of 一周一快报, 一月一调度 and 一季一评比 over any date range, counted one way.

For the range ``start`` to ``end`` (both included), one squad or the whole bureau:

- 外出招商天数: for every trip overlapping the range, the number of its days inside the range,
  summed over trips (a trip from Sunday to Tuesday counts one day in the first week and two in
  the next). Days are per trip, not per person.
- 拜访企业个数: distinct enterprises with at least one visit dated inside the range.
- 拜访次数: visit records dated inside the range.
- 新签约 / 新开工 / 新竣工 / 新投产: projects that first reached 签约 / 开工 / 竣工 / 投产 inside
  the range by their stage history (a move that skips a stage reaches it that day; a project
  back from 暂缓 is not counted again), with the sum of their contract amounts (合同投资额) —
  the rule of the KPI dashboard (``app.services.project_facts``). 签约项目个数 is 新签约.

Deleted (tombstoned) records never count. With a squad chosen, trips, visits and projects are
those recorded for that squad. The definitions as printed are ``figure_definitions``.

Only the range's rows are read: trips overlapping it, visits by the visit-date index, and the
facts of just the projects with a stage change dated inside it (plus projects with no stage
history whose recorded dates fall inside it) — never every project's history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.orm import Session

from app.database.tables import ProjectRow, SquadRow, StageChangeRow, TripRow, VisitRow
from app.domain.errors import NotFoundError
from app.domain.money import Money
from app.domain.trip import days_within
from app.domain.vocabulary import LeaderType, ProjectStage
from app.i18n import tr
from app.services.project_facts import CHUNK, load_labels, load_project_facts
from app.services.weekly_figures_views import (
    MilestoneFigure,
    MilestoneProject,
    PeriodFigures,
    SquadOption,
)
from app.services.workspace import Workspace

MILESTONE_STAGES: tuple[ProjectStage, ...] = (
    ProjectStage.SIGNED,
    ProjectStage.STARTED,
    ProjectStage.COMPLETED,
    ProjectStage.PRODUCING,
)


@dataclass(frozen=True, slots=True)
class TripSpan:
    """A trip overlapping the range, with its days inside it."""

    trip_id: str
    title: str
    destination: str
    squad_id: str | None
    leader_type: LeaderType
    start_on: dt.date
    end_on: dt.date
    days: int
    """Its days inside the range."""


@dataclass(frozen=True, slots=True)
class VisitMark:
    """A visit dated inside the range."""

    enterprise_id: str
    squad_id: str | None
    visited_on: dt.date


@dataclass(frozen=True, slots=True)
class PeriodActivity:
    """Every record the range's figures count, for one squad or the bureau (``squad_id``
    None); ``figures`` adds them up, ``of_squad`` narrows the bureau's to one squad."""

    start: dt.date
    end: dt.date
    squad_id: str | None
    squad_name: str
    trips: tuple[TripSpan, ...]
    visits: tuple[VisitMark, ...]
    projects: tuple[MilestoneProject, ...]
    """By stage (签约, 开工, 竣工, 投产), then date, then project name."""

    def figures(self) -> PeriodFigures:
        return PeriodFigures(
            start=self.start,
            end=self.end,
            squad_id=self.squad_id,
            squad_name=self.squad_name,
            trip_days=sum(trip.days for trip in self.trips),
            trip_count=len(self.trips),
            enterprises_visited=len({visit.enterprise_id for visit in self.visits}),
            visit_count=len(self.visits),
            milestones=tuple(
                MilestoneFigure(
                    stage=stage,
                    count=sum(1 for row in self.projects if row.stage is stage),
                    amount=sum(
                        (
                            row.contract_amount or Money.zero()
                            for row in self.projects
                            if row.stage is stage
                        ),
                        Money.zero(),
                    ),
                )
                for stage in MILESTONE_STAGES
            ),
            projects=self.projects,
        )

    def of_squad(self, squad_id: str | None, squad_name: str) -> PeriodActivity:
        """The records of one squad (``squad_id`` None: those recorded for no squad)."""
        return self._narrowed({squad_id}, squad_id, squad_name)

    def of_other_squads(self, known: Iterable[str], squad_name: str) -> PeriodActivity:
        """The records of no squad or of a squad not in ``known`` (a deleted one)."""
        kept = set(known)
        others = {
            *(trip.squad_id for trip in self.trips),
            *(visit.squad_id for visit in self.visits),
            *(row.squad_id for row in self.projects),
        }
        return self._narrowed(others - kept, None, squad_name)

    def _narrowed(
        self, squads: set[str | None], squad_id: str | None, squad_name: str
    ) -> PeriodActivity:
        return PeriodActivity(
            start=self.start,
            end=self.end,
            squad_id=squad_id,
            squad_name=squad_name,
            trips=tuple(trip for trip in self.trips if trip.squad_id in squads),
            visits=tuple(visit for visit in self.visits if visit.squad_id in squads),
            projects=tuple(row for row in self.projects if row.squad_id in squads),
        )


def squad_or_raise(session: Session, squad_id: str | None) -> SquadOption | None:
    """The live squad ``squad_id`` (None for the whole bureau); ``NotFoundError`` naming it
    when there is no such squad."""
    if squad_id is None:
        return None
    squad = session.get(SquadRow, squad_id)
    if squad is None or squad.deleted:
        raise NotFoundError(tr("没有这个小分队（编号 {squad_id}）", squad_id=squad_id))
    return SquadOption(squad.id, squad.name)


def read_activity(
    session: Session, start: dt.date, end: dt.date, squad_id: str | None = None
) -> PeriodActivity:
    """The trips, visits and milestone projects of ``start``..``end`` (one squad or all)."""
    squad = squad_or_raise(session, squad_id)
    trip_query = select(
        TripRow.id,
        TripRow.title,
        TripRow.destination,
        TripRow.squad_id,
        TripRow.leader_type,
        TripRow.start_on,
        TripRow.end_on,
    ).where(TripRow.deleted == false(), TripRow.start_on <= end, TripRow.end_on >= start)
    if squad_id is not None:
        trip_query = trip_query.where(TripRow.squad_id == squad_id)
    trips = tuple(
        TripSpan(
            trip_id=trip_id,
            title=title,
            destination=destination or "",
            squad_id=trip_squad,
            leader_type=_leader(leader_type),
            start_on=start_on,
            end_on=end_on,
            days=days_within(start_on, end_on, start, end),
        )
        for trip_id, title, destination, trip_squad, leader_type, start_on, end_on in (
            session.execute(trip_query.order_by(TripRow.start_on, TripRow.id))
        )
    )
    # The dates are the selective condition: the squad is checked here, not in SQL, so SQLite
    # walks the visit-date index (``is_not(True)`` is ``== false()`` for the same reason).
    visits = tuple(
        VisitMark(enterprise_id, visit_squad, visited_on)
        for enterprise_id, visit_squad, visited_on in session.execute(
            select(VisitRow.enterprise_id, VisitRow.squad_id, VisitRow.visited_on)
            .where(
                VisitRow.visited_on >= start,
                VisitRow.visited_on <= end,
                VisitRow.deleted.is_not(True),
            )
            .order_by(VisitRow.visited_on)
        )
        if squad_id is None or visit_squad == squad_id
    )
    return PeriodActivity(
        start=start,
        end=end,
        squad_id=squad_id,
        squad_name=squad.name if squad else "",
        trips=trips,
        visits=visits,
        projects=_milestone_projects(session, start, end, squad_id),
    )


def _leader(value: str | None) -> LeaderType:
    try:
        return LeaderType(value or LeaderType.OTHER.value)
    except ValueError:
        return LeaderType.OTHER


def _milestone_projects(
    session: Session, start: dt.date, end: dt.date, squad_id: str | None
) -> tuple[MilestoneProject, ...]:
    """Projects that first reached a milestone inside the range, one row per milestone."""
    # A stage first reached in the range has a change dated in it (by the change-date index);
    # a project without any stage history is read from its own dates instead.
    moved = set(
        session.scalars(
            select(StageChangeRow.project_id).where(
                StageChangeRow.changed_on >= start,
                StageChangeRow.changed_on <= end,
                StageChangeRow.deleted.is_not(True),
            )
        )
    )
    has_history = exists().where(
        StageChangeRow.project_id == ProjectRow.id, StageChangeRow.deleted.is_not(True)
    )
    moved.update(
        session.scalars(
            select(ProjectRow.id).where(
                or_(
                    and_(ProjectRow.signed_on >= start, ProjectRow.signed_on <= end),
                    and_(ProjectRow.stage_on >= start, ProjectRow.stage_on <= end),
                ),
                ProjectRow.deleted.is_not(True),
                ~has_history,
            )
        )
    )
    if not moved:
        return ()
    reaching = [
        (stage, on, fact)
        for fact in load_project_facts(
            session, squad_id=squad_id, signed_only=True, project_ids=moved
        )
        for stage in MILESTONE_STAGES
        if (on := fact.reached_on(stage)) is not None and start <= on <= end
    ]
    labels = load_labels(session, (fact for _stage, _on, fact in reaching))
    rows = [
        MilestoneProject(
            stage=stage,
            changed_on=on,
            project_id=fact.project_id,
            project_name=fact.name,
            enterprise_id=fact.enterprise_id,
            enterprise_name=labels[fact.project_id].enterprise_name,
            contract_amount=fact.contract_amount,
            squad_name=labels[fact.project_id].squad_name,
            responsible_name=labels[fact.project_id].responsible_name,
            squad_id=fact.squad_id,
        )
        for stage, on, fact in reaching
    ]
    rows.sort(
        key=lambda row: (
            MILESTONE_STAGES.index(row.stage),
            row.changed_on,
            row.project_name,
            row.project_id,
        )
    )
    return tuple(rows)


def first_visits(session: Session, activity: PeriodActivity) -> tuple[str, ...]:
    """The enterprises visited inside the range that no one had ever visited before it
    (no earlier live visit by any squad), in the order of their first visit in the range."""
    ordered = list(dict.fromkeys(visit.enterprise_id for visit in activity.visits))
    seen_before: set[str] = set()
    for begin in range(0, len(ordered), CHUNK):
        chunk = ordered[begin : begin + CHUNK]
        seen_before.update(
            session.scalars(
                select(VisitRow.enterprise_id)
                .where(
                    VisitRow.enterprise_id.in_(chunk),
                    VisitRow.visited_on < activity.start,
                    VisitRow.deleted.is_not(True),
                )
                .distinct()
            )
        )
    return tuple(enterprise_id for enterprise_id in ordered if enterprise_id not in seen_before)


def squad_figures(
    activity: PeriodActivity, squads: Sequence[SquadOption]
) -> tuple[PeriodFigures, ...]:
    """The bureau's ``activity`` split by squad: one ``PeriodFigures`` per squad given, and a
    last one (``squad_id`` None, named “（未归属小分队）”) for the records of no squad or of a
    squad not given, when there are any — so the lines add up to the bureau."""
    split = [activity.of_squad(squad.id, squad.name).figures() for squad in squads]
    rest = activity.of_other_squads((squad.id for squad in squads), unassigned_name())
    if rest.trips or rest.visits or rest.projects:
        split.append(rest.figures())
    return tuple(split)


def unassigned_name() -> str:
    return tr("（未归属小分队）")


class PeriodFiguresService:
    """The figures of any date range, for a squad or the whole bureau."""

    def __init__(self, workspace: Workspace) -> None:
        self._database = workspace.database

    def activity(self, start: dt.date, end: dt.date, squad_id: str | None = None) -> PeriodActivity:
        with self._database.read() as session:
            return read_activity(session, start, end, squad_id)

    def figures(self, start: dt.date, end: dt.date, squad_id: str | None = None) -> PeriodFigures:
        return self.activity(start, end, squad_id).figures()
