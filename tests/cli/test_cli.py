"""``squaddesk-cli`` as a user runs it: exit codes, one-line messages, data left untouched."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import cli
from app.domain.uscc import make_uscc

ROOT = Path(__file__).resolve().parents[2]
SQUAD = "0190b6a0-0000-7000-8000-0000000000c1"
LEADER = "0190b6a0-0000-7000-8000-000000000001"
ENTERPRISE = "0190b6a0-0000-7000-8000-0000000000e1"
VISIT = "0190b6a0-0000-7000-8000-0000000000a1"
STAMP = "2026-11-03T01:02:03.456789+00:00"


def _row(row_id: str, **values: object) -> dict[str, object]:
    stamps = {"created_at": STAMP, "updated_at": STAMP, "updated_by": LEADER}
    return {"id": row_id, **stamps, "row_version": 0, "deleted": False, **values}


def small_export() -> dict[str, Any]:
    """A hand-written export file, the way a backup from another laptop would arrive."""
    return {
        "format": "squaddesk-export",
        "format_version": 1,
        "schema_revision": "0002",
        "tables": {
            "squads": [_row(SQUAD, name="新材料招商小分队", region_code="620102", focus="")],
            "members": [
                _row(
                    LEADER,
                    name="李明",
                    username="liming",
                    squad_id=SQUAD,
                    role="leader",
                    title="科长",
                    phone="",
                )
            ],
            "enterprises": [
                _row(
                    ENTERPRISE,
                    name="兰州金川新材料有限责任公司",
                    name_key="兰州金川新材料有限公司",
                    uscc=make_uscc("9", "1", "620102", "MA7KX3Q2"),
                    registered_capital=500_000_000,
                    land_mu="120.50",
                    founded_on="2003-07-01",
                    intent_level="strong",
                    squad_id=SQUAD,
                    owner_id=LEADER,
                )
            ],
            "visits": [
                _row(
                    VISIT,
                    enterprise_id=ENTERPRISE,
                    squad_id=SQUAD,
                    author_id=LEADER,
                    visited_on="2026-11-03",
                    discussion="用地 120 亩",
                )
            ],
            "conflicts": [],
        },
    }


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m app.cli ...`` in a real process, as a script or a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "SQUADDESK_LANG": "zh_CN", **(env or {})},
    )


def assert_one_line_failure(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), result.stderr
    return lines[0]


def content_digest(data_dir: Path) -> str:
    """The database's rows (not its page layout), or the raw bytes if it is not a database."""
    path = data_dir / "squaddesk.db"
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def filled_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    (root / "small.json").write_text(json.dumps(small_export(), ensure_ascii=False), "utf-8")
    assert cli.main(["import", str(root / "small.json"), "--data-dir", str(root / "data")]) == 0
    return root / "data" / "squaddesk.db"


