"""A laptop in a test: a client data dir with its database, edits through the app's services,
and syncs either in this process or as a separate process (``client_proc``) that can be killed."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.database.opening import open_local_database
from app.database.unit_of_work import Database
from app.services.enterprises import EnterpriseService
from app.services.workspace import Workspace
from app.sync.engine import SyncEngine, SyncProblem, SyncReport
from app.sync.transport import Transport
from sync_faults.invariants import ClientFiles, install_change_log
from sync_faults.servers import PASSWORD, ROOT


@dataclass
class Laptop:
    data_dir: Path
    username: str
    server_url: str
    _database: Database | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        open_local_database(self.data_dir).dispose()
        install_change_log(self.data_dir / "squaddesk.db")

    # -- local ---------------------------------------------------------------------------------

    @property
    def database(self) -> Database:
        if self._database is None:
            self._database = open_local_database(self.data_dir)
        return self._database

    @property
    def workspace(self) -> Workspace:
        return Workspace(self.database, self.data_dir)

    @property
    def enterprises(self) -> EnterpriseService:
        return EnterpriseService(self.workspace)

    @property
    def files(self) -> ClientFiles:
        return ClientFiles(self.data_dir, self.username)

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None

    def enterprise(self, enterprise_id: str) -> dict[str, Any]:
        """The local row as JSON values (tombstones too)."""
        from app.database.codec import encode
        from app.database.tables import EnterpriseRow

        with self.database.read() as session:
            row = session.get(EnterpriseRow, enterprise_id)
            assert row is not None, f"{self.username} has no enterprise {enterprise_id}"
            return {
                column.key: encode(getattr(row, column.key))
                for column in EnterpriseRow.__table__.columns
            }

    def attach(self, owner_id: str, data: bytes, filename: str = "photo.jpg") -> str:
        """Attach ``data`` to an enterprise, as the app does: blob stored, then the record."""
        from app.database.tables import AttachmentRow
        from app.storage.blobs import BlobStore

        sha256 = BlobStore.for_data_dir(self.data_dir).put_bytes(data)
        with self.database.write(self.workspace.actor()) as session:
            row = AttachmentRow(
                owner_table="enterprises",
                owner_id=owner_id,
                sha256=sha256,
                filename=filename,
                mime="image/jpeg",
                size=len(data),
                kind="photo",
            )
            session.add(row)
            session.flush()
            return row.id

    def outbox_count(self) -> int:
        return len(self.files.outbox_ids())

    # -- sync ----------------------------------------------------------------------------------

    def engine(
        self,
        url: str | None = None,
        transport: Transport | None = None,
        page_size: int = 1000,
    ) -> SyncEngine:
        return SyncEngine(
            self.workspace,
            password=PASSWORD,
            transport=transport,
            server_url=url or self.server_url,
            username=self.username,
            page_size=page_size,
        )

    def sync(
        self,
        url: str | None = None,
        *,
        transport: Transport | None = None,
        confirm: bool = False,
        page_size: int = 1000,
    ) -> SyncReport:
        return self.engine(url, transport, page_size).run(confirm_mass_delete=confirm)

    def try_sync(self, url: str | None = None, **kwargs: Any) -> SyncReport | SyncProblem:
        """A sync that may fail (a fault is active): the problem instead of raising it."""
        try:
            return self.sync(url, **kwargs)
        except SyncProblem as problem:
            return problem

    def sync_until_clean(self, url: str | None = None, attempts: int = 6) -> SyncReport:
        """Heal-time sync: retry while a problem is left over, end with an empty outbox."""
        last: SyncProblem | None = None
        for _ in range(attempts):
            try:
                report = self.sync(url)
            except SyncProblem as problem:
                last = problem
                continue
            if self.outbox_count() == 0 and not report.cancelled:
                return report
        raise AssertionError(f"{self.username} did not sync cleanly: {last}")

    def spawn(self, command: str, *args: str, url: str | None = None) -> subprocess.Popen[str]:
        """``client_proc`` as a separate process (stdout piped, one line per event)."""
        self.close()
        argv = [sys.executable, "-m", "sync_faults.client_proc", str(self.data_dir), command]
        if command in ("sync", "ops"):
            argv += ["--server", url or self.server_url, "--user", self.username]
        argv += list(args)
        path = os.pathsep.join([str(ROOT / "tests"), str(ROOT)])
        env = dict(os.environ, SQUADDESK_PASSWORD=PASSWORD, PYTHONPATH=path)
        return subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def run_process(self, command: str, *args: str, url: str | None = None) -> dict[str, Any]:
        process = self.spawn(command, *args, url=url)
        out, err = process.communicate(timeout=300)
        lines = [line for line in out.splitlines() if line.startswith("{")]
        if not lines:
            raise AssertionError(f"client_proc {command} printed nothing: {out}{err}")
        answer: dict[str, Any] = json.loads(lines[-1])
        return answer


_readers: dict[int, queue.Queue[str | None]] = {}


def _lines(process: subprocess.Popen[str]) -> queue.Queue[str | None]:
    if process.pid not in _readers:
        lines: queue.Queue[str | None] = queue.Queue()
        assert process.stdout is not None
        stream = process.stdout

        def pump() -> None:
            for line in stream:
                lines.put(line.rstrip("\n"))
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        _readers[process.pid] = lines
    return _readers[process.pid]


def wait_for(process: subprocess.Popen[str], prefix: str, timeout: float = 120) -> list[str]:
    """Lines of ``process`` up to and including the first starting with ``prefix``."""
    lines = _lines(process)
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            line = None
        if line is None:
            err = process.stderr.read() if process.stderr and process.poll() is not None else ""
            raise AssertionError(f"never saw {prefix!r}; got {seen[-5:]} {err[-2000:]}")
        seen.append(line)
        if line.startswith(prefix):
            return seen


def kill(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    _readers.pop(process.pid, None)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()
