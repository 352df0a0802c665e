"""Sync in the whole desktop: the 同步 menu and F5, the 冲突 page with its badge, the status bar,
and "连接单位服务器" on first start."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot
from test_sync_conflicts import seed_conflicts

from app.database.opening import open_local_database
from app.services.sync_account import SyncAccountService
from app.services.workspace import Workspace
from app.settings import Settings
from ui.main import Desktop
from ui.main_window import PageKey
from ui.sync.account_dialog import AccountDialog
from ui.sync.conflicts_page import ConflictsPage
from ui.sync.status_widget import SyncStatusWidget

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
chinese = desktop_fixtures.chinese
WAIT = 20_000
pytestmark = desktop_fixtures.OFFSCREEN_NOISE

MakeDesktop = Callable[[Path], Desktop]


@pytest.fixture
def make_desktop(qtbot: QtBot, chinese: None) -> Iterator[MakeDesktop]:
    made: list[Desktop] = []

    def make(data_dir: Path) -> Desktop:
        desktop = Desktop(data_dir, Settings(data_dir))
        qtbot.addWidget(desktop.window)
        made.append(desktop)
        return desktop

    yield make
    for desktop in made:
        desktop.window.close()
        desktop.shutdown()


def _started(qtbot: QtBot, desktop: Desktop) -> None:
    with qtbot.waitSignal(desktop.first_rows_shown, timeout=WAIT):
        desktop.start()
    qtbot.waitUntil(
        lambda: desktop.sync is not None and desktop.sync.controller.status is not None,
        timeout=WAIT,
    )


def _status_widget(desktop: Desktop) -> SyncStatusWidget:
    widget = desktop.window.status_widget
    assert isinstance(widget, SyncStatusWidget)
    return widget


def _account_dialog(qtbot: QtBot, desktop: Desktop) -> AccountDialog:
    qtbot.waitUntil(lambda: desktop.sync is not None and desktop.sync.account_dialog is not None)
    assert desktop.sync is not None and desktop.sync.account_dialog is not None
    dialog = desktop.sync.account_dialog
    qtbot.waitUntil(lambda: dialog.account is not None, timeout=WAIT)
    return dialog


def test_sync_menu_offers_f5_and_asks_for_an_account_first(
    qtbot: QtBot, make_desktop: MakeDesktop, demo_dir: Path
) -> None:
    desktop = make_desktop(demo_dir)
    _started(qtbot, desktop)
    menu = next(m for m in desktop.window.findChildren(QMenu) if m.title() == "同步(&S)")
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert texts == ["立即同步(&S)", "账户与同步(&A)…"]
    sync_now = desktop.window.sync_now_action
    assert sync_now.shortcut().toString() == "F5"
    assert "F5" in sync_now.toolTip()
    assert _status_widget(desktop).state_text == "未连接服务器"
    desktop.window.activateWindow()
    qtbot.waitActive(desktop.window)
    QTest.keyClick(desktop.window, Qt.Key.Key_F5)  # no account yet: F5 opens 账户与同步
    dialog = _account_dialog(qtbot, desktop)
    assert dialog.isVisible() and dialog.windowTitle() == "账户与同步"
    dialog.reject()


def test_conflicts_page_shows_its_count_and_opens_from_the_status_bar(
    qtbot: QtBot, make_desktop: MakeDesktop, demo_dir: Path
) -> None:
    database = open_local_database(demo_dir)
    seed_conflicts(Workspace(database, demo_dir))
    database.dispose()
    desktop = make_desktop(demo_dir)
    _started(qtbot, desktop)
    window = desktop.window
    row = list(PageKey).index(PageKey.CONFLICTS)
    assert window.navigation.item(row).text() == "冲突 (3)"
    badge = _status_widget(desktop).conflicts_button
    assert badge.isVisible() and badge.text() == "冲突 3"
    with qtbot.waitSignal(window.page_created, timeout=WAIT) as created:
        QTest.mouseClick(badge, Qt.MouseButton.LeftButton)
    page = created.args[1]
    assert isinstance(page, ConflictsPage)
    assert window.current_page_key is PageKey.CONFLICTS
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=WAIT)
    wanted = page.model.row_at(1).id
    page.table.selectRow(1)
    qtbot.waitUntil(
        lambda: page.shown_detail is not None and page.shown_detail.item.id == wanted,
        timeout=WAIT,
    )
    assert page.detail_stack.currentWidget() is page.field_view
    QTest.mouseClick(page.field_view.keep_theirs_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.navigation.item(row).text() == "冲突 (2)", timeout=WAIT)
    assert badge.text() == "冲突 2"


def test_first_start_can_connect_to_the_server_or_work_offline(
    qtbot: QtBot, make_desktop: MakeDesktop, tmp_path: Path
) -> None:
    data_dir = tmp_path / "fresh"
    desktop = make_desktop(data_dir)
    desktop.start()
    qtbot.waitUntil(lambda: desktop.first_start_dialog is not None, timeout=WAIT)
    first = desktop.first_start_dialog
    assert first is not None and first.server_button.text() == "连接单位服务器"
    QTest.mouseClick(first.server_button, Qt.MouseButton.LeftButton)
    dialog = _account_dialog(qtbot, desktop)
    dialog.reject()  # changed their mind: the first-start choice comes back
    qtbot.waitUntil(
        lambda: (
            desktop.first_start_dialog is not first
            and desktop.first_start_dialog is not None
            and desktop.first_start_dialog.isVisible()
        ),
        timeout=WAIT,
    )
    again = desktop.first_start_dialog
    assert again is not None
    QTest.mouseClick(again.server_button, Qt.MouseButton.LeftButton)
    dialog = _account_dialog(qtbot, desktop)
    with qtbot.waitSignal(desktop.first_rows_shown, timeout=WAIT):
        QTest.mouseClick(dialog.offline_button, Qt.MouseButton.LeftButton)
    database = open_local_database(data_dir)
    try:
        assert SyncAccountService(Workspace(database, data_dir)).settings().offline_only
    finally:
        database.dispose()
    qtbot.waitUntil(lambda: _status_widget(desktop).state_text == "仅离线工作", timeout=WAIT)


def test_language_switch_keeps_the_sync_corner_and_the_badge(
    qtbot: QtBot, make_desktop: MakeDesktop, demo_dir: Path
) -> None:
    database = open_local_database(demo_dir)
    seed_conflicts(Workspace(database, demo_dir))
    database.dispose()
    desktop = make_desktop(demo_dir)
    _started(qtbot, desktop)
    window = desktop.window
    old = _status_widget(desktop)
    with qtbot.waitSignal(window.rebuilt, timeout=WAIT):
        window.language_chosen.emit("en")
    widget = _status_widget(desktop)
    assert widget is not old and widget.isVisible()
    assert widget.conflicts_button.isVisible() and widget.conflicts_button.text().endswith(" 3")
    row = list(PageKey).index(PageKey.CONFLICTS)
    assert window.navigation.item(row).text().endswith(" (3)")
