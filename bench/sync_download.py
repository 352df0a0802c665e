"""Initial download of the large dataset into an empty client over loopback, in records/s.

The cached large demo database (``bench/dataset.py``) is exported with ``squaddesk-cli export``,
a new server is seeded from that file with ``squaddesk-server import``, and a fresh client's
first sync is timed (log-in, every pull page, the closing summary check). The baseline is bare
``sqlite3``: ``executemany`` of the same rows into an empty copy of the client schema, in one
transaction, with the client's pragmas (WAL, synchronous=FULL). Server database: PostgreSQL when
``SQUADDESK_BENCH_DATABASE_URL`` or ``SQUADDESK_TEST_DATABASE_URL`` names one, else SQLite.
``SQUADDESK_BENCH_SIZE=small`` uses the small demo for a quick check.

Run alone: ``python -m bench.sync_download``.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.dataset import large_data_dir
from bench.harness import OUT, Figure, report, run_python
from bench.sync_server import (
    PASSWORD,
    BenchServer,
    bench_size,
    postgres_admin_url,
    throwaway_postgres,
)

BENCH_USER = "bench"
BENCH_SQUAD = "基准测试队"
TARGET = 5000.0


def dataset_dir(size: str) -> Path:
    if size == "large":
        return large_data_dir()
    small = OUT / "small-data"
    if not (small / "squaddesk.db").is_file():
        run_python(["-m", "app.cli", "demo", "--size", "small", "--data-dir", str(small)])
    return small


def exported(data_dir: Path) -> Path:
    """The dataset as ``squaddesk-cli export`` JSON, cached beside it."""
    target = data_dir.parent / f"{data_dir.name}-export.json"
    database = data_dir / "squaddesk.db"
    if not target.is_file() or target.stat().st_mtime < database.stat().st_mtime:
        run_python(
            ["-m", "app.cli", "--data-dir", str(data_dir), "export", "--out", str(target)],
            timeout=1800,
        )
    return target


def synced_tables(database: Path) -> list[str]:
    from app.database.tables import TABLE_BY_NAME

    with contextlib.closing(sqlite3.connect(database)) as connection:
        present = {r for (r,) in connection.execute("SELECT name FROM sqlite_master")}
    return [name for name in TABLE_BY_NAME if name in present]


def bare_insert_rate(source: Path, directory: Path) -> tuple[int, float]:
    """(rows, rows/s) of bare sqlite3 executemany of every synced row into an empty schema."""
    tables = synced_tables(source)
    target = directory / "bare.db"
    with contextlib.closing(sqlite3.connect(source)) as src:
        schema = [
            sql
            for (sql, name, table) in src.execute(
                "SELECT sql, name, tbl_name FROM sqlite_master WHERE sql IS NOT NULL"
                " AND type IN ('table', 'index')"
            )
            if table in tables
        ]
        with contextlib.closing(sqlite3.connect(target, isolation_level=None)) as bare:
            bare.execute("PRAGMA journal_mode=WAL")
            bare.execute("PRAGMA synchronous=FULL")
            for statement in schema:
                bare.execute(statement)
            rows_total = 0
            seconds = 0.0
            bare.execute("BEGIN")
            for table in tables:
                rows = src.execute(f'SELECT * FROM "{table}"').fetchall()
                if not rows:
                    continue
                marks = ",".join("?" * len(rows[0]))
                start = time.perf_counter()
                bare.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)
                seconds += time.perf_counter() - start
                rows_total += len(rows)
                del rows
            start = time.perf_counter()
            bare.execute("COMMIT")
            seconds += time.perf_counter() - start
    return rows_total, rows_total / seconds


def first_sync(server_url: str, client_dir: Path) -> tuple[int, float]:
    """(records pulled, seconds) of a new client's first sync."""
    from app.database.opening import open_local_database
    from app.services.workspace import Workspace
    from app.sync.engine import SyncEngine

    database = open_local_database(client_dir)
    try:
        engine = SyncEngine(
            Workspace(database, client_dir),
            password=PASSWORD,
            server_url=server_url,
            username=BENCH_USER,
        )
        start = time.perf_counter()
        result = engine.run()
        seconds = time.perf_counter() - start
    finally:
        database.dispose()
    return result.pulled, seconds


def seeded_server(directory: Path, database_url: str | None, export: Path) -> BenchServer:
    server = BenchServer(directory / "server", database_url)
    server.add_user(BENCH_USER, BENCH_SQUAD, "admin")
    server.cli("import", str(export), "--squad", BENCH_SQUAD)
    return server.start()


def main() -> None:
    size = bench_size()
    data = dataset_dir(size)
    export = exported(data)
    admin_url = postgres_admin_url()
    engine_name = "PostgreSQL" if admin_url else "SQLite"
    with tempfile.TemporaryDirectory(prefix="squaddesk-bench-") as temp:
        directory = Path(temp)
        with contextlib.ExitStack() as stack:
            url = stack.enter_context(throwaway_postgres(admin_url)) if admin_url else None
            server = stack.enter_context(seeded_server(directory, url, export))
            pulled, seconds = first_sync(server.url, directory / "client")
        rows, bare_rate = bare_insert_rate(data / "squaddesk.db", directory)
    report(
        "sync download",
        [
            Figure(
                f"initial download, {size} dataset ({pulled:,} records, {engine_name} server)",
                pulled / seconds,
                bare_rate,
                "rec/s",
                f"≥ {TARGET:,.0f} records/s (baseline: bare sqlite3 executemany, {rows:,} rows)",
            ),
        ],
    )
    print(f"first sync took {seconds:.1f} s")


if __name__ == "__main__":
    main()