@pytest.fixture
def filled(filled_template: Path, tmp_path: Path) -> Path:
    """A data dir holding the small export, already imported."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copyfile(filled_template, data_dir / "squaddesk.db")
    return data_dir


# -- success paths (in-process) -------------------------------------------------------------


def test_export_import_export_through_the_cli_is_identical(
    filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, empty = tmp_path / "first.json", tmp_path / "second.json", tmp_path / "empty"
    assert cli.main(["--data-dir", str(filled), "export", "--out", str(first)]) == 0
    assert "已导出 4 条记录到" in capsys.readouterr().out
    assert cli.main(["import", str(first), "--data-dir", str(empty)]) == 0
    assert "已导入：新增 4 条，更新 0 条，未变 0 条" in capsys.readouterr().out
    assert cli.main(["export", "--data-dir", str(empty), "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()

    assert cli.main(["import", str(first), "--data-dir", str(empty)]) == 0
    assert "已导入：新增 0 条，更新 0 条，未变 4 条" in capsys.readouterr().out


def test_data_dir_comes_from_the_environment(
    filled: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SQUADDESK_DATA_DIR", str(filled))
    assert cli.main(["export", "--out", str(tmp_path / "out.json")]) == 0
    assert "已导出 4 条记录" in capsys.readouterr().out


def test_a_bug_is_one_line_on_the_terminal_and_a_traceback_in_the_log(
    filled: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import app.exchange.json_export as json_export

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("simulated bug\nsecond line")

    monkeypatch.setattr(json_export, "export_json", broken)
    assert cli.main(["export", "--out", str(tmp_path / "x.json"), "--data-dir", str(filled)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("内部错误：RuntimeError: simulated bug second line")
    assert len(captured.err.splitlines()) == 1 and "Traceback" not in captured.err
    log = (filled / "logs" / "cli-error.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "simulated bug" in log


def test_help_is_chinese_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "整库导出与导入" in out and "demo" in out and "import" in out


# -- bad input: real processes, so "no traceback" is checked for real -----------------------

Mutation = Callable[[dict[str, Any]], object]


def _set(table: str, field: str, value: object) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        document["tables"][table][0][field] = value

    return mutate


BAD_DOCUMENTS: dict[str, tuple[Mutation, str]] = {
    "list at top": (lambda document: [document], "顶层应为 JSON 对象"),
    "wrong format": (lambda document: {**document, "format": "excel"}, "不是 SquadDesk 导出文件"),
    "unknown table": (
        lambda document: {**document, "tables": {"outbox": []}},
        "第 1 张表 outbox 不是 SquadDesk 的数据表",
    ),
    "bad date": (_set("visits", "visited_on", "2026-13-01"), "visited_on 不是合法日期"),
    "bad enum": (_set("members", "role", "boss"), '字段 role 的值 "boss" 不在允许范围内'),
    "bad USCC": (_set("enterprises", "uscc", "91620102MA7KX3Q2X0"), "字段 uscc："),
    "dangling reference": (
        _set("visits", "trip_id", "0190b6a0-0000-7000-8000-0000000000ff"),
        "字段 trip_id 引用的 trips 记录 0190b6a0-0000-7000-8000-0000000000ff",
    ),
    "unknown column": (_set("squads", "colour", "red"), "未知字段 colour"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(BAD_DOCUMENTS))
def test_a_bad_import_file_fails_in_one_line_and_changes_nothing(
    filled: Path, tmp_path: Path, case: str
) -> None:
    mutate, words = BAD_DOCUMENTS[case]
    document = copy.deepcopy(small_export())
    document["tables"]["squads"][0]["focus"] = "不应写入"
    changed = mutate(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document if changed is None else changed), encoding="utf-8")
    before = content_digest(filled)

    line = assert_one_line_failure(run_cli("import", str(path), "--data-dir", str(filled)))

    assert words in line and str(path) in line
    assert content_digest(filled) == before


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("malformed.json", b'{"format": "squaddesk-export",\n "tables": {]}', "第 2 行第 13 列"),
        ("gbk.json", '{"名称": "数据"}'.encode("gbk"), "不是 UTF-8 编码"),
        ("list.xlsx", b"PK\x03\x04", "不是可读取的 Excel 文件"),
        ("names.csv", "名称,统一社会信用代码\n".encode(), "的表头下面没有数据"),
    ],
)
def test_an_unreadable_import_file_fails_in_one_line(
    filled: Path, tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = content_digest(filled)
    line = assert_one_line_failure(run_cli("import", str(path), "--data-dir", str(filled)))
    assert words in line
    assert content_digest(filled) == before


@pytest.mark.slow
def test_a_missing_import_file_is_named_and_no_database_is_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    line = assert_one_line_failure(
        run_cli("import", str(missing), "--data-dir", str(tmp_path / "d"))
    )
    assert "找不到导入文件" in line and str(missing) in line
    assert not (tmp_path / "d").exists()


@pytest.mark.slow
@pytest.mark.parametrize("command", ["export", "import"])
@pytest.mark.parametrize("kind", ["garbage", "foreign sqlite", "a file"])
def test_a_data_dir_that_is_not_squaddesk_is_refused_untouched(
    tmp_path: Path, kind: str, command: str
) -> None:
    data_dir = tmp_path / "data"
    if kind == "a file":
        data_dir.write_bytes(b"not a folder")
        database = data_dir
    else:
        data_dir.mkdir()
        database = data_dir / "squaddesk.db"
        if kind == "garbage":
            database.write_bytes(b"this is not a database at all" * 100)
        else:
            connection = sqlite3.connect(database)
            connection.execute("CREATE TABLE recipes (name TEXT)")
            connection.execute("INSERT INTO recipes VALUES ('红烧肉')")
            connection.commit()
            connection.close()
    before = database.read_bytes()
    export_file = tmp_path / "small.json"
    export_file.write_text(json.dumps(small_export(), ensure_ascii=False), encoding="utf-8")
    args = (
        ["export", "--out", str(tmp_path / "out.json")]
        if command == "export"
        else ["import", str(export_file)]
    )

    line = assert_one_line_failure(run_cli(*args, "--data-dir", str(data_dir)))

    assert str(data_dir) in line
    assert database.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "small.json"]


@pytest.mark.slow
def test_export_from_a_dir_without_a_database_does_not_create_one(tmp_path: Path) -> None:
    line = assert_one_line_failure(
        run_cli("export", "--out", str(tmp_path / "out.json"), "--data-dir", str(tmp_path))
    )
    assert "不是 SquadDesk 数据目录" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_a_bad_command_line_is_one_line_and_exit_2(tmp_path: Path) -> None:
    line = assert_one_line_failure(run_cli("frobnicate"), code=2)
    assert "命令行有误" in line
    assert_one_line_failure(run_cli("export", "--data-dir", str(tmp_path)), code=2)
    assert_one_line_failure(run_cli("demo", "--size", "huge", "--data-dir", str(tmp_path)), code=2)


@pytest.mark.slow
def test_the_cli_never_imports_qt(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    code = (
        "import sys\n"
        "from app.cli import main\n"
        f"status = main(['export', '--out', {str(out)!r}, '--data-dir', {str(filled)!r}])\n"
        "qt = any(name.split('.')[0] in ('PySide6', 'shiboken6') for name in sys.modules)\n"
        "print(status, qt)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.stdout.splitlines()[-1] == "0 False", result.stderr


# -- demo -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_demo_fills_an_empty_dir_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    result = run_cli("demo", "--size", "small", "--seed", "7", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert "生成演示数据" in result.stdout
    before = content_digest(data_dir)

    line = assert_one_line_failure(run_cli("demo", "--data-dir", str(data_dir)))

    assert line
    assert content_digest(data_dir) == before
    exported = tmp_path / "demo.json"
    assert run_cli("export", "--out", str(exported), "--data-dir", str(data_dir)).returncode == 0
    assert len(json.loads(exported.read_text(encoding="utf-8"))["tables"]["enterprises"]) > 100
