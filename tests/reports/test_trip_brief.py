"""The pre-trip brief (出访前企业简报) for one or several enterprises of the hand-built data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.domain.errors import NotFoundError, ValidationError
from app.reports.document import Heading, PageBreak
from app.reports.pdf import render_pdf
from app.reports.trip_brief import build_trip_brief

from .visit_fixtures import (
    BUREAU,
    COMMITMENT_OF_DAY,
    COMMITMENT_OF_ROUND,
    COMMITMENT_OTHER_DAY,
    E1,
    E1_NAME,
    E1_USCC,
    E2,
    E2_NAME,
    E_GONE,
    NOW,
    PROBLEM_OF_DAY,
    PROBLEM_OTHER_DAY,
    SQUAD,
    TASKS,
    open_visit_workspace,
    page_texts,
    squeeze,
)


def test_brief_for_two_enterprises_prints_what_is_still_open(tmp_path: Path) -> None:
    workspace = open_visit_workspace(tmp_path / "data")
    document = build_trip_brief(workspace, [E2, E1, E2], NOW)
    assert document.title == "出访前企业简报"
    assert document.number == "JB-20261128-2家"
    assert document.issuer == f"{BUREAU} · {SQUAD}"
    assert document.file_stem == f"出访前简报-{E2_NAME}等2家-2026-11-28"
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert [h for h in headings if h.endswith("公司")] == [f"1. {E2_NAME}", f"2. {E1_NAME}"]
    overview = document.tables()[0]
    assert overview.sheet == "出访企业一览"
    assert [row[1] for row in overview.rows] == [E2_NAME, E1_NAME]
    assert [row[4:7] for row in overview.rows] == [(1, 1, 1), (3, 2, 2)]

    pages = page_texts(render_pdf(document, tmp_path / "brief.pdf"))
    text = squeeze("".join(pages))
    assert text.count("（一）基本情况") == 2  # the repeated id is printed once
    expected = [E1_NAME, E2_NAME, E1_USCC, "专精特新“小巨人”", "新能源汽车产业链·电池回收"]
    expected += ["120亩", "800人", "日用水800吨", "双回路110kV", "经开区，靠近高速出入口"]
    expected += ["拟在江淮新建年产10GWh动力电池生产基地", "陈志远董事长13900001111主要联系人"]
    expected += ["孙国栋总经理0551-6600123"]
    expected += [f"{COMMITMENT_OTHER_DAY}李明2026-11-01已逾期", COMMITMENT_OF_DAY]
    expected += [COMMITMENT_OF_ROUND, "落实研发补助王芳2026-12-20待兑现"]
    expected += [f"{PROBLEM_OTHER_DAY}王芳2026-11-20已超期", PROBLEM_OF_DAY, "物流通道协调"]
    expected += [f"{title}{owner}{due.isoformat()}" for title, owner, due in TASKS]
    expected += ["准备考察接待方案赵强2026-12-01", "智能装备扩产项目在谈—32,000.00"]
    expected += [
        "2026-11-26星辰动力合肥总部三楼会议室李明、王芳",
        "成果：企业同意年内来江淮实地考察",
    ]
    expected += ["2026-10-09旧址李明初次接触成果：建立联系"]
    missing = [item for item in expected if squeeze(item) not in text]
    assert missing == []
    for closed in ("已兑现的承诺", "已办结的诉求", "已完成的任务", "已删除的任务"):
        assert closed not in text
    for index, page in enumerate(pages, start=1):
        assert f"第{index}页共{len(pages)}页" in squeeze(page)


def test_the_first_enterprise_follows_the_overview_and_the_next_starts_a_page(
    tmp_path: Path,
) -> None:
    document = build_trip_brief(open_visit_workspace(tmp_path), [E1, E2], NOW)
    blocks = list(document.blocks)
    starts = [i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text[0].isdigit()]
    assert len(starts) == 2
    assert not isinstance(blocks[starts[0] - 1], PageBreak)  # no page of the overview alone
    assert isinstance(blocks[starts[1] - 1], PageBreak)


def test_brief_for_one_enterprise_has_no_overview(tmp_path: Path) -> None:
    document = build_trip_brief(open_visit_workspace(tmp_path), [E1], NOW)
    assert document.number == "JB-20261128-1家"
    assert document.file_stem == f"出访前简报-{E1_NAME}-2026-11-28"
    assert document.subtitle == f"{E1_NAME} · 2026-11-28"
    assert not any(isinstance(block, PageBreak) for block in document.blocks)
    assert document.blocks[0] == Heading(E1_NAME)
    assert "出访企业一览" not in [table.sheet for table in document.tables()]


def test_recent_visits_leave_out_deleted_ones(tmp_path: Path) -> None:
    document = build_trip_brief(open_visit_workspace(tmp_path), [E1], NOW)
    visits = next(table for table in document.tables() if table.sheet == "近期拜访")
    assert [row[0] for row in visits.rows] == [dt.date(2026, 11, 26), dt.date(2026, 10, 9)]


def test_an_unknown_enterprise_is_named(tmp_path: Path) -> None:
    workspace = open_visit_workspace(tmp_path)
    with pytest.raises(NotFoundError, match="nobody-here"):
        build_trip_brief(workspace, [E1, "nobody-here"], NOW)
    with pytest.raises(NotFoundError, match=E_GONE):
        build_trip_brief(workspace, [E_GONE], NOW)


def test_a_brief_needs_at_least_one_enterprise(tmp_path: Path) -> None:
    workspace = open_visit_workspace(tmp_path)
    with pytest.raises(ValidationError, match="至少选择一家企业"):
        build_trip_brief(workspace, [], NOW)
    with pytest.raises(ValidationError):
        build_trip_brief(workspace, ["", "  "], NOW)
