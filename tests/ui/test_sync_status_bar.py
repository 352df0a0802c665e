"""The sync corner of the status bar, as the user reads it, over a real database."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.database.opening import open_local_database
from app.database.tables import ConflictRow, RejectedChangeRow
from app.services.enterprises import EnterpriseService
from app.services.sync_account import SyncAccountService
from app.services.sync_status import SyncStatusService
from app.services.workspace import Workspace
from app.sync import state
from app.sync.engine import SyncProblem, SyncReport
from ui.sync.controller import SyncController, SyncTimings
from ui.sync.status_widget import SyncStatusWidget
from ui.task_runner import TaskRunner

runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
WAIT = 10_000
pytestmark = desktop_fixtures.OFFSCREEN_NOISE
LATER = SyncTimings(startup_delay_ms=600_000)
SERVER = {state.SERVER_URL: "https://sync.example.cn", state.USERNAME: "zhangsan"}


class Engine:
    """Fails with ``problem`` when set; each run waits for ``gate``."""

    def __init__(self) -> None:
        self.problem: SyncProblem | None = None
        self.gate = threading.Event()
        self.gate.set()

    def __call__(self, _password: str | None) -> Engine:
        return self

    def run(
        self, cancel: Any = None, progress: Any = None, confirm_mass_delete: bool = False
    ) -> SyncReport:
        if progress is not None:
            progress("下载更改", 40, 200)
        self.gate.wait(WAIT / 1000)
        if self.problem is not None:
            raise self.problem
        return SyncReport(0, 0, 0, 0, 0, 0, 0, 0, 0.1)


@pytest.fixture
def engine() -> Iterator[Engine]:
    made = Engine()
    yield made
    made.gate.set()


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    data_dir = tmp_path / "data"
    database = open_local_database(data_dir)
    yield Workspace(database, data_dir)
    database.dispose()


Shown = Callable[[], tuple[SyncController, SyncStatusWidget]]


@pytest.fixture
def show(
    qtbot: QtBot, runner: TaskRunner, engine: Engine, workspace: Workspace, chinese: None
) -> Iterator[Shown]:
    made: list[SyncController] = []

    def make() -> tuple[SyncController, SyncStatusWidget]:
        controller = SyncController(engine, SyncStatusService(workspace), runner, timings=LATER)
        made.append(controller)
        widget = SyncStatusWidget(controller)
        qtbot.addWidget(widget)
        widget.show()
        with qtbot.waitSignal(controller.status_changed, timeout=WAIT):
            controller.start()
        return controller, widget

    yield make
    for controller in made:
        controller.shutdown()


def _ago(minutes: int) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)).isoformat()


def _add_conflicts_and_a_rejected_change(workspace: Workspace) -> None:
    enterprise_id = EnterpriseService(workspace).create({"name": "华为技术有限公司"})
    with workspace.database.write(workspace.actor()) as session:
        for field in ("legal_representative", "address"):
            session.add(
                ConflictRow(
                    table_name="enterprises",
                    row_id=enterprise_id,
                    field=field,
                    server_value="甲",
                    client_value="乙",
                )
            )
        session.add(
            RejectedChangeRow(
                change_id="c-1",
                device_seq=1,
                table_name="enterprises",
                row_id=enterprise_id,
                op="patch",
                fields={"website": "x"},
                base={},
                code="invalid_value",
                reason="网址无效",
            )
        )


def test_shows_pending_count_last_sync_and_badges(
    qtbot: QtBot, show: Shown, workspace: Workspace
) -> None:
    state.save(workspace.database, {**SERVER, state.LAST_SYNC_AT: _ago(3)})
    EnterpriseService(workspace).create({"name": "待上传甲有限公司"})
    _add_conflicts_and_a_rejected_change(workspace)
    _controller, widget = show()
    assert widget.pending_label.text() == "待同步 2"
    assert widget.state_text == "已同步 · 3 分钟前"
    assert "上次成功同步" in widget.state_label.toolTip()
    assert widget.conflicts_button.isVisible() and widget.conflicts_button.text() == "冲突 2"
    assert widget.rejected_button.isVisible() and widget.rejected_button.text() == "被拒 1"
    with qtbot.waitSignal(widget.conflicts_clicked, timeout=WAIT):
        QTest.mouseClick(widget.conflicts_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(widget.rejected_clicked, timeout=WAIT):
        QTest.mouseClick(widget.rejected_button, Qt.MouseButton.LeftButton)
    widget.grab()


def test_pending_count_follows_local_edits(
    qtbot: QtBot, show: Shown, workspace: Workspace, runner: TaskRunner
) -> None:
    state.save(workspace.database, SERVER)
    controller, widget = show()
    assert widget.pending_label.text() == "待同步 0"
    assert not widget.conflicts_button.isVisible()
    enterprises = EnterpriseService(workspace)
    with qtbot.waitSignal(controller.status_changed, timeout=WAIT):
        runner.submit(lambda _token: enterprises.create({"name": "新录入有限公司"}))
    assert widget.pending_label.text() == "待同步 1"


def test_shows_progress_while_running_and_the_error_after(
    qtbot: QtBot, show: Shown, workspace: Workspace, engine: Engine
) -> None:
    state.save(workspace.database, SERVER)
    controller, widget = show()
    assert widget.state_text == "尚未同步"
    engine.gate.clear()
    long_reason = "服务器返回错误：数据库暂时不可用，请稍后再试。" * 4
    engine.problem = SyncProblem("server_error", long_reason)
    with qtbot.waitSignal(controller.sync_progressed, timeout=WAIT):
        QTest.mouseClick(widget.sync_button, Qt.MouseButton.LeftButton)
    assert "同步中…" in widget.state_text and "下载更改 40/200" in widget.state_text
    assert not widget.sync_button.isEnabled()
    with qtbot.waitSignal(controller.sync_failed, timeout=WAIT):
        engine.gate.set()
    assert widget.state_text.startswith("同步失败：服务器返回错误")
    assert widget.state_text.endswith("…")  # one line; the whole message is in the tooltip
    assert widget.state_label.toolTip() == long_reason
    assert "#b3261e" in widget.state_label.text()  # red


def test_offline_failure_reads_as_waiting_not_as_an_error(
    qtbot: QtBot, show: Shown, workspace: Workspace, engine: Engine
) -> None:
    state.save(workspace.database, SERVER)
    controller, widget = show()
    engine.problem = SyncProblem("offline", "无法连接服务器 sync.example.cn")
    with qtbot.waitSignal(controller.sync_failed, timeout=WAIT):
        controller.sync_now()
    assert widget.state_text == "离线，稍后自动重试"
    assert widget.state_label.toolTip() == "无法连接服务器 sync.example.cn"


def test_an_error_recorded_by_an_earlier_run_is_shown(show: Shown, workspace: Workspace) -> None:
    now = dt.datetime.now(dt.UTC).isoformat()
    state.save(
        workspace.database,
        {
            **SERVER,
            state.LAST_SYNC_AT: _ago(60),
            state.LAST_SYNC_ERROR: "用户名或密码不正确",
            state.LAST_SYNC_ERROR_AT: now,
        },
    )
    _controller, widget = show()
    assert widget.state_text == "同步失败：用户名或密码不正确"
    assert "#b3261e" in widget.state_label.text()


@pytest.mark.parametrize("offline_only", [True, False])
def test_offline_only_and_not_connected_link_to_the_account(
    qtbot: QtBot, show: Shown, workspace: Workspace, offline_only: bool
) -> None:
    if offline_only:
        SyncAccountService(workspace).work_offline()
    _controller, widget = show()
    assert widget.state_text == ("仅离线工作" if offline_only else "未连接服务器")
    assert not widget.pending_label.isVisible()
    assert not widget.sync_button.isEnabled()
    with qtbot.waitSignal(widget.account_clicked, timeout=WAIT):
        widget.state_label.linkActivated.emit("account")


def test_a_wrong_password_links_to_the_account(
    qtbot: QtBot, show: Shown, workspace: Workspace, engine: Engine
) -> None:
    state.save(workspace.database, SERVER)
    controller, widget = show()
    engine.problem = SyncProblem("auth", "用户名或密码不正确")
    with qtbot.waitSignal(controller.sync_failed, timeout=WAIT):
        controller.sync_now()
    assert widget.state_text == "同步失败：用户名或密码不正确"
    assert "#b3261e" in widget.state_label.text()
    with qtbot.waitSignal(widget.account_clicked, timeout=WAIT):
        widget.state_label.linkActivated.emit("account")
