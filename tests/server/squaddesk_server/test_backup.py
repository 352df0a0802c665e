"""``squaddesk-server backup`` / ``restore`` as an administrator runs them, between real server
processes: a restored server serves the same records and attachments to real clients, on the
same engine or another (SQLite → PostgreSQL and back); damaged archives and databases that hold
data are refused with one line and left as they were."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select
from sync_faults.invariants import Checker
from sync_faults.laptops import Laptop
from sync_faults.servers import PASSWORD, ROOT, ServerProcess, postgres_database
from throwaway_postgres import PG_URL_ENV

from app.domain.ids import new_id
from app.sync.errors import SyncProblem
from app.sync.transport import Transport
from server.database.engine import ServerDatabase, head_revision
from server.database.tables import metadata

pytestmark = pytest.mark.slow

KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
PHOTO = bytes(range(256)) * 1200  # 300 KiB
HALF_UPLOADED = b"an upload cut off half-way " * 2000


@dataclass
class Source:
    """A server with records of two squads, an attachment, a tombstone, a failed login and an
    upload cut off half-way — and the backup taken of it."""

    kind: str
    server: ServerProcess
    alice: Laptop
    archive: Path
    printed: str

    @property
    def url(self) -> str:
        return self.server.database_url


def _database(kind: str, directory: Path, stack: ExitStack) -> str:
    if kind == "postgres":
        if not os.environ.get(PG_URL_ENV):
            pytest.skip(f"{PG_URL_ENV} not set")
        return stack.enter_context(postgres_database("squaddesk_backup"))
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'squaddesk-server.db'}"


def _build_source(kind: str, directory: Path, stack: ExitStack) -> Source:
    server = ServerProcess(directory / "server", _database(kind, directory / "server", stack))
    server.cli("migrate")
    server.add_user("alice", "一队")
    server.add_user("dave", "二队")
    server.start()
    stack.callback(server.stop)
    alice = Laptop(directory / "alice", "alice", server.url)
    stack.callback(alice.close)
    ids = [alice.enterprises.create({"name": f"备份测试企业{n}"}) for n in range(5)]
    alice.enterprises.update(ids[0], {"website": "https://example.cn", "profile": "第一行\n"})
    alice.enterprises.delete(ids[1])
    alice.attach(ids[2], PHOTO)
    alice.sync()
    dave = Laptop(directory / "dave", "dave", server.url)
    dave.enterprises.create({"name": "二队的企业"})
    dave.sync()
    dave.close()
    transport = Transport(server.url)
    try:
        with pytest.raises(SyncProblem):
            transport.login("alice", "wrong password", new_id())
        transport.login("alice", PASSWORD, new_id())
        sha = hashlib.sha256(HALF_UPLOADED).hexdigest()
        transport.blob_patch(sha, 0, len(HALF_UPLOADED), HALF_UPLOADED[:1000])
    finally:
        transport.close()
    archive = directory / "backup.tar"
    printed = server.cli("backup", "--out", str(archive))
    return Source(kind, server, alice, archive, printed)


@pytest.fixture(scope="module", params=KINDS)
def source(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Source]:
    with ExitStack() as stack:
        yield _build_source(request.param, tmp_path_factory.mktemp("source"), stack)


def _cli(database_url: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    base = ["--database-url", database_url, "--data-dir", str(data_dir)]
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *base, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _rows(database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every server table, typed, in key order."""
    database = ServerDatabase(database_url)
    try:
        with database.read() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in metadata.sorted_tables
            }
    finally:
        database.dispose()


def _manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        document: dict[str, Any] = json.loads(member.read())
        return document


def _one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


# -- the archive ----------------------------------------------------------------------------


