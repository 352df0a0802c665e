"""§3 scenario 5: the laptop is SIGKILLed while its user edits. Every edit that committed has its
outbox entry (row and entry together or neither), and after a restart each one reaches the
server exactly once. (Killed mid-pull-apply: ``test_pull_cuts``.)"""

from __future__ import annotations

import sqlite3
import time

from sync_faults.conftest import LaptopFactory, ServerSetup
from sync_faults.laptops import kill, wait_for


def _rows_and_entries(database_file: str) -> tuple[set[str], set[str]]:
    connection = sqlite3.connect(database_file)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = {
            r for (r,) in connection.execute("SELECT id FROM enterprises WHERE name LIKE '崩溃%'")
        }
        inserted = {
            r
            for (r,) in connection.execute(
                "SELECT row_id FROM fault_change_log"
                " WHERE table_name = 'enterprises' AND op = 'insert'"
            )
        }
    finally:
        connection.close()
    return rows, inserted


def test_laptop_killed_while_editing_loses_no_committed_edit(
    server: ServerSetup, laptop: LaptopFactory
) -> None:
    alice = laptop(server, "alice")
    alice.sync()
    committed: set[str] = set()
    for round_number, delay in enumerate((0.15, 0.4, 0.05, 0.3)):
        child = alice.spawn("edit", "--prefix", f"崩溃{round_number}-")
        wait_for(child, "ready")
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline:
            line = wait_for(child, "committed")[-1]
            committed.add(line.split()[-1])
        kill(child)
        rows, inserted = _rows_and_entries(str(alice.files.database_file))
        assert rows == inserted  # every row has its outbox entry, no entry without its row
        assert committed <= rows  # everything the user was told is saved, is
        if round_number == 1:
            alice.sync()  # a sync between crashes pushes what is there so far
    alice.sync_until_clean()
    bob = laptop(server, "bob")
    bob.sync()
    snapshot = server.checker.check([alice.files, bob.files])
    for enterprise_id in committed:
        assert enterprise_id in snapshot.records
