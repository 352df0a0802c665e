"""账户与同步: sign in to the bureau's server, or choose to work offline only.

Reading the settings, signing in and switching to offline run on a background runner; the
dialog stays responsive and shows what went wrong in one line, next to the field it is about.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError, ValidationError
from app.i18n import tr
from ui.task_runner import CancelToken, TaskRunner

if TYPE_CHECKING:
    from app.services.sync_account import AccountSettings
    from app.sync.protocol import UserInfo

ERROR_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: #5f6b7a;"


class AccountServiceLike(Protocol):
    def settings(self) -> AccountSettings: ...
    def sign_in(
        self, server_url: str, username: str, password: str, remember: bool
    ) -> UserInfo: ...
    def work_offline(self) -> None: ...
    def sign_out(self) -> None: ...
    def saved_password(self) -> str | None: ...


class AccountDialog(QDialog):
    """Emits ``signed_in(user_info, password)`` or ``offline_chosen`` and closes."""

    signed_in = Signal(object, str)
    offline_chosen = Signal()
    signed_out = Signal()
    settings_loaded = Signal(object)

    def __init__(
        self,
        service: AccountServiceLike,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        network_runner: TaskRunner | None = None,
    ) -> None:
        """Settings are read and written on ``runner`` (the database's); signing in talks to
        the server on ``network_runner`` (the sync thread's) when given."""
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._network_runner = network_runner or runner
        self._token: CancelToken | None = None
        self.account: AccountSettings | None = None
        self.setWindowTitle(tr("账户与同步"))
        intro = QLabel(
            tr(
                "连接单位的同步服务器后，本机的修改会上传，同事的修改会下载到本机。"
                "没有网络时照常使用，恢复网络后自动同步。"
            ),
            self,
        )
        intro.setWordWrap(True)
        self.current_label = QLabel(self)
        self.current_label.setStyleSheet(NOTE_STYLE)
        self.error_label = self._error_label()
        self.server_edit = QLineEdit(self)
        self.server_edit.setPlaceholderText("https://zhaoshang.example.gov.cn")
        self.username_edit = QLineEdit(self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_check = QCheckBox(tr("在本机钥匙串中记住密码"), self)
        self.remember_check.setChecked(True)
        self.keyring_label = QLabel(self)
        self.keyring_label.setWordWrap(True)
        self.keyring_label.setStyleSheet(NOTE_STYLE)
        self.keyring_label.hide()
        self.field_errors = {
            "server_url": self._error_label(),
            "username": self._error_label(),
            "password": self._error_label(),
        }
        form = QFormLayout()
        form.addRow(tr("服务器地址"), self.server_edit)
        form.addRow("", self.field_errors["server_url"])
        form.addRow(tr("用户名"), self.username_edit)
        form.addRow("", self.field_errors["username"])
        form.addRow(tr("密码"), self.password_edit)
        form.addRow("", self.field_errors["password"])
        form.addRow("", self.remember_check)
        self.sign_in_button = QPushButton(tr("登录并同步"), self)
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self._on_sign_in_button_clicked)
        self.offline_button = QPushButton(tr("仅离线工作"), self)
        self.offline_button.setToolTip(tr("不连接服务器，数据只保存在本机；以后随时可以再连接"))
        self.offline_button.clicked.connect(self._on_offline_button_clicked)
        self.sign_out_button = QPushButton(tr("退出登录"), self)
        self.sign_out_button.setToolTip(tr("停止同步并从钥匙串中删除密码；本机数据保留"))
        self.sign_out_button.clicked.connect(self._on_sign_out_button_clicked)
        self.sign_out_button.hide()
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.offline_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.sign_out_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.busy_label = QLabel(self)
        self.busy_label.setStyleSheet(NOTE_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.current_label)
        layout.addWidget(self.error_label)
        layout.addLayout(form)
        layout.addWidget(self.keyring_label)
        layout.addWidget(self.busy_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.finished.connect(self._on_self_finished)
        self._set_busy(tr("正在读取账户设置…"))
        self._submit(self._load, self._on_settings_loaded)

    # -- loading ---------------------------------------------------------------------------------

    def _load(self, _token: CancelToken) -> tuple[AccountSettings, str | None]:
        settings = self._service.settings()
        saved = self._service.saved_password() if settings.password_saved else None
        return settings, saved

    def _on_settings_loaded(self, loaded: tuple[AccountSettings, str | None]) -> None:
        settings, saved = loaded
        self.account = settings
        self.server_edit.setText(settings.server_url)
        self.username_edit.setText(settings.username)
        if saved:
            self.password_edit.setText(saved)
        if settings.keyring_available:
            self.remember_check.setEnabled(True)
            self.remember_check.setChecked(settings.password_saved or not settings.configured)
            self.keyring_label.hide()
        else:
            self.remember_check.setChecked(False)
            self.remember_check.setEnabled(False)
            self.keyring_label.setText(
                tr(
                    "{problem}。本次运行期间密码只保存在内存中，重新打开软件后需要再输入一次；"
                    "也可以用环境变量 SQUADDESK_PASSWORD 提供。",
                    problem=settings.keyring_problem or tr("本机没有可用的钥匙串"),
                )
            )
            self.keyring_label.show()
        if settings.configured:
            self.current_label.setText(
                tr(
                    "当前：以 {user} 连接 {server}",
                    user=settings.username,
                    server=settings.server_url,
                )
            )
        elif settings.offline_only:
            self.current_label.setText(tr("当前：仅离线工作"))
        else:
            self.current_label.setText(tr("当前：未连接服务器"))
        self.sign_out_button.setVisible(settings.configured)
        self._set_busy("")
        self.adjustSize()
        (self.username_edit if settings.server_url else self.server_edit).setFocus()
        self.settings_loaded.emit(settings)

    # -- actions ---------------------------------------------------------------------------------

    def _on_sign_in_button_clicked(self) -> None:
        self._clear_errors()
        server = self.server_edit.text().strip()
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        missing = {
            "server_url": (server, tr("请填写服务器地址")),
            "username": (username, tr("请填写用户名")),
            "password": (password, tr("请填写密码")),
        }
        empty = [field for field, (value, _message) in missing.items() if not value]
        if empty:
            for field in empty:
                self._show_field_error(field, missing[field][1])
            self._focus_field(empty[0])
            return
        remember = self.remember_check.isEnabled() and self.remember_check.isChecked()
        service = self._service
        self._set_busy(tr("正在登录 {server}…", server=server))

        def on_success(user: UserInfo) -> None:
            self._set_busy("")
            self.signed_in.emit(user, password)
            self.accept()

        self._submit(
            lambda _token: service.sign_in(server, username, password, remember),
            on_success,
            runner=self._network_runner,
        )

    def _on_offline_button_clicked(self) -> None:
        self._clear_errors()
        service = self._service
        self._set_busy(tr("正在切换到仅离线工作…"))

        def on_success(_result: object) -> None:
            self._set_busy("")
            self.offline_chosen.emit()
            self.accept()

        self._submit(lambda _token: service.work_offline(), on_success)

    def _on_sign_out_button_clicked(self) -> None:
        self._clear_errors()
        service = self._service
        self._set_busy(tr("正在退出登录…"))

        def on_success(_result: object) -> None:
            self._set_busy("")
            self.signed_out.emit()
            self.accept()

        self._submit(lambda _token: service.sign_out(), on_success)

    def _on_self_finished(self, _result: int) -> None:
        if self._token is not None:
            self._token.cancel()  # an answer for a closed dialog is not wanted

    # -- internals -------------------------------------------------------------------------------

    def _submit(
        self,
        work: Callable[[CancelToken], Any],
        on_success: Callable[[Any], None],
        *,
        runner: TaskRunner | None = None,
    ) -> None:
        def success(result: Any) -> None:
            self._token = None
            on_success(result)

        def failure(error: AppError) -> None:
            self._token = None
            self._on_failed(error)

        self._token = (runner or self._runner).submit(work, success, failure, owner=self)

    def _on_failed(self, error: AppError) -> None:
        self._set_busy("")
        field = error.field if isinstance(error, ValidationError) else ""
        if field in self.field_errors:
            self._show_field_error(field, error.message)
            self._focus_field(field)
        else:
            self._show_one_line(self.error_label, error.message)

    def _show_one_line(self, label: QLabel, message: str) -> None:
        """One line, cut with "…" when long; the whole message in the tooltip."""
        width = max(self.width() - 60, 320)
        shown = label.fontMetrics().elidedText(message, Qt.TextElideMode.ElideRight, width)
        label.setText(shown)
        label.setToolTip(message)
        label.show()
        self.adjustSize()

    def _show_field_error(self, field: str, message: str) -> None:
        self._show_one_line(self.field_errors[field], message)

    def _focus_field(self, field: str) -> None:
        edits = {
            "server_url": self.server_edit,
            "username": self.username_edit,
            "password": self.password_edit,
        }
        edits[field].setFocus()
        edits[field].selectAll()

    def _clear_errors(self) -> None:
        self.error_label.hide()
        for label in self.field_errors.values():
            label.hide()

    def _set_busy(self, text: str) -> None:
        busy = bool(text)
        self.busy_label.setText(text)
        for widget in (
            self.server_edit,
            self.username_edit,
            self.password_edit,
            self.sign_in_button,
            self.offline_button,
            self.sign_out_button,
        ):
            widget.setEnabled(not busy)

    def _error_label(self) -> QLabel:
        label = QLabel(self)
        label.setStyleSheet(ERROR_STYLE)
        label.hide()
        return label
