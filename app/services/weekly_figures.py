"""一周一快报: the week's figures for one squad or the whole bureau.

Definitions (口径) — also returned by ``figure_definitions`` so screens and reports state them:

- 外出招商天数: for every trip overlapping the ISO week (Monday to Sunday), the number of the
  trip's days that fall inside the week, summed over trips. A trip from Sunday to Tuesday counts
  one day in the first week and two in the next. Days are per trip, not per person.
- 拜访企业个数: distinct enterprises with at least one visit dated inside the week.
- 拜访次数: visit records dated inside the week.
- 新签约 / 新开工 / 新竣工 / 新投产: projects that first reached 签约 / 开工 / 竣工 / 投产 inside
  the week by their stage history (a move that skips a stage reaches it that day; a project back
  from 暂缓 is not counted again), with the sum of their contract amounts (合同投资额). The same
  rule as the KPI dashboard (``app.services.project_facts``).

Deleted (tombstoned) records never count. With a squad chosen, trips, visits and projects are
those recorded for that squad.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import InstrumentedAttribute

from app.database.tables import (
    SquadRow,
    StageChangeRow,
    TripRow,
    VisitRow,
)
from app.domain.money import Money
from app.domain.trip import days_within
from app.domain.vocabulary import ProjectStage
from app.i18n import tr
from app.services.lookups import squad_options
from app.services.project_facts import load_labels, load_project_facts
from app.services.weekly_figures_views import (
    Figure,
    FigureDefinition,
    IsoWeek,
    MilestoneFigure,
    MilestoneProject,
    SquadOption,
    WeeklyFigures,
)
from app.services.workspace import Workspace

MILESTONE_STAGES: tuple[ProjectStage, ...] = (
    ProjectStage.SIGNED,
    ProjectStage.STARTED,
    ProjectStage.COMPLETED,
    ProjectStage.PRODUCING,
)


def figure_definitions() -> tuple[FigureDefinition, ...]:
    """Every figure of the weekly brief with its definition (口径), translated."""
    return (
        FigureDefinition(
            Figure.TRIP_DAYS,
            tr("外出招商天数"),
            tr(
                "与本周（周一至周日）重叠的每次外出行程，计其落在本周内的天数，再按行程相加；"
                "跨周行程只计本周内的天数（如周日出发、周二返回：上周计 1 天，本周计 2 天）；"
                "按行程计，不乘以人数。"
            ),
        ),
        FigureDefinition(
            Figure.ENTERPRISES_VISITED,
            tr("拜访企业个数"),
            tr("本周内有拜访记录的不同企业个数；同一企业拜访多次只计 1 个。"),
        ),
        FigureDefinition(Figure.VISITS, tr("拜访次数"), tr("拜访日期在本周内的拜访记录条数。")),
        FigureDefinition(Figure.SIGNED, tr("新签约"), _milestone(ProjectStage.SIGNED)),
        FigureDefinition(Figure.STARTED, tr("新开工"), _milestone(ProjectStage.STARTED)),
        FigureDefinition(Figure.COMPLETED, tr("新竣工"), _milestone(ProjectStage.COMPLETED)),
        FigureDefinition(Figure.PRODUCING, tr("新投产"), _milestone(ProjectStage.PRODUCING)),
        FigureDefinition(
            Figure.SCOPE,
            tr("统计范围"),
            tr("已删除的记录不计入。选择小分队时，只计记在该小分队名下的行程、拜访记录和项目。"),
        ),
    )


def _milestone(stage: ProjectStage) -> str:
    return tr(
        "按阶段记录，在本周内首次到达“{stage}”（或越过它直接到达之后阶段）的项目个数"
        "（每个项目计 1 次，暂缓后恢复不重复计）及其合同投资额合计。",
        stage=stage.label,
    )


class WeeklyFiguresService:
    """Computes the weekly brief's figures."""

    def __init__(self, workspace: Workspace, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._database = workspace.database
        self._today = today

    def definitions(self) -> tuple[FigureDefinition, ...]:
        """The 口径 every screen and report states."""
        return figure_definitions()

    def current_week(self) -> IsoWeek:
        return IsoWeek.containing(self._today())

    def squads(self) -> tuple[SquadOption, ...]:
        with self._database.read() as session:
            return squad_options(session)

    def figures(self, week: IsoWeek, squad_id: str | None = None) -> WeeklyFigures:
        monday, sunday = week.monday, week.sunday
        with self._database.read() as session:
            squad = session.get(SquadRow, squad_id) if squad_id else None
            trips = session.execute(
                select(TripRow.start_on, TripRow.end_on).where(
                    TripRow.deleted == false(),
                    TripRow.start_on <= sunday,
                    TripRow.end_on >= monday,
                    _of_squad(TripRow.squad_id, squad_id),
                )
            ).all()
            # The week is the selective condition: the squad is checked here, not in SQL, so
            # SQLite walks the date index (``is_not(True)`` is ``== false()`` for the same reason).
            visits = [
                enterprise_id
                for enterprise_id, visit_squad in session.execute(
                    select(VisitRow.enterprise_id, VisitRow.squad_id).where(
                        VisitRow.visited_on >= monday,
                        VisitRow.visited_on <= sunday,
                        VisitRow.deleted.is_not(True),
                    )
                )
                if squad_id is None or visit_squad == squad_id
            ]
            # A stage first reached this week has a change dated this week: read those projects.
            moved = set(
                session.scalars(
                    select(StageChangeRow.project_id).where(
                        StageChangeRow.changed_on >= monday,
                        StageChangeRow.changed_on <= sunday,
                        StageChangeRow.deleted.is_not(True),
                    )
                )
            )
            reaching = [
                (stage, fact)
                for fact in load_project_facts(
                    session, squad_id=squad_id, signed_only=True, project_ids=moved
                )
                for stage in MILESTONE_STAGES
                if (on := fact.reached_on(stage)) is not None and monday <= on <= sunday
            ]
            labels = load_labels(session, (fact for _stage, fact in reaching))
        first_moves = [
            MilestoneProject(
                stage=stage,
                changed_on=fact.reached[stage.order] or monday,
                project_id=fact.project_id,
                project_name=fact.name,
                enterprise_id=fact.enterprise_id,
                enterprise_name=labels[fact.project_id].enterprise_name,
                contract_amount=fact.contract_amount,
                squad_name=labels[fact.project_id].squad_name,
                responsible_name=labels[fact.project_id].responsible_name,
            )
            for stage, fact in reaching
        ]
        projects = sorted(
            first_moves,
            key=lambda row: (MILESTONE_STAGES.index(row.stage), row.changed_on, row.project_name),
        )
        milestones = tuple(
            MilestoneFigure(
                stage=stage,
                count=sum(1 for row in projects if row.stage is stage),
                amount=sum(
                    (row.contract_amount or Money.zero() for row in projects if row.stage is stage),
                    Money.zero(),
                ),
            )
            for stage in MILESTONE_STAGES
        )
        return WeeklyFigures(
            week=week,
            squad_id=squad.id if squad else None,
            squad_name=squad.name if squad else "",
            trip_days=sum(days_within(start, end, monday, sunday) for start, end in trips),
            trip_count=len(trips),
            enterprises_visited=len(set(visits)),
            visit_count=len(visits),
            milestones=milestones,
            projects=tuple(projects),
        )


def _of_squad(
    column: InstrumentedAttribute[str | None], squad_id: str | None
) -> ColumnElement[bool]:
    return true() if squad_id is None else column == squad_id
