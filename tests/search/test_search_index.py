"""The index stays right whoever writes a row: sync pulls (fast and ordinary paths), JSON
import, the demo loader, a plain sqlite3 connection, the migration that creates it; it is
local (never exported); a table that lost its triggers gets it rebuilt."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import search_fixtures
from search_fixtures import ACTOR, add_contact, add_enterprise, add_visit, found, found_ids
from sqlalchemy import text

from app.database import migrate
from app.database.engine import create_database_engine, sqlite_url
from app.database.opening import database_path, open_local_database
from app.database.tables import EnterpriseRow
from app.demo.generator import DemoSize, build_demo
from app.exchange.json_export import export_json
from app.exchange.json_import import import_json
from app.search.index_schema import BULK_ROWS, has_pending
from app.search.results import SearchKind
from app.search.service import SearchService
from app.services.enterprises import EnterpriseService
from app.services.workspace import Workspace
from app.sync.apply import apply_records
from app.sync.local_tx import server_data_transaction
from app.sync.protocol import RecordState

workspace = search_fixtures.workspace
search = search_fixtures.search

E, C, V = SearchKind.ENTERPRISE, SearchKind.CONTACT, SearchKind.VISIT
ENTERPRISE = "0190b6a0-0000-7000-8000-0000000000e1"
CONTACT = "0190b6a0-0000-7000-8000-0000000000c7"
STAMP = "2026-11-03T08:00:00+00:00"


def _record(table: str, row_id: str, version: int, deleted: bool = False, **fields: Any) -> Any:
    return RecordState(
        table=table,
        id=row_id,
        row_version=version,
        seq=version,
        deleted=deleted,
        created_at=STAMP,
        updated_at=STAMP,
        updated_by=None,
        fields=fields,
    )


def _enterprise(version: int, name: str, deleted: bool = False) -> Any:
    return _record(
        "enterprises",
        ENTERPRISE,
        version,
        deleted,
        name=name,
        name_key=name,
        name_initials="",
        intent_level="unknown",
    )


def _pull(workspace: Workspace, *records: Any) -> None:
    with server_data_transaction(workspace.database) as connection:
        apply_records(connection, list(records))


def test_rows_a_sync_pull_writes_are_found_and_its_changes_followed(
    workspace: Workspace, search: SearchService
) -> None:
    contact = _record("contacts", CONTACT, 1, enterprise_id=ENTERPRISE, name="司马光")
    _pull(workspace, contact, _enterprise(1, "敦煌文旅集团有限公司"))  # fast path, any order
    assert found_ids(search.search("文旅"), E) == [ENTERPRISE]
    assert found_ids(search.search("马光"), C) == [CONTACT]
    _pull(workspace, _enterprise(2, "敦煌飞天文化集团有限公司"))  # an update
    assert found(search.search("文旅"), E) == []
    assert found_ids(search.search("飞天"), E) == [ENTERPRISE]
    _pull(workspace, _enterprise(3, "敦煌飞天文化集团有限公司", deleted=True))  # a tombstone
    assert found(search.search("飞天"), E) == []
    assert found(search.search("马光"), C) == []


def test_rows_a_json_import_writes_are_found(tmp_path: Path, workspace: Workspace) -> None:
    enterprise = add_enterprise(workspace, "酒泉卫星配套产业有限公司")
    add_visit(workspace, enterprise, dt.date(2026, 9, 9), discussion="讨论火箭燃料储运")
    export = tmp_path / "export.json"
    export_json(workspace.database, export)
    other = open_local_database(tmp_path / "other")
    try:
        import_json(other, export, ACTOR)
        results = SearchService(Workspace(other, tmp_path / "other")).search("燃料")
        assert found(results, V) == ["酒泉卫星配套产业有限公司"]
    finally:
        other.dispose()


def test_the_index_is_not_exported(tmp_path: Path, workspace: Workspace) -> None:
    add_enterprise(workspace, "酒泉卫星配套产业有限公司")
    export = tmp_path / "export.json"
    export_json(workspace.database, export)
    assert "search_" not in json.dumps(json.loads(export.read_text(encoding="utf-8"))["tables"])


def test_the_demo_loader_fills_the_index(tmp_path: Path) -> None:
    database = open_local_database(tmp_path)
    try:
        build_demo(database, DemoSize.SMALL, seed=3)
        with database.read() as session:
            name, place = session.execute(
                text(
                    "SELECT e.name, v.place FROM visits v JOIN enterprises e"
                    " ON e.id = v.enterprise_id WHERE v.deleted = 0 AND e.deleted = 0 LIMIT 1"
                )
            ).one()
        results = SearchService(Workspace(database, tmp_path)).search(f"{name[2:5]} {place}")
        assert name in found(results, V)
    finally:
        database.dispose()


def test_a_plain_sqlite3_writer_is_caught_up_with_before_the_next_search(
    workspace: Workspace, search: SearchService
) -> None:
    enterprise = add_enterprise(workspace, "嘉峪关钢铁有限公司")
    connection = sqlite3.connect(database_path(workspace.data_dir))  # no app functions at all
    with connection:
        connection.execute(
            "UPDATE enterprises SET name = '嘉峪关不锈钢有限公司' WHERE id = ?", (enterprise,)
        )
    connection.close()
    assert found(search.search("钢铁"), E) == []
    assert found(search.search("不锈钢"), E) == ["嘉峪关不锈钢有限公司"]


def _pending(workspace: Workspace) -> bool:
    connection = sqlite3.connect(database_path(workspace.data_dir))
    try:
        return has_pending(connection)
    finally:
        connection.close()


def test_a_few_edits_wait_for_the_next_search_which_indexes_them_first(
    workspace: Workspace, search: SearchService
) -> None:
    enterprise = add_enterprise(workspace, "嘉峪关钢铁有限公司")
    kept = add_enterprise(workspace, "酒泉钢铁有限公司")
    add_contact(workspace, kept, "司马光")
    EnterpriseService(workspace).delete(enterprise)
    assert _pending(workspace)  # an autosave does not pay for the index

    assert found(search.search("钢铁"), E) == ["酒泉钢铁有限公司"]
    assert found(search.search("司马"), SearchKind.CONTACT) == ["司马光"]
    assert not _pending(workspace)


def test_a_bulk_commit_is_indexed_at_once(workspace: Workspace) -> None:
    with workspace.database.write(ACTOR) as session:
        for number in range(BULK_ROWS):
            session.add(EnterpriseRow(name=f"批量企业{number}", name_key=f"批量企业{number}"))
    assert not _pending(workspace)


def test_a_visit_moved_to_another_day_is_found_once(
    workspace: Workspace, search: SearchService
) -> None:
    enterprise = add_enterprise(workspace, "张掖种业有限公司")
    visit = add_visit(workspace, enterprise, dt.date(2026, 1, 5), discussion="玉米制种基地")
    with workspace.database.write(ACTOR) as session:
        session.execute(
            text("UPDATE visits SET visited_on = '2026-07-01', place = '甘州区' WHERE id = :id"),
            {"id": visit},
        )
    assert found_ids(search.search("制种"), V) == [visit]
    assert search.search("制种").group(V).hits[0].on == dt.date(2026, 7, 1)  # type: ignore[union-attr]
    assert found_ids(search.search("甘州"), V) == [visit]


def test_the_migration_indexes_rows_that_were_already_there(tmp_path: Path) -> None:
    engine = create_database_engine(sqlite_url(tmp_path / "squaddesk.db"))
    migrate.upgrade(engine, "0003")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO enterprises (id, created_at, updated_at, row_version, deleted, name,"
                " name_key, name_initials, legal_representative, headquarters, address, website,"
                " profile, investment_intent, intent_level, water_need, power_need,"
                " site_preference, tags) VALUES (:id, :now, :now, 0, :deleted, :name, :name,"
                " :initials, '', '', '', '', '', '', 'unknown', '', '', '', '')"
            ),
            [
                {
                    "id": ENTERPRISE,
                    "now": STAMP,
                    "deleted": 0,
                    "name": "武威荣华工贸有限公司",
                    "initials": "wwrhgmyxgs",
                },
                {
                    "id": CONTACT,
                    "now": STAMP,
                    "deleted": 1,
                    "name": "武威已删除有限公司",
                    "initials": "wwyscyxgs",
                },
            ],
        )
    engine.dispose()
    database = open_local_database(tmp_path)
    try:
        service = SearchService(Workspace(database, tmp_path))
        assert found_ids(service.search("荣华"), E) == [ENTERPRISE]
        assert found_ids(service.search("wwrh"), E) == [ENTERPRISE]
        assert found_ids(service.search("武威"), E) == [ENTERPRISE]
    finally:
        database.dispose()


def test_a_table_that_lost_its_triggers_gets_the_index_rebuilt(
    workspace: Workspace,
) -> None:
    enterprise = add_enterprise(workspace, "天水长城电工有限公司")
    with workspace.database.write(ACTOR) as session:
        session.execute(text("DROP TRIGGER search_enterprises_after_update"))
        session.execute(
            text("UPDATE enterprises SET name = '天水长城开关有限公司' WHERE id = :id"),
            {"id": enterprise},
        )
    service = SearchService(workspace)
    assert found(service.search("开关"), E) == ["天水长城开关有限公司"]
    assert found(service.search("电工"), E) == []
    add_contact(workspace, enterprise, "诸葛亮")
    EnterpriseService(workspace).update(enterprise, {"name": "天水长城控制有限公司"})
    assert found(service.search("控制"), E) == ["天水长城控制有限公司"]


def test_an_index_at_odds_with_its_tables_never_stops_an_edit(workspace: Workspace) -> None:
    kept = add_enterprise(workspace, "天水长城电工有限公司")
    gone = add_enterprise(workspace, "天水华天科技有限公司")
    with workspace.database.write(ACTOR) as session:  # the index loses every enterprise
        session.execute(
            text("INSERT INTO search_enterprises (search_enterprises) VALUES ('delete-all')")
        )
    EnterpriseService(workspace).delete(gone)  # deleting what the index lacks: FTS5 objects
    service = SearchService(workspace)
    assert found_ids(service.search("天水"), E) == [kept]  # rebuilt before searching
