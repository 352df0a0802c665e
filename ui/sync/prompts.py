"""The two questions a sync may need answered: the password, and "really delete these records?".

Both dialogs open window-modal with ``open()`` (no nested event loop) and answer the
controller when the user closes them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QPushButton, QWidget

from app.i18n import tr
from ui.sync.controller import SyncController


class SyncPrompts(QObject):
    """Asks on behalf of ``controller``, over ``parent``."""

    def __init__(self, controller: SyncController, parent: QWidget) -> None:
        super().__init__(parent)
        self._controller = controller
        self._parent = parent
        self.password_dialog: QInputDialog | None = None
        self.mass_delete_box: QMessageBox | None = None
        self.delete_button: QPushButton | None = None
        controller.password_needed.connect(self._on_controller_password_needed)
        controller.mass_delete_pending.connect(self._on_controller_mass_delete_pending)

    # -- password --------------------------------------------------------------------------------

    def _on_controller_password_needed(self) -> None:
        if self.password_dialog is not None:
            return
        status = self._controller.status
        dialog = QInputDialog(self._parent)
        dialog.setWindowTitle(tr("同步需要密码"))
        if status is not None and status.username:
            text = tr(
                "请输入 {user} 在 {server} 的密码。\n密码只保存在本次运行的内存中。",
                user=status.username,
                server=status.server_url,
            )
        else:
            text = tr("请输入同步服务器的密码。\n密码只保存在本次运行的内存中。")
        dialog.setLabelText(text)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.setOkButtonText(tr("同步"))
        dialog.setCancelButtonText(tr("取消"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(self._on_password_dialog_finished)
        self.password_dialog = dialog
        dialog.open()

    def _on_password_dialog_finished(self, result: int) -> None:
        dialog = self.password_dialog
        self.password_dialog = None
        if dialog is None:
            return
        password = dialog.textValue()
        dialog.deleteLater()
        if result == QInputDialog.DialogCode.Accepted and password:
            self._controller.provide_password(password)
        else:
            self._controller.decline_password()

    # -- mass delete -----------------------------------------------------------------------------

    def _on_controller_mass_delete_pending(self, message: str, count: int) -> None:
        if self.mass_delete_box is not None:
            return
        text = tr("这次同步会在本机删除 {count} 条记录。", count=count) if count > 0 else message
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr("确认删除"),
            text,
            QMessageBox.StandardButton.NoButton,
            self._parent,
        )
        explanation = tr(
            "服务器上这些记录已被删除（或你已无权查看）。确认后本机也删除它们；"
            "不确认则暂停这次同步，本机数据保持不变。"
        )
        box.setInformativeText(f"{message}\n\n{explanation}" if count > 0 else explanation)
        self.delete_button = box.addButton(tr("删除并继续同步"), QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(tr("暂不同步"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(self._on_mass_delete_box_finished)
        self.mass_delete_box = box
        box.open()

    def _on_mass_delete_box_finished(self, _result: int) -> None:
        box = self.mass_delete_box
        self.mass_delete_box = None
        if box is None:
            return
        confirmed = box.clickedButton() is self.delete_button
        self.delete_button = None
        box.deleteLater()
        if confirmed:
            self._controller.confirm_mass_delete()
