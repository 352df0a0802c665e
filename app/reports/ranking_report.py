"""一季一评比: every squad ranked on the quarter's figures, with its KPI rates and charts.

Figures are those of ``app.services.period_figures`` over the quarter; the rates are the KPI
dashboard's (``KpiService.dashboard``) for each squad and the bureau, by the bureau's formulas.

Ranking rule (``RANKING_RULE``): by 新签约 contract amount, then 新签约 count, then enterprises
visited, each largest first; squads equal on all three share a rank (1, 2, 2, 4). Records of no
squad are listed after the ranked squads, without a rank, so the total line adds up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.domain.bureau_rules import BureauRules, KpiKey
from app.domain.period import Period
from app.domain.vocabulary import ProjectStage
from app.i18n import tr
from app.reports.common import file_stem, issuer_line
from app.reports.document import (
    Block,
    Cell,
    Chart,
    ChartKind,
    Column,
    ColumnKind,
    Heading,
    Notes,
    ReportDocument,
    Series,
    Table,
    Text,
)
from app.reports.period_blocks import (
    RANK_COLUMN_WIDTH,
    SQUAD_COLUMN_WIDTH,
    definition_items,
    figure_tiles,
    progress_table,
    rate_cell,
    scope_name,
    work_table,
)
from app.services.bureau_settings import load_rules
from app.services.figure_definitions import figure_definitions, period_words
from app.services.kpi import MILESTONES, KpiService, milestone_name, scope_note
from app.services.kpi_views import KpiDashboard
from app.services.lookups import squad_options
from app.services.period_figures import read_activity, squad_figures
from app.services.project_facts_cache import SplitFactsSource
from app.services.weekly_figures_views import PeriodFigures
from app.services.workspace import Workspace


def ranking_key(figures: PeriodFigures) -> tuple[int, int, int]:
    """Larger is better: 新签约 amount (fen), 新签约 count, enterprises visited."""
    signed = figures.milestone(ProjectStage.SIGNED)
    return signed.amount.fen, signed.count, figures.enterprises_visited


def rank(squads: Sequence[PeriodFigures]) -> list[tuple[int, PeriodFigures]]:
    """(rank, figures) best first; equal keys share a rank and the next rank skips (1, 2, 2, 4);
    ties are listed by squad name."""
    ordered = sorted(squads, key=lambda f: (tuple(-v for v in ranking_key(f)), f.squad_name))
    ranked: list[tuple[int, PeriodFigures]] = []
    for index, figures in enumerate(ordered):
        if ranked and ranking_key(ranked[-1][1]) == ranking_key(figures):
            ranked.append((ranked[-1][0], figures))
        else:
            ranked.append((index + 1, figures))
    return ranked


def build_ranking_report(workspace: Workspace, quarter: Period, now: dt.datetime) -> ReportDocument:
    """一季一评比 of ``quarter`` for the whole bureau."""
    with workspace.database.read() as session:
        rules = load_rules(session)
        squads = squad_options(session)
        activity = read_activity(session, quarter.start, quarter.end)
    kpi = KpiService(workspace, facts=SplitFactsSource(workspace.database))
    bureau_kpi = kpi.dashboard(quarter, None, trend_length=1)
    squad_kpi = {squad.id: kpi.dashboard(quarter, squad.id, trend_length=1) for squad in squads}
    figures = activity.figures()
    split = squad_figures(activity, squads)
    ranked = rank([line for line in split if line.squad_id is not None])
    lines = [line for _rank, line in ranked] + [line for line in split if line.squad_id is None]
    ranks: list[int | None] = [place for place, _line in ranked]
    ranks += [None] * (len(lines) - len(ranks))
    blocks: list[Block] = [
        Heading(tr("一、全局数据")),
        figure_tiles(figures),
        Heading(tr("二、小分队排名")),
        Text(ranking_rule(), muted=True),
        work_table(lines, figures, sheet=tr("排名-工作量与签约"), ranks=ranks),
        progress_table(lines, figures, sheet=tr("排名-项目进展"), ranks=ranks),
        Heading(tr("三、KPI 指标")),
        _kpi_table(ranked, squad_kpi, bureau_kpi),
    ]
    if ranked:
        blocks += [Heading(tr("四、图表")), *_charts(ranked, squad_kpi)]
    blocks.append(Notes(tr("口径说明"), tuple(_notes(rules, quarter))))
    quarter_number = (quarter.start.month - 1) // 3 + 1
    return ReportDocument(
        title=tr("一季一评比"),
        subtitle=tr(
            "{scope} · {quarter}（{first} 至 {last}）",
            scope=scope_name(""),
            quarter=quarter.label,
            first=quarter.start.isoformat(),
            last=quarter.end.isoformat(),
        ),
        number=f"PB-{quarter.start.year}-Q{quarter_number}",
        generated_at=now,
        issuer=issuer_line(rules.bureau_name),
        file_stem=file_stem(tr("一季一评比"), f"{quarter.start.year}-Q{quarter_number}"),
        blocks=tuple(blocks),
    )


def _kpi_table(
    ranked: Sequence[tuple[int, PeriodFigures]],
    squad_kpi: dict[str, KpiDashboard],
    bureau_kpi: KpiDashboard,
) -> Table:
    columns = (
        Column(tr("名次"), ColumnKind.COUNT, width=RANK_COLUMN_WIDTH),
        Column(tr("小分队"), width=SQUAD_COLUMN_WIDTH),
        *(Column(key.label, ColumnKind.PERCENT) for key in KpiKey),
    )

    def rates(dashboard: KpiDashboard) -> tuple[Cell, ...]:
        return tuple(rate_cell(dashboard.figure(key).rate) for key in KpiKey)

    rows = tuple(
        (place, line.squad_name, *rates(squad_kpi[line.squad_id]))
        for place, line in ranked
        if line.squad_id is not None
    )
    return Table(
        sheet=tr("KPI 指标"),
        columns=columns,
        rows=rows,
        empty_text=tr("（没有小分队）"),
        total=(None, tr("全局"), *rates(bureau_kpi)),
    )


def _charts(
    ranked: Sequence[tuple[int, PeriodFigures]], squad_kpi: dict[str, KpiDashboard]
) -> list[Chart]:
    names = tuple(line.squad_name for _place, line in ranked)
    amounts = tuple(
        float(line.milestone(ProjectStage.SIGNED).amount.wan) for _place, line in ranked
    )
    counts = tuple(
        Series(
            milestone_name(stage),
            tuple(float(line.milestone(stage).count) for _place, line in ranked),
        )
        for stage in MILESTONES
    )
    fulfilment = [
        (line.squad_name, float(rate))
        for _place, line in ranked
        if line.squad_id is not None
        and (rate := squad_kpi[line.squad_id].figure(KpiKey.FULFILMENT).rate) is not None
    ]
    charts = [
        Chart(
            tr("新签约合同投资额（万元），按名次"),
            ChartKind.HBAR,
            names,
            (Series(tr("新签约金额"), amounts),),
        ),
        Chart(tr("各小分队项目个数"), ChartKind.BAR, names, counts),
    ]
    if fulfilment:
        charts.append(
            Chart(
                tr("{name}（没有签约项目、无法计算的小分队不列）", name=KpiKey.FULFILMENT.label),
                ChartKind.HBAR,
                tuple(name for name, _rate in fulfilment),
                (Series(KpiKey.FULFILMENT.label, tuple(rate for _name, rate in fulfilment)),),
                percent=True,
            )
        )
    return charts


def _formula_text(rules: BureauRules, key: KpiKey) -> str:
    """The formula as the dashboard states it, without repeating the rate's name."""
    return rules.formula(key).describe().removeprefix(f"{key.label} = ")


def ranking_rule() -> str:
    return tr(
        "排名规则：按本季度新签约合同投资额从高到低；相同的，按新签约项目个数；仍相同的，按拜访"
        "企业个数。三项都相同的小分队名次并列，其后的名次顺延（如 1、2、2、4）。"
    )


def _notes(rules: BureauRules, quarter: Period) -> list[tuple[str, str]]:
    items = [(tr("排名"), ranking_rule())]
    items += definition_items(figure_definitions(period_words(quarter)))
    items += [(key.label, _formula_text(rules, key)) for key in KpiKey]
    items += [
        (tr("KPI 口径"), scope_note()),
        (
            tr("合计"),
            tr(
                "“合计”“全局”行为全局数字（含不属于任何小分队的记录，列为“（未归属小分队）”，"
                "不参加排名）；拜访企业个数按全局去重，可能小于各行之和。KPI 指标为各小分队"
                "及全局按同一口径分别计算，不是各行之和。"
            ),
        ),
    ]
    return items
