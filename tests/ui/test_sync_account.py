"""账户与同步: inline validation, errors in one line, offline-only as a first-class choice, the
keyring checkbox, and a sign-in that never freezes the window."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import desktop_fixtures
import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.database.opening import open_local_database
from app.services.sync_account import SyncAccountService
from app.services.workspace import Workspace
from app.sync import credentials, state
from app.sync.protocol import UserInfo
from ui.sync.account_dialog import AccountDialog
from ui.task_runner import TaskRunner

runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
type_text = desktop_fixtures.type_text
WAIT = 10_000
pytestmark = desktop_fixtures.OFFSCREEN_NOISE
USER = UserInfo(
    username="zhangsan", name="张三", role="member", member_id="m-1", squad_id="s-1",
    squad_name="新能源小分队",
)  # fmt: skip


class MemoryKeyring(KeyringBackend):
    """Stands in for the OS keyring, which a test machine does not have."""

    priority = 1
    saved: dict[tuple[str, str], str]

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.saved.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend: MemoryKeyring = cast(Any, MemoryKeyring)()
    backend.saved = {}
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(cast(Any, fail.Keyring)())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    data_dir = tmp_path / "data"
    database = open_local_database(data_dir)
    yield Workspace(database, data_dir)
    database.dispose()


def _open(qtbot: QtBot, service: SyncAccountService, runner: TaskRunner) -> AccountDialog:
    dialog = AccountDialog(service, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.settings_loaded, timeout=WAIT):
        dialog.open()
    return dialog


def _fill(qtbot: QtBot, dialog: AccountDialog, server: str, user: str, password: str) -> None:
    for edit, text in (
        (dialog.server_edit, server),
        (dialog.username_edit, user),
        (dialog.password_edit, password),
    ):
        edit.clear()
        type_text(qtbot, edit, text)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_empty_fields_are_pointed_out_next_to_them(
    qtbot: QtBot, workspace: Workspace, runner: TaskRunner, no_keyring: None, chinese: None
) -> None:
    dialog = _open(qtbot, SyncAccountService(workspace), runner)
    assert dialog.current_label.text() == "当前：未连接服务器"
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    errors = {field: label.text() for field, label in dialog.field_errors.items()}
    assert errors == {
        "server_url": "请填写服务器地址",
        "username": "请填写用户名",
        "password": "请填写密码",
    }
    assert all(label.isVisible() for label in dialog.field_errors.values())
    assert dialog.server_edit.hasFocus()
    assert not dialog.error_label.isVisible()


def test_the_service_s_verdict_on_the_address_appears_under_it(
    qtbot: QtBot, workspace: Workspace, runner: TaskRunner, no_keyring: None, chinese: None
) -> None:
    dialog = _open(qtbot, SyncAccountService(workspace), runner)
    _fill(qtbot, dialog, "http://sync.example.cn", "zhangsan", "s3cret")
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    error = dialog.field_errors["server_url"]
    qtbot.waitUntil(error.isVisible, timeout=WAIT)
    assert "https://" in error.text()
    assert not dialog.field_errors["username"].isVisible()
    assert dialog.isVisible() and dialog.sign_in_button.isEnabled()


def test_an_unreachable_server_is_said_at_the_top_in_one_line(
    qtbot: QtBot, workspace: Workspace, runner: TaskRunner, no_keyring: None, chinese: None
) -> None:
    dialog = _open(qtbot, SyncAccountService(workspace), runner)
    _fill(qtbot, dialog, f"http://127.0.0.1:{_closed_port()}", "zhangsan", "s3cret")
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=WAIT)
    assert dialog.error_label.text() and "\n" not in dialog.error_label.text()
    assert not dialog.error_label.wordWrap()
    assert not SyncAccountService(workspace).settings().configured


def test_work_offline_only_is_a_choice_of_its_own(
    qtbot: QtBot, workspace: Workspace, runner: TaskRunner, no_keyring: None, chinese: None
) -> None:
    dialog = _open(qtbot, SyncAccountService(workspace), runner)
    assert dialog.offline_button.text() == "仅离线工作"
    with qtbot.waitSignal(dialog.offline_chosen, timeout=WAIT):
        QTest.mouseClick(dialog.offline_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert SyncAccountService(workspace).settings().offline_only
    again = _open(qtbot, SyncAccountService(workspace), runner)
    assert again.current_label.text() == "当前：仅离线工作"


def test_without_a_keyring_the_password_is_not_remembered_and_the_dialog_says_why(
    qtbot: QtBot, workspace: Workspace, runner: TaskRunner, no_keyring: None, chinese: None
) -> None:
    dialog = _open(qtbot, SyncAccountService(workspace), runner)
    assert dialog.remember_check.text() == "在本机钥匙串中记住密码"
    assert not dialog.remember_check.isEnabled() and not dialog.remember_check.isChecked()
    assert dialog.keyring_label.isVisible()
    assert credentials.keyring_problem() in dialog.keyring_label.text()
    assert "SQUADDESK_PASSWORD" in dialog.keyring_label.text()


def test_a_saved_password_is_filled_in_masked(
    qtbot: QtBot,
    workspace: Workspace,
    runner: TaskRunner,
    memory_keyring: MemoryKeyring,
    chinese: None,
) -> None:
    state.save(
        workspace.database,
        {state.SERVER_URL: "https://sync.example.cn", state.USERNAME: "zhangsan"},
    )
    credentials.save_password("https://sync.example.cn", "zhangsan", "s3cret")
    dialog = _open(qtbot, SyncAccountService(workspace), runner)
    assert dialog.server_edit.text() == "https://sync.example.cn"
    assert dialog.username_edit.text() == "zhangsan"
    assert dialog.password_edit.text() == "s3cret"
    assert dialog.password_edit.echoMode() == dialog.password_edit.EchoMode.Password
    assert dialog.remember_check.isEnabled() and dialog.remember_check.isChecked()
    assert dialog.current_label.text() == "当前：以 zhangsan 连接 https://sync.example.cn"
    assert dialog.sign_out_button.isVisible()
    with qtbot.waitSignal(dialog.signed_out, timeout=WAIT):
        QTest.mouseClick(dialog.sign_out_button, Qt.MouseButton.LeftButton)
    assert memory_keyring.saved == {}
    assert not SyncAccountService(workspace).settings().configured


class GatedSignIn(SyncAccountService):
    """The real service, with the server's answer held until the test releases it (no server
    process runs in these tests)."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.gate = threading.Event()
        self.calls: list[tuple[str, str, str, bool]] = []

    def sign_in(self, server_url: str, username: str, password: str, remember: bool) -> UserInfo:
        self.calls.append((server_url, username, password, remember))
        self.gate.wait(WAIT / 1000)
        return USER


def test_sign_in_runs_in_the_background_and_hands_over_the_password(
    qtbot: QtBot,
    workspace: Workspace,
    runner: TaskRunner,
    memory_keyring: MemoryKeyring,
    chinese: None,
) -> None:
    service = GatedSignIn(workspace)
    dialog = _open(qtbot, service, runner)
    _fill(qtbot, dialog, "https://sync.example.cn", "zhangsan", "s3cret")
    try:
        QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(service.calls), timeout=WAIT)
        # The window still answers while the server is asked; the form waits, greyed out.
        assert dialog.busy_label.text() == "正在登录 https://sync.example.cn…"
        assert not dialog.sign_in_button.isEnabled() and not dialog.password_edit.isEnabled()
        with qtbot.waitSignal(dialog.signed_in, timeout=WAIT) as signed_in:
            service.gate.set()
    finally:
        service.gate.set()
    assert signed_in.args == [USER, "s3cret"]
    assert service.calls == [("https://sync.example.cn", "zhangsan", "s3cret", True)]
    assert not dialog.isVisible()
