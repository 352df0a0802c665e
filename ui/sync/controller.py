"""When to sync, one sync at a time, on a thread of its own.

Triggers: on demand (立即同步, F5), every five minutes, when the network comes back (or, without
a network backend, on a back-off after an "offline" failure: 30 s, 60 s, … up to 5 min), and
ten seconds after the pending count rises (a local edit). Never while the account is set to
work offline only or not set up at all. The engine runs on its own ``TaskRunner``, so a long sync
never holds up page loads on the database runner; status queries are plain reads and run on the
database runner.

The controller asks nothing itself: when the engine needs a password or a confirmation it
emits ``password_needed`` / ``mass_delete_pending``; ``ui/sync/prompts.py`` asks the user and
answers with ``provide_password`` / ``confirm_mass_delete``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from app.domain.errors import AppError
from ui.task_runner import CancelToken, TaskRunner

if TYPE_CHECKING:
    from app.services.sync_status import SyncStatus
    from app.sync.engine import Cancel, SyncReport


@dataclass(frozen=True)
class SyncTimings:
    """When automatic syncs happen (milliseconds); tests pass shorter ones."""

    interval_ms: int = 5 * 60_000
    edit_delay_ms: int = 10_000
    startup_delay_ms: int = 5_000
    network_return_ms: int = 2_000
    status_debounce_ms: int = 1_000
    retry_first_ms: int = 30_000
    retry_max_ms: int = 5 * 60_000


Progress = Callable[[str, int, int], None]


class SyncEngineLike(Protocol):
    def run(
        self,
        cancel: Cancel | None = None,
        progress: Progress | None = None,
        confirm_mass_delete: bool = False,
    ) -> SyncReport: ...


class SyncStatusLike(Protocol):
    def status(self) -> SyncStatus: ...


EngineFactory = Callable[[str | None], SyncEngineLike]


class Trigger(Enum):
    MANUAL = "manual"
    INTERVAL = "interval"
    STARTUP = "startup"
    NETWORK = "network"
    RETRY = "retry"
    EDIT = "edit"
    AFTER_SIGN_IN = "after_sign_in"


class SyncController(QObject):
    """Runs ``SyncEngine.run`` when it should, and says what happened by signal."""

    status_changed = Signal(object)  # SyncStatus
    sync_started = Signal()
    sync_progressed = Signal(str, int, int)  # stage, done, total
    sync_finished = Signal(object)  # SyncReport
    sync_failed = Signal(str, str)  # kind, message
    running_changed = Signal(bool)
    password_needed = Signal()
    mass_delete_pending = Signal(str, int)  # the engine's message, how many records
    sync_not_started = Signal()  # account_changed(sync=True), but the account does not sync
    account_needed = Signal()  # 立即同步 while no account is set up, or offline only
    _progress_reported = Signal(str, int, int)  # emitted on the sync thread, delivered queued

    def __init__(
        self,
        engine_factory: EngineFactory,
        status_service: SyncStatusLike,
        database_runner: TaskRunner,
        *,
        sync_runner: TaskRunner | None = None,
        password: str | None = None,
        timings: SyncTimings = SyncTimings(),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._timings = timings
        self._engine_factory = engine_factory
        self._status_service = status_service
        self._database_runner = database_runner
        self._owns_sync_runner = sync_runner is None
        self.sync_runner = sync_runner or TaskRunner(self)
        self._password = password or None
        self._password_declined = False
        self._status: SyncStatus | None = None
        self._running = False
        self._token: CancelToken | None = None
        self._runs = 0
        self._trigger = Trigger.MANUAL
        self._last_failure: tuple[str, str, dt.datetime] | None = None
        self._retry_ms = timings.retry_first_ms
        self._skip_next_all_done = False
        self._progress_reported.connect(self.sync_progressed)
        self._interval_timer = self._timer(timings.interval_ms, Trigger.INTERVAL, single=False)
        self._startup_timer = self._timer(timings.startup_delay_ms, Trigger.STARTUP)
        self._edit_timer = self._timer(timings.edit_delay_ms, Trigger.EDIT)
        self._retry_timer = self._timer(timings.retry_first_ms, Trigger.RETRY)
        self._network_timer = self._timer(timings.network_return_ms, Trigger.NETWORK)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(timings.status_debounce_ms)
        self._status_timer.timeout.connect(self.refresh_status)
        database_runner.all_done.connect(self._on_database_runner_all_done)

    # -- public ----------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    @property
    def status(self) -> SyncStatus | None:
        return self._status

    @property
    def last_failure(self) -> tuple[str, str, dt.datetime] | None:
        """(kind, message, when) of the last sync, if it failed; None after a success."""
        return self._last_failure

    @property
    def retry_delay_ms(self) -> int | None:
        """How long until the back-off retry, when one is scheduled."""
        return self._retry_timer.interval() if self._retry_timer.isActive() else None

    def start(self) -> None:
        """Read the status; syncing starts on its own when the account is set up."""
        self.refresh_status()

    def sync_now(self) -> bool:
        """立即同步. False when nothing was started (already running, or no account)."""
        return self._run(Trigger.MANUAL)

    def set_session_password(self, password: str | None) -> None:
        """Kept in memory for this run of the app only."""
        self._password = password or None
        self._password_declined = False

    def provide_password(self, password: str) -> None:
        self.set_session_password(password)
        self._run(Trigger.MANUAL)

    def decline_password(self) -> None:
        """No more prompts until the user asks for a sync."""
        self._password_declined = True

    def confirm_mass_delete(self) -> None:
        self._run(Trigger.MANUAL, confirm_mass_delete=True)

    def account_changed(self, *, sync: bool = False) -> None:
        """Signed in, out or offline: forget failures, read the status again, and with ``sync``
        start a sync as soon as the new status allows it."""
        self._last_failure = None
        self._retry_timer.stop()
        self._retry_ms = self._timings.retry_first_ms
        self._refresh_status(sync_after=sync)

    def refresh_status(self) -> None:
        self._refresh_status(sync_after=False)

    def network_reachable(self, online: bool) -> None:
        """The network came back (QNetworkInformation): retry soon if the last sync was cut off."""
        if online and self._last_failure is not None and self._last_failure[0] == "offline":
            self._network_timer.start()

    def shutdown(self) -> None:
        """Stop the timers, ask a running sync to stop, and wait for its thread."""
        for timer in (
            self._interval_timer,
            self._startup_timer,
            self._edit_timer,
            self._retry_timer,
            self._network_timer,
            self._status_timer,
        ):
            timer.stop()
        if self._token is not None:
            self._token.cancel()
        if self._owns_sync_runner:
            self.sync_runner.shutdown()

    # -- running ---------------------------------------------------------------------------------

    def _may_sync(self) -> bool:
        status = self._status
        return status is not None and status.configured and not status.offline_only

    def _run(self, trigger: Trigger, *, confirm_mass_delete: bool = False) -> bool:
        if self._running:
            return False
        if not self._may_sync():
            if trigger is Trigger.MANUAL and self._status is not None:
                self.account_needed.emit()
            return False
        if trigger is Trigger.MANUAL:
            self._password_declined = False
        self._set_running(True)
        self._edit_timer.stop()
        self._retry_timer.stop()
        self._network_timer.stop()
        self._startup_timer.stop()
        self._trigger = trigger
        factory, status_service, password = (
            self._engine_factory,
            self._status_service,
            self._password,
        )
        report = self._progress_reported.emit

        def work(token: CancelToken) -> Any:
            current = status_service.status()  # offline-only may have been chosen a moment ago
            if not current.configured or current.offline_only:
                return None
            engine = factory(password)
            return engine.run(
                cancel=token,
                progress=report,
                confirm_mass_delete=confirm_mass_delete,
            )

        self._token = self.sync_runner.submit(work, self._on_sync_done, self._on_sync_failed)
        return True

    def _set_running(self, running: bool) -> None:
        self._running = running
        if running:
            self.sync_started.emit()
        self.running_changed.emit(running)

    def _on_sync_done(self, report: SyncReport | None) -> None:
        self._token = None
        self._set_running(False)
        self._runs += 1
        if report is not None:
            self._last_failure = None
            self._retry_ms = self._timings.retry_first_ms
            self.sync_finished.emit(report)
        self.refresh_status()

    def _on_sync_failed(self, error: AppError) -> None:
        self._token = None
        self._set_running(False)
        self._runs += 1
        kind = str(getattr(error, "kind", "") or "other")
        self._last_failure = (kind, error.message, dt.datetime.now(dt.UTC))
        if kind == "offline":
            self._retry_timer.setInterval(self._retry_ms)
            self._retry_timer.start()
            self._retry_ms = min(self._retry_ms * 2, self._timings.retry_max_ms)
        elif kind == "auth":
            self._password = None
        self.sync_failed.emit(kind, error.message)
        if kind == "password_needed" and not (
            self._password_declined and self._trigger is not Trigger.MANUAL
        ):
            self.password_needed.emit()
        elif kind == "mass_delete":
            self.mass_delete_pending.emit(error.message, int(getattr(error, "count", 0) or 0))
        self.refresh_status()

    # -- status ----------------------------------------------------------------------------------

    def _refresh_status(self, *, sync_after: bool) -> None:
        service = self._status_service

        def loaded(status: SyncStatus) -> None:
            self._on_status_loaded(status, sync_after=sync_after)

        self._database_runner.submit(
            lambda _token: service.status(), loaded, self._on_status_failed
        )

    def _on_status_loaded(self, status: SyncStatus, *, sync_after: bool) -> None:
        if not self._database_runner.busy:
            self._skip_next_all_done = True  # our own read must not count as a local edit
        previous, self._status = self._status, status
        if sync_after and not self._run(Trigger.AFTER_SIGN_IN):
            self.sync_not_started.emit()
        if self._may_sync():
            if not self._interval_timer.isActive():
                self._interval_timer.start()
            if previous is None and self._runs == 0 and not self._running:
                self._startup_timer.start()
            if (
                previous is not None
                and status.pending_changes > previous.pending_changes
                and not self._running
            ):
                self._edit_timer.start()  # restarted by each edit: syncs once typing pauses
        else:
            for timer in (
                self._interval_timer,
                self._startup_timer,
                self._edit_timer,
                self._retry_timer,
                self._network_timer,
            ):
                timer.stop()
        self.status_changed.emit(status)

    def _on_status_failed(self, _error: AppError) -> None:
        if not self._database_runner.busy:
            self._skip_next_all_done = True

    def _on_database_runner_all_done(self) -> None:
        if self._skip_next_all_done:
            self._skip_next_all_done = False
            return
        self._status_timer.start()  # something was read or written: look at the pending count

    def _timer(self, interval_ms: int, trigger: Trigger, *, single: bool = True) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(interval_ms)
        timer.timeout.connect(lambda: self._run(trigger))
        return timer