def test_the_backup_names_the_server_and_holds_every_table_and_attachment(source: Source) -> None:
    assert len(source.printed.strip().splitlines()) == 1
    assert "1 个附件" in source.printed and "已备份到" in source.printed
    manifest = _manifest(source.archive)
    rows = _rows(source.url)
    assert manifest["server_id"] == dict(rows["server_info"])["server_id"]
    assert manifest["schema_revision"] == head_revision() and manifest["app_version"]
    assert manifest["source_database"] == ("postgresql" if source.kind == "postgres" else "sqlite")
    assert manifest["counts"]["rows"]["records"] == len(rows["records"])
    assert manifest["counts"]["rows"]["change_log"] == len(rows["change_log"])
    photo = hashlib.sha256(PHOTO).hexdigest()
    half = hashlib.sha256(HALF_UPLOADED).hexdigest()
    assert manifest["members"][f"blobs/{photo[:2]}/{photo}"]["sha256"] == photo
    assert not any(half in name for name in manifest["members"])  # cut-off uploads stay out
    assert manifest["counts"]["rows"]["blobs"] == 1
    with tarfile.open(source.archive) as tar:
        for name, expected in manifest["members"].items():
            member = tar.extractfile(name)
            assert member is not None
            assert hashlib.sha256(member.read()).hexdigest() == expected["sha256"]


# -- restore --------------------------------------------------------------------------------


@pytest.mark.parametrize("target_kind", KINDS)
def test_a_restored_server_serves_the_same_records_and_attachments(
    source: Source, target_kind: str, tmp_path: Path
) -> None:
    with ExitStack() as stack:
        url = _database(target_kind, tmp_path / "restored", stack)
        data_dir = tmp_path / "restored"
        done = _cli(url, data_dir, "restore", str(source.archive))
        assert done.returncode == 0, done.stderr
        assert len(done.stdout.strip().splitlines()) == 1 and "已恢复" in done.stdout

        before, after = _rows(source.url), _rows(url)
        complete_column = list(metadata.tables["blobs"].c.keys()).index("complete")
        complete = [row for row in before.pop("blobs") if row[complete_column]]
        assert after.pop("blobs") == complete  # the upload cut off half-way is left out
        # A restore starts a new feed epoch (laptops see the rollback); all else is the same.
        epoch_before = dict(before.pop("server_info")).pop("feed_epoch", None)
        info_after = dict(after.pop("server_info"))
        epoch_after = info_after.pop("feed_epoch")
        assert epoch_after != epoch_before
        assert info_after == {
            k: v for k, v in dict(_rows(source.url)["server_info"]).items() if k != "feed_epoch"
        }
        assert after == before  # same users, tokens, records, change log, feed
        photo = hashlib.sha256(PHOTO).hexdigest()
        assert (
            hashlib.sha256((data_dir / "blobs" / photo[:2] / photo).read_bytes()).hexdigest()
            == photo
        )
        assert not (data_dir / "blobs-partial").exists()

        restored = ServerProcess(data_dir, url).start()
        stack.callback(restored.stop)
        checker = Checker(url, data_dir)
        stack.callback(checker.dispose)
        newcomer = Laptop(tmp_path / "alice-new", "alice", restored.url)
        stack.callback(newcomer.close)
        dave = Laptop(tmp_path / "dave-new", "dave", restored.url)
        stack.callback(dave.close)
        newcomer.sync()
        dave.sync()
        checker.check([newcomer.files, dave.files])  # every record, every attachment's bytes

        # The old laptop knows this server (same server_id) and keeps working with it; new
        # changes and failed logins get ids after the restored ones (PostgreSQL sequences).
        alice = Laptop(tmp_path / "alice-again", "alice", restored.url)
        stack.callback(alice.close)
        alice.sync()
        alice.enterprises.create({"name": "恢复后新建的企业"})
        alice.sync()
        transport = Transport(restored.url)
        with pytest.raises(SyncProblem) as refused:
            transport.login("dave", "wrong password", new_id())
        transport.close()
        assert refused.value.status == 401
        newcomer.sync()
        checker.check([newcomer.files, dave.files, alice.files])
        snapshot = checker.snapshot()
        assert any(r.data.get("name") == "恢复后新建的企业" for r in snapshot.records.values())
        assert snapshot.head == max(r.seq for r in snapshot.records.values())


