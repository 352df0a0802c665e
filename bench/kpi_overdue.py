"""The KPI dashboard and the overdue lists (督办清单) on the large dataset, beside bare sqlite3.

Each figure is the median and p95 of several runs, "today" fixed to the dataset's build day.

- Dashboard: ``KpiService.dashboard`` for one month, for the whole bureau and for the squad with
  the most projects — four rates with their drill-down project lists, four milestone counts
  with theirs, and a 12-month trend. Baseline: bare sqlite3 computing the same month's four
  rates and four counts (not the trend nor the lists) with one hand-written SQL statement
  (first day each stage was reached from the stage history, funds to the month's end).
- Both read through one ``ProjectFactsSource``, as the app does. The main figures are cold
  (nothing kept: every run reads and folds the stage history again); the "kept facts" figures
  are what stepping to another period or switching to the overdue tab costs afterwards.
- Overdue lists: ``OverdueService.not_started`` / ``three_nots`` / ``commitments`` /
  ``problems`` / ``board`` (all four and the per-cadre summary). Baselines: bare SQL listing the
  same items (project lists: signed ≥ N months ago by the history, not started, not
  terminated; commitments and problems: past due) with their enterprise and cadre names.

The app opens the cached large dataset as it is when it is at the current schema revision;
an older one is copied to ``bench/out/kpi-data`` and migrated there (timed), so the cache is
never changed.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import Any

from app.database.opening import database_path, open_local_database
from app.database.schema import SCHEMA_REVISION
from app.domain.period import Period, PeriodKind, add_months
from app.services.bureau_settings import BureauSettingsService
from app.services.kpi import KpiService
from app.services.overdue import OverdueService
from app.services.project_facts_cache import ProjectFactsSource
from app.services.workspace import Workspace
from bench.dataset import large_data_dir
from bench.harness import OUT, Figure, median_of, percentile, report

COPY = OUT / "kpi-data"
RUNS = 7
TARGET = "≤ 500 ms"

_REACHED = """
  SELECT project_id,
    min(CASE WHEN to_stage IN ('signed','registered','started','completed','producing')
        THEN changed_on END) AS signed_on,
    min(CASE WHEN to_stage IN ('registered','started','completed','producing')
        THEN changed_on END) AS registered_on,
    min(CASE WHEN to_stage IN ('started','completed','producing') THEN changed_on END)
        AS started_on,
    min(CASE WHEN to_stage IN ('completed','producing') THEN changed_on END) AS completed_on,
    min(CASE WHEN to_stage = 'producing' THEN changed_on END) AS producing_on,
    (SELECT c2.to_stage FROM project_stage_changes c2
      WHERE c2.project_id = c.project_id AND c2.deleted = 0 AND c2.changed_on <= :end
      ORDER BY c2.changed_on DESC, c2.created_at DESC, c2.id DESC LIMIT 1) AS stage_now
  FROM project_stage_changes c WHERE deleted = 0 GROUP BY project_id
"""

BARE_DASHBOARD = f"""
WITH reached AS ({_REACHED}),
funds AS (
  SELECT project_id, sum(amount) AS funded FROM funding_entries
  WHERE deleted = 0 AND received_on <= :end GROUP BY project_id
),
live AS (
  SELECT r.*, p.contract_amount, coalesce(f.funded, 0) AS funded
  FROM projects p JOIN reached r ON r.project_id = p.id
  LEFT JOIN funds f ON f.project_id = p.id
  WHERE p.deleted = 0 {{squad}}
)
SELECT
  sum(signed_on BETWEEN :year_start AND :end),
  sum(signed_on BETWEEN :year_start AND :end AND (registered_on <= :end OR funded > 0)),
  sum(signed_on BETWEEN :year_start AND :end AND started_on <= :end),
  sum(signed_on BETWEEN :year_start AND :end AND producing_on <= :end),
  sum(CASE WHEN signed_on BETWEEN :year_start AND :end THEN
      CASE WHEN contract_amount IS NOT NULL THEN funded ELSE 0 END END),
  sum(CASE WHEN signed_on BETWEEN :year_start AND :end THEN contract_amount END),
  sum(signed_on BETWEEN :start AND :end), sum(started_on BETWEEN :start AND :end),
  sum(completed_on BETWEEN :start AND :end), sum(producing_on BETWEEN :start AND :end)
FROM live
"""

BARE_NOT_STARTED = f"""
WITH reached AS ({_REACHED})
SELECT p.id, p.name, e.name, m.name, s.name, r.signed_on
FROM projects p JOIN reached r ON r.project_id = p.id
JOIN enterprises e ON e.id = p.enterprise_id
LEFT JOIN members m ON m.id = p.responsible_id
LEFT JOIN squads s ON s.id = p.squad_id
WHERE p.deleted = 0 AND r.signed_on <= :signed_before
  AND (r.started_on IS NULL OR r.started_on > :end) AND r.stage_now IS NOT 'terminated'
