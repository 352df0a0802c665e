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
from sqlalchemy.exc import OperationalError

from app.database.unit_of_work import Database
from app.domain.errors import DatabaseProblem
from app.i18n import tr


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
            with connection.begin():
                yield connection
        except OperationalError as error:
            if "locked" in str(error.orig) or "busy" in str(error.orig):
                raise DatabaseProblem(
                    "locked", tr("数据库正被另一个程序占用，请稍后再试（未保存任何更改）")
                ) from error
            raise
        finally:
            if sqlite:
                assert raw is not None
                try:
                    raw.execute("PRAGMA foreign_keys=ON")
                except Exception:
                    connection.invalidate()
                    raise
