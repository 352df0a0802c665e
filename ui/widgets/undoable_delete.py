"""Delete a record on the task runner, offer 撤销 in the message bar, restore on undo."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.domain.errors import AppError
from app.i18n import tr
from ui.task_runner import TaskRunner
from ui.widgets.message_bar import UndoMessageBar


class UndoableDelete(QObject):
    """Tombstones by id through ``delete`` and brings back through ``restore``.

    ``deleted`` / ``restored`` carry the id once the database has done it; failures are shown
    in the bar. Owned by its page, so a page closed meanwhile ignores late answers.
    """

    deleted = Signal(str)
    restored = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        bar: UndoMessageBar,
        delete: Callable[[str], object],
        restore: Callable[[str], object],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._bar = bar
        self._delete = delete
        self._restore = restore
        self._names: dict[str, str] = {}
        bar.undo_clicked.connect(self._on_bar_undo_clicked)

    def delete(self, record_id: str, name: str) -> None:
        """Delete ``record_id``; ``name`` is how the bar names it ("已删除“name”")."""
        self._names[record_id] = name
        work = self._delete
        self._runner.submit(
            lambda _token: work(record_id),
            on_success=lambda _result: self._on_deleted(record_id),
            on_failure=self._failed,
            owner=self,
        )

    def _on_deleted(self, record_id: str) -> None:
        self._bar.show_undo(tr("已删除“{name}”", name=self._names.get(record_id, "")), record_id)
        self.deleted.emit(record_id)

    def _on_bar_undo_clicked(self, record_id: str) -> None:
        work = self._restore
        self._runner.submit(
            lambda _token: work(record_id),
            on_success=lambda _result: self._on_restored(record_id),
            on_failure=self._failed,
            owner=self,
        )

    def _on_restored(self, record_id: str) -> None:
        self._bar.show_message(tr("已恢复“{name}”", name=self._names.get(record_id, "")))
        self.restored.emit(record_id)

    def _failed(self, error: AppError) -> None:
        self._bar.show_message(error.message)
