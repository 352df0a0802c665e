"""First start, "连接单位服务器": sign in, then the first sync with its progress, in the window."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import desktop_fixtures
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.database.opening import open_local_database
from app.database.unit_of_work import Database
from app.services.sync_account import SyncAccountService, normalise_server_url
from app.services.workspace import Workspace
from app.sync import state
from app.sync.engine import SyncProblem, SyncReport
from app.sync.protocol import UserInfo
from ui.main_window import MainWindow
from ui.sync.status_widget import SyncStatusWidget
from ui.sync.sync_session import SyncSession
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


class ServerlessAccount(SyncAccountService):
    """The real service, answering 登录 itself: no server process runs in these tests. It
    remembers the account as a successful sign-in does; with no keyring, no password."""

    def sign_in(self, server_url: str, username: str, password: str, remember: bool) -> UserInfo:
        url = normalise_server_url(server_url)
        state.save(self._workspace.database, {state.SERVER_URL: url, state.USERNAME: username})
        return USER


class FirstSyncEngine:
    """Reports download progress, then waits for ``gate``; fails with ``problem`` when set, else
    records the sync as the real engine does."""

    def __init__(self) -> None:
        self.database: Database | None = None
        self.gate = threading.Event()
        self.passwords: list[str | None] = []
        self.problem: SyncProblem | None = None

    def __call__(self, password: str | None) -> FirstSyncEngine:
        self.passwords.append(password)
        return self

    def run(
        self, cancel: Any = None, progress: Any = None, confirm_mass_delete: bool = False
    ) -> SyncReport:
        progress("下载更改", 600, 2000)
        self.gate.wait(WAIT / 1000)
        if self.problem is not None:
            raise self.problem
        assert self.database is not None
        state.save(self.database, {state.LAST_SYNC_AT: state.now_text()})
        return SyncReport(0, 0, 0, 0, 0, 2000, 0, 0, 1.5)


@pytest.fixture
def engine() -> Iterator[FirstSyncEngine]:
    made = FirstSyncEngine()
    yield made
    made.gate.set()


@pytest.fixture
def session(
    qtbot: QtBot, tmp_path: Path, runner: TaskRunner, engine: FirstSyncEngine, chinese: None
) -> Iterator[SyncSession]:
    data_dir = tmp_path / "fresh"
    database = open_local_database(data_dir)
    workspace = Workspace(database, data_dir)
    engine.database = database
    window_state = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(runner, data_dir, window_state)
    qtbot.addWidget(window)
    window.show()
    made = SyncSession(
        workspace,
        window,
        runner,
        engine_factory=engine,
        account_service=ServerlessAccount(workspace),
    )
    with qtbot.waitSignal(made.controller.status_changed, timeout=WAIT):
        made.start()
    yield made
    made.shutdown()
    window.close()
    database.dispose()


def _sign_in(qtbot: QtBot, session: SyncSession) -> None:
    dialog = session.account_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.account is not None, timeout=WAIT)
    type_text(qtbot, dialog.server_edit, "https://sync.example.cn")
    type_text(qtbot, dialog.username_edit, "zhangsan")
    type_text(qtbot, dialog.password_edit, "s3cret")
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_sign_in_then_the_first_sync_shows_its_progress(
    qtbot: QtBot, session: SyncSession, engine: FirstSyncEngine
) -> None:
    flow = session.start_first_sync()
    _sign_in(qtbot, session)

    def progress_shown() -> bool:
        dialog = flow.progress_dialog
        return dialog is not None and dialog.isVisible() and "600/2000" in dialog.labelText()

    qtbot.waitUntil(progress_shown, timeout=WAIT)
    assert flow.progress_dialog is not None
    assert flow.progress_dialog.labelText() == "下载更改 600/2000"
    with qtbot.waitSignal(flow.finished, timeout=WAIT) as finished:
        engine.gate.set()
    assert finished.args == [""]
    assert flow.progress_dialog is None
    assert engine.passwords == ["s3cret"]  # no keyring here: the typed password, from memory
    widget = session.window.status_widget
    assert isinstance(widget, SyncStatusWidget)
    qtbot.waitUntil(lambda: widget.state_text == "已同步 · 刚刚", timeout=WAIT)


def test_a_failed_first_sync_still_lets_the_user_start(
    qtbot: QtBot, session: SyncSession, engine: FirstSyncEngine
) -> None:
    engine.problem = SyncProblem("offline", "无法连接服务器 sync.example.cn")
    engine.gate.set()
    flow = session.start_first_sync()
    with qtbot.waitSignal(flow.finished, timeout=WAIT) as finished:
        _sign_in(qtbot, session)
    assert finished.args == ["首次同步没有完成：无法连接服务器 sync.example.cn"]
    assert flow.progress_dialog is None
