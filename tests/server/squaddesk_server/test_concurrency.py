"""Several laptops pushing at once through a real HTTP server, while another reads the feed."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import func, select

from app.domain.ids import new_id
from app.sync.protocol import PullResponse, PushResponse
from server.database.tables import FEED_COUNTER, change_log, counters, records

from .harness import Laptop, Server, api, enterprise

WRITERS = 6
BATCHES = 12
BATCH = 5


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def live(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn on a loopback port, in a thread."""
    config = uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning")
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not runner.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        runner.should_exit = True
        thread.join(timeout=20)


def _writer(base: str, laptop: Laptop, shared: str) -> list[tuple[str, str]]:
    """Push batches of inserts plus an edit of a shared record; returns (change id, outcome)."""
    outcomes: list[tuple[str, str]] = []
    with httpx.Client(base_url=base, headers=laptop.headers, timeout=60) as http:
        for batch in range(BATCHES):
            changes = [
                laptop.change("enterprises", new_id(), "insert", enterprise(f"企业{batch}-{n}"))
                for n in range(BATCH)
            ]
            changes.append(
                laptop.change(
                    "enterprises",
                    shared,
                    "patch",
                    {"profile": f"{laptop.device_id} 第 {batch} 次\n"},
                    {"profile": ""},
                    1,
                )
            )
            response = http.post(
                api("/sync/push"), json={"device_id": laptop.device_id, "changes": changes}
            )
            assert response.status_code == 200, response.text
            pushed = PushResponse.model_validate(response.json())
            assert pushed.retry_from is None
            outcomes += [(r.change_id, r.outcome.value) for r in pushed.results]
    return outcomes


def _reader(base: str, laptop: Laptop, stop: threading.Event) -> dict[str, int]:
    """Follow the feed while others write; fail on a seq not above the cursor already passed."""
    seen: dict[str, int] = {}
    cursor = 0
    with httpx.Client(base_url=base, headers=laptop.headers, timeout=60) as http:
        while True:
            finishing = stop.is_set()
            response = http.get(api("/sync/pull"), params={"cursor": cursor, "limit": 50})
            page = PullResponse.model_validate(response.json())
            for record in page.records:
                assert record.seq > cursor, "a row appeared below a cursor already passed"
                cursor = record.seq
                seen[record.id] = record.seq
            if finishing and not page.has_more:
                return seen


def test_concurrent_pushes_keep_the_feed_gap_free_ordered_and_complete(server: Server) -> None:
    server.add_user("root", "局机关", role="admin")
    laptops: list[Laptop] = []
    for n in range(WRITERS):
        server.add_user(f"user{n}", "一队" if n % 2 else "二队")
        laptops.append(server.laptop(f"user{n}"))
    observer = server.laptop("root")
    shared = {  # one record per squad that all of its members keep editing
        laptop.squad_id: laptop.insert("enterprises", enterprise("共享企业", profile="")).record.id
        for laptop in laptops[:2]
    }
    app: Any = server.client.app

    stop = threading.Event()
    with live(app) as base, ThreadPoolExecutor(WRITERS + 1) as pool:
        reading = pool.submit(_reader, base, observer, stop)
        writing = [pool.submit(_writer, base, lap, shared[lap.squad_id]) for lap in laptops]
        outcomes = [item for future in writing for item in future.result(timeout=300)]
        stop.set()
        seen = reading.result(timeout=300)

    assert len(outcomes) == WRITERS * BATCHES * (BATCH + 1)
    assert {outcome for _, outcome in outcomes} <= {"applied", "merged", "conflict"}
    inserted = WRITERS * BATCHES * BATCH
    with server.state.database.read() as connection:
        logged = set(connection.scalars(select(change_log.c.change_id)))
        final = dict(connection.execute(select(records.c.id, records.c.seq)).all())
        counter = connection.scalar(select(counters.c.value).where(counters.c.name == FEED_COUNTER))
        companies = connection.scalar(
            select(func.count()).where(records.c.table_name == "enterprises")
        )
    assert {change_id for change_id, _ in outcomes} <= logged  # no change lost
    assert companies == inserted + len(shared)
    assert len(set(final.values())) == len(final)  # every seq names one record
    assert max(final.values()) == counter  # the counter is the head of the feed
    assert seen == final  # the reader saw every record at its final seq: nothing skipped


@pytest.fixture(autouse=True)
def _quiet_uvicorn(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("WARNING", logger="uvicorn")
