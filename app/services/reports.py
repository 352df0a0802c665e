"""The reports the UI and the CLI ask for, by what the user picked; each returns a
``ReportDocument`` that ``app.reports.pdf`` prints and ``app.reports.xlsx`` tabulates.

- ``visit_summary``: 拜访纪要 for one visit.
- ``trip_brief``: the pre-trip brief for one or several enterprises.
- ``weekly``: 一周一快报 for a squad or the bureau, for a reporting week.
- ``dispatch``: 一月一调度, the overdue lists with cadres and next actions, for a month.
- ``ranking``: 一季一评比, squads ranked on the quarter's figures and KPI rates, with charts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from sqlalchemy import false, select

from app.database.tables import SquadRow
from app.domain.errors import NotFoundError
from app.domain.period import Period
from app.i18n import tr
from app.reports.dispatch_report import build_dispatch_report
from app.reports.document import ReportDocument
from app.reports.ranking_report import build_ranking_report
from app.reports.trip_brief import build_trip_brief
from app.reports.visit_summary import build_visit_summary
from app.reports.weekly_report import build_weekly_report
from app.services.bureau_settings import load_rules
from app.services.lookups import squad_options
from app.services.weekly_figures_views import IsoWeek, SquadOption
from app.services.workspace import Workspace


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ReportService:
    """Builds report documents from the workspace's database."""

    def __init__(self, workspace: Workspace, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._workspace = workspace
        self._clock = clock

    def squads(self) -> tuple[SquadOption, ...]:
        with self._workspace.database.read() as session:
            return squad_options(session)

    def squad_named(self, name: str) -> SquadOption:
        """The squad called ``name`` (exact, then ignoring case and spaces), or ``NotFound``."""
        wanted = name.strip()
        with self._workspace.database.read() as session:
            rows = session.execute(
                select(SquadRow.id, SquadRow.name).where(SquadRow.deleted == false())
            ).all()
        for squad_id, squad_name in rows:
            if squad_name == wanted:
                return SquadOption(squad_id, squad_name)
        folded = wanted.casefold().replace(" ", "")
        for squad_id, squad_name in rows:
            if squad_name.casefold().replace(" ", "") == folded:
                return SquadOption(squad_id, squad_name)
        known = tr("、").join(sorted(squad_name for _id, squad_name in rows)) or tr("（无）")
        raise NotFoundError(tr("没有名为“{name}”的小分队（现有：{known}）", name=name, known=known))

    def week_start(self) -> int:
        """The bureau's first day of a reporting week (ISO weekday, 1 = Monday)."""
        with self._workspace.database.read() as session:
            return load_rules(session).week_start

    def current_week(self, today: dt.date | None = None) -> IsoWeek:
        day = today or self._clock().astimezone().date()
        return IsoWeek.containing(day, self.week_start())

    def visit_summary(self, visit_id: str) -> ReportDocument:
        return build_visit_summary(self._workspace, visit_id, self._clock())

    def trip_brief(self, enterprise_ids: Sequence[str]) -> ReportDocument:
        return build_trip_brief(self._workspace, enterprise_ids, self._clock())

    def weekly(self, week: IsoWeek, squad_id: str | None = None) -> ReportDocument:
        return build_weekly_report(self._workspace, week, squad_id, self._clock())

    def dispatch(self, month: Period, squad_id: str | None = None) -> ReportDocument:
        return build_dispatch_report(self._workspace, month, squad_id, self._clock())

    def ranking(self, quarter: Period) -> ReportDocument:
        return build_ranking_report(self._workspace, quarter, self._clock())
