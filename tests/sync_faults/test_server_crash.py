"""§3 scenario 3: the server is SIGKILLed while it handles a push, a pull or a blob upload, and
restarted on the same database. Every change ends up applied exactly once; no blob is left
half-stored under its name."""

from __future__ import annotations

import os
import threading

from app.sync.engine import SyncProblem
from sync_faults.conftest import LaptopFactory, ProxyFactory, ServerSetup
from sync_faults.proxy import FaultProxy


def _kill_server_on(
    proxy: FaultProxy, setup: ServerSetup, method: str, fragment: str, nth: int, delay: float
) -> threading.Event:
    """SIGKILL the server ``delay`` s after the ``nth`` matching request was sent to it."""
    seen = {"count": 0}
    done = threading.Event()

    def on_forward(request_method: str, path: str) -> None:
        if request_method != method or fragment not in path or done.is_set():
            return
        seen["count"] += 1
        if seen["count"] == nth:
            done.set()
            target = setup.process.process
            assert target is not None
            threading.Timer(delay, target.kill).start()

    proxy.on_forward = on_forward
    return done


def test_server_killed_during_push_applies_every_change_once(
    own_server: ServerSetup, proxy_for: ProxyFactory, laptop: LaptopFactory
) -> None:
    proxy = proxy_for(own_server)
    alice = laptop(own_server, "alice", proxy.url)
    alice.sync()
    made = [alice.enterprises.create({"name": f"宕机测试企业{n}"}) for n in range(600)]
    for enterprise_id in made[:50]:
        alice.enterprises.update(enterprise_id, {"tags": "重点"})
    queued = alice.outbox_count()
    killed = _kill_server_on(proxy, own_server, "POST", "/sync/push", nth=2, delay=0.02)
    problem = alice.try_sync()
    assert killed.is_set()
    assert isinstance(problem, SyncProblem) and problem.kind in ("offline", "server_error")
    assert 0 < alice.outbox_count() <= queued  # at most the first batch was acknowledged
    proxy.on_forward = None
    own_server.process.kill()  # reaped, whether the timer fired already or not
    own_server.process.start()
    alice.sync_until_clean()
    bob = laptop(own_server, "bob")
    bob.sync()
    alice.sync()
    snapshot = own_server.checker.check([alice.files, bob.files])
    assert (
        len([row for row in snapshot.log if row["device_id"] == alice.files.setting("device_id")])
        == queued
    )


def test_server_killed_during_pull_then_resync_converges(
    own_server: ServerSetup, proxy_for: ProxyFactory, laptop: LaptopFactory
) -> None:
    bob = laptop(own_server, "bob")
    bob.sync()
    for number in range(300):
        bob.enterprises.create({"name": f"拉取宕机企业{number}"})
    bob.sync()
    proxy = proxy_for(own_server)
    alice = laptop(own_server, "alice", proxy.url)
    killed = _kill_server_on(proxy, own_server, "GET", "/sync/pull", nth=3, delay=0.0)
    problem = alice.try_sync(page_size=50)
    assert killed.is_set()
    assert isinstance(problem, SyncProblem) and problem.kind in ("offline", "server_error")
    proxy.on_forward = None
    own_server.process.kill()  # reaped, whether the timer fired already or not
    own_server.process.start()
    own_server.checker.i4_cursor_not_ahead(own_server.checker.snapshot(), alice.files)
    alice.sync_until_clean()
    own_server.checker.check([alice.files, bob.files])


def test_server_killed_during_blob_upload_resumes_and_stores_it_once(
    own_server: ServerSetup, proxy_for: ProxyFactory, laptop: LaptopFactory
) -> None:
    proxy = proxy_for(own_server)
    alice = laptop(own_server, "alice", proxy.url)
    alice.sync()
    owner = alice.enterprises.create({"name": "附件宕机企业"})
    photo = os.urandom(5 * 1024 * 1024 + 123)  # three upload chunks
    attachment = alice.attach(owner, photo)
    killed = _kill_server_on(proxy, own_server, "PATCH", "/blobs/", nth=2, delay=0.01)
    problem = alice.try_sync()
    assert killed.is_set()
    assert isinstance(problem, SyncProblem) and problem.kind in ("offline", "server_error")
    proxy.on_forward = None
    own_server.process.kill()  # reaped, whether the timer fired already or not
    own_server.process.start()
    alice.sync_until_clean()
    bob = laptop(own_server, "bob")
    bob.sync()
    snapshot = own_server.checker.check([alice.files, bob.files])
    assert snapshot.records[attachment].deleted is False
    assert list(own_server.checker.server_blob_files()) == [
        snapshot.records[attachment].data["sha256"]
    ]
