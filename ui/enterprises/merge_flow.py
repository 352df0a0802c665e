"""Run a merge on the task runner, offer 撤销 in a message bar, undo on request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.domain.errors import AppError
from app.i18n import tr
from app.services.enterprise_merge import MergeReceipt, UndoMergeResult
from ui.task_runner import TaskRunner
from ui.widgets.message_bar import UndoMessageBar

if TYPE_CHECKING:
    from app.services.enterprise_merge import EnterpriseMergeService

_SEPARATOR = "|"


class MergeFlow(QObject):
    """``merged`` / ``undone`` carry (survivor id, merged id) once the database has done it."""

    merged = Signal(str, str)
    undone = Signal(str, str)

    def __init__(
        self,
        service: EnterpriseMergeService,
        runner: TaskRunner,
        bar: UndoMessageBar,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._bar = bar
        bar.undo_clicked.connect(self._on_bar_undo_clicked)

    def merge(self, survivor_id: str, merged_id: str) -> None:
        service = self._service
        self._runner.submit(
            lambda _token: service.merge(survivor_id, merged_id),
            on_success=self._on_merged,
            on_failure=self._on_failed,
            owner=self,
        )

    def undo(self, survivor_id: str, merged_id: str) -> None:
        service = self._service
        self._runner.submit(
            lambda _token: service.undo_merge_of(survivor_id, merged_id),
            on_success=lambda result: self._on_undone(survivor_id, result),
            on_failure=self._on_failed,
            owner=self,
        )

    def _on_merged(self, receipt: MergeReceipt) -> None:
        self._bar.show_undo(
            tr(
                "已将“{merged}”合并到“{survivor}”，移过来 {count} 条记录",
                merged=receipt.merged_name,
                survivor=receipt.survivor_name,
                count=receipt.total_moved,
            ),
            _SEPARATOR.join((receipt.survivor_id, receipt.merged_id)),
        )
        self.merged.emit(receipt.survivor_id, receipt.merged_id)

    def _on_bar_undo_clicked(self, key: str) -> None:
        survivor_id, _, merged_id = key.partition(_SEPARATOR)
        if merged_id:
            self.undo(survivor_id, merged_id)

    def _on_undone(self, survivor_id: str, result: UndoMergeResult) -> None:
        self._bar.show_message(result.message)
        self.undone.emit(survivor_id, result.merged_id)

    def _on_failed(self, error: AppError) -> None:
        self._bar.show_message(error.message)
