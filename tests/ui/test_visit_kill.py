"""Kill -9 in the middle of typing a visit: at most the last two seconds of typing are lost.

The real app runs as a subprocess (``visit_kill_driver.py``: ``ui.main.Desktop`` on a copy of
the small demo) typing into a new visit's discussion field; the test kills it with SIGKILL while
it types, then opens the database file and checks that everything typed up to two seconds
before the kill is there (and nothing that was never typed).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import desktop_fixtures
import pytest
from sqlalchemy import select
from visit_kill_driver import typed_text

from app.database.opening import open_local_database
from app.database.tables import EnterpriseRow, VisitRow

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
DRIVER = Path(__file__).with_name("visit_kill_driver.py")
ROOT = Path(__file__).resolve().parents[2]
TYPING_S = 4.0
STARTUP_S = 60.0
MAX_LOSS_S = 2.0

pytestmark = pytest.mark.slow


def _keystrokes(log: Path) -> tuple[str | None, list[tuple[float, int]]]:
    visit_id = None
    keys = []
    for line in log.read_text(encoding="utf-8").splitlines():
        if line.startswith("visit "):
            visit_id = line.split()[1]
        elif line.strip():
            moment, count = line.split()
            keys.append((float(moment), int(count)))
    return visit_id, keys


def _any_enterprise(data_dir: Path) -> str:
    database = open_local_database(data_dir)
    try:
        with database.read() as session:
            found = session.scalar(
                select(EnterpriseRow.id).where(EnterpriseRow.deleted.is_(False)).limit(1)
            )
            assert found is not None
            return found
    finally:
        database.dispose()


@pytest.mark.parametrize("run", range(2))
def test_killing_the_app_mid_sentence_loses_at_most_two_seconds(
    demo_dir: Path, tmp_path: Path, run: int
) -> None:
    enterprise_id = _any_enterprise(demo_dir)
    log = tmp_path / "keys.log"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), str(demo_dir), enterprise_id, str(log)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + STARTUP_S
        first_key = None
        while time.monotonic() < deadline and process.poll() is None:
            keys = _keystrokes(log)[1] if log.exists() else []
            if keys and first_key is None:
                first_key = keys[0][0]
            if first_key is not None and time.monotonic() - first_key >= TYPING_S + run * 1.3:
                break
            time.sleep(0.05)
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert first_key is not None, "the app never started typing"
        killed_at = time.monotonic()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        if process.stderr is not None:
            process.stderr.close()
    assert process.returncode == -signal.SIGKILL

    visit_id, keys = _keystrokes(log)
    assert visit_id is not None
    due = max((count for moment, count in keys if moment <= killed_at - MAX_LOSS_S), default=0)
    typed = max(count for _moment, count in keys)
    assert due > 20  # seconds of typing were due, not a handful of keys

    database = open_local_database(demo_dir)  # what the next start finds
    try:
        with database.read() as session:
            visit = session.get(VisitRow, visit_id)
            assert visit is not None
            saved = visit.discussion
    finally:
        database.dispose()
    assert saved == typed_text(len(saved))  # exactly what was typed, in order
    assert due <= len(saved) <= typed
