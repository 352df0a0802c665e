"""一月一调度 on hand-built data: the overdue lists as ``OverdueService`` gives them for the
month's last day (or today while the month runs), with cadres, days and next actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.period import Period
from app.reports.dispatch_report import build_dispatch_report
from app.reports.pdf import render_pdf
from app.services.bureau_settings import BureauSettingsService
from app.services.overdue import OverdueService
from app.services.overdue_views import OverdueFilter
from app.services.workspace import Workspace

from .period_fixtures import NOW, SQUAD_A, d, open_period_workspace, pdf_text

NOVEMBER = Period.month(2026, 11)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_period_workspace(tmp_path / "data")
    yield workspace
    workspace.database.dispose()


def table(document: object, sheet: str) -> list[tuple[object, ...]]:
    tables = {t.sheet: t for t in document.tables()}  # type: ignore[attr-defined]
    return list(tables[sheet].rows)


def test_the_lists_match_the_overdue_service_at_the_month_end(
    workspace: Workspace, tmp_path: Path
) -> None:
    document = build_dispatch_report(workspace, NOVEMBER, None, NOW)  # made on 12-05
    board = OverdueService(workspace, lambda: d(11, 30)).board()
    assert [(r.project_name, r.cadre_name, r.overdue_days) for r in board.not_started] == [
        ("双未项目", "赵强", (d(11, 30) - d(6, 1)).days),  # signed 03-01, due 06-01
        ("迟迟未开工", "李明", (d(11, 30) - d(10, 1)).days),  # signed 07-01, due 10-01
    ]
    assert [(row[0], row[3], row[6]) for row in table(document, "签约3个月未开工")] == [
        (r.project_name, r.cadre_name, r.overdue_days) for r in board.not_started
    ]
    assert [(row[0], row[4]) for row in table(document, "三未项目")] == [
        ("双未项目", "未履约、未开工"),
        ("迟迟未开工", "未开工"),
    ]
    assert (
        [(row[0], row[4], row[6]) for row in table(document, "承诺逾期")]
        == [(r.title, r.cadre_name, r.overdue_days) for r in board.commitments]
        == [("协调用地指标", "王芳", 20)]
    )
    assert (
        [(row[0], row[4], row[6]) for row in table(document, "诉求超期")]
        == [(r.title, r.cadre_name, r.overdue_days) for r in board.problems]
        == [("用电增容", "赵强", 15)]
    )
    text = pdf_text(render_pdf(document, tmp_path / "dispatch.pdf"))
    for expected in (
        "一月一调度",
        "全局·2026年11月（2026-11-01至2026-11-30）·督办清单截至2026-11-30",
        "编号：DD-2026-11",
        "签约3个月未开工2项最长逾期182天",
        # project, enterprise, squad, cadre, signing date, stage, days, next action
        "双未项目乙装备有限公司装备小分队赵强2026-03-01签约182—",
        "迟迟未开工甲材料有限公司新材料小分队李明2026-07-01签约60催办开工手续（李明，2026-12-05前）",
        "双未项目乙装备有限公司装备小分队赵强未履约、未开工签约182",
        "协调用地指标甲材料有限公司迟迟未开工新材料小分队王芳2026-11-1020催办开工手续",
        "用电增容乙装备有限公司—装备小分队赵强2026-11-1515回访乙装备（赵强，2026-12-08前）",
        "签约满3个月",
        "未建成投产：开工满24个月仍未投产",
    ):
        assert expected in text, expected
    for absent in ("已兑现的承诺", "下月到期的承诺", "智能装备园", "暂缓恢复项目"):
        assert absent not in text, absent


def test_the_per_cadre_table_counts_each_list(workspace: Workspace, tmp_path: Path) -> None:
    document = build_dispatch_report(workspace, NOVEMBER, None, NOW)
    rows = {row[0]: row[2:] for row in table(document, "按责任人汇总")}
    # not started, 三未, commitments, problems, total, longest
    assert rows == {
        "赵强": (1, 1, 0, 1, 2, 182),
        "李明": (1, 1, 0, 0, 1, 60),
        "王芳": (0, 0, 1, 0, 1, 20),
    }
    (cadres,) = (t for t in document.tables() if t.sheet == "按责任人汇总")
    assert cadres.total == ("合计", None, 2, 2, 1, 1, 4, 182)


def test_a_month_not_over_is_counted_to_today(workspace: Workspace, tmp_path: Path) -> None:
    today = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
    document = build_dispatch_report(workspace, NOVEMBER, None, today)
    board = OverdueService(workspace, lambda: d(11, 20)).board()
    assert [(r.title, r.overdue_days) for r in board.commitments + board.problems] == [
        ("协调用地指标", 10),
        ("用电增容", 5),
    ]
    assert [(row[0], row[6]) for row in table(document, "承诺逾期")] == [("协调用地指标", 10)]
    assert [(row[0], row[6]) for row in table(document, "诉求超期")] == [("用电增容", 5)]
    assert "督办清单截至 2026-11-20" in document.subtitle


def test_one_squad_sees_its_own_items_and_the_bureau_months(
    workspace: Workspace, tmp_path: Path
) -> None:
    settings = BureauSettingsService(workspace)
    settings.save(replace(settings.rules(), not_started_months=4))
    document = build_dispatch_report(workspace, NOVEMBER, SQUAD_A, NOW)
    board = OverdueService(workspace, lambda: d(11, 30)).board(OverdueFilter(squad_id=SQUAD_A))
    assert [r.project_name for r in board.not_started] == ["迟迟未开工"]  # 07-01 + 4 months
    assert [row[0] for row in table(document, "签约4个月未开工")] == ["迟迟未开工"]
    assert table(document, "诉求超期") == []  # 用电增容 is squad B's enterprise's
    text = pdf_text(render_pdf(document, tmp_path / "squad.pdf"))
    assert "新材料小分队·2026年11月" in text
    assert "编号：DD-2026-11-新材料小分队" in text
    assert "三、签约4个月未开工" in text
    assert "签约满4个月" in text
    assert "双未项目" not in text and "用电增容" not in text
    # the month's figures for squad A: 3 days + 4 of the trip into December; 暂缓恢复项目 was
    # first signed in October
    assert "外出招商天数7天外出行程2次" in text
    assert "新签约3个合同投资额6,500.00万元" in text
