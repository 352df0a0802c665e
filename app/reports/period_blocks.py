"""Blocks the weekly, monthly and quarterly reports share: the figure tiles, the table of
milestone projects, the per-squad tables with their total line, and the definitions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from app.domain.vocabulary import ProjectStage
from app.i18n import tr
from app.reports.common import wan, wan_text
from app.reports.document import Cell, Column, ColumnKind, Figures, Table
from app.services.kpi import milestone_name
from app.services.period_figures import MILESTONE_STAGES
from app.services.weekly_figures_views import (
    FigureDefinition,
    MilestoneProject,
    PeriodFigures,
)

RANK_COLUMN_WIDTH = 0.65
SQUAD_COLUMN_WIDTH = 1.7


def scope_name(squad_name: str) -> str:
    """The squad's name, or “全局” for the whole bureau."""
    return squad_name or tr("全局")


def rate_cell(rate: Fraction | None) -> Decimal | None:
    """A rate for a ``PERCENT`` cell: the exact fraction rounded half up to 0.1% (as the KPI
    dashboard prints it), so paper and spreadsheet show the same digits; None without a
    denominator (printed “—”)."""
    if rate is None:
        return None
    return (Decimal(rate.numerator) / Decimal(rate.denominator)).quantize(
        Decimal("0.001"), rounding=ROUND_HALF_UP
    )


def figure_tiles(figures: PeriodFigures) -> Figures:
    """外出招商天数, 拜访企业个数, 拜访次数, then 新签约 / 新开工 / 新竣工 / 新投产 with amounts."""
    tiles = [
        (
            tr("外出招商天数"),
            tr("{count} 天", count=f"{figures.trip_days:,}"),
            tr("外出行程 {count} 次", count=f"{figures.trip_count:,}"),
        ),
        (
            tr("拜访企业个数"),
            tr("{count} 家", count=f"{figures.enterprises_visited:,}"),
            tr("不同企业，去重计"),
        ),
        (tr("拜访次数"), tr("{count} 次", count=f"{figures.visit_count:,}"), tr("拜访记录条数")),
    ]
    for stage in MILESTONE_STAGES:
        milestone = figures.milestone(stage)
        tiles.append(
            (
                milestone_name(stage),
                tr("{count} 个", count=f"{milestone.count:,}"),
                tr("合同投资额 {amount}", amount=wan_text(milestone.amount)),
            )
        )
    return Figures(tuple(tiles))


def milestone_table(
    projects: Sequence[MilestoneProject], *, sheet: str, with_squad: bool, empty_text: str
) -> Table:
    """One line per project and milestone reached in the range."""
    columns = [
        Column(tr("类别"), width=0.95),
        Column(tr("到达日期"), ColumnKind.DATE, width=1.3),
        Column(tr("项目名称"), width=2.1),
        Column(tr("企业"), width=2.0),
        Column(tr("合同投资额（万元）"), ColumnKind.WAN, width=1.3),
    ]
    if with_squad:
        columns.append(Column(tr("小分队"), width=1.3))
    columns.append(Column(tr("包抓责任人"), width=1.2))
    rows: list[tuple[Cell, ...]] = []
    for row in projects:
        cells: list[Cell] = [
            milestone_name(row.stage),
            row.changed_on,
            row.project_name,
            row.enterprise_name,
            wan(row.contract_amount),
        ]
        if with_squad:
            cells.append(row.squad_name)
        cells.append(row.responsible_name)
        rows.append(tuple(cells))
    return Table(sheet=sheet, columns=tuple(columns), rows=tuple(rows), empty_text=empty_text)


def work_table(
    lines: Sequence[PeriodFigures],
    total: PeriodFigures,
    *,
    sheet: str,
    ranks: Sequence[int | None] | None = None,
) -> Table:
    """Per squad: 外出招商天数, 拜访企业个数, 拜访次数, 新签约 count and amount; a total line
    with the bureau's own figures."""
    columns = (
        *_lead_columns(ranks),
        Column(tr("外出招商天数"), ColumnKind.COUNT, width=1.1),
        Column(tr("拜访企业个数"), ColumnKind.COUNT, width=1.1),
        Column(tr("拜访次数"), ColumnKind.COUNT),
        Column(tr("新签约"), ColumnKind.COUNT, width=0.8),
        Column(_amount_header(ProjectStage.SIGNED), ColumnKind.WAN, width=1.5),
    )

    def cells(figures: PeriodFigures) -> tuple[Cell, ...]:
        signed = figures.milestone(ProjectStage.SIGNED)
        return (
            figures.trip_days,
            figures.enterprises_visited,
            figures.visit_count,
            signed.count,
            wan(signed.amount),
        )

    return _squad_table(sheet, columns, lines, total, ranks, cells)


def progress_table(
    lines: Sequence[PeriodFigures],
    total: PeriodFigures,
    *,
    sheet: str,
    ranks: Sequence[int | None] | None = None,
) -> Table:
    """Per squad: 新开工 / 新竣工 / 新投产, each count and amount; a total line."""
    columns: list[Column] = list(_lead_columns(ranks))
    for stage in MILESTONE_STAGES[1:]:
        columns.append(Column(milestone_name(stage), ColumnKind.COUNT, width=0.8))
        columns.append(Column(_amount_header(stage), ColumnKind.WAN, width=1.5))

    def cells(figures: PeriodFigures) -> tuple[Cell, ...]:
        values: list[Cell] = []
        for stage in MILESTONE_STAGES[1:]:
            milestone = figures.milestone(stage)
            values.extend((milestone.count, wan(milestone.amount)))
        return tuple(values)

    return _squad_table(sheet, tuple(columns), lines, total, ranks, cells)


def _amount_header(stage: ProjectStage) -> str:
    headers = {
        ProjectStage.SIGNED: tr("签约金额（万元）"),
        ProjectStage.STARTED: tr("开工金额（万元）"),
        ProjectStage.COMPLETED: tr("竣工金额（万元）"),
        ProjectStage.PRODUCING: tr("投产金额（万元）"),
    }
    return headers[stage]


def _lead_columns(ranks: Sequence[int | None] | None) -> tuple[Column, ...]:
    squad = Column(tr("小分队"), width=SQUAD_COLUMN_WIDTH)
    if ranks is None:
        return (squad,)
    return (Column(tr("名次"), ColumnKind.COUNT, width=RANK_COLUMN_WIDTH), squad)


def _squad_table(
    sheet: str,
    columns: tuple[Column, ...],
    lines: Sequence[PeriodFigures],
    total: PeriodFigures,
    ranks: Sequence[int | None] | None,
    cells: Callable[[PeriodFigures], tuple[Cell, ...]],
) -> Table:
    def lead(figures: PeriodFigures, index: int) -> tuple[Cell, ...]:
        if ranks is None:
            return (figures.squad_name,)
        return (ranks[index], figures.squad_name)

    rows = tuple((*lead(figures, index), *cells(figures)) for index, figures in enumerate(lines))
    total_lead: tuple[Cell, ...] = (tr("合计"),) if ranks is None else (None, tr("合计"))
    return Table(
        sheet=sheet,
        columns=columns,
        rows=rows,
        empty_text=tr("（没有小分队）"),
        total=(*total_lead, *cells(total)),
    )


def definition_items(definitions: Sequence[FigureDefinition]) -> list[tuple[str, str]]:
    """(name, definition) of every figure, the scope rule last."""
    return [(definition.name, definition.definition) for definition in definitions]
