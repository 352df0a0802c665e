"""One local transaction for server data: ``BEGIN IMMEDIATE`` with foreign-key checks off.

A pulled page may hold a child before its parent (a page boundary, or a parent the user may not
read yet), and a push result may name the squad the server filled in before it was pulled, so
foreign keys are switched off for that one transaction. SQLite ignores ``PRAGMA foreign_keys``
inside a transaction, so it is issued on the raw connection before ``BEGIN`` and restored after
the commit or rollback; a connection whose pragma cannot be restored is discarded from the pool.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from app.database.unit_of_work import Database, reporting_locks


@contextmanager
def server_data_transaction(database: Database) -> Iterator[Connection]:
    """Commit on normal exit, roll back on any exception; foreign keys off in between."""
    engine = database.engine.execution_options(immediate=True)
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        sqlite = engine.dialect.name == "sqlite" and raw is not None
        if sqlite:
            assert raw is not None
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with reporting_locks(), connection.begin():
                yield connection
        finally:
            if sqlite:
                assert raw is not None
                try:
                    raw.execute("PRAGMA foreign_keys=ON")
                except Exception:
                    connection.invalidate()
                    raise
