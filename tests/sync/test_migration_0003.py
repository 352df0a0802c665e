"""Migration 0003 on a database holding data: conflicts gain sync columns, rejected_changes
appears, nothing is lost — on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from app.database import migrate
from app.database.engine import create_database_engine, sqlite_url
from app.database.schema import KNOWN_REVISIONS

CONFLICT = "0190b6a0-0000-7000-8000-0000000000f1"


@pytest.fixture
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    """The app's engine on a throwaway PostgreSQL database."""
    engine = create_database_engine(postgres_url)
    try:
        yield engine
    finally:
        engine.dispose()


def _fill_at_0002(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO conflicts (id, table_name, row_id, field, base_value, server_value,"
                " client_value, server_by, client_by, status, created_at, resolved_at, resolution)"
                " VALUES (:id, 'enterprises', :row, 'website', '\"a\"', '\"b\"', '\"c\"', NULL,"
                " NULL, 'open', :at, NULL, '')"
            ),
            {"id": CONFLICT, "row": str(uuid.uuid4()), "at": "2026-11-03 08:00:00+00:00"},
        )
        connection.execute(
            text("INSERT INTO local_settings (key, value) VALUES ('device_id', 'd1')")
        )


def _check_upgraded(engine: Engine) -> None:
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT field, status, kind, row_version, deleted, updated_at, created_at,"
                " change_id, resolved_by FROM conflicts"
            )
        ).one()
        assert (row.field, row.status, row.kind, row.row_version) == ("website", "open", "field", 0)
        assert not row.deleted
        assert row.updated_at == row.created_at
        assert row.change_id is None and row.resolved_by is None
        assert connection.execute(text("SELECT value FROM local_settings")).scalar() == "d1"
        assert "rejected_changes" in inspect(connection).get_table_names()
        assert migrate.schema_differences(connection) == []
        assert migrate.current_revision(connection) == migrate.head_revision()


def test_revision_0003_is_known() -> None:
    assert "0003" in KNOWN_REVISIONS


def test_sqlite_database_with_conflicts_upgrades(tmp_path: Path) -> None:
    engine = create_database_engine(sqlite_url(tmp_path / "m.db"))
    migrate.upgrade(engine, "0002")
    _fill_at_0002(engine)
    migrate.upgrade(engine)
    _check_upgraded(engine)
    engine.dispose()


@pytest.mark.postgres
def test_postgres_database_with_conflicts_upgrades(postgres_engine: Engine) -> None:
    migrate.upgrade(postgres_engine, "0002")
    _fill_at_0002(postgres_engine)
    migrate.upgrade(postgres_engine)
    _check_upgraded(postgres_engine)


def test_downgrade_returns_to_0002(tmp_path: Path) -> None:
    from alembic import command

    engine = create_database_engine(sqlite_url(tmp_path / "m.db"))
    migrate.upgrade(engine, "0002")
    _fill_at_0002(engine)
    migrate.upgrade(engine)
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    with engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("conflicts")}
        assert "kind" not in columns and "updated_at" not in columns
        assert "rejected_changes" not in inspect(connection).get_table_names()
        assert connection.execute(text("SELECT count(*) FROM conflicts")).scalar() == 1
    engine.dispose()
