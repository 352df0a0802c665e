"""20 laptops pushing at once to a server on PostgreSQL: p95 push latency, nothing lost or doubled.

Each laptop is its own process with its own user. After a first sync they wait for a common
start, then run ``ROUNDS`` sync cycles, each after ``EDITS`` new enterprises; every
``/sync/push`` call is timed inside the laptop. At the end the server's ``change_log`` is
counted by ``change_id`` against every change the laptops queued: none may be missing, none
twice, and none refused. The baseline is a bare psycopg ``INSERT`` + commit round trip to the
same PostgreSQL. The laptops run at a lower CPU priority (nice 10): they stand in for 20
separate machines, and on a 2-core box twenty laptop processes at full priority take the CPU
from the one server process being measured (p95 ≈ 0.6 s that way, ≈ 0.12 s without the theft).
Needs ``SQUADDESK_BENCH_DATABASE_URL`` or ``SQUADDESK_TEST_DATABASE_URL``;
``SQUADDESK_BENCH_CLIENTS`` / ``SQUADDESK_BENCH_ROUNDS`` shrink it for a quick check.

Run alone: ``python -m bench.sync_concurrent``.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.harness import ROOT, Figure, percentile, report
from bench.sync_server import (
    PASSWORD,
    BenchServer,
    postgres_admin_url,
    throwaway_postgres,
)

CLIENTS = int(os.environ.get("SQUADDESK_BENCH_CLIENTS", "20"))
ROUNDS = int(os.environ.get("SQUADDESK_BENCH_ROUNDS", "10"))
EDITS = 10
WORKERS = int(os.environ.get("SQUADDESK_BENCH_WORKERS", "1"))
LAPTOP_NICE = 10
SQUAD = "并发测试队"
TARGET_MS = 500.0


# -- one laptop (a child process) ---------------------------------------------------------------


def worker(data_dir: Path, server_url: str, username: str, rounds: int, edits: int) -> None:
    from sqlalchemy import text

    from app.database.opening import open_local_database
    from app.services.enterprises import EnterpriseService
    from app.services.workspace import Workspace
    from app.sync.engine import SyncEngine
    from app.sync.transport import Transport

    latencies: list[float] = []
    real_push = Transport.push

    def timed_push(self: Transport, request: Any) -> Any:
        start = time.perf_counter()
        try:
            return real_push(self, request)
        finally:
            latencies.append((time.perf_counter() - start) * 1000)

    Transport.push = timed_push  # type: ignore[method-assign]
    database = open_local_database(data_dir)
    workspace = Workspace(database, data_dir)
    engine = SyncEngine(workspace, password=PASSWORD, server_url=server_url, username=username)
    engine.run()
    latencies.clear()
    print("ready", flush=True)
    sys.stdin.readline()  # the common start
    service = EnterpriseService(workspace)
    queued: list[str] = []
    for number in range(rounds):
        for edit in range(edits):
            service.create({"name": f"{username}并发企业{number}-{edit}"})
        with database.engine.connect() as connection:
            queued += [r for (r,) in connection.execute(text("SELECT change_id FROM outbox"))]
        engine.run()
    database.dispose()
    print(json.dumps({"latencies": latencies, "queued": queued}), flush=True)


# -- the run ------------------------------------------------------------------------------------


def bare_insert_p95(database_url: str, trials: int = 300) -> float:
    import psycopg

    dsn = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    samples: list[float] = []
    with psycopg.connect(dsn) as connection:
        connection.execute("CREATE TABLE bench_bare (id serial PRIMARY KEY, body text)")
        connection.commit()
        for number in range(trials):
            start = time.perf_counter()
            connection.execute("INSERT INTO bench_bare (body) VALUES (%s)", (f"row {number}",))
            connection.commit()
            samples.append((time.perf_counter() - start) * 1000)
        connection.execute("DROP TABLE bench_bare")
        connection.commit()
    return percentile(samples, 0.95)


def change_log_counts(database_url: str) -> dict[str, tuple[int, set[str]]]:
    import psycopg

    dsn = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn) as connection:
        rows = connection.execute(
            "SELECT change_id, count(*), array_agg(outcome) FROM change_log GROUP BY change_id"
        ).fetchall()
    return {str(change): (int(count), set(outcomes)) for change, count, outcomes in rows}


def _spawn(directory: Path, server: BenchServer, number: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.sync_concurrent",
            "worker",
            str(directory / f"laptop{number:02d}"),
            server.url,
            f"bench{number:02d}",
            str(ROUNDS),
            str(EDITS),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=_lower_priority,
    )


def _lower_priority() -> None:
    """Laptops stand in for separate machines: their CPU must not be taken from the server."""
    os.nice(LAPTOP_NICE)


def main() -> None:
    admin_url = postgres_admin_url()
    if admin_url is None:
        print("sync concurrent: skipped, no PostgreSQL (set SQUADDESK_TEST_DATABASE_URL)")
        return
    with (
        tempfile.TemporaryDirectory(prefix="squaddesk-bench-") as temp,
        contextlib.ExitStack() as stack,
    ):
        directory = Path(temp)
        database_url = stack.enter_context(throwaway_postgres(admin_url))
        server = BenchServer(directory / "server", database_url, workers=WORKERS)
        server.add_user("bench00", SQUAD, "member")  # creates the squad before the others race
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda n: server.add_user(f"bench{n:02d}", SQUAD), range(1, CLIENTS)))
        stack.enter_context(server.start())
        laptops = [_spawn(directory, server, number) for number in range(CLIENTS)]
        for laptop in laptops:
            assert laptop.stdout is not None
            if laptop.stdout.readline().strip() != "ready":
                raise RuntimeError("a laptop failed its first sync")
        start = time.perf_counter()
        for laptop in laptops:
            assert laptop.stdin is not None
            laptop.stdin.write("go\n")
            laptop.stdin.flush()
        results = []
        for laptop in laptops:
            out, _ = laptop.communicate(timeout=1800)
            if laptop.returncode != 0:
                raise RuntimeError(f"a laptop failed (exit {laptop.returncode})")
            results.append(json.loads(out.strip().splitlines()[-1]))
        wall = time.perf_counter() - start
        latencies = [value for result in results for value in result["latencies"]]
        queued = {change for result in results for change in result["queued"]}
        logged = change_log_counts(database_url)
        bare = bare_insert_p95(database_url)
    lost = queued - set(logged)
    doubled = {change for change, (count, _) in logged.items() if count > 1}
    refused = {change for change, (_, outcomes) in logged.items() if outcomes != {"applied"}}
    report(
        "sync concurrent",
        [
            Figure(
                f"p95 push, {CLIENTS} laptops × {ROUNDS} rounds × {EDITS} edits (PostgreSQL)",
                percentile(latencies, 0.95),
                bare,
                "ms",
                f"≤ {TARGET_MS:.0f} ms, nothing lost or doubled (baseline: bare psycopg INSERT)",
            ),
        ],
    )
    print(
        f"{len(queued):,} changes queued, {len(logged):,} in the change log: {len(lost)} lost,"
        f" {len(doubled)} doubled, {len(refused)} not applied; {len(latencies)} pushes,"
        f" median {percentile(latencies, 0.5):.0f} ms, max {max(latencies):.0f} ms; {wall:.1f} s"
    )
    if lost or doubled or refused:
        raise SystemExit("sync concurrent: changes lost, doubled or refused")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(Path(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    else:
        main()
