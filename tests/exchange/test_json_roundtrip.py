"""Whole-database JSON export and import against real SQLite files: what a user would notice."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.database import tables as t
from app.database.change_tracking import Actor
from app.database.codec import encode
from app.database.opening import database_path, open_local_database
from app.database.unit_of_work import Database
from app.domain.errors import ImportProblem
from app.domain.money import Money
from app.domain.uscc import make_uscc
from app.exchange.json_export import ExportError, export_json
from app.exchange.json_format import EXPORT_TABLES
from app.exchange.json_import import import_json, load_export

USCC = make_uscc("9", "1", "620102", "MA7KX3Q2")
LEADER = "0190b6a0-0000-7000-8000-000000000001"
ENTERPRISE = "0190b6a0-0000-7000-8000-0000000000e1"
VISIT = "0190b6a0-0000-7000-8000-0000000000a1"
IMPORT = Actor(member_id=LEADER, source="import")


SQUAD = "0190b6a0-0000-7000-8000-0000000000c1"
PROJECT = "0190b6a0-0000-7000-8000-0000000000b1"


def build_dataset(database: Database) -> None:
    """A small database with every kind of value: dates, money, decimals, a tombstone, conflicts."""
    # fmt: off
    rows: list[object] = [
        t.SquadRow(id=SQUAD, name="新材料招商小分队", region_code="620102", focus="新材料"),
        t.MemberRow(id=LEADER, name="李明", squad_id=SQUAD, role="leader"),
        t.EnterpriseRow(
            id=ENTERPRISE, name="兰州金川新材料有限责任公司", name_key="兰州金川新材料有限公司",
            name_initials="lzjcxcl", uscc=USCC, region_code="620102",
            registered_capital=Money.from_wan("5000.25"), land_mu=Decimal("120.50"),
            founded_on=dt.date(2003, 7, 1), intent_level="strong", squad_id=SQUAD,
            owner_id=LEADER, profile="镍钴新材料\n第二行“引号”\t制表",
        ),
        t.ContactRow(enterprise_id=ENTERPRISE, name="王经理", deleted=True),
        t.VisitRow(
            id=VISIT, enterprise_id=ENTERPRISE, squad_id=SQUAD, author_id=LEADER,
            visited_on=dt.date(2026, 11, 3), discussion="用地 120 亩，用电 2 万千伏安",
        ),
        t.ProjectRow(
            id=PROJECT, name="高纯镍项目", enterprise_id=ENTERPRISE, stage="signed",
            contract_amount=Money.from_wan(80000), signed_on=dt.date(2026, 10, 8),
        ),
        t.FundingEntryRow(
            project_id=PROJECT, received_on=dt.date(2026, 11, 20),
            amount=Money.from_yuan("1234567.89"),
        ),
        t.TaskRow(
            title="寄送用地资料", owner_id=LEADER, status="done", visit_id=VISIT,
            completed_at=dt.datetime(2026, 11, 4, 8, 30, 15, 123456, tzinfo=dt.UTC),
        ),
        t.ConflictRow(
            table_name="visits", row_id=VISIT, field="discussion", base_value="旧",
            server_value={"text": "服务器", "lines": [1, 2]}, client_value="本机",
        ),
        t.ConflictRow(
            table_name="visits", row_id=VISIT, field="outcomes", base_value=None,
            server_value="甲", client_value="乙", status="resolved",
            resolved_at=dt.datetime(2026, 11, 5, tzinfo=dt.UTC), resolution="mine",
        ),
    ]
    # fmt: on
    with database.write(Actor(None)) as session:
        for row in rows:  # one flush each: every row's references are in before it
            session.add(row)
            session.flush()


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Database files made once per module (migrations are slow); each test opens a copy."""
    root = tmp_path_factory.mktemp("templates")
    filled = open_local_database(root / "source")
    build_dataset(filled)
    filled.dispose()
    open_local_database(root / "target").dispose()
    return {name: database_path(root / name) for name in ("source", "target")}


def _copy_of(template: Path, data_dir: Path) -> Iterator[Database]:
    data_dir.mkdir()
    shutil.copyfile(template, database_path(data_dir))
    database = open_local_database(data_dir, create=False)
    yield database
    database.dispose()


@pytest.fixture
def source(templates: dict[str, Path], tmp_path: Path) -> Iterator[Database]:
    yield from _copy_of(templates["source"], tmp_path / "source")


@pytest.fixture
def target(templates: dict[str, Path], tmp_path: Path) -> Iterator[Database]:
    yield from _copy_of(templates["target"], tmp_path / "target")


