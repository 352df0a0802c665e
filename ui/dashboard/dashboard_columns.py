"""The columns of the dashboard's tables, declared once each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum

from app.domain.money import Money
from app.domain.vocabulary import ProjectStage
from app.i18n import mark, tr
from app.services.kpi_views import KpiFigure, MilestoneCount
from app.services.overdue_views import CadreLoad, OverdueRow
from ui.dashboard.dashboard_models import Cell
from ui.formatting import format_date


@dataclass(frozen=True, slots=True)
class DrillRow:
    """A project behind a figure: a rate's denominator (``counted`` says if it is in the
    numerator) or a milestone's list (``counted`` None)."""

    project_id: str
    project_name: str
    enterprise_id: str
    enterprise_name: str
    squad_name: str
    responsible_name: str
    signed_on: dt.date | None
    stage: ProjectStage | None
    reached_on: dt.date | None
    funded: Money | None
    contract_amount: Money | None
    counted: bool | None


def drill_rows_of_figure(figure: KpiFigure) -> list[DrillRow]:
    return [
        DrillRow(
            project_id=p.project_id,
            project_name=p.project_name,
            enterprise_id=p.enterprise_id,
            enterprise_name=p.enterprise_name,
            squad_name=p.squad_name,
            responsible_name=p.responsible_name,
            signed_on=p.signed_on,
            stage=p.stage_at_end,
            reached_on=p.reached_on(figure.reached_stage),
            funded=p.funded,
            contract_amount=p.contract_amount,
            counted=figure.is_counted(p),
        )
        for p in figure.projects
    ]


def drill_rows_of_milestone(count: MilestoneCount) -> list[DrillRow]:
    return [
        DrillRow(
            project_id=e.project_id,
            project_name=e.project_name,
            enterprise_id=e.enterprise_id,
            enterprise_name=e.enterprise_name,
            squad_name=e.squad_name,
            responsible_name=e.responsible_name,
            signed_on=None,
            stage=None,
            reached_on=e.reached_on,
            funded=None,
            contract_amount=e.contract_amount,
            counted=None,
        )
        for e in count.projects
    ]


def _money(value: Money | None) -> str:
    return "" if value is None else value.format()


def _fen(value: Money | None) -> int:
    return -1 if value is None else value.fen


