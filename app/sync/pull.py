"""Pull by server cursor, and the end-of-sync comparison with the server's summary.

Each page is applied and its ``next_cursor`` stored in one local transaction (foreign keys off),
so the cursor never runs ahead of what was written. After a sync that leaves the outbox empty at
the head of the feed, per-table counts and ``row_version`` sums are compared with
``/sync/summary``; a mismatch pulls everything again from cursor 0 (records are written only
where their version differs), never a one-sided overwrite. A mismatch that survives a full
re-pull (say, records the server no longer shows this user) is remembered, so the next syncs do
not re-download everything for the same difference.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.database.unit_of_work import Database
from app.i18n import tr
from app.sync import state
from app.sync.apply import SPECS, apply_records
from app.sync.errors import SyncProblem
from app.sync.local_tx import server_data_transaction
from app.sync.protocol import PULL_PAGE_MAX, PullResponse, SummaryResponse
from app.sync.transport import Transport

SUMMARY_MISMATCH = "summary_mismatch"
"""Setting: the per-table differences a full re-pull did not remove (JSON), or absent."""

Stop = Callable[[], bool]
Report = Callable[[int, int], None]
Check = Callable[[PullResponse, int], None]
"""Run on each page (and the cursor it was asked for) before it is applied; may raise."""


@dataclass(slots=True)
class PullCounts:
    written: int = 0
    received: int = 0
    new_conflicts: int = 0
    cursor: int = 0
    reached_head: bool = False
    blobs: set[str] = field(default_factory=set)
    seen: dict[str, set[str]] | None = None
    """Table → ids of every record pulled, when asked for (a recovery's full pull)."""


def pull_all(
    database: Database,
    transport: Transport,
    *,
    server_id: str,
    cursor: int,
    stop: Stop,
    confirm_mass_delete: bool,
    page_size: int = PULL_PAGE_MAX,
    expected: int = 0,
    report: Report | None = None,
    counts: PullCounts | None = None,
    check: Check | None = None,
    force: bool = False,
) -> PullCounts:
    """Pull pages from ``cursor`` until the server has no more (or ``stop()``); ``force``
    writes every record, whatever its ``row_version`` (a recovery, ``app.sync.restore``)."""
    counts = counts if counts is not None else PullCounts()
    counts.cursor = cursor
    counts.reached_head = False
    limit = min(page_size, PULL_PAGE_MAX)
    while not stop():
        page = transport.pull(counts.cursor, limit)
        if page.server_id != server_id:
            raise other_server()
        if page.has_more and page.next_cursor <= counts.cursor:
            raise SyncProblem("server_error", tr("服务器的下载位置没有前进，请稍后重试"))
        if check is not None:
            check(page, counts.cursor)
        _write_page(database, page, confirm_mass_delete, counts, force)
        if report is not None:
            report(counts.received, max(expected, counts.received))
        if not page.has_more:
            counts.reached_head = True
            break
    return counts


def _write_page(
    database: Database,
    page: PullResponse,
    confirm_mass_delete: bool,
    counts: PullCounts,
    force: bool,
) -> None:
    """The page and the cursor (and feed epoch) after it, in one local transaction."""
    with server_data_transaction(database) as connection:
        stats = apply_records(
            connection, page.records, confirm_mass_delete=confirm_mass_delete, force=force
        )
        state.put(connection, state.PULL_CURSOR, str(page.next_cursor))
        if page.epoch is not None:
            state.put(connection, state.FEED_EPOCH, page.epoch)
    if counts.seen is not None:
        for record in page.records:
            counts.seen.setdefault(record.table, set()).add(record.id)
    counts.cursor = page.next_cursor
    counts.received += len(page.records)
    counts.written += stats.written
    counts.new_conflicts += stats.conflicts
    counts.blobs |= stats.blobs


def other_server() -> SyncProblem:
    return SyncProblem(
        "other_server",
        tr(
            "这台服务器不是本机数据一直同步的那台（服务器标识不同），为防止数据混淆已停止同步，"
            "未发送也未接收任何数据"
        ),
    )


def local_summary(database: Database, tables: list[str]) -> dict[str, tuple[int, int]]:
    """Table → (count, row_version sum) of rows the server has acknowledged (version > 0)."""
    found: dict[str, tuple[int, int]] = {}
    with database.engine.connect() as connection:
        for name in tables:
            table = SPECS[name].table
            query = select(func.count(), func.coalesce(func.sum(table.c.row_version), 0)).where(
                table.c.row_version > 0
            )
            count, total = connection.execute(query).one()
            found[name] = (int(count), int(total))
    return found


def differences(database: Database, summary: SummaryResponse) -> dict[str, list[int]]:
    """Table → [server count, local count, server sum, local sum] where they differ."""
    known = [name for name in summary.tables if name in SPECS]
    local = local_summary(database, known)
    diff: dict[str, list[int]] = {}
    for name in known:
        theirs = summary.tables[name]
        count, total = local[name]
        if (theirs.count, theirs.version_sum) != (count, total):
            diff[name] = [theirs.count, count, theirs.version_sum, total]
    return diff


def needs_repull(database: Database, summary: SummaryResponse) -> bool:
    """True when local and server summaries differ in a way a re-pull has not yet explained."""
    diff = differences(database, summary)
    if not diff:
        state.save(database, {SUMMARY_MISMATCH: None})
        return False
    with database.engine.connect() as connection:
        remembered = state.get(connection, SUMMARY_MISMATCH)
    return remembered != _signature(diff)


def remember_mismatch(database: Database, summary: SummaryResponse) -> None:
    diff = differences(database, summary)
    state.save(database, {SUMMARY_MISMATCH: _signature(diff) if diff else None})


def _signature(diff: dict[str, list[int]]) -> str:
    return json.dumps(diff, sort_keys=True)
