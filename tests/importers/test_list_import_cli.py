"""``squaddesk-cli import FILE.xlsx|csv``: summary, rejected rows, exit codes, nothing half-done."""

from __future__ import annotations

from pathlib import Path

import list_sheets
import pytest
from list_sheets import EXISTING, EXISTING_USCC, USCC_A, bad_check_digit, write_xlsx
from openpyxl import load_workbook
from sqlalchemy import func, select

from app import cli
from app.database.tables import EnterpriseRow
from app.services.workspace import Workspace

workspace = list_sheets.workspace  # the library the CLI imports into (its data dir)


def _list(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "名单.xlsx",
        [
            ["企业名称", "统一社会信用代码", "法定代表人"],
            ["苏州新锂能源科技有限公司", USCC_A, "张伟"],
            ["某重复企业有限公司", EXISTING_USCC, "赵六"],
            ["坏码有限公司", bad_check_digit(USCC_A), ""],
        ],
    )


def _enterprises(workspace: Workspace) -> int:
    with workspace.database.read() as session:
        return session.scalar(select(func.count()).select_from(EnterpriseRow)) or 0


def test_import_prints_one_summary_line_and_the_rejected_rows(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "未导入.xlsx"
    code = cli.main(
        ["import", str(_list(tmp_path)), "--data-dir", str(workspace.data_dir),
         "--rejected-out", str(out)]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0
    assert "已导入企业名单“名单.xlsx”：新增 1 家，更新 0 家，跳过重复 1 家，未导入 1 行" in (
        captured.out
    )
    assert "第 4 行：统一社会信用代码：" in captured.err
    assert f"未导入的行及原因已写入“{out}”" in captured.out
    sheet = load_workbook(out).active
    assert sheet is not None and sheet["A2"].value == 4
    assert _enterprises(workspace) == 2


def test_on_duplicate_update_changes_the_existing_enterprise(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(
        ["import", str(_list(tmp_path)), "--on-duplicate", "update",
         "--data-dir", str(workspace.data_dir)]
    )  # fmt: skip
    assert code == 0
    assert "更新 1 家" in capsys.readouterr().out
    with workspace.database.read() as session:
        row = session.get(EnterpriseRow, EXISTING)
        assert row is not None and row.legal_representative == "赵六"


def test_a_file_without_a_name_column_fails_in_one_line(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "表.xlsx", [["编号", "金额"], [1, 2]])
    code = cli.main(["import", str(path), "--data-dir", str(workspace.data_dir)])
    captured = capsys.readouterr()
    assert code != 0
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "找不到企业名称列" in captured.err
    assert _enterprises(workspace) == 1


def test_no_database_is_made_for_a_refused_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "表.xlsx", [["编号"], [1]])
    data_dir = tmp_path / "new"
    assert cli.main(["import", str(path), "--data-dir", str(data_dir)]) != 0
    assert "找不到企业名称列" in capsys.readouterr().err
    assert not (data_dir / "squaddesk.db").exists()


def test_an_old_xls_file_is_refused_with_advice(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "名单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    assert cli.main(["import", str(path), "--data-dir", str(workspace.data_dir)]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "另存为" in err and ".xlsx" in err


def test_a_csv_list_imports_into_a_new_data_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(f"企业名称,统一社会信用代码\n甲科技有限公司,{USCC_A}\n".encode("gbk"))
    code = cli.main(["import", str(path), "--data-dir", str(tmp_path / "d")])
    assert code == 0
    assert "新增 1 家" in capsys.readouterr().out
