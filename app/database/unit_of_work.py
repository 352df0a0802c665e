"""An open local database and its units of work: one transaction per operation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.database.change_tracking import Actor, install_change_tracking
from app.domain.errors import DatabaseProblem
from app.i18n import tr


@contextmanager
def reporting_locks() -> Iterator[None]:
    """Turn SQLite's "database is locked / busy" into the one-line problem a user can act on."""
    try:
        yield
    except OperationalError as error:
        if "locked" in str(error.orig) or "busy" in str(error.orig):
            raise DatabaseProblem(
                "locked", tr("数据库正被另一个程序占用，请稍后再试（未保存任何更改）")
            ) from error
        raise


class WriteSession(Session):
    """Session class whose flushes record outbox entries and history."""


install_change_tracking(WriteSession)


class Database:
    """The local database: hands out read sessions and write units of work.

    A write unit of work is one ``BEGIN IMMEDIATE`` transaction: the domain rows, their outbox
    entries and history commit together or not at all.
    """

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = path
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(
            engine.execution_options(immediate=True),
            class_=WriteSession,
            expire_on_commit=False,
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; closing it rolls back anything it would have written.

        Objects loaded stay readable after the block (closing detaches without expiring).
        """
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self, actor: Actor) -> Iterator[Session]:
        """One unit of work: commits on normal exit, rolls back on any exception."""
        session = self._writer()
        session.info["actor"] = actor
        try:
            with reporting_locks():
                yield session
                session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close every connection, letting SQLite refresh its query-planner statistics first."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA optimize")
        self.engine.dispose()
