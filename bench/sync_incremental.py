"""Incremental sync of 100 edits, round trip: laptop A edits 100 enterprises and syncs, laptop B
syncs and has them. Both laptops start from a full download of the dataset.

The figure is the wall time of A's sync (push + pull + summary check) plus B's sync, medians of
a few rounds; the baseline is the same two syncs with nothing to send (the fixed cost of log-in,
an empty pull and the summary check). Every round checks B ends with A's values.
``SQUADDESK_BENCH_SIZE=small`` uses the small demo.

Run alone: ``python -m bench.sync_incremental``.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from bench.harness import Figure, median_of, report
from bench.sync_download import (
    BENCH_USER,
    dataset_dir,
    exported,
    seeded_server,
)
from bench.sync_server import PASSWORD, bench_size, postgres_admin_url, throwaway_postgres

EDITS = 100
ROUNDS = 5


class _Laptop:
    def __init__(self, data_dir: Path, server_url: str) -> None:
        from app.database.opening import open_local_database
        from app.services.workspace import Workspace

        self.database = open_local_database(data_dir)
        self.workspace = Workspace(self.database, data_dir)
        self.server_url = server_url

    def sync(self) -> float:
        from app.sync.engine import SyncEngine

        engine = SyncEngine(
            self.workspace, password=PASSWORD, server_url=self.server_url, username=BENCH_USER
        )
        start = time.perf_counter()
        engine.run()
        return time.perf_counter() - start

    def some_enterprises(self, count: int) -> list[str]:
        from app.database.tables import EnterpriseRow

        with self.database.read() as session:
            query = (
                select(EnterpriseRow.id)
                .where(EnterpriseRow.deleted.is_(False))
                .order_by(EnterpriseRow.id)
                .limit(count)
            )
            return list(session.scalars(query))

    def edit(self, ids: list[str], stamp: str) -> None:
        from app.services.enterprises import EnterpriseService

        service = EnterpriseService(self.workspace)
        for number, enterprise_id in enumerate(ids):
            service.update(enterprise_id, {"water_need": f"{stamp}-{number}"})

    def water_needs(self, ids: list[str]) -> list[str]:
        from app.database.tables import EnterpriseRow

        with self.database.read() as session:
            found = dict(
                session.execute(
                    select(EnterpriseRow.id, EnterpriseRow.water_need).where(
                        EnterpriseRow.id.in_(ids)
                    )
                ).all()
            )
        return [found[i] for i in ids]

    def close(self) -> None:
        self.database.dispose()


def main() -> None:
    size = bench_size()
    export = exported(dataset_dir(size))
    admin_url = postgres_admin_url()
    round_trips: list[float] = []
    idle: list[float] = []
    with (
        tempfile.TemporaryDirectory(prefix="squaddesk-bench-") as temp,
        contextlib.ExitStack() as stack,
    ):
        directory = Path(temp)
        url = stack.enter_context(throwaway_postgres(admin_url)) if admin_url else None
        server = stack.enter_context(seeded_server(directory, url, export))
        a = _Laptop(directory / "a", server.url)
        b = _Laptop(directory / "b", server.url)
        stack.callback(a.close)
        stack.callback(b.close)
        a.sync()
        b.sync()
        ids = a.some_enterprises(EDITS)
        for number in range(ROUNDS):
            idle.append(a.sync() + b.sync())
            stamp = f"round{number}"
            a.edit(ids, stamp)
            round_trips.append(a.sync() + b.sync())
            expected = [f"{stamp}-{i}" for i in range(len(ids))]
            if b.water_needs(ids) != expected:
                raise RuntimeError("laptop B does not hold laptop A's edits after the round trip")
    engine_name = "PostgreSQL" if admin_url else "SQLite"
    report(
        "sync incremental",
        [
            Figure(
                f"{EDITS} edits round trip A→server→B ({size}, {engine_name})",
                median_of(round_trips) * 1000,
                median_of(idle) * 1000,
                "ms",
                "baseline: the same two syncs with nothing to send",
            ),
        ],
    )


if __name__ == "__main__":
    main()
