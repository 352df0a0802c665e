"""``squaddesk-server serve --workers 2`` on one PostgreSQL database, configured by environment
as the systemd unit does, with laptops syncing at once through the real client sync engine:
every request names the worker process that served it, both workers serve sync traffic, every
change is in the change log exactly once, no device's changes skip or repeat a number, a feed
follower paging through the changes as they happen misses nothing, and everyone converges."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import text
from sqlalchemy.exc import ArgumentError
from sync_faults.invariants import Checker
from sync_faults.laptops import Laptop
from sync_faults.servers import PASSWORD, ROOT, ServerProcess, free_port, postgres_database

from app.domain.ids import new_id
from app.sync.transport import Transport
from server.database.engine import ServerDatabase
from server.middleware import HEADER_WORKER

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

WORKERS = 2
ROUNDS = 6
USERS = (
    ("alice", "一队", "member"),
    ("bob", "一队", "member"),
    ("carol", "一队", "leader"),
    ("dave", "二队", "member"),
    ("root", "局机关", "admin"),
)
OWN_FIELDS = {"alice": "website", "bob": "headquarters", "carol": "legal_representative"}


@dataclass
class WorkerServer:
    data_dir: Path
    database_url: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """The systemd unit's command line: configuration from the environment."""
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SQUADDESK_DATABASE_URL": self.database_url,
            "SQUADDESK_SERVER_DATA_DIR": str(self.data_dir),
        }
        command = ["serve", "--workers", str(WORKERS), "--host", "127.0.0.1"]
        with (self.data_dir / "server.log").open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "server.cli", *command, "--port", str(self.port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the workers go with it
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log()
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError(f"no answer from {self.url}: {self.log()}")

    def log(self) -> str:
        return (self.data_dir / "server.log").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # any worker left behind
        self.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[WorkerServer]:
    if not os.environ.get("SQUADDESK_TEST_DATABASE_URL"):
        pytest.skip("SQUADDESK_TEST_DATABASE_URL not set")
    with postgres_database("squaddesk_workers") as url:
        data_dir = tmp_path / "server"
        admin = ServerProcess(data_dir, url)
        admin.cli("migrate")
        with ThreadPoolExecutor(len(USERS)) as pool:
            list(pool.map(lambda user: admin.add_user(*user), USERS))
        running = WorkerServer(data_dir, url)
        try:
            running.start()
            yield running
        finally:
            running.stop()


class Served:
    """The worker pid of every response, from a ``requests`` response hook."""

    def __init__(self) -> None:
        self.pids: Counter[str] = Counter()
        self.lock = threading.Lock()

    def transport(self, url: str) -> Transport:
        """A new connection each time, so the kernel may hand it to any worker."""
        session = requests.Session()
        session.hooks["response"].append(self._seen)
        return Transport(url, session=session)

    def _seen(self, response: requests.Response, *_args: object, **_kwargs: object) -> None:
        with self.lock:
            self.pids[response.headers.get(HEADER_WORKER, "none")] += 1


def _work(laptop: Laptop, shared: str, served: Served, url: str) -> None:
    """Each round: a new enterprise, an edit of the squad's shared one (its own field on even
    rounds, the field everyone edits on odd ones), then a sync."""
    for number in range(ROUNDS):
        laptop.enterprises.create({"name": f"{laptop.username} 的企业 {number}"})
        name = OWN_FIELDS.get(laptop.username, "website") if number % 2 == 0 else "profile"
        laptop.enterprises.update(shared, {name: f"{laptop.username} 第 {number} 轮"})
        transport = served.transport(url)
        try:
            laptop.sync(transport=transport)
        finally:
            transport.close()


def _follow(url: str, served: Served, stop: threading.Event) -> dict[str, tuple[int, int]]:
    """Page through the feed (as the admin) while the others write: each record's last
    (seq, row_version) seen; fails on a seq at or below the cursor already passed."""
    transport = served.transport(url)
    transport.login("root", PASSWORD, new_id())
    seen: dict[str, tuple[int, int]] = {}
    cursor = 0
    try:
        while True:
            finishing = stop.is_set()
            page = transport.pull(cursor, 7)
            for record in page.records:
                assert record.seq > cursor, "the feed showed a change below the cursor"
                cursor = record.seq
                seen[record.id] = (record.seq, record.row_version)
            if finishing and not page.has_more:
                return seen
            if not page.records:
                time.sleep(0.05)
    finally:
        transport.close()


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def test_two_workers_serve_concurrent_laptops_without_losing_or_doubling_a_change(
    server: WorkerServer, tmp_path: Path
) -> None:
    served = Served()
    laptops = [
        Laptop(tmp_path / f"laptop-{name}-{n}", name, server.url)
        for n, name in enumerate(["alice", "bob", "carol", "alice", "dave"])
    ]
    shared: dict[str, str] = {}
    for laptop in laptops:  # one record per squad that all its laptops keep editing
        squad = "二队" if laptop.username == "dave" else "一队"
        if squad not in shared:
            shared[squad] = laptop.enterprises.create({"name": f"{squad}共享企业"})
        laptop.sync()
    stop = threading.Event()
    with ThreadPoolExecutor(len(laptops) + 1) as pool:
        following = pool.submit(_follow, server.url, served, stop)
        working = [
            pool.submit(
                _work,
                laptop,
                shared["二队" if laptop.username == "dave" else "一队"],
                served,
                server.url,
            )
            for laptop in laptops
        ]
        for future in working:
            future.result(timeout=600)
        stop.set()
        followed = following.result(timeout=600)
    for _ in range(2):  # the last changes of each reach every other laptop
        for laptop in laptops:
            laptop.sync()

    checker = Checker(server.database_url, server.data_dir)
    try:
        snapshot = checker.check([laptop.files for laptop in laptops])  # I1–I5: converged
    finally:
        checker.dispose()
        for laptop in laptops:
            laptop.close()

    made = [r for r in snapshot.records.values() if "的企业" in str(r.data.get("name"))]
    assert len(made) == len(laptops) * ROUNDS
    by_device: dict[str, list[int]] = defaultdict(list)
    for row in snapshot.log:
        by_device[row["device_id"]].append(int(row["device_seq"]))
    for device, numbers in by_device.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), f"{device}: {numbers}"
    assert snapshot.head == max(record.seq for record in snapshot.records.values())
    final = {r.id: (r.seq, r.row_version) for r in snapshot.records.values()}
    assert followed == final  # the follower saw every record at its last version, nothing more

    workers = {pid for pid in served.pids if pid.isdigit()}
    assert served.pids.get("none", 0) == 0
    assert len(workers) >= 2, f"only worker(s) {served.pids} served"
    assert server.process is not None
    for pid in workers:
        assert _parent(int(pid)) in (server.process.pid, None), f"{pid} is not a worker"


def test_the_database_url_can_switch_off_prepared_statements_for_pgbouncer(
    postgres_url: str,
) -> None:
    """``?prepare_threshold=none`` (server/README.md, PgBouncer in transaction pooling mode):
    psycopg then prepares nothing; without it, its default applies; nonsense is refused."""
    for url, expected in ((f"{postgres_url}?prepare_threshold=none", None), (postgres_url, 5)):
        database = ServerDatabase(url)
        try:
            with database.read() as connection:
                raw = connection.connection.driver_connection
                assert getattr(raw, "prepare_threshold", "missing") == expected
                assert connection.scalar(text("SELECT 1")) == 1
        finally:
            database.dispose()
    with pytest.raises(ArgumentError):
        ServerDatabase(f"{postgres_url}?prepare_threshold=sometimes")
