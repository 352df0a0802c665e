"""``squaddesk-server import``: a client's JSON export seeds the server, checked as a whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.database.opening import open_local_database
from app.demo.generator import DemoSize, build_demo
from app.exchange.json_export import export_json
from server import import_rows
from server.database.tables import records
from server.export_reader import ReadProblem
from server.importer import ImportRefused, import_export

from .harness import VALID_USCC, Server


@pytest.fixture(scope="session")
def demo_export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The small demo dataset as ``squaddesk-cli export`` writes it (parsed)."""
    root = tmp_path_factory.mktemp("client")
    database = open_local_database(root, create=True)
    try:
        build_demo(database, DemoSize.SMALL, seed=3)
        export_json(database, root / "export.json")
    finally:
        database.dispose()
    document: dict[str, Any] = json.loads((root / "export.json").read_text(encoding="utf-8"))
    return document


def _write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def _copy(document: dict[str, Any]) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(document))
    return copied


def _count(server: Server) -> int:
    with server.state.database.read() as connection:
        return int(connection.scalar(select(func.count()).select_from(records)) or 0)


def test_an_export_is_imported_whole_and_reaches_the_squads(
    server: Server, demo_export: dict[str, Any], tmp_path: Path
) -> None:
    path = _write(tmp_path / "export.json", demo_export)
    total = sum(len(rows) for rows in demo_export["tables"].values())
    summary = import_export(server.state.database, path, "局机关")
    assert summary.total_inserted == total == _count(server)
    squad = demo_export["tables"]["squads"][0]
    alice = server.add_user("alice", squad["name"])
    assert alice.squad_id == squad["id"] and not alice.squad_created
    pulled = server.laptop("alice").pull_all()
    theirs = {
        row["id"] for row in demo_export["tables"]["enterprises"] if row["squad_id"] == squad["id"]
    }
    companies = {r.id for r in pulled.values() if r.table == "enterprises"}
    assert companies == theirs
    one = next(row for row in demo_export["tables"]["enterprises"] if row["id"] in theirs)
    record = pulled[one["id"]]
    assert record.fields == {k: v for k, v in one.items() if k not in _SYNC}
    assert (record.created_at, record.updated_at) == (one["created_at"], one["updated_at"])

    again = import_export(server.state.database, path, "局机关")
    assert (again.total_inserted, again.total_present) == (0, total)
    assert _count(server) == total + 1  # the import's records and alice's member record


_SYNC = {"id", "created_at", "updated_at", "updated_by", "row_version", "deleted"}


def test_rows_without_a_squad_go_to_the_named_squad(
    server: Server, demo_export: dict[str, Any], tmp_path: Path
) -> None:
    document = _copy(demo_export)
    company = document["tables"]["enterprises"][0]
    company["squad_id"] = None
    path = _write(tmp_path / "export.json", document)
    import_export(server.state.database, path, "招商局机关小分队")
    added = server.add_user("root", "招商局机关小分队", role="admin")
    assert not added.squad_created  # the import made it
    member = server.add_user("lee", "招商局机关小分队")
    pulled = server.laptop("lee").pull_all()
    assert pulled[company["id"]].fields["squad_id"] == member.squad_id
    contacts = [
        row["id"] for row in document["tables"]["contacts"] if row["enterprise_id"] == company["id"]
    ]
    assert contacts and all(contact in pulled for contact in contacts)


@pytest.mark.parametrize(
    ("table", "field", "value", "named"),
    [
        ("enterprises", "uscc", "91110000600037341X", "uscc"),
        ("tasks", "status", "someday", "status"),
        ("contacts", "enterprise_id", "01937011-0000-7000-8000-000000000000", "enterprise_id"),
        ("visits", "colour", "red", "colour"),
    ],
)
def test_one_bad_row_refuses_the_file_and_writes_nothing(
    server: Server,
    demo_export: dict[str, Any],
    tmp_path: Path,
    table: str,
    field: str,
    value: object,
    named: str,
) -> None:
    document = _copy(demo_export)
    row = document["tables"][table][-1]
    row[field] = value
    path = _write(tmp_path / "export.json", document)
    before = _count(server)
    with pytest.raises(ImportRefused) as refused:
        import_export(server.state.database, path, "局机关")
    message = str(refused.value)
    assert table in message and row["id"] in message and named in message
    assert message.endswith("未导入任何数据")
    assert _count(server) == before


def test_a_broken_file_is_refused_with_its_position(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text(
        '{"format": "squaddesk-export", "format_version": 1, "schema_revision": "0001",\n'
        ' "tables": {"squads": [{"id": "x",}]}}\n',
        encoding="utf-8",
    )
    with pytest.raises(ReadProblem, match="第 2 行"):
        import_export(server.state.database, path, "局机关")
    path.write_text('{"format": "something else", "tables": {}}', encoding="utf-8")
    with pytest.raises(ReadProblem, match="format"):
        import_export(server.state.database, path, "局机关")
    with pytest.raises(ReadProblem):
        import_export(server.state.database, tmp_path / "missing.json", "局机关")


def test_the_fast_path_stores_exactly_what_the_full_check_gives(
    server: Server, demo_export: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _copy(demo_export)
    document["tables"]["enterprises"][0]["uscc"] = VALID_USCC.lower()  # normalised on import
    document["tables"]["enterprises"][1]["land_mu"] = "12.5"  # canonical form is "12.50"
    path = _write(tmp_path / "export.json", document)
    import_export(server.state.database, path, "局机关")
    fast = _stored(server)
    with server.state.database.write() as connection:
        connection.execute(records.delete())
    monkeypatch.setattr(import_rows.RowFastPath, "accepts", lambda _self, _raw: False)
    import_export(server.state.database, path, "局机关")
    assert _stored(server) == fast
    first, second = document["tables"]["enterprises"][:2]
    assert fast[first["id"]]["uscc"] == VALID_USCC
    assert fast[second["id"]]["land_mu"] == "12.50"


def _stored(server: Server) -> dict[str, Any]:
    with server.state.database.read() as connection:
        return dict(connection.execute(select(records.c.id, records.c.data)).all())


def test_conflicts_of_the_export_become_conflict_records_of_their_record(
    server: Server, demo_export: dict[str, Any], tmp_path: Path
) -> None:
    document = _copy(demo_export)
    company = document["tables"]["enterprises"][0]
    conflict_id = "01937011-9999-7000-8000-000000000001"
    document["tables"]["conflicts"] = [
        {
            "id": conflict_id,
            "created_at": "2026-11-03T01:00:00+00:00",
            "updated_at": "2026-11-03T01:00:00+00:00",
            "updated_by": None,
            "row_version": 1,
            "deleted": False,
            "table_name": "enterprises",
            "row_id": company["id"],
            "field": "website",
            "kind": "field",
            "base_value": "",
            "server_value": "https://a.cn",
            "client_value": "https://b.cn",
            "server_by": None,
            "server_at": None,
            "client_by": None,
            "client_at": None,
            "change_id": None,
            "status": "open",
            "resolution": "",
            "resolved_by": None,
            "resolved_at": None,
        }
    ]
    import_export(server.state.database, _write(tmp_path / "export.json", document), "局机关")
    server.add_user("root", "局机关", role="admin")
    conflict = server.laptop("root").pull_all()[conflict_id]
    assert conflict.table == "conflicts"
    assert conflict.fields["row_id"] == company["id"]
    assert conflict.fields["client_value"] == "https://b.cn"
    assert conflict.fields["client_at"] == "2026-11-03T01:00:00+00:00"
