"""§3 scenario 10: a laptop whose schema is older than the server accepts is told to upgrade and
keeps its outbox; after the upgrade the queue drains. A patch from an older client carries only
the fields it changed, so fields it does not send are never nulled."""

from __future__ import annotations

from app.sync.engine import SyncProblem
from app.sync.protocol import MIN_CLIENT_SCHEMA
from app.sync.transport import Transport
from sync_faults.conftest import LaptopFactory, ServerSetup

TOO_OLD = f"{int(MIN_CLIENT_SCHEMA) - 1:04d}"


def test_too_old_client_is_told_to_upgrade_and_keeps_its_outbox(
    server: ServerSetup, laptop: LaptopFactory
) -> None:
    alice = laptop(server, "alice")
    alice.sync()
    made = [alice.enterprises.create({"name": f"旧版本企业{n}"}) for n in range(3)]
    before = alice.files.outbox_ids()
    old = Transport(server.url, schema=TOO_OLD)
    try:
        problem = alice.try_sync(transport=old)
    finally:
        old.close()
    assert isinstance(problem, SyncProblem), problem
    assert (problem.kind, problem.status, problem.code) == ("upgrade", 426, "upgrade_required")
    assert alice.files.outbox_ids() == before
    logged = {row["change_id"] for row in server.checker.snapshot().log}
    assert not logged & set(before)
    alice.sync()  # "upgraded": the normal headers
    assert alice.outbox_count() == 0
    bob = laptop(server, "bob")
    bob.sync()
    snapshot = server.checker.check([alice.files, bob.files])
    assert all(enterprise_id in snapshot.records for enterprise_id in made)


def test_patch_from_an_older_client_does_not_null_fields_it_does_not_send(
    server: ServerSetup, laptop: LaptopFactory
) -> None:
    bob = laptop(server, "bob")
    enterprise_id = bob.enterprises.create({"name": "字段保留企业"})
    bob.enterprises.update(
        enterprise_id, {"land_mu": "120.50", "workforce_need": 300, "tags": "新材料"}
    )
    bob.sync()
    alice = laptop(server, "alice")
    alice.sync()
    alice.enterprises.update(enterprise_id, {"website": "https://old-client.example.cn"})
    old = Transport(server.url, schema=MIN_CLIENT_SCHEMA)  # the oldest schema still accepted
    try:
        alice.sync(transport=old)
    finally:
        old.close()
    bob.sync()
    snapshot = server.checker.check([alice.files, bob.files])
    data = snapshot.records[enterprise_id].data
    assert data["website"] == "https://old-client.example.cn"
    assert (data["land_mu"], data["workforce_need"], data["tags"]) == ("120.50", 300, "新材料")
