"""一周一快报 on hand-built data: what the PDF says, to the digit, and what the workbook holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.domain.errors import NotFoundError
from app.reports.document import Figures, Notes, Table, Text
from app.reports.pdf import render_pdf
from app.reports.weekly_report import build_weekly_report
from app.reports.xlsx import render_xlsx
from app.services.bureau_settings import BureauSettingsService
from app.services.period_figures import PeriodFiguresService
from app.services.reports import ReportService
from app.services.workspace import Workspace

from .period_fixtures import (
    BUREAU,
    NOW,
    SQUAD_A,
    W48,
    open_period_workspace,
    pdf_text,
    squeeze,
)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_period_workspace(tmp_path / "data")
    yield workspace
    workspace.database.dispose()


def test_the_squad_report_prints_every_figure_name_and_date(
    workspace: Workspace, tmp_path: Path
) -> None:
    document = build_weekly_report(workspace, W48, SQUAD_A, NOW)
    assert document.number == "ZB-2026-W48-新材料小分队"
    assert document.issuer == f"{BUREAU} · 新材料小分队"
    text = pdf_text(render_pdf(document, tmp_path / "weekly.pdf"))
    for expected in (
        BUREAU,
        "一周一快报",
        "新材料小分队·2026-W48（2026-11-23至2026-11-29）",
        "编号：ZB-2026-W48-新材料小分队",
        # tiles: 2 + 3 trip days over 2 trips; E1 twice and E2 once; 3 signed, 1 started
        "外出招商天数5天外出行程2次",
        "拜访企业个数2家",
        "拜访次数3次",
        "新签约3个合同投资额6,500.00万元",
        "新开工1个合同投资额1,200.00万元",
        "新竣工0个合同投资额0.00万元",
        "新投产0个合同投资额0.00万元",
        # the week's projects: stage, date, project, enterprise, amount, cadre
        "新签约2026-11-23当周签约开工甲材料有限公司1,200.00王芳",
        "新签约2026-11-24新材料基地甲材料有限公司5,000.00李明",
        "新签约2026-11-26导入项目甲材料有限公司300.00李明",
        "新开工2026-11-27当周签约开工甲材料有限公司1,200.00王芳",
        # highlights: largest first, leader-led trips, first visits
        "新签约：新材料基地（甲材料有限公司），合同投资额5,000.00万元，2026-11-24",
        "党政主职带队外出：赴深圳招商（2026-11-22至2026-11-24，深圳）",
        "分管领导带队外出：赴上海考察（2026-11-27至2026-12-01，上海）",
        "首次拜访企业1家：乙装备有限公司",
        # notes
        "口径说明",
        "本周（周一至周日）",
        "统计范围：",
    ):
        assert expected in text, expected
    for absent in ("暂缓恢复项目", "已删除项目", "作废行程", "智能装备园", "分小分队"):
        assert absent not in text, absent


def test_the_highlights_list_the_largest_projects_first(workspace: Workspace) -> None:
    document = build_weekly_report(workspace, W48, None, NOW)
    highlights = next(block for block in document.blocks if isinstance(block, Text)).text
    lines = highlights.split("\n\n")
    assert [line.split("：")[1].split("（")[0] for line in lines[:5]] == [
        "投产项目",  # 30,000
        "智能装备园",  # 20,000
        "新材料基地",  # 5,000
        "当周签约开工",  # 1,200 (签约 before 开工)
        "当周签约开工",
    ]
    assert lines[-1] == "· 首次拜访企业 2 家：乙装备有限公司、戊科技有限公司"


def test_the_bureau_report_has_a_line_per_squad_adding_up_to_the_total(
    workspace: Workspace, tmp_path: Path
) -> None:
    document = build_weekly_report(workspace, W48, None, NOW)
    assert (document.number, document.issuer) == ("ZB-2026-W48", BUREAU)
    bureau = PeriodFiguresService(workspace).figures(W48.first_day, W48.last_day)
    work, progress = (t for t in document.tables() if t.sheet.startswith("分小分队"))
    assert [row[0] for row in work.rows] == [
        "新材料小分队",
        "生物医药小分队",
        "空白小分队",
        "装备小分队",
        "（未归属小分队）",
    ]
    assert work.total is not None and progress.total is not None
    signed = bureau.milestones[0]
    assert work.total == ("合计", 6, 3, 5, 3, signed.amount.wan)
    assert (bureau.trip_days, bureau.enterprises_visited, bureau.visit_count) == (6, 3, 5)
    for table in (work, progress):
        assert table.total is not None
        for column in range(1, len(table.columns)):
            total = table.total[column]
            summed = sum(row[column] for row in table.rows)  # type: ignore[misc]
            if table is work and table.columns[column].header == "拜访企业个数":
                assert summed == 4 and total == 3  # E2 by two squads: counted once
            else:
                assert summed == total, table.columns[column].header
    assert progress.total == ("合计", 2, Decimal(21_200), 0, Decimal(0), 1, Decimal(30_000))
    text = pdf_text(render_pdf(document, tmp_path / "bureau.pdf"))
    assert "全局·2026-W48（2026-11-23至2026-11-29）" in text
    # the total line: days, enterprises, visits, signed, amount
    assert "合计63536,500.00小分队新开工" in text
    assert "新开工2026-11-27智能装备园乙装备有限公司20,000.00装备小分队赵强" in text
    assert "（未归属小分队）01100.00合计" in text  # E5's visit, of no squad


def test_a_friday_week_start_moves_the_report_and_its_definitions(
    workspace: Workspace, tmp_path: Path
) -> None:
    settings = BureauSettingsService(workspace)
    settings.save(replace(settings.rules(), week_start=5))
    document = ReportService(workspace, lambda: NOW).weekly(W48)  # asked as an ISO week
    text = pdf_text(render_pdf(document, tmp_path / "friday.pdf"))
    assert "全局·2026-W48（2026-11-27至2026-12-03）" in text
    assert "外出招商天数5天外出行程1次" in text
    assert "拜访次数4次" in text
    assert "新签约0个" in text
    assert "新开工2个合同投资额21,200.00万元" in text
    assert "本周（周五至下周四）" in text
    assert "如周四出发、周六返回：上周计1天，本周计2天" in text
    assert "本周（周一至周日）" not in text


def test_every_figure_has_its_definition_in_the_notes(workspace: Workspace) -> None:
    document = build_weekly_report(workspace, W48, None, NOW)
    (notes,) = document.notes()
    assert isinstance(notes, Notes)
    names = [name for name, _text in notes.items]
    tiles = next(block for block in document.blocks if isinstance(block, Figures)).tiles
    assert {name for name, _value, _detail in tiles} <= set(names)
    assert {"统计范围", "本周亮点", "分小分队"} <= set(names)


def test_the_workbook_has_chinese_headers_and_typed_numbers(
    workspace: Workspace, tmp_path: Path
) -> None:
    document = build_weekly_report(workspace, W48, None, NOW)
    book = load_workbook(render_xlsx(document, tmp_path / "weekly.xlsx"))
    projects = book["本周项目进展"]
    header = [cell.value for cell in projects[1]]
    assert header == ["类别", "到达日期", "项目名称", "企业", "合同投资额（万元）", "小分队",
                      "包抓责任人"]  # fmt: skip
    first = [cell for cell in projects[2]]
    assert first[0].value == "新签约"
    assert first[1].value == dt.datetime(2026, 11, 23) and first[1].number_format == "yyyy-mm-dd"
    assert first[4].value == 1200 and first[4].number_format == "#,##0.00"
    work = book["分小分队-工作量"]
    assert [cell.value for cell in work[1]][:4] == ["小分队", "外出招商天数", "拜访企业个数",
                                                    "拜访次数"]  # fmt: skip
    total = [cell for cell in work[work.max_row]]
    assert total[0].value == "合计"
    assert isinstance(total[1].value, int) and total[1].value == 6
    assert total[1].number_format == "#,##0"
    notes = book["口径说明"]
    assert any("跨周行程" in str(cell.value) for cell in notes["B"])


def test_an_unknown_squad_is_refused_by_name(workspace: Workspace) -> None:
    with pytest.raises(NotFoundError, match="没有这个小分队"):
        build_weekly_report(workspace, W48, "0190b6a0-0000-7000-8000-000000009999", NOW)


def test_an_empty_week_says_so(workspace: Workspace) -> None:
    document = build_weekly_report(workspace, W48.previous().previous(), SQUAD_A, NOW)
    text = squeeze("".join(block.text for block in document.blocks if isinstance(block, Text)))
    assert "本周没有到达签约、开工、竣工、投产的项目" in text
    (projects,) = (t for t in document.tables() if isinstance(t, Table))
    assert projects.rows == ()
