"""一季一评比 on hand-built data: the squads' figures, their ranks (ties shared), the KPI rates
of the dashboard, and the charts."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.domain.bureau_rules import KpiKey
from app.domain.period import Period
from app.reports.document import Chart, ChartKind, ReportDocument
from app.reports.pdf import render_pdf
from app.reports.period_blocks import rate_cell
from app.reports.ranking_report import build_ranking_report
from app.services.kpi import KpiService
from app.services.workspace import Workspace

from .period_fixtures import BUREAU, NOW, SQUAD_NAMES, open_period_workspace, pdf_text

Q4 = Period.quarter(2026, 4)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_period_workspace(tmp_path / "data")
    yield workspace
    workspace.database.dispose()


@pytest.fixture
def document(workspace: Workspace) -> ReportDocument:
    return build_ranking_report(workspace, Q4, NOW)


def sheet(document: ReportDocument, name: str) -> tuple[list[tuple[object, ...]], object]:
    (table,) = (t for t in document.tables() if t.sheet == name)
    return list(table.rows), table.total


def test_squads_are_ranked_with_shared_places(document: ReportDocument) -> None:
    rows, total = sheet(document, "排名-工作量与签约")
    # rank, squad, trip days, enterprises, visits, 新签约 count and 万元
    assert rows == [
        (1, "新材料小分队", 8, 2, 3, 4, Decimal(7_300)),
        (2, "生物医药小分队", 0, 2, 2, 0, Decimal(0)),  # equal to 装备小分队 on all three keys
        (2, "装备小分队", 1, 2, 2, 0, Decimal(0)),
        (4, "空白小分队", 0, 0, 0, 0, Decimal(0)),
        (None, "（未归属小分队）", 0, 1, 1, 0, Decimal(0)),  # E5, not ranked
    ]
    assert total == (None, "合计", 9, 5, 8, 4, Decimal(7_300))
    progress, progress_total = sheet(document, "排名-项目进展")
    assert [row[:2] for row in progress] == [row[:2] for row in rows]
    assert progress[2] == (2, "装备小分队", 1, Decimal(20_000), 1, Decimal(30_000), 1,
                           Decimal(30_000))  # fmt: skip
    assert progress_total == (None, "合计", 2, Decimal(21_200), 1, Decimal(30_000), 1,
                              Decimal(30_000))  # fmt: skip


def test_kpi_rates_are_the_dashboards(workspace: Workspace, document: ReportDocument) -> None:
    rows, total = sheet(document, "KPI 指标")
    kpi = KpiService(workspace)
    ids = {name: key for key, name in SQUAD_NAMES.items()}
    for row in rows:
        dashboard = kpi.dashboard(Q4, ids[str(row[1])])
        assert row[2:] == tuple(rate_cell(dashboard.figure(key).rate) for key in KpiKey)
    bureau = kpi.dashboard(Q4)
    assert total == (None, "全局", *(rate_cell(bureau.figure(key).rate) for key in KpiKey))
    by_name = {row[1]: row[2:] for row in rows}
    # A signed PA1, PA3, PA4, PA7, PB1 this year: PA1 funded, PA3 started → 2 of 5 fulfilling;
    # 1,000 received of 5,000 + 1,200 + 800 + 300 + 600 万元
    assert by_name["新材料小分队"] == (Decimal("0.400"), Decimal("0.200"), Decimal("0.127"),
                                   Decimal("0.000"))  # fmt: skip
    assert by_name["生物医药小分队"] == (None, None, None, None)  # nothing signed: “—”


def test_the_charts_show_the_ranked_squads(document: ReportDocument, tmp_path: Path) -> None:
    charts = [block for block in document.blocks if isinstance(block, Chart)]
    assert [(chart.kind, chart.percent) for chart in charts] == [
        (ChartKind.HBAR, False),
        (ChartKind.BAR, False),
        (ChartKind.HBAR, True),
    ]
    amounts, counts, fulfilment = charts
    assert amounts.categories[:2] == ("新材料小分队", "生物医药小分队")
    assert amounts.series[0].values[0] == 7_300
    assert [series.name for series in counts.series] == ["新签约", "新开工", "新竣工", "新投产"]
    assert fulfilment.categories == ("新材料小分队", "装备小分队")  # the others have no rate
    assert fulfilment.series[0].values == (0.4, 0.5)
    pdf = render_pdf(document, tmp_path / "ranking.pdf")
    assert len(PdfReader(pdf).pages) >= 1
    text = pdf_text(pdf)
    for expected in (
        BUREAU,
        "一季一评比",
        "全局·2026年第4季度（2026-10-01至2026-12-31）",
        "编号：PB-2026-Q4",
        "1新材料小分队82347,300.00",
        "2装备小分队12200.00",
        "4空白小分队00000.00",
        "1新材料小分队40.0%20.0%12.7%0.0%",
        "2生物医药小分队————",
        "排名规则：按本季度新签约合同投资额从高到低",
        "本季度（2026-10-01至2026-12-31）",
        "履约率：本年度截至期末签约的项目中",
    ):
        assert expected in text, expected
