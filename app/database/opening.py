"""Open the local database in a data dir: check it, back it up, migrate it — or refuse clearly.

A database that is unreadable, corrupt, locked, not ours, or from a newer app version raises
``DatabaseProblem`` and is left exactly as it was. One from an older version is backed up, then
migrated. Every database that opens records the app version that opened it last
(``local_settings.app_version``), so a newer one refused later can name the version it needs.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError, OperationalError

from app.database.backup import backup_database
from app.database.engine import create_database_engine, sqlite_url
from app.database.schema import KNOWN_REVISIONS, SCHEMA_REVISION
from app.database.unit_of_work import Database
from app.domain.errors import DatabaseProblem
from app.i18n import tr
from app.version import app_version

DB_FILENAME = "squaddesk.db"
SQLITE_HEADER = b"SQLite format 3\x00"
APP_VERSION_KEY = "app_version"


def database_path(data_dir: Path) -> Path:
    return data_dir / DB_FILENAME


def has_database(data_dir: Path) -> bool:
    return database_path(data_dir).is_file()


def open_local_database(data_dir: Path, *, create: bool = True) -> Database:
    """Open (and if needed create or migrate) the database in ``data_dir``."""
    path = database_path(data_dir)
    _check_data_dir(data_dir, path, create)
    existed = path.exists() and path.stat().st_size > 0
    revision = _inspect_existing(path) if existed else None
    engine = create_database_engine(sqlite_url(path))
    try:
        if revision != SCHEMA_REVISION:
            from app.database import migrate  # Alembic is only imported when there is work

            if revision is not None:
                backup_database(path, data_dir / "backups", f"before-{SCHEMA_REVISION}")
            migrate.upgrade(engine)
    except OperationalError as error:
        engine.dispose()
        raise _problem_from(str(error.orig), path) from error
    except DatabaseError as error:
        engine.dispose()
        raise _corrupt(path) from error
    except sqlite3.OperationalError as error:
        engine.dispose()
        raise _problem_from(str(error), path) from error
    except BaseException:
        engine.dispose()
        raise
    _remember_version(engine)
    return Database(engine, path)


def _remember_version(engine: Engine) -> None:
    """Record this app's version in the database (a local, never-synced setting)."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO local_settings (key, value) VALUES (:key, :value) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value "
                "WHERE local_settings.value <> excluded.value"
            ),
            {"key": APP_VERSION_KEY, "value": app_version()},
        )


def _check_data_dir(data_dir: Path, path: Path, create: bool) -> None:
    if data_dir.exists() and not data_dir.is_dir():
        raise DatabaseProblem(
            "unreadable", tr("数据目录“{path}”不是一个文件夹", path=str(data_dir))
        )
    if not path.exists():
        if not create:
            raise DatabaseProblem(
                "not_squaddesk",
                tr(
                    "“{path}”不是 SquadDesk 数据目录（没有 {name}）",
                    path=str(data_dir),
                    name=DB_FILENAME,
                ),
            )
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseProblem(
                "unreadable",
                tr(
                    "无法创建数据目录“{path}”：{reason}",
                    path=str(data_dir),
                    reason=error.strerror or str(error),
                ),
            ) from error
    elif path.is_dir():
        raise DatabaseProblem("unreadable", tr("“{path}”是文件夹而不是数据库文件", path=str(path)))


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise DatabaseProblem(
            "unreadable",
            tr(
                "无法读取数据库“{path}”：{reason}",
                path=str(path),
                reason=error.strerror or str(error),
            ),
        ) from error
    if header != SQLITE_HEADER:
        raise _corrupt(path)


def _inspect_existing(path: Path) -> str | None:
    """Read the schema revision through a read-only connection that changes nothing."""
    _check_header(path)
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.OperationalError as error:
        raise _problem_from(str(error), path) from error
    try:
        tables = {
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        revision = None
        if "alembic_version" in tables:
            found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = found[0] if found else None
    except sqlite3.OperationalError as error:
        raise _problem_from(str(error), path) from error
    except sqlite3.DatabaseError as error:
        raise _corrupt(path) from error
    finally:
        connection.close()
    if tables and revision is None:
        raise DatabaseProblem(
            "not_squaddesk",
            tr(
                "“{path}”是一个 SQLite 数据库，但不是 SquadDesk 的数据库；未做任何更改",
                path=str(path),
            ),
        )
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseProblem(
            "newer",
            tr(
                "数据库“{path}”来自更新版本的 SquadDesk {newer}（结构版本 {revision}），"
                "本机是 {mine}：请升级本软件后再打开；数据未做任何更改",
                path=str(path),
                newer=_written_by(path) or tr("（版本不明）"),
                revision=revision,
                mine=app_version(),
            ),
        )
    return revision


def _written_by(path: Path) -> str | None:
    """The app version that last opened the database at ``path`` (read-only), if recorded."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            found = connection.execute(
                "SELECT value FROM local_settings WHERE key = ?", (APP_VERSION_KEY,)
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return str(found[0]) if found else None


def _corrupt(path: Path) -> DatabaseProblem:
    return DatabaseProblem(
        "corrupt",
        tr(
            "数据库文件“{path}”已损坏或不是数据库；未做任何更改。可以从 backups 文件夹中的备份恢复",
            path=str(path),
        ),
    )


def _problem_from(text: str, path: Path) -> DatabaseProblem:
    if "locked" in text or "busy" in text:
        return DatabaseProblem(
            "locked", tr("数据库“{path}”正被另一个程序占用，请关闭后再试", path=str(path))
        )
    if "unable to open" in text:
        return DatabaseProblem(
            "unreadable", tr("无法打开数据库“{path}”（权限不足或磁盘不可用）", path=str(path))
        )
    return DatabaseProblem(
        "unreadable", tr("无法打开数据库“{path}”：{reason}", path=str(path), reason=text)
    )
