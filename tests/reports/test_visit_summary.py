"""The 拜访纪要 of a hand-built visit: what it prints, on how many pages, in which font."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import cast

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from app.database.tables import VisitRow
from app.domain.errors import NotFoundError
from app.reports.document import Fields, Heading, Notes, Photos, Text
from app.reports.pdf import render_pdf
from app.reports.visit_summary import build_visit_summary
from app.services.workspace import Workspace

from .visit_fixtures import (
    BUREAU,
    COMMITMENT_OF_DAY,
    COMMITMENT_OF_ROUND,
    COMMITMENT_OTHER_DAY,
    E1_NAME,
    E1_USCC,
    MISSING_PHOTO,
    NOW,
    OUR_PEOPLE,
    PHOTO_CAPTION,
    PROBLEM_OF_DAY,
    PROBLEM_OTHER_DAY,
    SQUAD,
    TASKS,
    THEIR_PEOPLE,
    V1,
    V_GONE,
    open_visit_workspace,
    page_texts,
    squeeze,
)

COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
    "都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重"
    "新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已"
    "通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将"
    "组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热"
    "领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带"
    "安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步"
)
"""Common characters (all in the shipped font) for a long, varied discussion."""


def _render(workspace: Workspace, tmp_path: Path, visit_id: str = V1) -> tuple[list[str], str]:
    document = build_visit_summary(workspace, visit_id, NOW)
    pdf = render_pdf(document, tmp_path / f"{document.file_stem}.pdf")
    return page_texts(pdf), document.number


def _bodies(pages: list[str]) -> str:
    """The pages' texts joined, line breaks dropped and each page's footer (and running title)
    cut off: the footer is stamped after the page's content, so it ends each page's text."""
    return "".join(text[: text.rindex("编号：")].replace("\n", "") for text in pages)


def test_summary_prints_the_visit_as_recorded(tmp_path: Path) -> None:
    workspace = open_visit_workspace(tmp_path / "data")
    document = build_visit_summary(workspace, V1, NOW)
    assert document.title == "拜访纪要"
    assert document.number == "BF-20261126-8F3A2C"
    assert document.subtitle == f"{E1_NAME} · 2026-11-26"
    assert document.issuer == f"{BUREAU} · {SQUAD}"
    assert document.file_stem == f"拜访纪要-{E1_NAME}-2026-11-26"

    pages, number = _render(workspace, tmp_path)
    text = squeeze("".join(pages))
    expected = [E1_NAME, E1_USCC, "2026-11-26", "3841锂离子电池制造", "5000万元"]
    expected += ["新能源汽车产业链·动力电池", "新能源汽车产业链·电池回收", "专精特新“小巨人”"]
    expected += ["赴合肥招商（2026-11-25至2026-11-27）", "星辰动力合肥总部三楼会议室"]
    expected += [f"{name}（{title}）" for name, title in OUR_PEOPLE + THEIR_PEOPLE]
    expected += ["希望提供120亩工业用地", "按园区政策给予厂房租金三年减半", PROBLEM_OF_DAY]
    expected += [COMMITMENT_OF_ROUND, COMMITMENT_OF_DAY, "企业同意年内来江淮实地考察"]
    expected += [f"{title}{owner}{due.isoformat()}待办" for title, owner, due in TASKS]
    expected += [PHOTO_CAPTION, f"{MISSING_PHOTO}（照片尚未同步到本机）", "分队长审核"]
    missing = [item for item in expected if squeeze(item) not in text]
    assert missing == []
    for absent in (COMMITMENT_OTHER_DAY, PROBLEM_OTHER_DAY, "已删除的任务", "另一次拜访的照片"):
        assert absent not in text
    assert len(pages) == 2
    for index, page in enumerate(pages, start=1):
        assert f"第{index}页共2页" in squeeze(page)
        assert f"编号：{number}" in squeeze(page)


def test_the_same_visit_prints_the_same_number(tmp_path: Path) -> None:
    workspace = open_visit_workspace(tmp_path)
    first = build_visit_summary(workspace, V1, NOW)
    later = build_visit_summary(workspace, V1, NOW.replace(year=2027))
    assert first.number == later.number == "BF-20261126-8F3A2C"


def test_asks_and_commitments_are_those_of_the_visit_day(tmp_path: Path) -> None:
    """Rounds held that day give the asks and offers; the day's rounds and the day's own entries
    give the commitments; problems raised that day are listed; the rule is printed in the notes."""
    document = build_visit_summary(open_visit_workspace(tmp_path), V1, NOW)
    tables = {table.sheet: table for table in document.tables()}
    assert [row[0] for row in tables["承诺事项"].rows] == [COMMITMENT_OF_DAY, COMMITMENT_OF_ROUND]
    assert [row[1] for row in tables["承诺事项"].rows] == ["王芳", "李明"]
    assert [row[0] for row in tables["企业诉求"].rows] == [PROBLEM_OF_DAY]
    asks = [
        pair
        for block in document.blocks
        if isinstance(block, Fields)
        for pair in block.pairs
        if pair[0] in {"对方诉求", "我方回应", "主要分歧"}
    ]
    assert asks == [
        ("对方诉求", "希望提供 120 亩工业用地"),
        ("我方回应", "按园区政策给予厂房租金三年减半"),
    ]
    (notes,) = document.notes()
    assert "拜访当日（2026-11-26）" in notes.items[0][1]


def test_follow_up_tasks_show_owner_due_date_and_overdue_state(tmp_path: Path) -> None:
    workspace = open_visit_workspace(tmp_path)
    later = NOW.replace(month=12, day=8)  # the first task is past due, the second is not
    document = build_visit_summary(workspace, V1, later)
    tasks = next(table for table in document.tables() if table.sheet == "跟进任务")
    assert [(row[0], row[1], row[2], row[3]) for row in tasks.rows] == [
        (TASKS[0][0], TASKS[0][1], TASKS[0][2], "已逾期"),
        (TASKS[1][0], TASKS[1][1], TASKS[1][2], "待办"),
    ]


def test_photos_of_the_visit_point_at_the_blob_store(tmp_path: Path) -> None:
    document = build_visit_summary(open_visit_workspace(tmp_path), V1, NOW)
    (photos,) = [block for block in document.blocks if isinstance(block, Photos)]
    here, elsewhere = photos.photos
    assert here.caption == PHOTO_CAPTION
    assert here.path.is_file() and here.path.is_relative_to(tmp_path / "blobs")
    assert elsewhere.caption == f"{MISSING_PHOTO}（照片尚未同步到本机）"
    assert not elsewhere.path.exists()


def test_an_empty_section_says_none_in_one_line(tmp_path: Path) -> None:
    workspace = open_visit_workspace(tmp_path, discussion="")
    with workspace.database.write(workspace.actor()) as session:
        visit = session.get(VisitRow, V1)
        assert visit is not None
        visit.outcomes = ""
    document = build_visit_summary(workspace, V1, NOW)
    blocks = list(document.blocks)
    heading = next(i for i, b in enumerate(blocks) if b == Heading("三、洽谈内容"))
    assert blocks[heading + 1] == Text("（无）", muted=True)
    assert isinstance(blocks[heading + 2], Heading)


def test_the_cjk_font_is_embedded_as_a_subset(tmp_path: Path) -> None:
    workspace = open_visit_workspace(tmp_path / "data")
    document = build_visit_summary(workspace, V1, NOW)
    pdf = render_pdf(document, tmp_path / "summary.pdf")
    embedded = set()
    for page in PdfReader(pdf).pages:
        resources = cast(DictionaryObject, page["/Resources"].get_object())
        fonts = cast(DictionaryObject, resources["/Font"].get_object())
        for reference in fonts.values():
            font = cast(DictionaryObject, reference.get_object())
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                embedded.add(str(font["/BaseFont"]))
    assert embedded
    assert all(re.fullmatch(r"/[A-Z]{6}\+DroidSansFallback", name) for name in embedded)


def _long_discussion(length: int = 10_000, every: int = 500) -> tuple[str, list[str]]:
    """``length`` characters of varied text with a marker opening every ``every`` characters."""
    pick = random.Random(6)
    markers = [f"【第{k:02d}段】" for k in range(length // every)]
    parts: list[str] = []
    for marker in markers:
        chunk = [marker]
        size = len(marker)
        while size < every:
            char = pick.choice(COMMON) if pick.random() > 0.06 else pick.choice("，。、")
            chunk.append(char)
            size += 1
        if pick.random() < 0.3:
            chunk[-1] = "。\n\n"  # now and then a new paragraph
        parts.append("".join(chunk))
    text = "".join(parts)
    assert len(squeeze(text)) == length
    return text, markers


def test_a_10000_character_discussion_flows_across_pages_with_nothing_lost(
    tmp_path: Path,
) -> None:
    discussion, markers = _long_discussion()
    workspace = open_visit_workspace(tmp_path / "data", discussion=discussion)
    pages, _number = _render(workspace, tmp_path)
    assert len(pages) >= 5
    for index, page in enumerate(pages, start=1):
        assert f"第{index}页共{len(pages)}页" in squeeze(page)
    body = _bodies(pages)
    assert squeeze(discussion) in squeeze(body)
    for paragraph in discussion.split("\n\n"):  # nothing lost, and no gap where a page split it
        assert paragraph.replace("\n", "") in body
    positions = [body.index(marker) for marker in markers]
    assert positions == sorted(positions)
    carrying = [i for i, page in enumerate(pages) if any(m in squeeze(page) for m in markers)]
    assert len(carrying) >= 4  # the discussion really spans pages


def test_characters_outside_the_font_print_as_geta_marks(tmp_path: Path) -> None:
    discussion = "企业新建𠀀研发中心😀，预计鿏明年投产。"
    workspace = open_visit_workspace(tmp_path / "data", discussion=discussion)
    pages, _number = _render(workspace, tmp_path)
    text = squeeze("".join(pages))
    assert "企业新建〓研发中心〓，预计〓明年投产。" in text
    assert not {"𠀀", "😀", "鿏"} & set(text)
    assert E1_NAME in text and "企业同意年内来江淮实地考察" in text


def test_an_unknown_visit_is_not_found(tmp_path: Path) -> None:
    workspace = open_visit_workspace(tmp_path)
    with pytest.raises(NotFoundError, match="no-such-visit"):
        build_visit_summary(workspace, "no-such-visit", NOW)


def test_a_deleted_visit_is_not_found(tmp_path: Path) -> None:
    workspace = open_visit_workspace(tmp_path)
    with pytest.raises(NotFoundError, match=V_GONE):
        build_visit_summary(workspace, V_GONE, NOW)


def test_every_table_has_a_unique_sheet_name(tmp_path: Path) -> None:
    document = build_visit_summary(open_visit_workspace(tmp_path), V1, NOW)
    sheets = [table.sheet for table in document.tables()]
    assert len(sheets) == len(set(sheets)) and all(len(s) <= 31 for s in sheets)
    assert isinstance(document.blocks[-1], Notes)
