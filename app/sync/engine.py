"""One sync cycle: log in, upload blobs, push the outbox, pull, download blobs, check.

``SyncEngine(workspace).run()`` is what the app's sync button and ``squaddesk-cli sync`` call
(on a worker thread; no Qt here). Order of a cycle:

1. refuse a demo database; take the per-data-dir sync lock (else ``busy``);
2. log in, or reuse this process's token from an earlier cycle (tokens stay in memory only,
   never on disk; a 401 on a reused token logs in again once); compare the server's id with
   the one this database synced with (first sync stores it; another one stops with
   ``other_server`` before anything is sent); remember the signed-in member as the current
   member;
3. upload the blobs of pending attachment records, then push the outbox (``app.sync.push``);
4. pull pages to the head (``app.sync.pull``), download missing attachment blobs; a server
   restored from an older backup (seen in a push answer or a pull page) gets back the changes
   it lost, and everything is pulled again once (``app.sync.restore``);
5. with an empty outbox at the head, after a first download and then every few hours, compare
   ``/sync/summary``; a mismatch re-pulls from 0;
6. record ``last_sync_at`` or ``last_sync_error``.

Reusing the token spares the server an argon2 check per cycle: with 20 laptops syncing every
few minutes that check was most of its work.

Every failure raises ``SyncProblem`` with the outbox intact; calling ``run()`` again retries.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Protocol

from app.database.types import utc_now
from app.domain.errors import AppError
from app.i18n import tr
from app.services.workspace import CURRENT_MEMBER, Workspace
from app.storage.blobs import BlobStore
from app.sync import blob_sync, outbox, restore, state
from app.sync.credentials import saved_password
from app.sync.errors import ProblemKind as ProblemKind
from app.sync.errors import SyncProblem as SyncProblem
from app.sync.local_tx import server_data_transaction
from app.sync.lock import sync_lock
from app.sync.protocol import PULL_PAGE_MAX, LoginResponse
from app.sync.pull import (
    PullCounts,
    needs_repull,
    other_server,
    pull_all,
    remember_mismatch,
)
from app.sync.push import Pusher
from app.sync.transport import Transport

SUMMARY_INTERVAL = dt.timedelta(hours=6)
MAX_PUSH_ROUNDS = 5
"""Pushes in one cycle that may each find changes a restored server lost (one is usual)."""
"""How often a sync also compares per-table counts and version sums with the server."""

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: a translated stage name, items done, total (0: unknown)."""


_TokenKey = tuple[str, str, str]  # server url, user name, device id
_tokens: dict[_TokenKey, tuple[str, str]] = {}  # -> (token, server id)
_tokens_lock = threading.Lock()


def forget_tokens() -> None:
    """Drop every token this process holds (after signing out)."""
    with _tokens_lock:
        _tokens.clear()


class Cancel(Protocol):
    """Anything with a ``cancelled`` flag (``ui.task_runner.CancelToken``, a test double)."""

    @property
    def cancelled(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one ``run()`` did."""

    pushed: int  # local changes the server answered (applied + merged + conflict + rejected)
    applied: int
    merged: int
    conflicts: int  # conflict records that arrived new on this laptop (push answers and pulls)
    rejected: int
    pulled: int  # records written locally from pulled pages
    blobs_up: int
    blobs_down: int
    seconds: float
    cancelled: bool = False  # stopped early by ``cancel``; what was done is saved
    server_restored: bool = False  # this run finished recovering from a server restore
    resent_after_restore: int = 0  # own changes the restored server had lost, sent again
    lost_in_restore: int = 0  # own changes it lost that were too old to be sent again
    unconfirmed_after_restore: int = 0  # records here it lacks, waiting for their author

    def restore_notice(self) -> str | None:
        """The one-time message about a server restore, or None."""
        if not self.server_restored:
            return None
        return restore.notice(
            restore.Outcome(
                self.resent_after_restore, self.lost_in_restore, self.unconfirmed_after_restore
            )
        )


class SyncEngine:
    """Syncs ``workspace`` with the server named in its settings (or the ones given here)."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        password: str | None = None,
        transport: Transport | None = None,
        server_url: str | None = None,
        username: str | None = None,
        page_size: int = PULL_PAGE_MAX,
    ) -> None:
        self.workspace = workspace
        self.database = workspace.database
        self.password = password
        self.transport = transport
        self.server_url = server_url
        self.username = username
        self.page_size = page_size
        self.store = BlobStore.for_data_dir(workspace.data_dir)

    def run(
        self,
        cancel: Cancel | None = None,
        progress: Progress | None = None,
        confirm_mass_delete: bool = False,
    ) -> SyncReport:
        if self.workspace.demo_label() is not None:
            raise SyncProblem("demo", tr("演示数据库不能同步（演示数据只在本机使用）"))
        with sync_lock(self.workspace.data_dir):
            try:
                report = _Cycle(self, cancel, progress, confirm_mass_delete).run()
            except AppError as error:
                with suppress(Exception):  # e.g. a locked database: never hide the real problem
                    state.save(
                        self.database,
                        {
                            state.LAST_SYNC_ERROR: " ".join(str(error).split()),
                            state.LAST_SYNC_ERROR_AT: state.now_text(),
                        },
                    )
                raise
            if not report.cancelled:
                state.save(
                    self.database,
                    {
                        state.LAST_SYNC_AT: state.now_text(),
                        state.LAST_SYNC_ERROR: None,
                        state.LAST_SYNC_ERROR_AT: None,
                    },
                )
            return report


