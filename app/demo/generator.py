"""``squaddesk-cli demo``: fill an empty local database with realistic, deterministic demo data.

The same seed and ``today`` give the same rows, ids included. Everything is written in one
transaction straight through the SQLite driver: demo rows get no outbox entries and no history,
so they can never be pushed to a bureau's server. The database is marked with the ``DEMO_DATA``
setting, and ``CURRENT_MEMBER`` is set to the leader of the first squad (the demo's "me").
"""

from __future__ import annotations

import datetime as dt
import gc
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from enum import StrEnum

from app.database.unit_of_work import Database
from app.demo.chains import CHAINS
from app.demo.context import Context, Plan
from app.demo.enterprises import build_enterprises
from app.demo.fieldwork import build_visits
from app.demo.followup import build_my_follow_ups, build_notes, build_tasks
from app.demo.people import build_organisation
from app.demo.projects import build_projects
from app.demo.texts import LinkTexts, Slots
from app.demo.writer import BulkWriter
from app.domain.errors import AppError
from app.i18n import tr
from app.services.workspace import CURRENT_MEMBER, DEMO_DATA

BUILD_CACHE_KIB = 524_288
"""Page cache for the build's connection while it runs (restored afterwards)."""


class DemoSize(StrEnum):
    SMALL = "small"
    LARGE = "large"


@dataclass(frozen=True)
class DemoSummary:
    counts: dict[str, int]  # table name -> rows written
    seconds: float


PLANS: dict[DemoSize, Plan] = {
    DemoSize.SMALL: Plan(
        extra_squads=0,
        members=(4, 7),
        enterprises=300,
        duplicates=4,
        contacts=560,
        visits=540,
        visits_per_enterprise=(2, 4),
        trip_size=(3, 7),
        participants=(1, 3),
        attendees=(1, 3),
        notes=240,
        rounds=(1, 4),
        commitment_share=0.35,
        projects=80,
        tasks=300,
        text_pool=40,
        single_write_journal=False,
    ),
    DemoSize.LARGE: Plan(
        extra_squads=14,
        members=(4, 7),
        enterprises=100_000,
        duplicates=100,
        contacts=200_000,
        visits=300_000,
        visits_per_enterprise=(2, 6),
        trip_size=(6, 14),
        participants=(1, 2),
        attendees=(1, 2),
        notes=300_000,
        rounds=(1, 6),
        commitment_share=0.1,
        projects=20_000,
        tasks=100_000,
        text_pool=300,
        single_write_journal=True,
    ),
}
"""Section 7 of the design fixes the large totals (enterprises, contacts, visits, notes,
projects, tasks); the small plan is a few hundred enterprises."""


def build_demo(
    database: Database,
    size: DemoSize,
    seed: int = 42,
    today: dt.date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> DemoSummary:
    """Write the demo dataset of ``size`` into ``database``, which must hold no squads and no
    enterprises yet (demo data never mixes with real data); raises ``AppError`` otherwise.

    ``progress(stage, done, total)`` is called now and then. Everything is one transaction:
    an exception anywhere, including one raised by ``progress`` to cancel, leaves the database
    as it was.
    """
    started = time.perf_counter()
    size = DemoSize(size)
    day = today or dt.date.today()
    if database.engine.dialect.name != "sqlite":
        raise AppError(tr("演示数据只能载入本机的 SQLite 数据库"))
    with database.engine.connect() as connection:
        raw: sqlite3.Connection = connection.connection.driver_connection  # type: ignore[assignment]
        with _bulk_load_settings(raw, PLANS[size].single_write_journal):
            connection.execution_options(immediate=True)
            with connection.begin():
                _refuse_if_not_empty(raw)
                writer = BulkWriter(raw, progress)
                indexes = writer.drop_indexes()
                ctx = Context(seed, day, PLANS[size], writer)
                with _no_cyclic_gc():
                    _build(ctx, progress)
                writer.finish()
                if progress is not None:
                    progress(tr("建立索引"), 0, 1)
                writer.create_indexes(indexes)
                if progress is not None:
                    progress(tr("建立索引"), 1, 1)
                raw.executemany(
                    "INSERT INTO local_settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [
                        (DEMO_DATA, f"{size.value}:{seed}"),
                        (CURRENT_MEMBER, ctx.squads[0].leader_id),
                    ],
                )
    if progress is not None:
        progress(tr("完成"), 1, 1)
    counts = {name: count for name, count in writer.counts.items() if count}
    return DemoSummary(counts=counts, seconds=time.perf_counter() - started)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the build makes millions of small tuples and no
    cycles, and full collections over them would cost seconds for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _bulk_load_settings(raw: sqlite3.Connection, single_write: bool) -> Iterator[None]:
    """Settings of this connection while the demo loads, all restored afterwards:

    * a larger page cache;
    * foreign keys not re-checked row by row (the generator makes every reference itself, and
      the tests check them all);
    * with ``single_write`` (the large plan), the rollback journal instead of the WAL when no
      other connection has the database open, so the gigabyte is written once rather than
      twice (WAL, then checkpoint). Both journals are fully durable; ``synchronous`` is left
      as it is. The small plan keeps the WAL, so other connections are never held up.
    """
    cache_size = int(raw.execute("PRAGMA cache_size").fetchone()[0])
    foreign_keys = int(raw.execute("PRAGMA foreign_keys").fetchone()[0])
    journal = str(raw.execute("PRAGMA journal_mode").fetchone()[0])
    raw.execute(f"PRAGMA cache_size=-{BUILD_CACHE_KIB}")
    raw.execute("PRAGMA foreign_keys=OFF")
    if single_write:
        with suppress(sqlite3.OperationalError):  # busy: another connection is open, keep WAL
            raw.execute("PRAGMA journal_mode=DELETE").fetchall()
    try:
        yield
    finally:
        with suppress(sqlite3.OperationalError):  # if busy, the next connection sets WAL again
            raw.execute(f"PRAGMA journal_mode={journal}").fetchall()
        raw.execute(f"PRAGMA foreign_keys={foreign_keys}")
        raw.execute(f"PRAGMA cache_size={cache_size}")


def _refuse_if_not_empty(raw: sqlite3.Connection) -> None:
    found = raw.execute(
        "SELECT EXISTS (SELECT 1 FROM squads) OR EXISTS (SELECT 1 FROM enterprises)"
    ).fetchone()[0]
    if found:
        raise AppError(
            tr(
                "数据库中已有小分队或企业数据，演示数据不能与真实数据混用；"
                "请在一个新的空数据目录中载入演示数据（未做任何更改）"
            )
        )


def _build(ctx: Context, progress: Callable[[str, int, int], None] | None) -> None:
    if progress is not None:
        progress(tr("小分队与产业链"), 0, 1)
    build_organisation(ctx)
    if progress is not None:
        progress(tr("小分队与产业链"), 1, 1)
    text_rng = ctx.rng("texts")
    slots = Slots(text_rng)
    ctx.texts = [
        LinkTexts(slots, text_rng, CHAINS[link.chain].name, link.spec.business, ctx.plan.text_pool)
        for link in ctx.links
    ]
    build_enterprises(ctx)
    build_projects(ctx)
    build_visits(ctx)
    build_notes(ctx)
    build_tasks(ctx)
    build_my_follow_ups(ctx)