@pytest.fixture
def imported(source: Database, target: Database, tmp_path: Path) -> Path:
    """The source exported to a file, already imported once into the target."""
    path = tmp_path / "export.json"
    export_json(source, path)
    import_json(target, path, IMPORT)
    return path


def counts(database: Database) -> dict[str, int]:
    models: list[Any] = [*t.SYNCED_TABLES, t.ConflictRow, t.OutboxEntry, t.HistoryEntry]
    with database.read() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in models
        }


def outbox(database: Database) -> list[t.OutboxEntry]:
    with database.read() as session:
        return list(session.scalars(select(t.OutboxEntry).order_by(t.OutboxEntry.device_seq)))


def content_digest(database: Database) -> str:
    assert database.path is not None
    connection = sqlite3.connect(f"file:{database.path}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()
    finally:
        connection.close()


def test_export_import_export_gives_the_same_bytes(
    source: Database, target: Database, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    exported = export_json(source, first)
    summary = import_json(target, first, IMPORT)
    export_json(target, second)

    assert first.read_bytes() == second.read_bytes()
    assert exported.total == summary.inserted == 10
    text = first.read_text(encoding="utf-8")
    document = json.loads(text)
    assert text == json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    assert list(document) == ["format", "format_version", "schema_revision", "tables"]
    assert list(document["tables"]) == [spec.name for spec in EXPORT_TABLES]
    (contact,) = document["tables"]["contacts"]
    assert contact["deleted"] is True
    assert {row["status"] for row in document["tables"]["conflicts"]} == {"open", "resolved"}
    (enterprise,) = document["tables"]["enterprises"]
    assert enterprise["registered_capital"] == 5000_250_000
    assert enterprise["land_mu"] == "120.50"
    assert enterprise["founded_on"] == "2003-07-01"
    assert enterprise["created_at"].endswith("+00:00")
    assert set(enterprise) == {column.name for column in t.EnterpriseRow.__table__.columns}


def test_imported_rows_sync_like_edits_and_appear_in_history(
    source: Database, target: Database, imported: Path
) -> None:
    entries = outbox(target)
    synced_rows = sum(n for name, n in counts(source).items() if name not in _LOCAL)
    assert len(entries) == synced_rows == 8
    assert {entry.op for entry in entries} == {"insert"}
    assert "conflicts" not in {entry.table_name for entry in entries}
    with target.read() as session:
        history = list(session.scalars(select(t.HistoryEntry)))
        visit = session.get(t.VisitRow, VISIT)
    assert len(history) == synced_rows
    assert {entry.source for entry in history} == {"import"}
    assert {entry.actor_id for entry in history} == {LEADER}
    assert visit is not None and visit.visited_on == dt.date(2026, 11, 3)


_LOCAL = {"conflicts", "outbox", "history"}


def test_importing_the_same_file_twice_changes_nothing(target: Database, imported: Path) -> None:
    path = imported
    before, digest = counts(target), content_digest(target)

    again = import_json(target, path, IMPORT)

    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 10)
    assert counts(target) == before
    assert content_digest(target) == digest


def test_importing_into_the_source_itself_changes_nothing(source: Database, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    export_json(source, path)
    digest = content_digest(source)
    summary = import_json(source, path, IMPORT)
    assert summary.unchanged == 10
    assert content_digest(source) == digest


def _edit(path: Path, table: str, row_id: str, **changes: object) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    (row,) = [row for row in document["tables"][table] if row["id"] == row_id]
    row.update(changes)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


def test_a_changed_field_becomes_one_patch(target: Database, imported: Path) -> None:
    path = imported
    already = len(outbox(target))
    _edit(
        path, "visits", VISIT, discussion="改为用地 150 亩", updated_at="2026-12-01T02:00:00+00:00"
    )

    summary = import_json(target, path, IMPORT)

    assert (summary.inserted, summary.updated) == (0, 1)
    (patch,) = outbox(target)[already:]
    assert (patch.table_name, patch.row_id, patch.op) == ("visits", VISIT, "patch")
    assert patch.fields == {"discussion": "改为用地 150 亩"}
    with target.read() as session:
        visit = session.get(t.VisitRow, VISIT)
        assert visit is not None
        assert visit.updated_at == dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC)
    assert import_json(target, path, IMPORT).unchanged == 10


def test_a_hand_edit_is_a_new_local_edit_and_a_second_import_changes_nothing(
    target: Database, imported: Path
) -> None:
    path = imported
    _edit(path, "visits", VISIT, outcomes="同意落地")  # the stamps left as they were

    assert import_json(target, path, IMPORT).updated == 1
    with target.read() as session:
        visit = session.get(t.VisitRow, VISIT)
        assert visit is not None and visit.updated_by == LEADER
    digest = content_digest(target)
    assert import_json(target, path, IMPORT).unchanged == 10
    assert content_digest(target) == digest


def test_stamps_alone_do_not_change_a_stored_row(target: Database, imported: Path) -> None:
    path = imported
    digest = content_digest(target)
    _edit(path, "visits", VISIT, row_version=7, updated_at="2030-01-01T00:00:00+00:00")

    assert import_json(target, path, IMPORT).unchanged == 10
    assert content_digest(target) == digest


def test_a_tombstone_in_the_file_deletes_the_row(target: Database, imported: Path) -> None:
    path = imported
    _edit(path, "visits", VISIT, deleted=True, updated_at="2026-12-01T02:00:00+00:00")
    import_json(target, path, IMPORT)
    assert outbox(target)[-1].op == "delete"


def test_a_partial_file_may_refer_to_rows_already_in_the_database(
    source: Database, tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    export_json(source, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    visit = document["tables"]["visits"][0]
    visit["id"] = "0190b6a0-0000-7000-8000-0000000000a2"
    path.write_text(json.dumps({**document, "tables": {"visits": [visit]}}), encoding="utf-8")

    assert import_json(source, path, IMPORT).inserted == 1
    with pytest.raises(ImportProblem, match="字段 author_id 引用的 members 记录"):
        load_export(path).refuse_dangling()


def test_an_older_file_without_derived_name_columns_gets_them(
    target: Database, tmp_path: Path
) -> None:
    path = tmp_path / "old.json"
    row = {"id": ENTERPRISE, "name": "华为技术有限公司"}
    path.write_text(json.dumps(_document({"enterprises": [row]})), encoding="utf-8")
    import_json(target, path, IMPORT)
    with target.read() as session:
        enterprise = session.get(t.EnterpriseRow, ENTERPRISE)
    assert enterprise is not None
    assert (enterprise.name_key, enterprise.name_initials) == ("华为技术有限公司", "hwjsyxgs")


def _document(tables: dict[str, object]) -> dict[str, object]:
    return {
        "format": "squaddesk-export",
        "format_version": 1,
        "schema_revision": "0002",
        "tables": tables,
    }


# fmt: off
BAD_ROWS: list[tuple[str, str, object, str]] = [
    # (table, field, value, words the message must contain)
    ("visits", "visited_on", "2026-13-01", '字段 visited_on 不是合法日期（"2026-13-01"）'),
    ("visits", "visited_on", 20261101, "visited_on 不是合法日期"),
    ("visits", "visited_on", None, "visited_on 不能为空"),
    ("projects", "stage", "dreaming", '字段 stage 的值 "dreaming" 不在允许范围内'),
    ("enterprises", "uscc", USCC[:-1] + "0", "uscc：统一社会信用代码校验码错误"),
    ("enterprises", "registered_capital", 12.5, "registered_capital 不是以分为单位的整数金额"),
    ("enterprises", "registered_capital", 2**70, "registered_capital 的数字"),
    ("enterprises", "land_mu", "1.234", 'land_mu 的数字 "1.234" 超出范围'),
    ("enterprises", "land_mu", "NaN", "land_mu 不是合法数字"),
    ("enterprises", "land_mu", "lots", "land_mu 不是合法数字"),
    ("enterprises", "region_code", "6201020", "region_code 超过 6 个字符"),
    ("enterprises", "created_at", "2026-11-01T08:00:00", "created_at 不是带时区的合法时间"),
    ("contacts", "deleted", "yes", "deleted 应为 true 或 false"),
    ("visits", "enterprise_id", "0190b6a0-0000-7000-8000-0000000000ff",
     "enterprise_id 引用的 enterprises 记录 0190b6a0-0000-7000-8000-0000000000ff"),
    ("visits", "colour", "blue", "未知字段 colour"),
    ("visits", "id", "not-a-uuid", "不是合法的记录标识"),
    ("conflicts", "table_name", "outbox", "不是数据表名"),
]
# fmt: on


@pytest.mark.parametrize(("table", "field", "value", "words"), BAD_ROWS)
def test_a_bad_value_refuses_the_whole_file_naming_table_row_and_field(
    target: Database, imported: Path, table: str, field: str, value: object, words: str
) -> None:
    path = imported
    document = json.loads(path.read_text(encoding="utf-8"))
    row = document["tables"][table][0]
    row_id = row["id"]
    row[field] = value
    # A good change elsewhere must not be written either.
    document["tables"]["squads"][0]["focus"] = "不应写入"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    digest = content_digest(target)

    with pytest.raises(ImportProblem) as caught:
        import_json(target, path, IMPORT)

    message = str(caught.value)
    assert words in message
    assert str(path) in message and f"张表 {table} " in message
    assert field == "id" or row_id in message
    assert "\n" not in message and message.endswith("未导入任何数据")
    assert content_digest(target) == digest


# fmt: off
BAD_FILES: list[tuple[str, object, str]] = [
    # (case, file content: bytes as they are, anything else as JSON; words of the message)
    ("list", [1, 2], "顶层应为 JSON 对象，实际是列表"),
    ("format", {"format": "other"}, "不是 SquadDesk 导出文件"),
    ("newer format", {**_document({}), "format_version": 2}, "更新版本"),
    ("newer schema", {**_document({}), "schema_revision": "0999"},
     "来自更新版本的 SquadDesk（结构版本 0999）"),
    ("no tables", {**_document({}), "tables": []}, "缺少 tables"),
    ("unknown table", _document({"outbox": []}), "第 1 张表 outbox 不是 SquadDesk 的数据表"),
    ("table not a list", _document({"squads": {}}), "应为记录列表"),
    ("row not an object", _document({"squads": [[]]}), "第 1 条记录：记录应为 JSON 对象"),
    ("missing id", _document({"squads": [{"name": "x"}]}), "缺少 id"),
    ("missing field", _document({"squads": [{"id": LEADER}]}), "缺少字段 name"),
    ("duplicate id", _document({"squads": [{"id": LEADER, "name": "a"}] * 2}),
     "id 与本表第 1 条记录重复"),
    ("malformed", b'{"format": "squaddesk-export",\n "tables": {]}', "第 2 行第 13 列"),
    ("NaN", b'{"format": NaN}', "含有 NaN"),
    ("not UTF-8", '{"format": "数据"}'.encode("gbk"), "不是 UTF-8 编码"),
    ("empty", b"", "第 1 行第 1 列"),
]
# fmt: on


@pytest.mark.parametrize(("name", "content", "words"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_is_refused_with_one_line(
    target: Database, tmp_path: Path, name: str, content: object, words: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    digest = content_digest(target)
    with pytest.raises(ImportProblem) as caught:
        import_json(target, path, IMPORT)
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)
    assert content_digest(target) == digest


def test_missing_file_and_directory_are_named(tmp_path: Path) -> None:
    with pytest.raises(ImportProblem, match="找不到导入文件"):
        load_export(tmp_path / "nowhere.json")
    with pytest.raises(ImportProblem, match="是文件夹"):
        load_export(tmp_path)


def test_export_into_a_directory_is_refused_and_leaves_nothing(
    source: Database, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match="是文件夹"):
        export_json(source, tmp_path)
    assert not list(tmp_path.glob("*.partial"))


def test_an_empty_database_exports_empty_tables(target: Database, tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    assert export_json(target, path).total == 0
    document = json.loads(path.read_text(encoding="utf-8"))
    assert all(rows == [] for rows in document["tables"].values())
    assert database_path(tmp_path / "target").is_file()


def test_every_exported_value_is_the_codec_form_of_the_stored_value(
    source: Database, tmp_path: Path
) -> None:
    """The export reads SQLite rows raw for speed; it must say exactly what ``encode`` says."""
    path = tmp_path / "export.json"
    export_json(source, path)
    tables = json.loads(path.read_text(encoding="utf-8"))["tables"]
    with source.read() as session:
        for spec in EXPORT_TABLES:
            expected = [
                {name: encode(getattr(row, name)) for name in spec.columns}
                for row in session.scalars(select(spec.model).order_by(spec.model.id))
            ]
            assert tables[spec.name] == expected, spec.name


def test_the_fast_and_the_general_export_paths_agree(
    source: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.exchange.json_export as json_export

    fast, general = tmp_path / "fast.json", tmp_path / "general.json"
    export_json(source, fast)
    monkeypatch.setattr(json_export, "sqlite_formats_like_python", lambda _connection: False)
    export_json(source, general)
    assert fast.read_bytes() == general.read_bytes()


def test_an_oddly_stored_time_is_exported_in_canonical_form(
    source: Database, tmp_path: Path
) -> None:
    with source.engine.begin() as connection:  # as an older tool might have stored it
        connection.exec_driver_sql("UPDATE visits SET created_at = '2026-11-03T01:02:03'")
    path = tmp_path / "export.json"
    export_json(source, path)
    (visit,) = json.loads(path.read_text(encoding="utf-8"))["tables"]["visits"]
    assert visit["created_at"] == "2026-11-03T01:02:03+00:00"