class _Cycle:
    """The state of one run: who is logged in, what has been counted."""

    def __init__(
        self,
        engine: SyncEngine,
        cancel: Cancel | None,
        progress: Progress | None,
        confirm_mass_delete: bool,
    ) -> None:
        self.engine = engine
        self.database = engine.database
        self.cancel = cancel
        self.progress = progress
        self.confirm_mass_delete = confirm_mass_delete
        self.started = time.perf_counter()
        saved = state.load(engine.database)
        self.saved = saved
        self.server_url = (engine.server_url or saved.server_url).rstrip("/")
        self.username = engine.username or saved.username
        self.transport: Transport | None = engine.transport
        self.owns_transport = engine.transport is None
        self.server_id = ""
        self.blobs_up = 0
        self.blobs_down = 0
        self.pull = PullCounts(cursor=saved.pull_cursor)
        self.restored: restore.Outcome | None = None

    def stopped(self) -> bool:
        return self.cancel is not None and self.cancel.cancelled

    def stage(self, label: str) -> Callable[[int, int], None] | None:
        report = self.progress
        if report is None:
            return None
        return lambda done, total: report(label, done, total)

    def run(self) -> SyncReport:
        if not self.server_url or not self.username:
            raise SyncProblem("not_configured", tr("尚未设置同步服务器和用户名"))
        password = self.engine.password or saved_password(self.server_url, self.username)
        if not password:
            raise SyncProblem("password_needed", tr("请输入 {user} 的同步密码", user=self.username))
        if self.transport is None:
            self.transport = Transport(self.server_url)
        try:
            return self._sync(self.transport, password)
        finally:
            if self.owns_transport:
                self.transport.close()

    def _sync(self, transport: Transport, password: str) -> SyncReport:
        with self.database.engine.connect() as connection:
            device_id = state.get(connection, state.DEVICE_ID)
        if device_id is None:
            with server_data_transaction(self.database) as connection:
                device_id = state.ensure_device_id(connection)
        key = (self.server_url, self.username, device_id)
        with _tokens_lock:
            cached = _tokens.get(key)
        if cached is None:
            return self._exchange(transport, password, device_id)
        transport.token, self.server_id = cached
        try:
            return self._exchange(transport, password, device_id, logged_in=True)
        except SyncProblem as problem:
            if problem.status != 401:
                raise
            with _tokens_lock:
                _tokens.pop(key, None)
            return self._exchange(transport, password, device_id)  # expired or revoked

    def _exchange(
        self, transport: Transport, password: str, device_id: str, *, logged_in: bool = False
    ) -> SyncReport:
        if not logged_in:
            self._login(transport, password, device_id)

        def relogin(new_device: str) -> None:
            transport.logout()
            self._login(transport, password, new_device)

        pusher = Pusher(self.database, transport, device_id, relogin)
        finished = self._push(transport, pusher)
        if finished and not restore.under_way(self.database):
            try:
                finished = self._pull(transport, self.pull.cursor, self._watch(pusher))
            except restore.RolledBack:
                restore.begin(self.database)
        if finished and restore.under_way(self.database):
            finished = self._recover(transport, pusher)
        if finished:
            finished = self._download()
        if finished and self.pull.reached_head:
            finished = self._check_summary(transport)
        counts = pusher.counts
        return SyncReport(
            pushed=counts.pushed,
            applied=counts.applied,
            merged=counts.merged,
            conflicts=counts.new_conflicts + self.pull.new_conflicts,
            rejected=counts.rejected,
            pulled=self.pull.written,
            blobs_up=self.blobs_up,
            blobs_down=self.blobs_down,
            seconds=time.perf_counter() - self.started,
            cancelled=not finished,
            server_restored=self.restored is not None,
            resent_after_restore=self.restored.resent if self.restored else 0,
            lost_in_restore=self.restored.lost if self.restored else 0,
            unconfirmed_after_restore=self.restored.unconfirmed if self.restored else 0,
        )

    def _push(self, transport: Transport, pusher: Pusher) -> bool:
        """Upload the outbox's blobs, then push it; again when the pusher put back changes a
        restored server lost (attachments among them need their blobs on the server first)."""
        for _ in range(MAX_PUSH_ROUNDS):
            with self.database.engine.connect() as connection:
                hashes = outbox.attachment_blobs(connection)
            if hashes:
                uploads = blob_sync.upload_blobs(transport, self.engine.store, hashes, self.stopped)
                self.blobs_up += uploads.uploaded
            if self.stopped() or not pusher.run(self.stopped, self.stage(tr("上传更改"))):
                return False
            if not pusher.took_back:
                return True
        raise SyncProblem("server_error", tr("服务器一再丢失已确认的更改，请联系管理员"))

    def _watch(self, pusher: Pusher) -> restore.FeedWatch:
        with self.database.engine.connect() as connection:
            known = state.get(connection, state.FEED_EPOCH)
            answered = int(state.get(connection, state.SERVER_DEVICE_SEQ) or 0)

        def own_changes_lost() -> bool:
            """The server restarted: ask for this device's last seq unless a push did."""
            if pusher.confirmed or not answered:
                return False
            pusher.probe()
            return restore.under_way(self.database)

        return restore.FeedWatch(known, own_changes_lost)

    def _recover(self, transport: Transport, pusher: Pusher) -> bool:
        """The server was restored: send again what it lost, pull everything once more."""
        if not pusher.confirmed:
            pusher.probe()
        if not self._push(transport, pusher):
            return False
        self.pull.seen = {}
        if not self._pull(transport, 0, force=True):
            return False
        self.restored = restore.finish(self.database, self.pull.seen)
        self.pull.seen = None
        return True

    def _login(self, transport: Transport, password: str, device_id: str) -> LoginResponse:
        name = socket.gethostname()[:100]
        answer = transport.login(self.username, password, device_id, name)
        known = self.saved.server_id
        if known is not None and known != answer.server_id:
            raise other_server()
        self.server_id = answer.server_id
        if transport.token is not None:
            with _tokens_lock:
                _tokens[(self.server_url, self.username, device_id)] = (
                    transport.token,
                    answer.server_id,
                )
        values: dict[str, str | None] = {
            state.SERVER_ID: answer.server_id,
            CURRENT_MEMBER: answer.user.member_id,
        }
        if self.engine.server_url is not None or self.engine.username is not None:
            values[state.SERVER_URL] = self.server_url
            values[state.USERNAME] = self.username
        state.save(self.database, values)
        return answer

    def _pull(
        self,
        transport: Transport,
        cursor: int,
        check: restore.FeedWatch | None = None,
        *,
        force: bool = False,
    ) -> bool:
        expected = 0
        if cursor == 0 and self.progress is not None:
            summary = transport.summary()
            expected = sum(table.count for table in summary.tables.values())
        pull_all(
            self.database,
            transport,
            server_id=self.server_id,
            cursor=cursor,
            stop=self.stopped,
            confirm_mass_delete=self.confirm_mass_delete,
            page_size=self.engine.page_size,
            expected=expected,
            report=self.stage(tr("下载更改")),
            counts=self.pull,
            check=check,
            force=force,
        )
        return self.pull.reached_head

    def _download(self) -> bool:
        assert self.transport is not None
        missing = blob_sync.missing_blobs(self.database, self.engine.store)
        if missing:
            counts = blob_sync.download_blobs(
                self.transport, self.engine.store, missing, self.stopped
            )
            self.blobs_down += counts.downloaded
        return not self.stopped()

    def _check_summary(self, transport: Transport) -> bool:
        """Compare per-table counts with the server's after a first download, then every few
        hours: on a large database the comparison costs both sides more than a whole
        incremental sync, and a mismatch only arises from a defect, not from ordinary use."""
        with self.database.engine.connect() as connection:
            if outbox.count(connection):
                return True  # edits made during this sync: compare next time
            checked = state.parse_time(state.get(connection, state.SUMMARY_CHECKED_AT))
        now = utc_now()
        first_download = self.saved.pull_cursor == 0
        if not first_download and checked is not None and now - SUMMARY_INTERVAL < checked <= now:
            return True
        summary = transport.summary()
        if summary.cursor != self.pull.cursor:
            return True  # others synced meanwhile: compare next cycle
        state.save(self.database, {state.SUMMARY_CHECKED_AT: now.isoformat()})
        if not needs_repull(self.database, summary):
            return True
        if not self._pull(transport, 0) or not self._download():
            return False
        remember_mismatch(self.database, transport.summary())
        return True
