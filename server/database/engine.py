"""Open the server database: engine, transactions, migrations. Same code for SQLite and PostgreSQL.

SQLite gets WAL, ``synchronous=FULL`` and a busy timeout (``app.database.engine``); every write
transaction starts with ``BEGIN IMMEDIATE`` there, so writers queue for the lock instead of
failing halfway. On PostgreSQL a writer that hands out feed sequence numbers first locks the
counter row (``SELECT … FOR UPDATE``), so ``seq`` values become visible in commit order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from app.database.engine import create_database_engine
from server.database.tables import server_info

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
BUSY_TIMEOUT_MS = 30_000
PREPARE_OPTION = "prepare_threshold"
"""URL option ``?prepare_threshold=none``: psycopg prepares no statements, as PgBouncer in
transaction pooling mode before 1.21 requires (a prepared statement lives on one server
connection; the next transaction may get another)."""
MIGRATION_LOCK = 0x5D5E_0001
"""PostgreSQL advisory lock key taken while migrating, so several workers starting at once
do not race to create the same tables."""


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean the psycopg 3 driver (the one installed)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class ServerDatabase:
    """The engine plus the two kinds of transaction the server uses."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        url = normalise_url(url)
        options: dict[str, Any] = {"json_serializer": _json_text}
        url = _take_prepare_option(url, options)
        if make_url(url).get_backend_name() == "sqlite":
            database = make_url(url).database
            if database and database != ":memory:":
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        else:
            options.update(pool_size=pool_size, max_overflow=2 * pool_size, pool_pre_ping=True)
        self.engine: Engine = create_database_engine(url, **options)
        self.is_postgres = self.engine.dialect.name == "postgresql"
        if not self.is_postgres:
            event.listen(self.engine, "connect", _longer_busy_timeout)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed when the block ends, rolled back on any exception."""
        with self.engine.connect() as connection:
            connection.execution_options(immediate=True)
            with connection.begin():
                yield connection

    def server_id(self) -> str:
        with self.read() as connection:
            value = connection.scalar(
                select(server_info.c.value).where(server_info.c.key == "server_id")
            )
        if value is None:
            raise RuntimeError("server_info has no server_id")
        return str(value)

    def migrate(self) -> None:
        """Bring the schema to the newest revision (a no-op when it is there already)."""
        config = alembic_config()
        with self.write() as connection:
            if self.is_postgres:
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def revision(self) -> str | None:
        with self.read() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def dispose(self) -> None:
        self.engine.dispose()


def _take_prepare_option(url: str, options: dict[str, Any]) -> str:
    """``url`` without ``prepare_threshold``, which goes to psycopg as a number or None."""
    parsed = make_url(url)
    if PREPARE_OPTION not in parsed.query:
        return url
    value = str(parsed.query[PREPARE_OPTION]).strip().lower()
    if value in ("", "none", "off"):
        threshold = None
    elif value.isdigit():
        threshold = int(value)
    else:
        raise ArgumentError(f"{PREPARE_OPTION} must be a number or none, not {value!r}")
    options["connect_args"] = {PREPARE_OPTION: threshold}
    return parsed.difference_update_query([PREPARE_OPTION]).render_as_string(hide_password=False)


def _longer_busy_timeout(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def is_known_revision(revision: str) -> bool:
    """Whether this build has the migration ``revision`` (a newer server's is unknown)."""
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("the server has no migrations")
    return head
