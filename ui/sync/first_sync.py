"""First start, "连接单位服务器": the account dialog, then the first sync with its progress.

``finished(message)`` when the user may start working: after the first sync (message empty),
after it failed (the message says why; the outbox and the data are intact, F5 retries), or
after choosing to work offline. ``cancelled`` when the account dialog was closed: the caller
offers the first-start choice again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QProgressDialog, QWidget

from app.i18n import tr
from ui.sync.account_dialog import AccountDialog
from ui.sync.controller import SyncController

if TYPE_CHECKING:
    from app.sync.protocol import UserInfo


class FirstSync(QObject):
    finished = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        controller: SyncController,
        open_account_dialog: Callable[[], AccountDialog],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._open_account_dialog = open_account_dialog
        self._parent_widget = parent
        self._waiting = False
        self._signed_in = False
        self.progress_dialog: QProgressDialog | None = None
        self.account_dialog: AccountDialog | None = None

    def start(self) -> None:
        dialog = self._open_account_dialog()
        dialog.signed_in.connect(self._on_account_dialog_signed_in)
        dialog.offline_chosen.connect(self._on_account_dialog_offline_chosen)
        dialog.finished.connect(self._on_account_dialog_finished)
        self.account_dialog = dialog

    # -- account ---------------------------------------------------------------------------------

    def _on_account_dialog_signed_in(self, _user: UserInfo, _password: str) -> None:
        self._signed_in = True
        controller = self._controller
        controller.sync_progressed.connect(self._on_controller_sync_progressed)
        controller.sync_finished.connect(self._on_controller_sync_finished)
        controller.sync_failed.connect(self._on_controller_sync_failed)
        controller.sync_not_started.connect(self._on_controller_sync_not_started)
        self._waiting = True
        self._show_progress()

    def _on_account_dialog_offline_chosen(self) -> None:
        self._signed_in = True  # a choice was made: the dialog closing is not a cancel
        self.finished.emit("")

    def _on_account_dialog_finished(self, result: int) -> None:
        self.account_dialog = None
        if result != QDialog.DialogCode.Accepted and not self._signed_in:
            self.cancelled.emit()

    # -- first sync ------------------------------------------------------------------------------

    def _show_progress(self) -> None:
        dialog = QProgressDialog(tr("正在从服务器下载数据…"), "", 0, 0, self._parent_widget)
        dialog.setWindowTitle(tr("首次同步"))
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(380)
        dialog.show()
        self.progress_dialog = dialog

    def _on_controller_sync_progressed(self, stage: str, done: int, total: int) -> None:
        if self.progress_dialog is not None:
            label = tr("{stage} {done}/{total}", stage=stage, done=done, total=total)
            self.progress_dialog.setLabelText(label if total > 0 else stage)
            self.progress_dialog.setMaximum(max(total, 0))
            self.progress_dialog.setValue(min(done, total) if total > 0 else 0)

    def _on_controller_sync_finished(self, _report: object) -> None:
        self._finish("")

    def _on_controller_sync_failed(self, _kind: str, message: str) -> None:
        self._finish(tr("首次同步没有完成：{message}", message=message))

    def _on_controller_sync_not_started(self) -> None:
        self._finish("")

    def _finish(self, message: str) -> None:
        if not self._waiting:
            return
        self._waiting = False
        controller = self._controller
        controller.sync_progressed.disconnect(self._on_controller_sync_progressed)
        controller.sync_finished.disconnect(self._on_controller_sync_finished)
        controller.sync_failed.disconnect(self._on_controller_sync_failed)
        controller.sync_not_started.disconnect(self._on_controller_sync_not_started)
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        self.finished.emit(message)
