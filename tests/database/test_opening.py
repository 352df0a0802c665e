"""A database that cannot be used as it is gets a clear message and is never touched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from app.database import migrate
from app.database.engine import create_database_engine, sqlite_url
from app.database.opening import open_local_database
from app.domain.errors import DatabaseProblem
from app.version import app_version


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(data_dir: Path, kind: str) -> str:
    db = data_dir / "squaddesk.db"
    before = _digest(db)
    with pytest.raises(DatabaseProblem) as caught:
        open_local_database(data_dir)
    assert caught.value.kind == kind
    assert _digest(db) == before
    return caught.value.message


def test_garbage_file_is_reported_corrupt_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "squaddesk.db").write_bytes(b"this is not a database at all" * 100)
    message = _refused(tmp_path, "corrupt")
    assert "squaddesk.db" in message and "损坏" in message


def test_damaged_sqlite_pages_are_reported_corrupt(tmp_path: Path) -> None:
    open_local_database(tmp_path).dispose()
    db = tmp_path / "squaddesk.db"
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # ruin the schema page after the header
    db.write_bytes(bytes(data))
    _refused(tmp_path, "corrupt")


def test_someone_elses_sqlite_database_is_not_taken_over(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "squaddesk.db")
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.commit()
    connection.close()
    message = _refused(tmp_path, "not_squaddesk")
    assert "不是 SquadDesk" in message


def test_database_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    open_local_database(tmp_path).dispose()
    connection = sqlite3.connect(tmp_path / "squaddesk.db")
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.execute("UPDATE local_settings SET value = '2.3.0' WHERE key = 'app_version'")
    connection.commit()
    connection.close()
    message = _refused(tmp_path, "newer")
    assert "9999" in message and "更新版本" in message
    assert "2.3.0" in message  # the version that wrote it
    assert app_version() in message  # and this one


def test_every_opening_records_the_app_version(tmp_path: Path) -> None:
    open_local_database(tmp_path).dispose()
    connection = sqlite3.connect(tmp_path / "squaddesk.db")
    connection.execute("UPDATE local_settings SET value = '0.0.1' WHERE key = 'app_version'")
    connection.commit()
    connection.close()

    open_local_database(tmp_path).dispose()

    check = sqlite3.connect(tmp_path / "squaddesk.db")
    found = check.execute("SELECT value FROM local_settings WHERE key = 'app_version'").fetchone()
    check.close()
    assert found == (app_version(),)


def test_locked_database_is_reported_and_not_migrated(tmp_path: Path) -> None:
    engine = create_database_engine(sqlite_url(tmp_path / "squaddesk.db"))
    migrate.upgrade(engine, "0001")
    engine.dispose()
    holder = sqlite3.connect(tmp_path / "squaddesk.db", isolation_level=None)
    holder.execute("PRAGMA busy_timeout=0")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseProblem) as caught:
            open_local_database(tmp_path)
        assert caught.value.kind == "locked"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    check = sqlite3.connect(tmp_path / "squaddesk.db")
    assert check.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    check.close()


def test_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "notes.txt"
    not_a_dir.write_text("hello")
    with pytest.raises(DatabaseProblem) as caught:
        open_local_database(not_a_dir)
    assert caught.value.kind == "unreadable"
    assert not_a_dir.read_text() == "hello"


def test_missing_database_is_not_created_when_not_asked(tmp_path: Path) -> None:
    with pytest.raises(DatabaseProblem) as caught:
        open_local_database(tmp_path / "empty", create=False)
    assert caught.value.kind == "not_squaddesk"
    assert not (tmp_path / "empty" / "squaddesk.db").exists()


def test_new_database_uses_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    database = open_local_database(tmp_path)
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.dispose()
