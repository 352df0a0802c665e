"""§3 scenario 1: the network cuts a push — before the server saw it, after it committed, or
in the middle of the body. Retrying applies every change exactly once and empties the outbox."""

from __future__ import annotations

import pytest

from app.sync.engine import SyncProblem
from sync_faults.conftest import LaptopFactory, ProxyFactory, ServerSetup
from sync_faults.proxy import FaultKind

PUSH = "/api/v1/sync/push"

CUTS: dict[str, tuple[FaultKind, int, int]] = {  # kind, skip, after_bytes
    "drop_request": (FaultKind.DROP_REQUEST, 0, 0),
    "drop_response": (FaultKind.DROP_RESPONSE, 0, 0),
    "cut_request_body": (FaultKind.CUT_REQUEST, 0, -40),
    "cut_response_body": (FaultKind.CUT_RESPONSE, 0, 300),
    "drop_second_response": (FaultKind.DROP_RESPONSE, 1, 0),
}


@pytest.mark.parametrize("cut", sorted(CUTS))
def test_cut_push_then_retry_applies_each_change_once(
    server: ServerSetup, proxy_for: ProxyFactory, laptop: LaptopFactory, cut: str
) -> None:
    proxy = proxy_for(server)
    alice = laptop(server, "alice", proxy.url)
    alice.sync()
    count = 450 if cut == "drop_second_response" else 6  # three batches of ≤ 200
    made = [alice.enterprises.create({"name": f"断网测试{cut}{n}"}) for n in range(count)]
    alice.enterprises.update(made[0], {"website": "https://cut.example.cn"})
    alice.enterprises.delete(made[1])
    queued = alice.outbox_count()
    assert queued == count + 2

    kind, skip, after = CUTS[cut]
    proxy.fault(kind, method="POST", path=PUSH, skip=skip, after_bytes=after)
    problem = alice.try_sync()
    assert isinstance(problem, SyncProblem) and problem.kind == "offline", problem
    snapshot = server.checker.snapshot()
    on_server = {row["change_id"] for row in snapshot.log}
    logged = {c.change_id for c in alice.files.logged_changes()}
    if cut == "drop_request" or cut == "cut_request_body":
        assert not on_server & logged  # the server never took the batch
        assert alice.outbox_count() == queued
    elif cut == "drop_second_response":
        assert alice.outbox_count() == queued - 200  # the first batch's answer arrived
        assert len(on_server & logged) == 400  # the second committed, its answer was lost
    else:
        assert len(on_server & logged) == queued  # committed, but the laptop never heard
        assert alice.outbox_count() == queued

    proxy.clear()
    alice.sync_until_clean()
    bob = laptop(server, "bob")
    bob.sync()
    alice.sync()
    snapshot = server.checker.check([alice.files, bob.files])
    rows = [row for row in snapshot.log if row["change_id"] in logged]
    assert len(rows) == queued
    assert {row["outcome"] for row in rows} == {"applied"}
    assert bob.enterprise(made[0])["website"] == "https://cut.example.cn"
    assert bob.enterprise(made[1])["deleted"] is True
