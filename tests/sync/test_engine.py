"""The sync cycle against an in-memory server: what two laptops and their users would notice."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from app.database.change_tracking import Actor
from app.database.opening import database_path, open_local_database
from app.database.tables import (
    AttachmentRow,
    ConflictRow,
    LocalSetting,
)
from app.services.conflicts import ConflictService
from app.services.rejected_changes import RejectedChangeService
from app.services.sync_status import SyncStatusService
from app.services.workspace import CURRENT_MEMBER, DEMO_DATA, Workspace
from app.storage.blobs import BlobStore
from app.sync import state
from app.sync.engine import SyncEngine, SyncProblem
from app.sync.lock import sync_lock
from app.sync.protocol import BlobStatus, Change, RejectCode

from .fake_server import MEMBER_A, MEMBER_B, SQUAD, Blob, FakeServer, FakeTransport
from .helpers import URL, Laptop, MakeWorkspace


def test_first_sync_pulls_the_squad_and_remembers_server_and_member(
    make_workspace: MakeWorkspace, server: FakeServer
) -> None:
    laptop = Laptop(make_workspace("a"), FakeTransport(server), "wang")
    report = laptop.sync()
    assert report.pulled == 3 and report.pushed == 0 and not report.cancelled
    assert laptop.setting(state.SERVER_ID) == server.server_id
    assert laptop.setting(CURRENT_MEMBER) == MEMBER_A
    assert laptop.setting(state.SERVER_URL) == URL
    assert laptop.setting(state.USERNAME) == "wang"
    status = SyncStatusService(laptop.workspace).status()
    assert status.last_success_at is not None and status.last_error is None
    assert status.configured and status.pending_changes == 0


def test_an_edit_reaches_the_other_laptop(laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    enterprise_id = a.enterprises.create({"name": "华为技术有限公司", "squad_id": SQUAD})
    report = a.sync()
    assert (report.pushed, report.applied) == (1, 1)
    assert a.outbox() == [] and a.enterprise(enterprise_id).row_version == 1
    assert b.sync().pulled == 1
    assert b.enterprise(enterprise_id).name == "华为技术有限公司"
    assert b.enterprise(enterprise_id).updated_by == MEMBER_A


def test_edits_to_different_fields_both_survive(laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    enterprise_id = a.enterprises.create({"name": "华为技术有限公司", "squad_id": SQUAD})
    a.sync()
    b.sync()
    a.enterprises.update(enterprise_id, {"headquarters": "深圳"})
    b.enterprises.update(enterprise_id, {"website": "https://huawei.com"})
    a.sync()
    b.sync()
    a.sync()
    for laptop in (a, b):
        row = laptop.enterprise(enterprise_id)
        assert (row.headquarters, row.website) == ("深圳", "https://huawei.com")
        assert laptop.outbox() == []


def test_same_field_gives_one_conflict_on_both_laptops_and_its_resolution_travels(
    laptops: tuple[Laptop, Laptop],
) -> None:
    a, b = laptops
    enterprise_id = a.enterprises.create({"name": "华为技术有限公司", "squad_id": SQUAD})
    a.sync()
    b.sync()
    a.enterprises.update(enterprise_id, {"headquarters": "深圳"})
    b.enterprises.update(enterprise_id, {"headquarters": "东莞"})
    a.sync()
    report = b.sync()
    assert report.conflicts == 1
    a.sync()
    for laptop in (a, b):
        assert laptop.enterprise(enterprise_id).headquarters == "深圳"  # the server's value
        (item,) = ConflictService(laptop.workspace).open_conflicts()
        detail = ConflictService(laptop.workspace).detail(item.id)
        assert (detail.theirs, detail.mine) == ("深圳", "东莞")
        assert item.record_label == "企业 · 华为技术有限公司"
    ConflictService(b.workspace).keep_mine(item.id)
    assert b.enterprise(enterprise_id).headquarters == "东莞"
    b.sync()
    a.sync()
    for laptop in (a, b):
        assert laptop.enterprise(enterprise_id).headquarters == "东莞"
        assert ConflictService(laptop.workspace).open_conflicts() == []
    with a.workspace.database.read() as session:
        conflict = session.get(ConflictRow, item.id)
        assert conflict is not None
        assert (conflict.status, conflict.resolution, conflict.resolved_by) == (
            "resolved",
            "mine",
            MEMBER_B,
        )


def test_a_refused_insert_is_hidden_listed_and_retried(
    laptops: tuple[Laptop, Laptop], server: FakeServer
) -> None:
    a, _b = laptops

    def refuse(change: Change) -> tuple[RejectCode, str] | None:
        if change.fields.get("name") == "待核实企业":
            return RejectCode.INVALID_VALUE, "name: 待核实"
        return None

    server.refuse = refuse
    enterprise_id = a.enterprises.create({"name": "待核实企业", "squad_id": SQUAD})
    report = a.sync()
    assert report.rejected == 1 and a.outbox() == []
    assert a.enterprise(enterprise_id).deleted  # the server does not have it
    (item,) = RejectedChangeService(a.workspace).items()
    assert (item.op, item.code, item.reason) == ("insert", "invalid_value", "name: 待核实")
    assert item.record_label == "企业 · 待核实企业"
    assert SyncStatusService(a.workspace).status().rejected_changes == 1

    server.refuse = None
    RejectedChangeService(a.workspace).retry(item.change_id)
    (entry,) = a.outbox()
    assert entry.op == "insert" and entry.fields["name"] == "待核实企业"
    assert not a.enterprise(enterprise_id).deleted
    assert RejectedChangeService(a.workspace).items() == []
    a.sync()
    assert server.records[enterprise_id].fields["name"] == "待核实企业"
    assert a.enterprise(enterprise_id).row_version == 1


def test_a_refused_patch_shows_the_server_value_until_retried(
    laptops: tuple[Laptop, Laptop], server: FakeServer
) -> None:
    a, _b = laptops
    enterprise_id = a.enterprises.create({"name": "华为技术有限公司", "squad_id": SQUAD})
    a.sync()
    server.refuse = lambda change: (
        (RejectCode.FORBIDDEN, "no") if "website" in change.fields else None
    )
    a.enterprises.update(enterprise_id, {"website": "https://x.cn"})
    a.sync()
    assert a.enterprise(enterprise_id).website == ""
    server.refuse = None
    assert RejectedChangeService(a.workspace).retry_all() == 1
    a.sync()
    assert server.records[enterprise_id].fields["website"] == "https://x.cn"


def test_a_copied_data_dir_takes_a_new_device_id_and_renumbers(
    laptops: tuple[Laptop, Laptop], make_workspace: MakeWorkspace, server: FakeServer
) -> None:
    a, _b = laptops
    a.enterprises.create({"name": "甲公司", "squad_id": SQUAD})
    a.sync()
    copy_dir = a.workspace.data_dir.parent / "copy"
    copy_dir.mkdir()
    source = sqlite3.connect(database_path(a.workspace.data_dir))
    target = sqlite3.connect(database_path(copy_dir))
    source.backup(target)  # the whole database, WAL included, as a copied folder would hold
    source.close()
    target.close()
    copy_db = open_local_database(copy_dir, create=False)
    try:
        copy = Laptop(Workspace(copy_db, copy_dir), FakeTransport(server), "wang")
        a.enterprises.create({"name": "乙公司", "squad_id": SQUAD})
        first = copy.enterprises.create({"name": "丙公司", "squad_id": SQUAD})
        copy.enterprises.create({"name": "丁公司", "squad_id": SQUAD})
        a.sync()
        report = copy.sync()
        assert report.pushed == 2 and copy.outbox() == []
        assert copy.setting(state.DEVICE_ID) != a.setting(state.DEVICE_ID)
        assert server.records[first].fields["name"] == "丙公司"
        copy.enterprises.create({"name": "戊公司", "squad_id": SQUAD})
        assert [entry.device_seq for entry in copy.outbox()] == [3]
    finally:
        copy_db.dispose()


def test_a_server_that_lost_acknowledged_changes_gets_the_gap_closed(
    laptops: tuple[Laptop, Laptop], server: FakeServer
) -> None:
    a, _b = laptops
    a.enterprises.create({"name": "甲公司", "squad_id": SQUAD})
    a.sync()
    device = a.setting(state.DEVICE_ID)
    assert device is not None
    server.devices[device] = 0  # restored from a backup older than the last push
    second = a.enterprises.create({"name": "乙公司", "squad_id": SQUAD})
    a.sync()
    assert a.outbox() == [] and server.records[second].fields["name"] == "乙公司"


def test_another_server_is_refused_before_anything_is_sent(
    laptops: tuple[Laptop, Laptop],
) -> None:
    a, _b = laptops
    a.enterprises.create({"name": "甲公司", "squad_id": SQUAD})
    stranger = FakeServer()
    a.transport = FakeTransport(stranger)
    with pytest.raises(SyncProblem) as raised:
        a.sync()
    assert raised.value.kind == "other_server"
    assert stranger.pushes == stranger.pulls == 0
    assert len(a.outbox()) == 1
    assert SyncStatusService(a.workspace).status().last_error == str(raised.value)


def test_a_demo_database_never_syncs(laptops: tuple[Laptop, Laptop], server: FakeServer) -> None:
    a, _b = laptops
    with a.workspace.database.write(Actor(None)) as session:
        session.add(LocalSetting(key=DEMO_DATA, value="small:42"))
    with pytest.raises(SyncProblem) as raised:
        a.sync()
    assert raised.value.kind == "demo"
    assert a.transport.logins == 1  # only the fixture's first sync


def test_one_sync_at_a_time(laptops: tuple[Laptop, Laptop]) -> None:
    a, _b = laptops
    with sync_lock(a.workspace.data_dir), pytest.raises(SyncProblem) as raised:
        a.sync()
    assert raised.value.kind == "busy"
    a.sync()  # released


def test_missing_account_or_password(
    make_workspace: MakeWorkspace, monkeypatch: pytest.MonkeyPatch, memory_keyring: object
) -> None:
    monkeypatch.delenv("SQUADDESK_PASSWORD", raising=False)
    workspace = make_workspace("a")
    with pytest.raises(SyncProblem) as raised:
        SyncEngine(workspace).run()
    assert raised.value.kind == "not_configured"
    state.save(workspace.database, {state.SERVER_URL: URL, state.USERNAME: "wang"})
    with pytest.raises(SyncProblem) as raised:
        SyncEngine(workspace).run()
    assert raised.value.kind == "password_needed"


def test_offline_keeps_the_outbox_and_records_the_error(
    laptops: tuple[Laptop, Laptop],
) -> None:
    a, _b = laptops
    a.enterprises.create({"name": "甲公司", "squad_id": SQUAD})
    a.transport.offline = True
    with pytest.raises(SyncProblem) as raised:
        a.sync()
    assert raised.value.kind == "offline"
    status = SyncStatusService(a.workspace).status()
    assert status.pending_changes == 1 and status.last_error_at is not None
    a.transport.offline = False
    a.sync()
    status = SyncStatusService(a.workspace).status()
    assert status.pending_changes == 0 and status.last_error is None


def test_a_cut_in_the_middle_of_pushing_loses_nothing(
    laptops: tuple[Laptop, Laptop], server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = laptops
    monkeypatch.setattr("app.sync.push.PUSH_BATCH_LIMIT", 2)
    ids = [a.enterprises.create({"name": f"企业{n}", "squad_id": SQUAD}) for n in range(5)]
    a.transport.fail_push_after = 1
    engine = SyncEngine(
        a.workspace, password="secret", transport=a.transport, server_url=URL, username="wang"
    )
    from app.sync import push

    monkeypatch.setattr(push.Pusher, "__init__", _small_batches(push.Pusher.__init__))
    with pytest.raises(SyncProblem):
        engine.run()
    assert len(a.outbox()) == 3
    a.transport.fail_push_after = None
    a.sync()
    assert a.outbox() == [] and all(row_id in server.records for row_id in ids)


def _small_batches(init: Any) -> Any:
    def wrapped(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.batch = 2

    return wrapped


def test_cancel_stops_between_steps_and_keeps_what_was_done(
    laptops: tuple[Laptop, Laptop],
) -> None:
    a, _b = laptops
    a.enterprises.create({"name": "甲公司", "squad_id": SQUAD})

    class Cancelled:
        cancelled = True

    report = a.sync(cancel=Cancelled())
    assert report.cancelled and len(a.outbox()) == 1
    assert SyncStatusService(a.workspace).status().last_error is None


def test_progress_is_reported(laptops: tuple[Laptop, Laptop]) -> None:
    a, _b = laptops
    a.enterprises.create({"name": "甲公司", "squad_id": SQUAD})
    seen: list[tuple[str, int, int]] = []
    a.sync(progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert ("上传更改", 1, 1) in seen
    assert any(stage == "下载更改" for stage, _, _ in seen)


def test_mass_deletion_on_the_server_needs_confirmation(
    laptops: tuple[Laptop, Laptop], server: FakeServer
) -> None:
    a, _b = laptops
    ids = [a.enterprises.create({"name": f"企业{n}", "squad_id": SQUAD}) for n in range(60)]
    a.sync()
    for row_id in ids:
        server.put("enterprises", row_id, {}, deleted=True)
    with pytest.raises(SyncProblem) as raised:
        a.sync()
    assert raised.value.kind == "mass_delete" and raised.value.count == 60
    assert not a.enterprise(ids[0]).deleted
    a.sync(confirm_mass_delete=True)
    assert a.enterprise(ids[0]).deleted


def test_attachment_bytes_travel_with_their_record(
    laptops: tuple[Laptop, Laptop], server: FakeServer
) -> None:
    a, b = laptops
    enterprise_id = a.enterprises.create({"name": "甲公司", "squad_id": SQUAD})
    data = b"%PDF-1.7 " + bytes(range(256)) * 20_000  # about 5 MB: three chunks
    sha256 = BlobStore.for_data_dir(a.workspace.data_dir).put_bytes(data)
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
    report = a.sync()
    assert report.blobs_up == 1 and server.blobs[sha256].complete
    report = b.sync()
    assert report.blobs_down == 1
    assert BlobStore.for_data_dir(b.workspace.data_dir).read(sha256) == data


def test_a_corrupt_download_is_not_kept(laptops: tuple[Laptop, Laptop], server: FakeServer) -> None:
    a, b = laptops
    enterprise_id = a.enterprises.create({"name": "甲公司", "squad_id": SQUAD})
    sha256 = BlobStore.for_data_dir(a.workspace.data_dir).put_bytes(b"scan")
    with a.workspace.database.write(a.workspace.actor()) as session:
        session.add(
            AttachmentRow(
                owner_table="enterprises",
                owner_id=enterprise_id,
                sha256=sha256,
                filename="a.jpg",
                size=4,
            )
        )
    a.sync()
    server.blobs[sha256].data[:] = b"scam"
    assert b.sync().blobs_down == 0
    assert not BlobStore.for_data_dir(b.workspace.data_dir).has(sha256)


def test_an_interrupted_upload_resumes_from_the_server_offset(
    laptops: tuple[Laptop, Laptop], server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = laptops
    enterprise_id = a.enterprises.create({"name": "甲公司", "squad_id": SQUAD})
    data = bytes(range(256)) * 12_000  # about 3 MB: two chunks
    sha256 = BlobStore.for_data_dir(a.workspace.data_dir).put_bytes(data)
    server.blobs[sha256] = Blob(len(data), bytearray(data[:1_000_000]))  # a cut upload
    with a.workspace.database.write(a.workspace.actor()) as session:
        session.add(
            AttachmentRow(
                owner_table="enterprises",
                owner_id=enterprise_id,
                sha256=sha256,
                filename="现场照片.jpg",
                size=len(data),
            )
        )
    sent: list[int] = []
    real_patch = a.transport.blob_patch

    def patch(sha: str, offset: int, total: int, chunk: bytes) -> BlobStatus:
        sent.append(offset)
        return real_patch(sha, offset, total, chunk)

    monkeypatch.setattr(a.transport, "blob_patch", patch)
    assert a.sync().blobs_up == 1
    assert sent[0] == 1_000_000
    assert bytes(server.blobs[sha256].data) == data and server.blobs[sha256].complete