"""

BARE_COMMITMENTS = """
SELECT c.id, c.content, e.name, m.name, c.due_on FROM commitments c
JOIN enterprises e ON e.id = c.enterprise_id LEFT JOIN members m ON m.id = c.promised_by_id
WHERE c.deleted = 0 AND e.deleted = 0 AND c.status = 'pending' AND c.due_on < :end
"""

BARE_PROBLEMS = """
SELECT p.id, p.title, e.name, m.name, p.deadline FROM problems p
JOIN enterprises e ON e.id = p.enterprise_id LEFT JOIN members m ON m.id = p.owner_id
WHERE p.deleted = 0 AND e.deleted = 0 AND p.status = 'open' AND p.deadline < :end
"""


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _data_dir() -> tuple[Path, float | None]:
    """The large dataset at the current revision, and the seconds a migration took (if any)."""
    source = large_data_dir()
    if _revision(database_path(source)) == SCHEMA_REVISION:
        return source, None
    shutil.rmtree(COPY, ignore_errors=True)
    COPY.mkdir(parents=True)
    shutil.copyfile(database_path(source), database_path(COPY))
    start = time.perf_counter()
    open_local_database(COPY).dispose()
    seconds = time.perf_counter() - start
    shutil.rmtree(COPY / "backups", ignore_errors=True)
    return COPY, seconds


def _today(bare: sqlite3.Connection) -> dt.date:
    """The day the demo was built (its newest stage change)."""
    newest = bare.execute("SELECT max(changed_on) FROM project_stage_changes").fetchone()[0]
    return dt.date.fromisoformat(str(newest))


def _busiest_squad(bare: sqlite3.Connection) -> str:
    return str(
        bare.execute(
            "SELECT squad_id FROM projects WHERE deleted = 0 AND squad_id IS NOT NULL"
            " GROUP BY squad_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    )


def _runs(function: Callable[[], object]) -> list[float]:
    function()  # warm: the page cache, SQLAlchemy's statement cache
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _figures(name: str, mine: list[float], base: list[float]) -> list[Figure]:
    return [
        Figure(f"{name} p50", median_of(mine), median_of(base), "ms", TARGET),
        Figure(f"{name} p95", percentile(mine, 0.95), percentile(base, 0.95), "ms", TARGET),
    ]


def main() -> None:
    data_dir, migration_seconds = _data_dir()
    bare = sqlite3.connect(f"file:{database_path(data_dir)}?mode=ro", uri=True)
    database = open_local_database(data_dir, create=False)
    try:
        today = _today(bare)
        workspace = Workspace(database, data_dir)
        facts = ProjectFactsSource(database)
        kpi = KpiService(workspace, lambda: today, facts)
        overdue = OverdueService(workspace, lambda: today, facts)

        def cold(function: Callable[[], object]) -> Callable[[], object]:
            """The call with nothing kept: the facts are read from the database again."""

            def call() -> object:
                facts.clear()
                return function()

            return call

        rules = BureauSettingsService(workspace).rules()
        month = Period.containing(PeriodKind.MONTH, today)
        squad = _busiest_squad(bare)
        params = {
            "start": month.start.isoformat(),
            "end": month.end.isoformat(),
            "year_start": dt.date(month.end.year, 1, 1).isoformat(),
        }
        overdue_params = {
            "end": today.isoformat(),
            "signed_before": add_months(today, -rules.not_started_months).isoformat(),
        }
        squad_sql = BARE_DASHBOARD.replace("{squad}", "AND p.squad_id = :squad")
        bureau_sql = BARE_DASHBOARD.replace("{squad}", "")
        figures: list[Figure] = []
        figures += _figures(
            f"dashboard {month.start:%Y-%m}, bureau (+12-month trend)",
            _runs(cold(lambda: kpi.dashboard(month))),
            _runs(lambda: bare.execute(bureau_sql, params).fetchall()),
        )
        figures += _figures(
            f"dashboard {month.start:%Y-%m}, one squad",
            _runs(cold(lambda: kpi.dashboard(month, squad))),
            _runs(lambda: bare.execute(squad_sql, params | {"squad": squad}).fetchall()),
        )
        lists: tuple[tuple[str, Callable[[], object], str, dict[str, str]], ...] = (
            ("overdue: 签约N个月未开工", overdue.not_started, BARE_NOT_STARTED, overdue_params),
            ("overdue: 三未", overdue.three_nots, BARE_NOT_STARTED, overdue_params),
            ("overdue: commitments", overdue.commitments, BARE_COMMITMENTS, overdue_params),
            ("overdue: problems", overdue.problems, BARE_PROBLEMS, overdue_params),
        )
        for name, listing, sql, values in lists:
            rows = listing()
            figures += _figures(
                f"{name} ({len(rows) if isinstance(rows, tuple) else '?'} rows)",
                _runs(cold(listing)),
                _runs(partial(_bare_rows, bare, sql, values)),
            )
        figures += _figures(
            "overdue: all four lists + by cadre",
            _runs(cold(overdue.board)),
            _runs(
                lambda: [bare.execute(sql, values).fetchall() for _n, _l, sql, values in lists[1:]]
            ),
        )
        kpi.dashboard(month)  # facts kept from here on: stepping periods, switching tabs
        figures += _figures(
            "kept facts: dashboard of the previous month",
            _runs(lambda: kpi.dashboard(month.previous())),
            _runs(lambda: bare.execute(bureau_sql, params).fetchall()),
        )
        figures += _figures(
            "kept facts: all four lists + by cadre",
            _runs(overdue.board),
            _runs(
                lambda: [bare.execute(sql, values).fetchall() for _n, _l, sql, values in lists[1:]]
            ),
        )
        if migration_seconds is not None:
            figures.append(
                Figure("migrate a copy to the current schema", migration_seconds, None, "s", "—")
            )
    finally:
        database.dispose()
        bare.close()
    report("kpi and overdue", figures)


if __name__ == "__main__":
    main()


def _bare_rows(bare: sqlite3.Connection, sql: str, values: dict[str, str]) -> list[Any]:
    return bare.execute(sql, values).fetchall()
