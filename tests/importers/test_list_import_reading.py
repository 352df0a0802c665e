"""Reading list files: encodings, delimiters, header rows, cell forms, merged cells, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from list_sheets import USCC_A, USCC_B, full_width, write_xlsx

from app.domain.errors import ImportProblem, ValidationError
from app.domain.money import Money
from app.importers.cells import field_value
from app.importers.columns import ColumnMapping, header_key
from app.importers.enterprise_rows import read_rows, reason_of
from app.importers.sheets import read_sheet

TODAY = dt.date(2026, 11, 25)


def test_a_gbk_csv_saved_by_chinese_excel_is_read(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    text = f"企业名称,统一社会信用代码,注册资本\r\n兰州新区化工有限公司,{USCC_A},2亿元\r\n"
    path.write_bytes(text.encode("gbk"))
    sheet = read_sheet(path)
    assert sheet.name == "GB18030"
    read = read_rows(sheet, ColumnMapping.detect(sheet.headers), TODAY)
    assert read.rows[0].fields["name"] == "兰州新区化工有限公司"
    assert read.rows[0].fields["registered_capital"] == Money.from_wan(20000)


@pytest.mark.parametrize(("delimiter", "bom"), [("\t", True), (";", False), (",", True)])
def test_utf8_csv_with_any_usual_delimiter(tmp_path: Path, delimiter: str, bom: bool) -> None:
    path = tmp_path / "list.csv"
    lines = [["Company name", "Credit code", "Founded"], ["Acme 科技有限公司", USCC_B, "2026/1/5"]]
    text = "\n".join(delimiter.join(line) for line in lines) + "\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    sheet = read_sheet(path)
    assert sheet.headers == ("Company name", "Credit code", "Founded")
    row = read_rows(sheet, ColumnMapping.detect(sheet.headers), TODAY).rows[0]
    assert row.valid, row.problems
    assert row.fields["founded_on"] == dt.date(2026, 1, 5)


def test_the_header_below_a_title_row_is_found(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "t.xlsx",
        [["某某市2026年招商引资目标企业库"], ["填报单位：投资促进局"], ["序号", "单位名称", "法人"],
         [1, "甲有限公司", "张三"]],
        merges=["A1:C1"],
    )  # fmt: skip
    sheet = read_sheet(path)
    assert sheet.header_row == 3
    assert ColumnMapping.detect(sheet.headers).fields == ("", "name", "legal_representative")
    assert [row.number for row in sheet.rows] == [4]


def test_headers_are_matched_loosely() -> None:
    assert header_key("注册资本（万元）") == "注册资本"
    assert header_key(" *企业名称： ") == "企业名称"
    mapping = ColumnMapping.detect(["Registered Capital", "USCC", "用地需求（亩）", "公司名称"])
    assert mapping.fields == ("registered_capital", "uscc", "land_mu", "name")


def test_moving_a_field_to_another_column_frees_the_first() -> None:
    mapping = ColumnMapping.detect(["企业名称", "备注"]).with_field(1, "name")
    assert mapping.fields == ("", "name")


@pytest.mark.parametrize(
    ("field", "raw", "unit", "expected"),
    [
        ("founded_on", dt.datetime(2026, 1, 5), "", dt.date(2026, 1, 5)),
        ("founded_on", "2026-01-05", "", dt.date(2026, 1, 5)),
        ("founded_on", "2026/1/5", "", dt.date(2026, 1, 5)),
        ("founded_on", "2026年1月5日", "", dt.date(2026, 1, 5)),
        ("founded_on", full_width("2026") + "年1月5日", "", dt.date(2026, 1, 5)),
        ("founded_on", 46027, "", dt.date(2026, 1, 5)),  # an Excel serial number
        ("founded_on", "2026-01-05 00:00:00", "", dt.date(2026, 1, 5)),
        ("registered_capital", "1.5亿元", "", Money.from_wan(15000)),
        ("registered_capital", "1,000万元", "", Money.from_wan(1000)),
        ("registered_capital", 3.5, "亿元", Money.from_wan(35000)),
        ("registered_capital", "5000000", "元", Money.from_wan(500)),
        ("registered_capital", "人民币800万元", "", Money.from_wan(800)),
        ("land_mu", 150.5, "", Decimal("150.5")),
        ("land_mu", "２００亩", "", Decimal("200")),
        ("workforce_need", 300.0, "", 300),
        ("uscc", full_width(USCC_A[:9]) + " " + USCC_A[9:], "", USCC_A),
        ("region_code", 320506.0, "", "320506"),
        ("region_code", "江苏省苏州市吴中区", "", "320506"),
        ("industry_code", "C3841 锂离子电池制造", "", "C3841"),
        ("name", "ＡＢＣ智能（苏州）有限公司", "", "ABC智能（苏州）有限公司"),
    ],
)
def test_cells_are_read_as_people_write_them(
    field: str, raw: object, unit: str, expected: object
) -> None:
    assert field_value(field, raw, unit=unit) == expected


def test_foreign_currency_is_refused_with_the_reason() -> None:
    with pytest.raises(ValidationError, match="不是人民币金额"):
        field_value("registered_capital", "500万美元")


def test_a_row_reports_every_problem_naming_its_columns(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [["企业名称", "成立日期", "行政区划", "注册资本"],
         ["甲有限公司", "2099-01-01", "火星", "很多"]],
    )  # fmt: skip
    sheet = read_sheet(path)
    read = read_rows(sheet, ColumnMapping.detect(sheet.headers), TODAY)
    reason = reason_of(sheet, read.rows[0])
    assert "成立日期：成立日期不能晚于今天" in reason
    assert "行政区划：" in reason and "火星" in reason
    assert "注册资本：金额“很多”不是数字" in reason


def test_old_excel_files_get_a_message_saying_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "名单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportProblem, match=r"另存为.*\.xlsx"):
        read_sheet(path)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("坏.xlsx", b"PK\x03\x04 not really", "不是可读取的 Excel 文件"),
        ("名单.docx", b"", "只能导入 .xlsx、.xlsm 或 .csv 文件"),
        ("空.csv", b"", "中没有数据"),
    ],
)
def test_unreadable_files_are_refused_with_their_name(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportProblem, match=words) as caught:
        read_sheet(path)
    assert name in str(caught.value)
