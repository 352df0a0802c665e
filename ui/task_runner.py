"""The one place database work leaves the GUI thread.

A single worker thread runs every database task in submission order (SQLite writes are
serialised); results come back to the GUI thread by signal, where the callbacks run:

    runner.submit(lambda token: service.page(filter_), self._on_page_loaded, owner=self)

With ``owner`` given, the callbacks are skipped once that widget has been destroyed (a page
closed while its query ran), so callers never test for it themselves.

Work functions take plain data (closed over) and a ``CancelToken``, never widgets. An expected
failure (``AppError``) goes to ``on_failure`` (or the runner's ``failed`` signal); anything else is
a bug and is re-raised on the GUI thread so the crash handler sees it.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal
from shiboken6 import Shiboken

from app.domain.errors import AppError


class CancelToken:
    """Set by the GUI when a result is no longer wanted; long work may check it."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


@dataclass
class _Job:
    number: int
    work: Callable[[CancelToken], Any]
    on_success: Callable[[Any], None] | None
    on_failure: Callable[[AppError], None] | None
    owner: QObject | None = None
    token: CancelToken = field(default_factory=CancelToken)

    @property
    def unwanted(self) -> bool:
        """Cancelled, or its owner is gone: nobody is left to show the answer to."""
        return self.token.cancelled or (self.owner is not None and not Shiboken.isValid(self.owner))


class TaskRunner(QObject):
    """Runs work functions on one background thread, reports back on the GUI thread."""

    _finished = Signal(object, object, object)  # job, result, error
    busy_changed = Signal(bool)
    failed = Signal(str)  # message of an AppError nobody handled
    all_done = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._numbers = itertools.count(1)
        self._pending = 0
        self._finished.connect(self._deliver)
        self._thread = threading.Thread(target=self._work, name="database", daemon=True)
        self._thread.start()

    def submit(
        self,
        work: Callable[[CancelToken], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[AppError], None] | None = None,
        *,
        owner: QObject | None = None,
    ) -> CancelToken:
        job = _Job(next(self._numbers), work, on_success, on_failure, owner)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._queue.put(job)
        return job.token

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def shutdown(self) -> None:
        """Finish queued work, then stop the thread (called when the window closes)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            if job.token.cancelled:
                self._finished.emit(job, None, None)
                continue
            try:
                result = job.work(job.token)
            except BaseException as error:  # handed to the GUI thread, never swallowed
                self._finished.emit(job, None, error)
            else:
                self._finished.emit(job, result, None)

    def _deliver(self, job: _Job, result: Any, error: BaseException | None) -> None:
        self._pending -= 1
        try:
            if job.token.cancelled:
                return
            if error is None:
                if job.on_success is not None and not job.unwanted:
                    job.on_success(result)
            elif isinstance(error, AppError):
                if job.unwanted:
                    return
                if job.on_failure is not None:
                    job.on_failure(error)
                else:
                    self.failed.emit(error.message)
            else:
                raise error
        finally:
            if self._pending == 0:
                self.busy_changed.emit(False)
                self.all_done.emit()
