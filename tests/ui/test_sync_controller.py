"""The sync controller: one sync at a time, never while offline only, the automatic triggers,
and the password and mass-delete questions answered through real dialogs."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import desktop_fixtures
import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.database.opening import open_local_database
from app.services.enterprises import EnterpriseService
from app.services.sync_account import SyncAccountService
from app.services.sync_status import SyncStatusService
from app.services.workspace import Workspace
from app.sync import state
from app.sync.engine import SyncProblem, SyncReport
from ui.sync.controller import SyncController, SyncTimings
from ui.sync.prompts import SyncPrompts
from ui.task_runner import TaskRunner

runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
WAIT = 10_000
LATER = SyncTimings(startup_delay_ms=600_000)  # no start-up sync unless a test asks for one
pytestmark = desktop_fixtures.OFFSCREEN_NOISE
REPORT = SyncReport(
    pushed=1, applied=1, merged=0, conflicts=0, rejected=0, pulled=3, blobs_up=0, blobs_down=0,
    seconds=0.1,
)  # fmt: skip


def sign_in(workspace: Workspace) -> None:
    """What a successful 登录 leaves behind (the server part is the engine's, faked here)."""
    state.save(
        workspace.database,
        {state.SERVER_URL: "https://sync.example.cn", state.USERNAME: "zhangsan"},
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    data_dir = tmp_path / "data"
    database = open_local_database(data_dir)
    yield Workspace(database, data_dir)
    database.dispose()


class Engines:
    """Engine factory: records each run; ``gate`` holds a run until the test opens it;
    ``outcomes`` are raised (SyncProblem) or returned, one per run, then REPORT."""

    def __init__(self) -> None:
        self.runs: list[dict[str, Any]] = []
        self.gate = threading.Event()
        self.gate.set()
        self.outcomes: list[SyncProblem | SyncReport] = []
        self._lock = threading.Lock()

    def __call__(self, password: str | None) -> Engines.Engine:
        return Engines.Engine(self, password)

    class Engine:
        def __init__(self, owner: Engines, password: str | None) -> None:
            self.owner = owner
            self.password = password

        def run(
            self,
            cancel: Any = None,
            progress: Callable[[str, int, int], None] | None = None,
            confirm_mass_delete: bool = False,
        ) -> SyncReport:
            owner = self.owner
            with owner._lock:
                owner.runs.append({"password": self.password, "confirm": confirm_mass_delete})
                outcome = owner.outcomes.pop(0) if owner.outcomes else REPORT
            if progress is not None:
                progress("上传更改", 1, 2)
            owner.gate.wait(WAIT / 1000)
            if isinstance(outcome, SyncProblem):
                raise outcome
            return outcome


@pytest.fixture
def engines() -> Iterator[Engines]:
    made = Engines()
    yield made
    made.gate.set()  # never leave the sync thread waiting


@pytest.fixture
def make_controller(
    qtbot: QtBot, runner: TaskRunner, engines: Engines, workspace: Workspace, chinese: None
) -> Iterator[Callable[..., SyncController]]:
    made: list[SyncController] = []

    def make(timings: SyncTimings = LATER) -> SyncController:
        controller = SyncController(engines, SyncStatusService(workspace), runner, timings=timings)
        made.append(controller)
        with qtbot.waitSignal(controller.status_changed, timeout=WAIT):
            controller.start()
        return controller

    yield make
    for controller in made:
        controller.shutdown()


def test_a_second_trigger_while_running_does_not_start_another(
    qtbot: QtBot,
    make_controller: Callable[..., SyncController],
    engines: Engines,
    workspace: Workspace,
) -> None:
    sign_in(workspace)
    controller = make_controller()
    engines.gate.clear()
    with qtbot.waitSignal(controller.sync_progressed, timeout=WAIT):
        assert controller.sync_now()
    assert controller.running
    assert not controller.sync_now()  # F5 again while the first one runs
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT) as finished:
        engines.gate.set()
    assert finished.args == [REPORT]
    assert len(engines.runs) == 1
    assert not controller.running
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        assert controller.sync_now()  # and afterwards it syncs again
    assert len(engines.runs) == 2


def test_never_syncs_when_offline_only(
    qtbot: QtBot,
    make_controller: Callable[..., SyncController],
    engines: Engines,
    workspace: Workspace,
    runner: TaskRunner,
) -> None:
    sign_in(workspace)
    SyncAccountService(workspace).work_offline()
    quick = SyncTimings(
        interval_ms=20, startup_delay_ms=10, edit_delay_ms=10, status_debounce_ms=10
    )
    controller = make_controller(quick)
    enterprises = EnterpriseService(workspace)
    with (
        qtbot.assertNotEmitted(controller.sync_started, wait=300),
        qtbot.waitSignal(controller.account_needed, timeout=WAIT),
    ):
        assert not controller.sync_now()  # F5 offers the account dialog instead
        runner.submit(lambda _token: enterprises.create({"name": "离线新建有限公司"}))
        controller.network_reachable(True)
    assert engines.runs == []
    assert controller.status is not None and controller.status.pending_changes == 1


def test_syncs_after_start_up_and_then_on_the_interval(
    qtbot: QtBot,
    make_controller: Callable[..., SyncController],
    engines: Engines,
    workspace: Workspace,
) -> None:
    sign_in(workspace)
    make_controller(SyncTimings(interval_ms=100, startup_delay_ms=10))
    qtbot.waitUntil(lambda: len(engines.runs) >= 3, timeout=WAIT)


def test_the_network_coming_back_retries_at_once(
    qtbot: QtBot,
    make_controller: Callable[..., SyncController],
    engines: Engines,
    workspace: Workspace,
) -> None:
    sign_in(workspace)
    controller = make_controller(dataclasses.replace(LATER, network_return_ms=10))
    engines.outcomes = [SyncProblem("offline", "无法连接服务器")]
    with qtbot.waitSignal(controller.sync_failed, timeout=WAIT):
        controller.sync_now()
    assert controller.retry_delay_ms == 30_000
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        controller.network_reachable(True)
    assert len(engines.runs) == 2


def test_a_sync_queued_before_choosing_offline_only_does_not_run(
    qtbot: QtBot,
    make_controller: Callable[..., SyncController],
    engines: Engines,
    workspace: Workspace,
) -> None:
    sign_in(workspace)
    controller = make_controller()
    SyncAccountService(workspace).work_offline()  # the controller has not re-read the status yet
    with qtbot.waitSignal(
        controller.running_changed, timeout=WAIT, check_params_cb=lambda r: not r
    ):
        controller.sync_now()
    assert engines.runs == []


def test_a_local_edit_syncs_a_little_later(
    qtbot: QtBot,
    make_controller: Callable[..., SyncController],
    engines: Engines,
    workspace: Workspace,
    runner: TaskRunner,
) -> None:
    sign_in(workspace)
    controller = make_controller(
        dataclasses.replace(LATER, edit_delay_ms=50, status_debounce_ms=10)
    )
    enterprises = EnterpriseService(workspace)
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        runner.submit(lambda _token: enterprises.create({"name": "刚录入有限公司"}))
    assert len(engines.runs) == 1


def test_offline_failure_retries_with_back_off(
    qtbot: QtBot,
    make_controller: Callable[..., SyncController],
    engines: Engines,
    workspace: Workspace,
) -> None:
    sign_in(workspace)
    controller = make_controller()
    engines.outcomes = [SyncProblem("offline", "无法连接服务器")] * 2
    with qtbot.waitSignal(controller.sync_failed, timeout=WAIT) as failed:
        controller.sync_now()
    assert failed.args == ["offline", "无法连接服务器"]
    assert controller.retry_delay_ms == 30_000
    with qtbot.waitSignal(controller.sync_failed, timeout=WAIT):
        controller.sync_now()
    assert controller.retry_delay_ms == 60_000
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        controller.sync_now()
    assert controller.retry_delay_ms is None and controller.last_failure is None


def test_password_is_asked_for_and_kept_for_the_session(
    qtbot: QtBot,
    make_controller: Callable[..., SyncController],
    engines: Engines,
    workspace: Workspace,
) -> None:
    sign_in(workspace)
    controller = make_controller()
    parent = QWidget()
    qtbot.addWidget(parent)
    prompts = SyncPrompts(controller, parent)
    engines.outcomes = [SyncProblem("password_needed", "请输入 zhangsan 的同步密码")]
    with qtbot.waitSignal(controller.password_needed, timeout=WAIT):
        controller.sync_now()
    dialog = prompts.password_dialog
    assert dialog is not None and dialog.isVisible()
    assert "zhangsan" in dialog.labelText() and "sync.example.cn" in dialog.labelText()
    dialog.setTextValue("s3cret")
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        dialog.accept()
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        controller.sync_now()
    assert [run["password"] for run in engines.runs] == [None, "s3cret", "s3cret"]


def test_mass_delete_asks_with_the_count_and_reruns_when_confirmed(
    qtbot: QtBot,
    make_controller: Callable[..., SyncController],
    engines: Engines,
    workspace: Workspace,
) -> None:
    sign_in(workspace)
    controller = make_controller()
    parent = QWidget()
    qtbot.addWidget(parent)
    prompts = SyncPrompts(controller, parent)
    problem = SyncProblem("mass_delete", "将删除 120 家企业", table="enterprises", count=120)
    engines.outcomes = [problem]
    with qtbot.waitSignal(controller.mass_delete_pending, timeout=WAIT):
        controller.sync_now()
    box = prompts.mass_delete_box
    assert box is not None and box.isVisible()
    assert box.text() == "这次同步会在本机删除 120 条记录。"
    assert prompts.delete_button is not None
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        prompts.delete_button.click()
    assert [run["confirm"] for run in engines.runs] == [False, True]


def test_mass_delete_declined_keeps_the_data_and_does_not_rerun(
    qtbot: QtBot,
    make_controller: Callable[..., SyncController],
    engines: Engines,
    workspace: Workspace,
) -> None:
    sign_in(workspace)
    controller = make_controller()
    parent = QWidget()
    qtbot.addWidget(parent)
    prompts = SyncPrompts(controller, parent)
    engines.outcomes = [SyncProblem("mass_delete", "将删除 80 条记录", count=80)]
    with qtbot.waitSignal(controller.mass_delete_pending, timeout=WAIT):
        controller.sync_now()
    box = prompts.mass_delete_box
    assert box is not None
    with qtbot.assertNotEmitted(controller.sync_started, wait=100):
        box.reject()
    assert len(engines.runs) == 1
