"""The report layer itself: font runs and the missing-glyph mark, PDF page stamps, Excel sheets
with typed cells, and files written whole or not at all."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.reports.document import (
    Column,
    ColumnKind,
    Heading,
    Notes,
    ReportDocument,
    Table,
    Text,
)
from app.reports.fonts import CJK_FONT, LATIN_FONT, MISSING, printable, runs
from app.reports.pdf import pdf_bytes, render_pdf
from app.reports.xlsx import render_xlsx

MADE = dt.datetime(2026, 11, 28, 6, 30, tzinfo=dt.UTC)


def document(*blocks: object, number: str = "ZB-2026-W48") -> ReportDocument:
    return ReportDocument(
        title="一周一快报",
        subtitle="新材料小分队 · 2026-W48",
        number=number,
        generated_at=MADE,
        issuer="兰州市投资促进局",
        file_stem="一周一快报-2026-W48",
        blocks=tuple(blocks),  # type: ignore[arg-type]
    )


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_latin_goes_to_helvetica_chinese_to_the_shipped_font_and_the_rest_to_the_mark() -> None:
    assert list(runs("用地 120 亩")) == [
        (CJK_FONT, "用地"),
        (LATIN_FONT, " 120 "),
        (CJK_FONT, "亩"),
    ]
    assert printable("企业𠀀😀名称") == f"企业{MISSING}{MISSING}名称"
    # A variation selector and a zero-width joiner print nothing; a line break survives.
    assert printable("好\ufe0f\u200d\n的") == "好\n的"


def test_every_page_is_stamped_with_its_number_the_total_and_the_document_number(
    tmp_path: Path,
) -> None:
    long_text = "\n\n".join(
        f"第{n}段：园区用地、用电和用工需求的落实情况。" * 12 for n in range(60)
    )
    path = render_pdf(document(Heading("洽谈内容"), Text(long_text)), tmp_path / "r.pdf")

    pages = PdfReader(path).pages
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        text = squeezed(page.extract_text())
        assert f"第{number}页共{len(pages)}页" in text
        assert "编号：ZB-2026-W48" in text


def test_a_table_becomes_a_sheet_with_chinese_headers_typed_cells_and_number_formats(
    tmp_path: Path,
) -> None:
    table = Table(
        sheet="本周项目",
        columns=(
            Column("项目"),
            Column("日期", ColumnKind.DATE),
            Column("个数", ColumnKind.COUNT),
            Column("合同投资额（万元）", ColumnKind.WAN),
            Column("履约率", ColumnKind.PERCENT),
        ),
        rows=(("光伏组件项目", dt.date(2026, 11, 24), 3, Decimal("12500.50"), Decimal("0.25")),),
        total=("合计", None, 3, Decimal("12500.50"), None),
    )
    notes = Notes("口径说明", (("拜访企业个数", "同一企业拜访多次只计 1 个。"),))
    path = render_xlsx(document(table, notes), tmp_path / "r.xlsx")

    book = load_workbook(path)
    assert book.sheetnames == ["报表信息", "本周项目", "口径说明"]
    sheet = book["本周项目"]
    assert [cell.value for cell in sheet[1]] == [
        "项目",
        "日期",
        "个数",
        "合同投资额（万元）",
        "履约率",
    ]
    name, day, count, amount, rate = sheet[2]
    assert name.value == "光伏组件项目"
    assert day.value == dt.datetime(2026, 11, 24) and day.number_format == "yyyy-mm-dd"
    assert count.value == 3 and count.number_format == "#,##0"
    assert amount.value == pytest.approx(12500.5) and amount.number_format == "#,##0.00"
    assert rate.value == pytest.approx(0.25) and rate.number_format == "0.0%"
    assert sheet["A3"].value == "合计" and sheet["A3"].font.bold
    assert book["口径说明"]["A2"].value == "拜访企业个数"


def test_sheet_names_are_made_valid_and_unique(tmp_path: Path) -> None:
    columns = (Column("名称"),)
    tables = [Table("逾期/未开工[清单]", columns, (("甲",),)) for _ in range(2)]
    tables.append(Table("很长的表名" * 10, columns, (("乙",),)))

    book = load_workbook(render_xlsx(document(*tables), tmp_path / "r.xlsx"))

    names = book.sheetnames[1:]
    assert names[0] == "逾期-未开工-清单-"
    assert names[1] == "逾期-未开工-清单- (2)"
    assert len(names[2]) == 31


def test_a_failed_render_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "weekly.pdf"
    target.write_bytes(b"the report printed last week")

    class Unprintable:
        pass

    with pytest.raises(TypeError):
        render_pdf(document(Text("开头"), Unprintable()), target)

    assert target.read_bytes() == b"the report printed last week"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["weekly.pdf"]


def test_the_pdf_carries_its_title_and_issuer_as_metadata() -> None:
    reader = PdfReader(io.BytesIO(pdf_bytes(document(Text("正文")))))

    assert reader.metadata is not None
    assert reader.metadata.title == "一周一快报"
    assert reader.metadata.author == "兰州市投资促进局"


def test_a_long_table_repeats_its_header_once_at_the_top_of_each_page(tmp_path: Path) -> None:
    rows = tuple((f"第{n}号项目，协调解决用地、用电和环评手续等问题", "李明", n) for n in range(80))
    table = Table(
        "清单", (Column("事项", width=4), Column("责任人"), Column("天数", ColumnKind.COUNT)), rows
    )
    path = render_pdf(document(Text("开头说明。" * 200), table), tmp_path / "r.pdf")

    pages = [squeezed(page.extract_text()) for page in PdfReader(path).pages]
    assert len(pages) > 2
    assert [text.count("责任人") for text in pages if "号项目" in text] == [1] * sum(
        "号项目" in text for text in pages
    )
    assert all(f"第{n}号项目" in "".join(pages) for n in range(80))


def test_a_table_cell_longer_than_a_page_is_printed_whole(tmp_path: Path) -> None:
    marked = "".join(f"〔{n}〕企业提出扩大用地规模并配套建设研发中心。" for n in range(220))
    table = Table(
        "记录",
        (Column("内容", width=5), Column("日期", ColumnKind.DATE)),
        ((marked, dt.date(2026, 11, 2)),),
    )

    path = render_pdf(document(table), tmp_path / "r.pdf")

    text = "".join(squeezed(page.extract_text()) for page in PdfReader(path).pages)
    assert all(f"〔{n}〕" in text for n in range(220))


def test_no_line_starts_with_a_chinese_comma_or_full_stop(tmp_path: Path) -> None:
    text = "".join(f"第{n}项工作已完成，请核对。" + "字" * (n % 7) for n in range(300))

    path = render_pdf(document(Text(text)), tmp_path / "r.pdf")

    lines = [
        line.strip()
        for page in PdfReader(path).pages
        for line in page.extract_text().splitlines()
        if line.strip()
    ]
    assert len(lines) > 40
    assert not [line for line in lines if line[0] in "，。、；："]
