"""§3 scenario 4: the server is restored from a backup older than some acknowledged changes.

The backup is taken online with ``squaddesk-server backup``, the server goes on acknowledging
changes (creates, an edit, a delete, an attachment whose bytes the backup never saw), another
laptop pulls and edits them, then ``squaddesk-server restore`` puts the backup into a fresh
database and data dir, and a server starts on them at the same address. Each laptop sends again
what the server lost from its kept answered entries, pulls everything once more, and the
invariants I1–I5 hold on the restored server: every change exactly once, nothing lost.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from throwaway_postgres import PG_URL_ENV

from sync_faults.conftest import ServerSetup
from sync_faults.laptops import Laptop
from sync_faults.servers import PASSWORD, ROOT, ServerProcess, postgres_database


@pytest.fixture
def stack() -> Iterator[ExitStack]:
    with ExitStack() as each:
        yield each


def _laptop(stack: ExitStack, tmp_path: Path, setup: ServerSetup, username: str) -> Laptop:
    made = Laptop(tmp_path / f"laptop-{username}", username, setup.url)
    stack.callback(made.close)
    return made


def _restore(stack: ExitStack, old: ServerSetup, archive: Path, directory: Path) -> ServerSetup:
    """The backup restored into a new, empty database and data dir; a server on them answers
    at the old address (the old server is stopped first, as the guide says; ``own_server``
    starts it again for the next test, after this one's server stopped)."""
    if old.kind == "postgres":
        if not os.environ.get(PG_URL_ENV):
            pytest.skip(f"{PG_URL_ENV} not set")
        url = stack.enter_context(postgres_database())
    else:
        url = f"sqlite:///{directory / 'restored.db'}"
    old.process.stop()
    process = ServerProcess(directory, url, port=old.process.port)
    process.cli("restore", str(archive))
    process.start()
    stack.callback(process.stop)
    setup = ServerSetup(process, url, old.kind)
    stack.callback(setup.checker.dispose)
    return setup


def _cli_sync(laptop: Laptop, setup: ServerSetup) -> list[str]:
    """``squaddesk-cli sync`` in its own process; the lines it printed."""
    laptop.close()
    command = ["sync", "--server", setup.url, "--user", laptop.username]
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", *command, "--data-dir", str(laptop.data_dir)],
        cwd=ROOT,
        env={**os.environ, "SQUADDESK_PASSWORD": PASSWORD, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip().splitlines()


def _changes(laptop: Laptop) -> set[str]:
    return {change.change_id for change in laptop.files.logged_changes()}


def test_a_restore_older_than_acknowledged_changes_loses_nothing(
    own_server: ServerSetup, stack: ExitStack, tmp_path: Path
) -> None:
    source = own_server
    alice = _laptop(stack, tmp_path, source, "alice")
    bob = _laptop(stack, tmp_path, source, "bob")
    kept = alice.enterprises.create({"name": "备份前的企业"})
    edited = alice.enterprises.create({"name": "备份后修改的企业"})
    removed = alice.enterprises.create({"name": "备份后删除的企业"})
    alice.attach(kept, os.urandom(50_000), "before.jpg")
    alice.sync()
    bob.sync()
    archive = tmp_path / "backup.tar"
    source.process.cli("backup", "--out", str(archive))
    alice_before, bob_before = _changes(alice), _changes(bob)

    # Acknowledged after the backup: Alice's creates, edit, delete and a new photo; Bob pulls
    # them, edits one of Alice's new records and makes his own; Alice pulls Bob's.
    created = alice.enterprises.create({"name": "备份后新建的企业"})
    alice.enterprises.update(edited, {"website": "https://after-backup.example.cn"})
    alice.enterprises.delete(removed)
    photo = os.urandom(3 * 1024 * 1024 + 5)
    attachment = alice.attach(created, photo, "after.jpg")
    alice.sync()
    bob.sync()
    bob.enterprises.update(created, {"tags": "乙在备份后修改"})
    bobs = bob.enterprises.create({"name": "乙在备份后新建的企业"})
    bob.sync()
    alice.sync()
    assert bob.files.cursor() > 0 and alice.outbox_count() == bob.outbox_count() == 0
    lost_by_alice, lost_by_bob = _changes(alice) - alice_before, _changes(bob) - bob_before

    restored = _restore(stack, source, archive, tmp_path / "restored")
    snapshot = restored.checker.snapshot()
    assert lost_by_alice.isdisjoint(row["change_id"] for row in snapshot.log)
    assert created not in snapshot.records and attachment not in snapshot.records
    assert hashlib.sha256(photo).hexdigest() not in snapshot.blobs

    alice.enterprises.update(kept, {"tags": "恢复后的修改"})  # pending when she meets it
    first = alice.sync()
    assert first.server_restored
    assert (first.resent_after_restore, first.lost_in_restore) == (len(lost_by_alice), 0)
    assert first.unconfirmed_after_restore == 1  # Bob's new record, until Bob sends it again
    assert alice.enterprise(bobs)["row_version"] == 0  # kept, marked as not on the server
    assert alice.enterprise(created)["tags"] == ""  # the server's state, until Bob's edit is back
    printed = _cli_sync(bob, restored)  # as a person runs it: the one-time notice
    assert printed[-1] == (
        f"服务器已从较早的备份恢复：本机重新上传了服务器丢失的 {len(lost_by_bob)} 条更改"
    )  # nothing lost for good, nothing missing: Alice had already sent hers again
    again = alice.sync()
    assert not again.server_restored and again.pulled >= 2
    assert not bob.sync().server_restored

    snapshot = restored.checker.check([alice.files, bob.files])
    records = snapshot.records
    assert records[removed].deleted and not records[created].deleted
    assert records[edited].data["website"] == "https://after-backup.example.cn"
    assert records[created].data["tags"] == "乙在备份后修改"
    assert records[bobs].data["name"] == "乙在备份后新建的企业"
    assert records[kept].data["tags"] == "恢复后的修改"
    assert records[attachment].data["sha256"] == hashlib.sha256(photo).hexdigest()
    assert not any(row["outcome"] == "rejected" for row in snapshot.log)
    alice_device, bob_device = alice.files.setting("device_id"), bob.files.setting("device_id")
    assert len([r for r in snapshot.log if r["device_id"] == alice_device]) == len(_changes(alice))
    assert len([r for r in snapshot.log if r["device_id"] == bob_device]) == len(_changes(bob))


def test_a_restore_of_the_latest_state_sends_and_fetches_nothing(
    own_server: ServerSetup, stack: ExitStack, tmp_path: Path
) -> None:
    source = own_server
    alice = _laptop(stack, tmp_path, source, "alice")
    bob = _laptop(stack, tmp_path, source, "bob")
    made = alice.enterprises.create({"name": "完整备份的企业"})
    alice.attach(made, os.urandom(20_000))
    alice.sync()
    bob.sync()
    bob.enterprises.update(made, {"tags": "乙的修改"})
    bob.sync()
    alice.sync()
    archive = tmp_path / "backup.tar"
    source.process.cli("backup", "--out", str(archive))
    log_before = len(source.checker.snapshot().log)
    cursors = (alice.files.cursor(), bob.files.cursor())
    epoch = alice.files.setting("feed_epoch")

    restored = _restore(stack, source, archive, tmp_path / "restored")
    for laptop in (alice, bob):
        report = laptop.sync()
        assert not report.server_restored
        assert (report.pushed, report.pulled, report.blobs_up) == (0, 0, 0)
    assert (alice.files.cursor(), bob.files.cursor()) == cursors
    assert epoch is not None and alice.files.setting("feed_epoch") != epoch  # restarted, no loss
    snapshot = restored.checker.check([alice.files, bob.files])
    assert len(snapshot.log) == log_before
    alice.enterprises.update(made, {"website": "https://restored.example.cn"})
    assert alice.sync().applied == 1
    assert bob.sync().pulled == 1
    restored.checker.check([alice.files, bob.files])
