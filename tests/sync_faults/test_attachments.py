"""§3 scenario 11: attachment bytes. An upload cut at random offsets resumes and completes; bytes
that do not hash to their name are refused and not kept; the same photo from two laptops is
stored once; a record naming a blob the server lacks is refused; no record names a missing or
corrupt blob (I5)."""

from __future__ import annotations

import hashlib
import os
import random

import requests

from app.domain.ids import new_id
from app.sync.engine import SyncProblem
from app.sync.protocol import Change, Op, PushRequest
from app.sync.transport import Transport
from sync_faults.conftest import LaptopFactory, ProxyFactory, ServerSetup
from sync_faults.proxy import FaultKind
from sync_faults.servers import PASSWORD

BLOBS = "/api/v1/blobs/"


def test_upload_cut_at_random_offsets_resumes_to_a_verified_blob(
    server: ServerSetup, proxy_for: ProxyFactory, laptop: LaptopFactory
) -> None:
    proxy = proxy_for(server)
    alice = laptop(server, "alice", proxy.url)
    alice.sync()
    owner = alice.enterprises.create({"name": "附件断网企业"})
    photo = os.urandom(4 * 1024 * 1024 + 777)
    attachment = alice.attach(owner, photo)
    chooser = random.Random(11)
    for _ in range(3):
        direction = chooser.choice([FaultKind.CUT_REQUEST, FaultKind.CUT_RESPONSE])
        if direction == FaultKind.CUT_REQUEST:  # somewhere inside the 2 MiB chunk
            offset = chooser.randrange(1000, 2 * 1024 * 1024)
        else:  # the chunk was stored, its small answer is cut
            offset = chooser.randrange(10, 120)
        proxy.fault(direction, method="PATCH", path=BLOBS, after_bytes=offset)
        problem = alice.try_sync()
        assert isinstance(problem, SyncProblem) and problem.kind == "offline", problem
    proxy.clear()
    alice.sync_until_clean()
    bob = laptop(server, "bob")
    bob.sync()
    snapshot = server.checker.check([alice.files, bob.files])
    sha = hashlib.sha256(photo).hexdigest()
    assert snapshot.records[attachment].data["sha256"] == sha
    assert snapshot.blobs[sha]["complete"] and snapshot.blobs[sha]["size"] == len(photo)


def test_corrupt_bytes_are_refused_and_not_kept(server: ServerSetup, laptop: LaptopFactory) -> None:
    alice = laptop(server, "alice")
    alice.sync()
    photo = os.urandom(300_000)
    sha = hashlib.sha256(photo).hexdigest()
    corrupt = bytearray(photo)
    corrupt[1234] ^= 0xFF
    transport = Transport(server.url)
    try:
        device = alice.files.setting("device_id")
        assert device is not None
        transport.login("alice", PASSWORD, device)
        headers = {**transport.headers, "Authorization": f"Bearer {transport.token}"}
        answer = requests.patch(
            f"{server.url}{BLOBS}{sha}",
            data=bytes(corrupt),
            headers={**headers, "Upload-Offset": "0", "Upload-Length": str(len(photo))},
            timeout=30,
        )
        assert answer.status_code == 422 and answer.json()["error"] == "hash_mismatch"
        status = transport.blob_head(sha)
        assert status is None or (not status.complete and status.received == 0)
    finally:
        transport.logout()
        transport.close()
    assert sha not in server.checker.server_blob_files()
    owner = alice.enterprises.create({"name": "附件校验企业"})
    alice.attach(owner, photo)
    alice.sync()
    server.checker.check([alice.files])


def test_same_photo_from_two_laptops_is_stored_once(
    server: ServerSetup, laptop: LaptopFactory
) -> None:
    alice, bob = laptop(server, "alice"), laptop(server, "bob")
    owner = alice.enterprises.create({"name": "同一照片企业"})
    alice.sync()
    bob.sync()
    photo = os.urandom(200_000)
    first = alice.attach(owner, photo, "门头.jpg")
    second = bob.attach(owner, photo, "门头照片.jpg")
    alice.sync()
    report = bob.sync()
    assert report.blobs_up == 0  # the server already had every byte
    alice.sync()
    snapshot = server.checker.check([alice.files, bob.files])
    sha = hashlib.sha256(photo).hexdigest()
    assert snapshot.records[first].data["sha256"] == snapshot.records[second].data["sha256"] == sha
    assert [name for name in server.checker.server_blob_files() if name == sha] == [sha]


def test_record_naming_a_blob_the_server_lacks_is_refused(
    server: ServerSetup, laptop: LaptopFactory
) -> None:
    alice = laptop(server, "alice")
    owner = alice.enterprises.create({"name": "缺附件企业"})
    alice.sync()
    missing = hashlib.sha256(b"never uploaded " + new_id().encode()).hexdigest()
    change = Change(
        change_id=new_id(),
        device_seq=1,
        table="attachments",
        row_id=new_id(),
        op=Op.INSERT,
        fields={
            "owner_table": "enterprises",
            "owner_id": owner,
            "sha256": missing,
            "filename": "x.jpg",
            "mime": "image/jpeg",
            "size": 10,
            "kind": "photo",
            "caption": "",
            "deleted": False,
        },
    )
    server.checker.extra_change_ids.add(change.change_id)
    transport = Transport(server.url)
    try:
        device = new_id()  # a laptop that pushes the record before its bytes
        transport.login("alice", PASSWORD, device)
        answer = transport.push(PushRequest(device_id=device, changes=[change]))
    finally:
        transport.logout()
        transport.close()
    [result] = answer.results
    assert (result.outcome, result.code) == ("rejected", "blob_missing")
    snapshot = server.checker.check([alice.files])
    assert change.row_id not in snapshot.records
