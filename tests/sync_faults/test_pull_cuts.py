"""§3 scenario 2 (and the pull half of 5): a pull cut mid-page, and the laptop killed while it
applies a page or between pages. The cursor never gets ahead of what was applied, local edits
waiting in the outbox survive, and the next sync converges."""

from __future__ import annotations

import pytest

from app.sync.engine import SyncProblem
from sync_faults.conftest import LaptopFactory, ProxyFactory, ServerSetup
from sync_faults.laptops import Laptop, kill, wait_for
from sync_faults.proxy import FaultKind

PULL = "/api/v1/sync/pull"
PAGE = 10


def _bob_with_records(
    server: ServerSetup, laptop: LaptopFactory, count: int
) -> tuple[Laptop, list[str]]:
    bob = laptop(server, "bob")
    bob.sync()
    made = [
        bob.enterprises.create({"name": f"下载测试企业{number}", "profile": "第一行\n第二行"})
        for number in range(count)
    ]
    bob.sync()
    return bob, made


def test_pull_cut_mid_page_keeps_the_cursor_behind(
    server: ServerSetup, proxy_for: ProxyFactory, laptop: LaptopFactory
) -> None:
    bob, _ = _bob_with_records(server, laptop, 45)
    proxy = proxy_for(server)
    alice = laptop(server, "alice", proxy.url)
    proxy.fault(FaultKind.CUT_RESPONSE, method="GET", path=PULL, skip=2, after_bytes=2500)
    problem = alice.try_sync(page_size=PAGE)
    assert isinstance(problem, SyncProblem) and problem.kind == "offline", problem
    server.checker.i4_cursor_not_ahead(server.checker.snapshot(), alice.files)
    assert alice.files.cursor() > 0  # the two whole pages before the cut were kept
    proxy.clear()
    alice.sync(page_size=PAGE)
    bob.sync()
    server.checker.check([alice.files, bob.files])


@pytest.mark.parametrize("where", ["in_page", "after_page"])
def test_laptop_killed_during_pull_keeps_cursor_and_outbox(
    server: ServerSetup, laptop: LaptopFactory, where: str
) -> None:
    bob, made = _bob_with_records(server, laptop, 45)
    alice = laptop(server, "alice")
    alice.sync(page_size=PAGE)
    mine = [alice.enterprises.create({"name": f"本机未同步{where}{n}"}) for n in range(3)]
    bob.enterprises.update(made[0], {"website": "https://b.example.cn"})
    for number in range(30):
        bob.enterprises.create({"name": f"第二批企业{where}{number}"})
    bob.sync()
    before = alice.files.cursor()
    # Alice's laptop pushes her three, then pulls page by page and is killed on page 2.
    flag = "--stall-in-page" if where == "in_page" else "--stall-after-page"
    child = alice.spawn("sync", "--page-size", str(PAGE), flag, "2")
    lines = wait_for(child, "stalled")
    kill(child)
    cursors = [int(line.split()[-1]) for line in lines if line.startswith("page ")]
    stored = alice.files.cursor()
    if where == "in_page":
        assert stored == cursors[0]  # page 2 rolled back whole, cursor with it
    else:
        assert stored == cursors[-1]  # page 2 committed with its cursor
    assert stored > before
    server.checker.i4_cursor_not_ahead(server.checker.snapshot(), alice.files)
    for enterprise_id in mine:
        assert alice.enterprise(enterprise_id)["deleted"] is False
    alice.sync(page_size=PAGE)
    bob.sync()
    server.checker.check([alice.files, bob.files])
