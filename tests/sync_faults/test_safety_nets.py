"""§3 scenario 12: a new or empty server, or a wrong address, is refused before anything is sent
or wiped; a pull that would delete most of a table stops before applying until the user
confirms."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.sync.engine import SyncProblem
from sync_faults.conftest import LaptopFactory, ServerSetup
from sync_faults.invariants import local_rows
from sync_faults.laptops import Laptop
from sync_faults.servers import ServerProcess, free_port


def _state(alice: Laptop) -> tuple[object, ...]:
    rows = local_rows(alice.files)
    return (
        sorted((key, row.deleted, row.row_version) for key, row in rows.items()),
        alice.files.outbox_ids(),
        alice.files.cursor(),
        alice.files.setting("server_id"),
    )


@pytest.fixture
def alice_with_work(server: ServerSetup, laptop: LaptopFactory) -> Laptop:
    alice = laptop(server, "alice")
    alice.enterprises.create({"name": "换服务器测试已同步企业"})
    alice.sync()
    alice.enterprises.create({"name": "换服务器测试未同步企业"})
    return alice


def test_new_empty_server_is_refused_and_nothing_is_wiped(
    server: ServerSetup, alice_with_work: Laptop, tmp_path: Path
) -> None:
    alice = alice_with_work
    before = _state(alice)
    other = ServerProcess(tmp_path / "new-server", f"sqlite:///{tmp_path / 'new.db'}")
    other.add_user("alice", "一队", "member")
    other.start()
    try:
        problem = alice.try_sync(other.url)
    finally:
        other.stop()
    assert isinstance(problem, SyncProblem) and problem.kind == "other_server", problem
    assert _state(alice) == before
    assert other.data_dir.exists()
    alice.sync(server.url)
    server.checker.check([alice.files])


@pytest.mark.parametrize("where", ["nothing_listens", "not_squaddesk"])
def test_wrong_address_wipes_nothing(
    server: ServerSetup, alice_with_work: Laptop, where: str
) -> None:
    alice = alice_with_work
    before = _state(alice)
    url = f"http://127.0.0.1:{free_port()}" if where == "nothing_listens" else f"{server.url}/nope"
    problem = alice.try_sync(url)
    assert isinstance(problem, SyncProblem), problem
    assert problem.kind == ("offline" if where == "nothing_listens" else "server_error")
    assert _state(alice) == before
    alice.sync(server.url)
    server.checker.check([alice.files])


def test_mass_deletion_on_the_server_waits_for_confirmation(
    server: ServerSetup, laptop: LaptopFactory
) -> None:
    # Squad 二队 is dave's alone, so its enterprises are exactly what this test makes.
    office, field = laptop(server, "dave"), laptop(server, "dave")
    made = [office.enterprises.create({"name": f"批量删除企业{n}"}) for n in range(120)]
    office.sync()
    field.sync()
    for enterprise_id in made[:100]:
        office.enterprises.delete(enterprise_id)
    office.sync()
    field_before = _state(field)
    problem = field.try_sync()
    assert isinstance(problem, SyncProblem) and problem.kind == "mass_delete", problem
    assert (problem.table, problem.count) == ("enterprises", 100)
    assert _state(field) == field_before  # nothing applied, cursor where it was
    server.checker.i4_cursor_not_ahead(server.checker.snapshot(), field.files)
    field.sync(confirm=True)
    assert all(field.enterprise(i)["deleted"] for i in made[:100])
    server.checker.check([office.files, field.files])
