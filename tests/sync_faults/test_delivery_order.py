"""§3 scenario 6: pushes delivered twice, late, or out of order end in the same server state as
one in-order delivery; a batch that skips ahead is answered with ``retry_from``."""

from __future__ import annotations

from typing import Any

import pytest

from app.sync import outbox
from app.sync.protocol import PushRequest
from app.sync.transport import Transport
from sync_faults.conftest import LaptopFactory, ProxyFactory, ServerSetup
from sync_faults.laptops import Laptop
from sync_faults.proxy import FaultKind
from sync_faults.servers import PASSWORD

PUSH = "/api/v1/sync/push"


def _script(laptop: Laptop, tag: str) -> list[str]:
    """The same edits on any laptop: 3 creates, 2 edits, 1 delete, in two pushes."""
    made = [laptop.enterprises.create({"name": f"{tag}顺序企业{n}"}) for n in range(3)]
    laptop.enterprises.update(made[0], {"website": "https://order.example.cn"})
    laptop.enterprises.update(made[0], {"headquarters": "兰州"})
    laptop.enterprises.delete(made[2])
    return made


def _shape(setup: ServerSetup, ids: list[str]) -> list[tuple[Any, ...]]:
    """What the server holds for these records, without their names."""
    records = setup.checker.snapshot().records
    return [
        (
            records[i].row_version,
            records[i].deleted,
            records[i].data.get("website"),
            records[i].data.get("headquarters"),
        )
        for i in ids
    ]


@pytest.mark.parametrize("fault", [FaultKind.DUPLICATE, FaultKind.REPLAY_LATER])
def test_duplicated_or_late_batches_change_nothing(
    server: ServerSetup, proxy_for: ProxyFactory, laptop: LaptopFactory, fault: FaultKind
) -> None:
    control = laptop(server, "bob")
    control.sync()
    control_ids = _script(control, "对照")
    control.sync()
    control.enterprises.update(control_ids[1], {"website": "https://later.example.cn"})
    control.sync()
    expected = _shape(server, control_ids)
    proxy = proxy_for(server)
    alice = laptop(server, "alice", proxy.url)
    alice.sync()
    proxy.fault(fault, method="POST", path=PUSH, times=3)
    made = _script(alice, "重复")
    alice.sync()  # push, pull, and the late copy rides after the next push
    alice.enterprises.update(made[1], {"website": "https://later.example.cn"})
    alice.sync()
    assert "duplicate" in proxy.actions() or "replayed_late" in proxy.actions()
    proxy.clear()
    alice.sync()
    control.sync()
    assert _shape(server, made) == expected  # as if each batch had arrived once, in order
    server.checker.check([alice.files, control.files])


def test_batch_ahead_of_a_gap_gets_retry_from_and_nothing_is_applied(
    server: ServerSetup, laptop: LaptopFactory
) -> None:
    alice = laptop(server, "alice")
    alice.sync()
    for number in range(4):
        alice.enterprises.create({"name": f"乱序企业{number}"})
    with alice.database.engine.connect() as connection:
        pending = outbox.pending(connection)
    device = alice.files.setting("device_id")
    assert device is not None and len(pending) == 4
    changes = [entry.change() for entry in pending]
    transport = Transport(server.url)
    try:
        transport.login("alice", PASSWORD, device)
        ahead = transport.push(PushRequest(device_id=device, changes=changes[2:]))
        assert ahead.retry_from == pending[0].device_seq
        assert not ahead.results
        logged = {row["change_id"] for row in server.checker.snapshot().log}
        assert not logged & {c.change_id for c in changes}
        first = transport.push(PushRequest(device_id=device, changes=changes[:2]))
        assert [r.outcome for r in first.results] == ["applied", "applied"]
        again = transport.push(PushRequest(device_id=device, changes=changes))  # overlaps
        assert [r.change_id for r in again.results] == [c.change_id for c in changes]
        assert {r.outcome for r in again.results} == {"applied"}
    finally:
        transport.logout()
        transport.close()
    alice.sync()
    server.checker.check([alice.files])
