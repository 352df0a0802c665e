"""The engine factory. Nothing builds an engine at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from app.search.index_schema import index_pending_in_bulk

SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=5000",
)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def create_database_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL, synchronous=FULL, foreign keys and real BEGINs,
    and a commit with many changed rows brings the search index up to date first
    (``app/search/index_schema.py``).

    pysqlite's own transaction handling is switched off so SQLAlchemy emits ``BEGIN`` itself:
    a write unit of work asks for ``BEGIN IMMEDIATE`` (execution option ``immediate``), so two
    writers queue for the lock instead of failing halfway through.
    """
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "commit")
    def _on_commit(connection: Any) -> None:
        # The triggers noted what changed; a bulk of it is indexed here (large loads stay
        # fast); a few edits wait for the next search, which indexes them first.
        index_pending_in_bulk(connection.connection.driver_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get("immediate", False):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            # Foreign keys are checked at COMMIT, so rows of one unit of work may be
            # flushed in any order (the mappings declare no relationships to sort by).
            connection.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        else:
            connection.exec_driver_sql("BEGIN")
