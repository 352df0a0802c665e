"""Laptops syncing through a real ``squaddesk-server`` process on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from app.database.opening import open_local_database
from app.database.tables import AttachmentRow, EnterpriseRow, OutboxEntry
from app.database.unit_of_work import Database
from app.services.conflicts import ConflictService
from app.services.enterprises import EnterpriseService
from app.services.rejected_changes import RejectedChangeService
from app.services.workspace import DEMO_DATA, Workspace
from app.storage.blobs import BlobStore
from app.sync import state
from app.sync.engine import SyncEngine, SyncProblem, SyncReport

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "tiaozhan-2026"
SQUAD = "新材料招商小分队"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    data_dir: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _server_cli(data_dir: Path, *args: str) -> None:
    env = dict(os.environ, SQUADDESK_PASSWORD=PASSWORD)
    subprocess.run(
        [sys.executable, "-m", "server.cli", "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def start_server(data_dir: Path, users: tuple[str, ...]) -> Server:
    data_dir.mkdir(parents=True)
    for name in users:
        _server_cli(data_dir, "user", "add", name, "--squad", SQUAD, "--role", "member")
    port = free_port()
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "--data-dir",
            str(data_dir),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    server = Server(data_dir, port, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((data_dir / "server.log").read_text(errors="replace"))
        try:
            if requests.get(f"{server.url}/healthz", timeout=2).ok:
                return server
        except requests.RequestException:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=15)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("server") / "data", ("wang", "zhao"))
    yield running
    stop_server(running)


@dataclass
class Laptop:
    workspace: Workspace
    username: str
    url: str

    def sync(self, **options: object) -> SyncReport:
        engine = SyncEngine(
            self.workspace, password=PASSWORD, server_url=self.url, username=self.username
        )
        return engine.run(**options)  # type: ignore[arg-type]

    @property
    def enterprises(self) -> EnterpriseService:
        return EnterpriseService(self.workspace)

    def enterprise(self, row_id: str) -> EnterpriseRow:
        with self.workspace.database.read() as session:
            row = session.get(EnterpriseRow, row_id)
            assert row is not None
            return row

    def outbox_size(self) -> int:
        with self.workspace.database.read() as session:
            return len(list(session.scalars(select(OutboxEntry.device_seq))))


@pytest.fixture
def laptops(server: Server, tmp_path: Path) -> Iterator[tuple[Laptop, Laptop]]:
    databases: list[Database] = []
    pair = []
    for name, user in (("a", "wang"), ("b", "zhao")):
        database = open_local_database(tmp_path / name)
        databases.append(database)
        laptop = Laptop(Workspace(database, tmp_path / name), user, server.url)
        laptop.sync()
        pair.append(laptop)
    yield pair[0], pair[1]
    for database in databases:
        database.dispose()


def squad_of(laptop: Laptop) -> str:
    from app.database.tables import SquadRow

    with laptop.workspace.database.read() as session:
        squad = session.scalars(select(SquadRow).where(SquadRow.name == SQUAD)).one()
        return squad.id


def test_edits_to_different_fields_made_offline_both_survive(
    laptops: tuple[Laptop, Laptop],
) -> None:
    a, b = laptops
    enterprise_id = a.enterprises.create({"name": "兰州金川新材料有限责任公司"})
    a.sync()
    b.sync()
    assert b.enterprise(enterprise_id).squad_id == squad_of(a)  # the server filled it in
    a.enterprises.update(enterprise_id, {"headquarters": "兰州"})
    b.enterprises.update(enterprise_id, {"website": "https://jinchuan.example.cn"})
    a.sync()
    b.sync()
    a.sync()
    for laptop in (a, b):
        row = laptop.enterprise(enterprise_id)
        assert (row.headquarters, row.website) == ("兰州", "https://jinchuan.example.cn")
        assert laptop.outbox_size() == 0
        assert ConflictService(laptop.workspace).open_conflicts() == []


def test_same_field_conflict_is_seen_on_both_and_its_resolution_travels(
    laptops: tuple[Laptop, Laptop],
) -> None:
    a, b = laptops
    enterprise_id = a.enterprises.create({"name": "甘肃恒信电子有限公司"})
    a.sync()
    b.sync()
    a.enterprises.update(enterprise_id, {"headquarters": "兰州"})
    b.enterprises.update(enterprise_id, {"headquarters": "天水"})
    a.sync()
    assert b.sync().conflicts == 1
    a.sync()
    for laptop in (a, b):
        assert laptop.enterprise(enterprise_id).headquarters == "兰州"
        (item,) = ConflictService(laptop.workspace).open_conflicts()
        detail = ConflictService(laptop.workspace).detail(item.id)
        assert {detail.theirs, detail.mine} == {"兰州", "天水"}
        assert item.record_label == "企业 · 甘肃恒信电子有限公司"
    ConflictService(b.workspace).keep_mine(item.id)
    b.sync()
    a.sync()
    for laptop in (a, b):
        assert laptop.enterprise(enterprise_id).headquarters == "天水"
        assert ConflictService(laptop.workspace).open_conflicts() == []
        assert laptop.outbox_size() == 0


def test_a_refused_attachment_is_listed_retried_and_its_bytes_arrive_intact(
    laptops: tuple[Laptop, Laptop],
) -> None:
    a, b = laptops
    enterprise_id = a.enterprises.create({"name": "兰州新区化工园区管理公司"})
    data = b"%PDF-1.7\n" + os.urandom(5 * 1024 * 1024)  # three upload chunks
    store = BlobStore.for_data_dir(a.workspace.data_dir)
    sha256 = __import__("hashlib").sha256(data).hexdigest()
    with a.workspace.database.write(a.workspace.actor()) as session:
        session.add(
            AttachmentRow(
                owner_table="enterprises",
                owner_id=enterprise_id,
                sha256=sha256,
                filename="营业执照.pdf",
                size=len(data),
            )
        )
    report = a.sync()  # the file is not in the store yet: the server refuses the record
    assert report.rejected == 1
    (item,) = RejectedChangeService(a.workspace).items()
    assert item.code == "blob_missing" and item.table_name == "attachments"

    assert store.put_bytes(data) == sha256
    RejectedChangeService(a.workspace).retry(item.change_id)
    report = a.sync()
    assert (report.rejected, report.blobs_up) == (0, 1)
    assert a.outbox_size() == 0 and RejectedChangeService(a.workspace).items() == []

    assert b.sync().blobs_down == 1
    received = BlobStore.for_data_dir(b.workspace.data_dir)
    assert received.verify(sha256) and received.read(sha256) == data


def test_the_cli_syncs_end_to_end(server: Server, tmp_path: Path) -> None:
    env = dict(os.environ, SQUADDESK_PASSWORD=PASSWORD, SQUADDESK_LANG="zh_CN")
    command = [
        sys.executable,
        "-m",
        "app.cli",
        "sync",
        "--server",
        server.url,
        "--user",
        "wang",
        "--data-dir",
        str(tmp_path / "cli"),
    ]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.strip().splitlines()
    assert line.startswith("已同步：上传 0 条，下载 ") and line.endswith("被拒 0 条")
    assert "PySide6" not in done.stderr

    database = open_local_database(tmp_path / "cli", create=False)
    try:
        state.save(database, {DEMO_DATA: "small:42"})
    finally:
        database.dispose()
    refused = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert refused.returncode == 1
    (message,) = refused.stderr.strip().splitlines()
    assert "演示" in message


def test_a_different_server_is_refused(laptops: tuple[Laptop, Laptop], tmp_path: Path) -> None:
    a, _b = laptops
    a.enterprises.create({"name": "只属于原服务器的企业"})
    other = start_server(tmp_path / "other", ("wang",))
    try:
        a.url = other.url
        with pytest.raises(SyncProblem) as raised:
            a.sync()
        assert raised.value.kind == "other_server"
        assert a.outbox_size() == 1
    finally:
        stop_server(other)


def test_later_syncs_reuse_the_token_and_a_revoked_one_signs_in_again(
    server: Server, laptops: tuple[Laptop, Laptop], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.sync.transport import Transport

    a, _ = laptops
    logins: list[str] = []
    real_login = Transport.login

    def counting_login(self: Transport, *args: object, **kwargs: object) -> object:
        logins.append(str(args[0]))
        return real_login(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Transport, "login", counting_login)
    a.enterprises.create({"name": "白银有色集团股份有限公司"})
    a.sync()
    a.sync()
    assert logins == []  # the token from the fixture's first sync still serves
    _server_cli(server.data_dir, "user", "revoke", "wang")
    a.enterprises.create({"name": "金昌镍都实业有限公司"})
    a.sync()
    assert logins == ["wang"]  # 401 on the revoked token: signed in again, change delivered
    assert a.outbox_size() == 0


def test_bureau_rules_an_admin_saves_reach_every_laptop(
    server: Server, laptops: tuple[Laptop, Laptop], tmp_path: Path
) -> None:
    from dataclasses import replace

    from app.domain.bureau_rules import BureauRules
    from app.services.bureau_settings import BureauSettingsService

    _server_cli(server.data_dir, "user", "add", "zhou", "--squad", SQUAD, "--role", "admin")
    database = open_local_database(tmp_path / "admin")
    try:
        admin = Laptop(Workspace(database, tmp_path / "admin"), "zhou", server.url)
        admin.sync()
        wanted = replace(BureauRules(), not_started_months=5, link_quiet_days=30)
        BureauSettingsService(admin.workspace).save(wanted)
        admin.sync()
    finally:
        database.dispose()
    _a, member = laptops
    member.sync()
    settings = BureauSettingsService(member.workspace)
    assert settings.rules() == wanted
    assert not settings.can_edit()  # a squad member reads the bureau's rules, never sets them