def _iso(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


class DrillColumn(IntEnum):
    COUNTED = 0
    PROJECT = 1
    ENTERPRISE = 2
    SIGNED = 3
    REACHED = 4
    STAGE = 5
    FUNDED = 6
    CONTRACT = 7
    RESPONSIBLE = 8
    SQUAD = 9


DRILL_CELLS: dict[DrillColumn, Cell[DrillRow]] = {
    DrillColumn.COUNTED: Cell(
        mark("计入分子"),
        lambda r: "" if r.counted is None else ("✔" if r.counted else "✘"),
        lambda r: -1 if r.counted is None else int(r.counted),
    ),
    DrillColumn.PROJECT: Cell(mark("项目"), lambda r: r.project_name),
    DrillColumn.ENTERPRISE: Cell(mark("企业"), lambda r: r.enterprise_name),
    DrillColumn.SIGNED: Cell(
        mark("签约日期"), lambda r: format_date(r.signed_on), lambda r: _iso(r.signed_on)
    ),
    DrillColumn.REACHED: Cell(
        mark("到达日期"), lambda r: format_date(r.reached_on), lambda r: _iso(r.reached_on)
    ),
    DrillColumn.STAGE: Cell(mark("期末阶段"), lambda r: r.stage.label if r.stage else ""),
    DrillColumn.FUNDED: Cell(
        mark("期末实际到资"), lambda r: _money(r.funded), lambda r: _fen(r.funded), numeric=True
    ),
    DrillColumn.CONTRACT: Cell(
        mark("合同投资额"),
        lambda r: _money(r.contract_amount),
        lambda r: _fen(r.contract_amount),
        numeric=True,
    ),
    DrillColumn.RESPONSIBLE: Cell(mark("包抓责任人"), lambda r: r.responsible_name),
    DrillColumn.SQUAD: Cell(mark("小分队"), lambda r: r.squad_name),
}


class OverdueColumn(IntEnum):
    DAYS = 0
    ITEM = 1
    TAGS = 2
    ENTERPRISE = 3
    CADRE = 4
    SQUAD = 5
    SINCE = 6
    STAGE = 7
    NEXT_ACTION = 8


def _next_action(row: OverdueRow) -> str:
    action = row.next_action
    if action is None:
        return tr("（无待办任务）")
    parts = [action.title]
    if action.owner_name:
        parts.append(action.owner_name)
    if action.due_on is not None:
        parts.append(tr("{date}前", date=format_date(action.due_on)))
    return tr(" · ").join(parts)


def _cadre(row: OverdueRow) -> str:
    return row.cadre_name or tr("（未指定责任人）")


OVERDUE_CELLS: dict[OverdueColumn, Cell[OverdueRow]] = {
    OverdueColumn.DAYS: Cell(
        mark("逾期天数"),
        lambda r: tr("{n} 天", n=r.overdue_days),
        lambda r: r.overdue_days,
        numeric=True,
    ),
    OverdueColumn.ITEM: Cell(mark("事项"), lambda r: r.title),
    OverdueColumn.TAGS: Cell(mark("情形"), lambda r: tr("、").join(t.label for t in r.tags)),
    OverdueColumn.ENTERPRISE: Cell(mark("企业"), lambda r: r.enterprise_name),
    OverdueColumn.CADRE: Cell(mark("责任人"), _cadre),
    OverdueColumn.SQUAD: Cell(mark("小分队"), lambda r: r.squad_name),
    OverdueColumn.SINCE: Cell(
        mark("到期日"), lambda r: format_date(r.since), lambda r: r.since.isoformat()
    ),
    OverdueColumn.STAGE: Cell(mark("项目阶段"), lambda r: r.stage.label if r.stage else ""),
    OverdueColumn.NEXT_ACTION: Cell(mark("下一步（最早的待办任务）"), _next_action),
}


class CadreColumn(IntEnum):
    CADRE = 0
    SQUAD = 1
    NOT_STARTED = 2
    THREE_NOTS = 3
    COMMITMENTS = 4
    PROBLEMS = 5
    TOTAL = 6
    LONGEST = 7


def _count(value: int) -> str:
    return str(value) if value else ""


CADRE_CELLS: dict[CadreColumn, Cell[CadreLoad]] = {
    CadreColumn.CADRE: Cell(mark("责任人"), lambda r: r.cadre_name),
    CadreColumn.SQUAD: Cell(mark("小分队"), lambda r: r.squad_name),
    CadreColumn.NOT_STARTED: Cell(
        mark("签约未开工"), lambda r: _count(r.not_started), lambda r: r.not_started, numeric=True
    ),
    CadreColumn.THREE_NOTS: Cell(
        mark("三未项目"), lambda r: _count(r.three_nots), lambda r: r.three_nots, numeric=True
    ),
    CadreColumn.COMMITMENTS: Cell(
        mark("承诺逾期"), lambda r: _count(r.commitments), lambda r: r.commitments, numeric=True
    ),
    CadreColumn.PROBLEMS: Cell(
        mark("诉求超期"), lambda r: _count(r.problems), lambda r: r.problems, numeric=True
    ),
    CadreColumn.TOTAL: Cell(
        mark("合计事项"), lambda r: str(r.total), lambda r: r.total, numeric=True
    ),
    CadreColumn.LONGEST: Cell(
        mark("最长逾期"),
        lambda r: tr("{n} 天", n=r.longest_overdue_days),
        lambda r: r.longest_overdue_days,
        numeric=True,
    ),
}
