"""Project facts kept between reads until the database changes.

Folding 100,000 stage changes into facts is most of a dashboard's or an overdue list's time,
and stepping through periods or switching tabs asks for the same facts again. A
``ProjectFactsSource`` keeps the facts it last loaded (per squad / cadre) and hands them out
again while nothing has been committed since:

- every commit through this process's engine bumps a generation (SQLAlchemy's ``commit``
  event), which drops everything kept;
- a commit by another process is caught by SQLite's ``PRAGMA data_version``, which changes on a
  connection whenever another connection has committed — compared on the same connection the
  facts were read on (any other connection counts as a change).

Build one in the composition root and pass it to ``KpiService`` and ``OverdueService`` so they
share it; without one each service keeps its own.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.database.unit_of_work import Database
from app.services.project_facts import ProjectFacts, load_project_facts

_Key = tuple[str | None, str | None, bool]
_Stamp = tuple[int, object, int]
"""(generation, the driver connection read on, its ``data_version``)."""


def _same(kept: _Stamp, now: _Stamp) -> bool:
    """Nothing committed since: same generation, same connection (held, so never a reused
    address), same data version."""
    return kept[0] == now[0] and kept[1] is now[1] and kept[2] == now[2]


class ProjectFactsSource:
    """Loads project facts, reusing the last load while the database is unchanged."""

    def __init__(self, database: Database, *, keep: bool = True) -> None:
        self._keep = keep
        self._lock = threading.Lock()
        self._generation = 0
        self._kept: dict[_Key, tuple[_Stamp, tuple[ProjectFacts, ...]]] = {}
        if keep:
            event.listen(database.engine, "commit", self._on_engine_commit)

    def facts(
        self,
        session: Session,
        *,
        squad_id: str | None = None,
        responsible_id: str | None = None,
        signed_only: bool = False,
    ) -> tuple[ProjectFacts, ...]:
        key = (squad_id, responsible_id, signed_only)
        stamp = self._stamp(session) if self._keep else None
        if stamp is not None:
            with self._lock:
                kept = self._kept.get(key)
            if kept is not None and _same(kept[0], stamp):
                return kept[1]
        facts = load_project_facts(
            session, squad_id=squad_id, responsible_id=responsible_id, signed_only=signed_only
        )
        if stamp is not None:
            with self._lock:
                if stamp[0] == self._generation:
                    self._kept[key] = (stamp, facts)
        return facts

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._kept.clear()

    def _stamp(self, session: Session) -> _Stamp | None:
        connection = session.connection()
        if connection.dialect.name != "sqlite":
            return None
        driver = connection.connection.dbapi_connection
        if driver is None:
            return None
        version = driver.execute("PRAGMA data_version").fetchone()[0]
        return (self._generation, driver, int(version))

    def _on_engine_commit(self, _connection: Any) -> None:
        self.clear()


class SplitFactsSource(ProjectFactsSource):
    """Reads the whole bureau's facts once and answers per-squad (or per-cadre) questions by
    filtering them in memory: for reports that ask the same question of every squad in turn
    (一季一评比), one read instead of one per squad. Kept only for its own lifetime."""

    def __init__(self, database: Database) -> None:
        super().__init__(database, keep=False)
        self._bureau: dict[bool, tuple[ProjectFacts, ...]] = {}

    def facts(
        self,
        session: Session,
        *,
        squad_id: str | None = None,
        responsible_id: str | None = None,
        signed_only: bool = False,
    ) -> tuple[ProjectFacts, ...]:
        if signed_only not in self._bureau:
            self._bureau[signed_only] = load_project_facts(session, signed_only=signed_only)
        return tuple(
            fact
            for fact in self._bureau[signed_only]
            if (squad_id is None or fact.squad_id == squad_id)
            and (responsible_id is None or fact.responsible_id == responsible_id)
        )
