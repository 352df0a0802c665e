"""Keep an open form's draft in the database at most a second or two behind the typing.

The first change starts a one-second timer that later changes do not push back, so a user typing
without pause is still saved every second; losing focus saves at once. One save runs at a time on
the task runner; changes made meanwhile are saved right after it. Nothing is written while the
draft equals what was last saved.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.domain.errors import AppError
from app.i18n import tr
from ui.task_runner import CancelToken, TaskRunner

DELAY_MS = 1000

SAVING, SAVED, FAILED = "saving", "saved", "failed"


class DraftAutosave(QObject):
    """Saves ``snapshot()`` through ``save_work(snapshot)`` whenever it differs from the last save.

    ``save_state_changed`` carries ``("saving", "")``, ``("saved", "")`` or ``("failed", message)``;
    ``saved`` carries the save's result.
    """

    save_state_changed = Signal(str, str)
    saved = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        snapshot: Callable[[], Hashable],
        save_work: Callable[[Any], Callable[[CancelToken], Any]],
        parent: QObject,
        delay_ms: int = DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._snapshot = snapshot
        self._save_work = save_work
        self._last: Hashable = None
        self._in_flight = False
        self._again = False
        self._active = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.save_now)

    @property
    def busy(self) -> bool:
        return self._in_flight

    def start(self, saved: Hashable) -> None:
        """Begin watching; ``saved`` is what the database holds now (None: nothing yet)."""
        self._last = saved
        self._active = True

    def stop(self) -> None:
        """No more autosaves (the form is closing or saving for good)."""
        self._active = False
        self._timer.stop()

    def resume(self) -> None:
        """Watch again after a final save failed; what is pending is saved soon."""
        self._active = True
        self.changed()

    def mark_saved(self, saved: Hashable) -> None:
        """Another save (the final one) wrote ``saved``."""
        self._last = saved

    def changed(self) -> None:
        """The user changed something: save within ``delay_ms``."""
        if self._active and not self._timer.isActive():
            self._timer.start()

    def pending(self) -> bool:
        """True when the form holds changes not yet written."""
        return self._snapshot() != self._last

    def save_now(self) -> None:
        self._timer.stop()
        if not self._active:
            return
        if self._in_flight:
            self._again = True
            return
        snapshot = self._snapshot()
        if snapshot == self._last:
            return
        self._in_flight = True
        self.save_state_changed.emit(SAVING, "")
        self._runner.submit(
            self._save_work(snapshot),
            lambda result: self._on_save_done(snapshot, result),
            self._on_save_failed,
            owner=self,
        )

    def _on_save_done(self, snapshot: Hashable, result: object) -> None:
        self._in_flight = False
        self._last = snapshot
        self.save_state_changed.emit(SAVED, "")
        self.saved.emit(result)
        if self._again:
            self._again = False
            self.save_now()

    def _on_save_failed(self, error: AppError) -> None:
        self._in_flight = False
        self._again = False
        self.save_state_changed.emit(FAILED, error.message or tr("保存失败"))
