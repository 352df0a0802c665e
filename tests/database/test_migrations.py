"""Migrations build a new database and upgrade an old one with data, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, text

from app.database import migrate
from app.database.engine import create_database_engine, sqlite_url
from app.database.opening import open_local_database
from app.database.schema import KNOWN_REVISIONS, SCHEMA_REVISION


def _sqlite_engine(tmp_path: Path) -> Engine:
    return create_database_engine(sqlite_url(tmp_path / "m.db"))


@pytest.fixture
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    """The app's engine on a throwaway PostgreSQL database."""
    engine = create_database_engine(postgres_url)
    try:
        yield engine
    finally:
        engine.dispose()


def _assert_schema_matches_models(engine: Engine) -> None:
    with engine.connect() as connection:
        assert migrate.schema_differences(connection) == []
        assert migrate.current_revision(connection) == migrate.head_revision()


def test_head_is_the_revision_the_app_writes() -> None:
    assert migrate.head_revision() == SCHEMA_REVISION
    assert set(KNOWN_REVISIONS) == migrate.known_revisions()


def test_new_sqlite_database_matches_the_models(tmp_path: Path) -> None:
    engine = _sqlite_engine(tmp_path)
    migrate.upgrade(engine)
    _assert_schema_matches_models(engine)


@pytest.mark.postgres
def test_new_postgres_database_matches_the_models(postgres_engine: Engine) -> None:
    migrate.upgrade(postgres_engine)
    _assert_schema_matches_models(postgres_engine)


def _fill_at_0001(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO enterprises (id, created_at, updated_at, row_version, deleted, name,"
                " name_key, legal_representative, headquarters, address, website, profile,"
                " investment_intent, intent_level, water_need, power_need, site_preference, tags)"
                " VALUES (:id, :now, :now, 0, false, :name, :name, '', '', '', '', '', '',"
                " 'unknown', '', '', '', '')"
            ),
            [
                {"id": str(uuid.uuid4()), "now": "2026-01-01 00:00:00", "name": name}
                for name in ("华为技术有限公司", "兰州新材料有限责任公司")
            ],
        )


def _initials(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return dict(connection.execute(text("SELECT name, name_initials FROM enterprises")).all())


def test_upgrade_from_previous_revision_keeps_and_fills_data(tmp_path: Path) -> None:
    engine = _sqlite_engine(tmp_path)
    migrate.upgrade(engine, "0001")
    _fill_at_0001(engine)
    migrate.upgrade(engine)
    assert _initials(engine) == {
        "华为技术有限公司": "hwjsyxgs",
        "兰州新材料有限责任公司": "lzxclyxzrgs",
    }
    _assert_schema_matches_models(engine)


@pytest.mark.postgres
def test_upgrade_from_previous_revision_on_postgres(postgres_engine: Engine) -> None:
    migrate.upgrade(postgres_engine, "0001")
    _fill_at_0001(postgres_engine)
    migrate.upgrade(postgres_engine)
    assert _initials(postgres_engine)["华为技术有限公司"] == "hwjsyxgs"


def test_opening_an_old_database_backs_it_up_first(tmp_path: Path) -> None:
    engine = create_database_engine(sqlite_url(tmp_path / "squaddesk.db"))
    migrate.upgrade(engine, "0001")
    _fill_at_0001(engine)
    engine.dispose()

    database = open_local_database(tmp_path)
    database.dispose()

    backups = list((tmp_path / "backups").glob("squaddesk-*.db"))
    assert len(backups) == 1
    old = create_engine(sqlite_url(backups[0]))
    with old.connect() as connection:
        assert migrate.current_revision(connection) == "0001"
        assert "name_initials" not in {
            c["name"] for c in inspect(connection).get_columns("enterprises")
        }
        assert connection.execute(text("SELECT count(*) FROM enterprises")).scalar() == 2
    old.dispose()
    assert set(_initials(create_engine(sqlite_url(tmp_path / "squaddesk.db")))) == {
        "华为技术有限公司",
        "兰州新材料有限责任公司",
    }


def test_opening_a_current_database_takes_no_backup(tmp_path: Path) -> None:
    open_local_database(tmp_path).dispose()
    open_local_database(tmp_path).dispose()
    assert not (tmp_path / "backups").exists()
