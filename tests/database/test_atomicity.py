"""kill -9 mid-edit leaves the row and its outbox entry both present or both absent."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from app.database.opening import open_local_database

pytestmark = pytest.mark.slow

_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sqlalchemy import event
    from app.database.change_tracking import Actor
    from app.database.opening import open_local_database
    from app.database.tables import EnterpriseRow
    from app.database.unit_of_work import WriteSession

    mode = sys.argv[2]
    database = open_local_database(Path(sys.argv[1]))
    if mode == "stall":
        @event.listens_for(WriteSession, "after_flush_postexec")
        def _stall(session, context):
            print("flushed", flush=True)
            time.sleep(60)
    print("ready", flush=True)
    number = 0
    while True:
        number += 1
        with database.write(Actor(None)) as session:
            session.add(EnterpriseRow(name=f"企业{number}", name_key=f"企业{number}"))
            session.flush()
        if mode == "loop":
            print(f"committed {number}", flush=True)
    """
)


def _start(data_dir: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(data_dir), mode],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )


def _kill(child: subprocess.Popen[str]) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    if child.stdout is not None:
        child.stdout.close()


def _counts(data_dir: Path) -> tuple[set[str], set[str]]:
    connection = sqlite3.connect(data_dir / "squaddesk.db")
    try:
        rows = {r for (r,) in connection.execute("SELECT id FROM enterprises")}
        outbox = {
            r
            for (r,) in connection.execute(
                "SELECT row_id FROM outbox WHERE table_name='enterprises' AND op='insert'"
            )
        }
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()
    return rows, outbox


def test_kill_between_flush_and_commit_leaves_neither(tmp_path: Path) -> None:
    open_local_database(tmp_path).dispose()
    child = _start(tmp_path, "stall")
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    assert child.stdout.readline().strip() == "flushed"  # row + outbox written, not committed
    _kill(child)
    rows, outbox = _counts(tmp_path)
    assert rows == set() and outbox == set()


def test_kill_at_random_moments_keeps_rows_and_outbox_paired(tmp_path: Path) -> None:
    open_local_database(tmp_path).dispose()
    for delay in (0.05, 0.11, 0.23, 0.37):
        child = _start(tmp_path, "loop")
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        committed = 0
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if line.startswith("committed"):
                committed = int(line.split()[1])
        _kill(child)
        rows, outbox = _counts(tmp_path)
        assert rows == outbox
        assert committed > 0
    assert len(rows) >= 4


def test_one_unit_of_work_may_add_children_before_parents(tmp_path: Path) -> None:
    """Several new rows in one flush, a child before its parent, on a brand-new database."""
    from app.database.change_tracking import Actor
    from app.database.tables import ContactRow, EnterpriseRow, OutboxEntry

    database = open_local_database(tmp_path)
    with database.write(Actor(None)) as session:
        session.add(ContactRow(id="c1", enterprise_id="e1", name="王强"))
        session.add(EnterpriseRow(id="e1", name="甲公司", name_key="甲公司"))
    with database.read() as session:
        sequences = sorted(session.scalars(select(OutboxEntry.device_seq)))
    assert sequences == [1, 2]
    database.dispose()