def test_the_first_laptop_syncs_on_with_the_restored_server(source: Source, tmp_path: Path) -> None:
    """Restored to a new machine (another URL): the laptop that made the data recognises its
    server, has nothing to send or fetch, and its next edit goes through."""
    data_dir = tmp_path / "restored"
    url = f"sqlite:///{data_dir / 'squaddesk-server.db'}"
    assert _cli(url, data_dir, "restore", str(source.archive)).returncode == 0
    restored = ServerProcess(data_dir, url).start()
    try:
        report = source.alice.sync(restored.url)
        assert (report.pushed, report.pulled) == (0, 0)
        source.alice.enterprises.create({"name": "搬到新机器后的企业"})
        assert source.alice.sync(restored.url).applied == 1
        checker = Checker(url, data_dir)
        checker.check([source.alice.files])
        checker.dispose()
    finally:
        restored.stop()
        source.alice.close()


# -- refusals -------------------------------------------------------------------------------


def test_restore_refuses_a_database_that_holds_data(source: Source) -> None:
    before = _rows(source.url)
    done = _cli(source.url, source.server.data_dir, "restore", str(source.archive))
    assert "不是空的" in _one_line(done) and "--force" in done.stderr
    assert _rows(source.url) == before


def _flip_byte_in(archive: Path, member: str, copy: Path) -> None:
    data = bytearray(archive.read_bytes())
    with tarfile.open(archive) as tar:
        info = tar.getmember(member)
        data[info.offset_data + info.size // 2] ^= 0x01
    copy.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["records dump", "attachment", "cut short"])
def test_restore_refuses_a_damaged_archive_and_changes_nothing(
    source: Source, damage: str, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.tar"
    if damage == "records dump":
        _flip_byte_in(source.archive, "database/records.jsonl.gz", damaged)
    elif damage == "attachment":
        photo = hashlib.sha256(PHOTO).hexdigest()
        _flip_byte_in(source.archive, f"blobs/{photo[:2]}/{photo}", damaged)
    else:
        damaged.write_bytes(source.archive.read_bytes()[: source.archive.stat().st_size // 2])
    data_dir = tmp_path / "target"
    url = f"sqlite:///{data_dir / 'squaddesk-server.db'}"
    message = _one_line(_cli(url, data_dir, "restore", str(damaged)))
    assert "备份文件已损坏" in message and "未做任何改动" in message
    database = ServerDatabase(url)
    try:
        with database.read() as connection:
            assert inspect(connection).get_table_names() == []
    finally:
        database.dispose()
    assert not (data_dir / "blobs").exists()


def test_an_archive_from_a_newer_server_is_refused(source: Source, tmp_path: Path) -> None:
    newer = tmp_path / "newer.tar"
    with tarfile.open(source.archive) as old, tarfile.open(newer, "w") as new:
        for member in old:
            content = old.extractfile(member)
            assert content is not None
            data = content.read()
            if member.name == "manifest.json":
                document = json.loads(data)
                document["schema_revision"] = "9999"
                data = json.dumps(document).encode()
                member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    data_dir = tmp_path / "target"
    url = f"sqlite:///{data_dir / 'squaddesk-server.db'}"
    assert "更新版本" in _one_line(_cli(url, data_dir, "restore", str(newer)))


def test_restore_with_force_replaces_what_the_database_held(source: Source, tmp_path: Path) -> None:
    data_dir = tmp_path / "target"
    url = f"sqlite:///{data_dir / 'squaddesk-server.db'}"
    server = ServerProcess(data_dir, url)
    server.add_user("someone", "别的小分队")
    done = _cli(url, data_dir, "restore", "--force", str(source.archive))
    assert done.returncode == 0, done.stderr
    restored = _rows(url)
    assert restored["users"] == _rows(source.url)["users"]  # "someone" is gone


def test_backup_will_not_overwrite_an_existing_file(source: Source) -> None:
    message = _one_line(
        _cli(source.url, source.server.data_dir, "backup", "--out", str(source.archive))
    )
    assert "已存在" in message
