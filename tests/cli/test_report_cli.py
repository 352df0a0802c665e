"""``squaddesk-cli report …`` as a user runs it: the PDF (or workbook) is written and says what
the database holds; bad input is one line on stderr, a non-zero exit, and no file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from test_cli import VISIT, assert_one_line_failure, run_cli, small_export

from app import cli

SQUAD_NAME = "新材料招商小分队"
ENTERPRISE_NAME = "兰州金川新材料有限责任公司"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report-cli")
    (root / "small.json").write_text(json.dumps(small_export(), ensure_ascii=False), "utf-8")
    assert cli.main(["import", str(root / "small.json"), "--data-dir", str(root / "data")]) == 0
    return root / "data"


def pdf_text(path: Path) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(path).pages)


def test_visit_summary_is_written_with_the_visit_in_it(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "纪要" / "visit.pdf"

    status = cli.main(["report", "visit", VISIT, "--out", str(out), "--data-dir", str(data_dir)])

    assert status == 0
    assert str(out) in capsys.readouterr().out
    text = pdf_text(out)
    assert "拜访纪要" in text
    assert ENTERPRISE_NAME in text
    assert "2026-11-03" in text
    assert "用地120亩" in text


def test_weekly_report_for_a_named_squad(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "weekly.pdf"

    week = ["--week", "2026-W45", "--squad", SQUAD_NAME]
    status = cli.main(["report", "weekly", *week, "--out", str(out), "--data-dir", str(data_dir)])

    assert status == 0
    text = pdf_text(out)
    assert "一周一快报" in text
    assert SQUAD_NAME in text
    assert "2026-W45" in text
    assert "2026-11-02" in text and "2026-11-08" in text  # the ISO week's Monday and Sunday


def test_weekly_tables_go_to_a_workbook_when_out_is_xlsx(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "weekly.xlsx"

    status = cli.main(
        ["report", "weekly", "--week", "2026-W45", "--out", str(out), "--data-dir", str(data_dir)]
    )

    assert status == 0
    book = load_workbook(out)
    assert len(book.sheetnames) >= 2
    cover = book.worksheets[0]
    assert cover["B1"].value == "一周一快报"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["visit", "0190b6a0-0000-7000-8000-00000000dead"], "0190b6a0-0000-7000-8000-00000000dead"),
        (["weekly", "--week", "2026-W60"], "2026-W60"),
        (["weekly", "--week", "next week"], "next week"),
        (["weekly", "--week", "2026-W45", "--squad", "不存在的小分队"], "不存在的小分队"),
        (["dispatch", "--month", "2026-13"], "2026-13"),
        (["ranking", "--quarter", "2026-Q5"], "2026-Q5"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    data_dir: Path, tmp_path: Path, arguments: list[str], named: str
) -> None:
    out = tmp_path / "report.pdf"

    result = run_cli("report", *arguments, "--out", str(out), "--data-dir", str(data_dir))

    line = assert_one_line_failure(result)
    assert named in line
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no half-written temporary file either


def test_an_output_that_is_neither_pdf_nor_xlsx_is_refused(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "visit.docx"

    status = cli.main(["report", "visit", VISIT, "--out", str(out), "--data-dir", str(data_dir)])

    assert status == 1
    assert ".pdf" in capsys.readouterr().err
    assert not out.exists()


def test_a_data_dir_without_a_database_is_named_and_left_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()

    status = cli.main(
        ["report", "visit", VISIT, "--out", str(tmp_path / "v.pdf"), "--data-dir", str(empty)]
    )

    assert status == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert list(empty.iterdir()) == []
