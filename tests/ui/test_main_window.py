"""The desktop shell end to end: start-up, first start, navigation, language, errors, crashes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QMenu, QPushButton, QSplitter
from pytestqt.qtbot import QtBot

from app.database.opening import database_path, open_local_database
from app.i18n import tr
from app.services.workspace import Workspace
from app.settings import LANGUAGE, Settings
from app.version import app_version
from ui.app_setup import CrashHandler
from ui.enterprises.enterprise_page import EnterprisePage
from ui.main import Desktop
from ui.main_window import PageKey
from ui.visits.visits_page import VisitsPage

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
chinese = desktop_fixtures.chinese
WAIT = 20_000
ROOT = Path(__file__).resolve().parents[2]
pytestmark = desktop_fixtures.OFFSCREEN_NOISE

MakeDesktop = Callable[..., Desktop]


@pytest.fixture
def make_desktop(qtbot: QtBot, chinese: None) -> Iterator[MakeDesktop]:
    made: list[Desktop] = []

    def make(data_dir: Path, *, demo: bool = False) -> Desktop:
        desktop = Desktop(data_dir, Settings(data_dir), demo=demo)
        qtbot.addWidget(desktop.window)
        made.append(desktop)
        return desktop

    yield make
    for desktop in made:
        desktop.window.close()
        desktop.shutdown()


def _started(qtbot: QtBot, desktop: Desktop) -> EnterprisePage:
    with qtbot.waitSignal(desktop.first_rows_shown, timeout=WAIT):
        desktop.start()
    page = desktop.window.page(PageKey.ENTERPRISES)
    assert isinstance(page, EnterprisePage)
    return page


def _current(desktop: Desktop) -> PageKey | None:
    return desktop.window.current_page_key


def _first_visit_enterprise(data_dir: Path) -> str:
    """The id of an enterprise that has visits."""
    from app.services.visits import VisitService

    database = open_local_database(data_dir)
    try:
        return VisitService(Workspace(database, data_dir)).page(limit=1).rows[0].enterprise_id
    finally:
        database.dispose()


def _workspace_is_empty(data_dir: Path) -> bool:
    database = open_local_database(data_dir)
    try:
        return Workspace(database, data_dir).is_empty()
    finally:
        database.dispose()


def test_opens_on_demo_data_and_lists_enterprises(
    qtbot: QtBot, make_desktop: MakeDesktop, demo_dir: Path
) -> None:
    desktop = make_desktop(demo_dir)
    page = _started(qtbot, desktop)
    assert desktop.window.current_page_key is PageKey.ENTERPRISES
    assert page.model.rowCount() > 0
    assert all("\u4e00" <= page.model.row_at(n).name[0] <= "\u9fff" for n in range(5))
    assert "演示数据" in desktop.window.windowTitle()
    # Only the page on screen was built; the others wait until shown.
    assert desktop.window.page(PageKey.VISITS) is None


def test_shortcuts_and_navigation_switch_pages(
    qtbot: QtBot, make_desktop: MakeDesktop, demo_dir: Path
) -> None:
    desktop = make_desktop(demo_dir)
    _started(qtbot, desktop)
    window = desktop.window
    window.activateWindow()
    qtbot.waitActive(window)
    assert window.page_action(PageKey.VISITS).shortcut().toString() == "Ctrl+3"
    with qtbot.waitSignal(window.page_created, timeout=WAIT):
        QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert _current(desktop) is PageKey.VISITS
    visits = window.page(PageKey.VISITS)
    assert isinstance(visits, VisitsPage)
    qtbot.waitSignal(visits.list_loaded, timeout=WAIT, raising=False)
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert _current(desktop) is PageKey.ENTERPRISES
    assert window.navigation.currentRow() == 1
    window.navigation.setCurrentRow(2)
    assert _current(desktop) is PageKey.VISITS
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert visits.filter_edit.hasFocus()


def test_every_page_opens_from_the_navigation(
    qtbot: QtBot, make_desktop: MakeDesktop, demo_dir: Path
) -> None:
    desktop = make_desktop(demo_dir)
    _started(qtbot, desktop)
    for key in PageKey:
        desktop.window.page_action(key).trigger()
        assert desktop.window.current_page_key is key
        assert desktop.window.page(key) is not None
    with qtbot.waitSignal(desktop.runner.all_done, timeout=WAIT, raising=False):
        pass


def test_a_visit_opens_its_enterprise_dossier(
    qtbot: QtBot, make_desktop: MakeDesktop, demo_dir: Path
) -> None:
    desktop = make_desktop(demo_dir)
    enterprises = _started(qtbot, desktop)
    desktop.window.show_page(PageKey.VISITS)
    visits = desktop.window.page(PageKey.VISITS)
    assert isinstance(visits, VisitsPage)
    with qtbot.waitSignal(visits.list_loaded, timeout=WAIT):
        pass
    row = visits.model.row_at(0)
    with qtbot.waitSignal(enterprises.dossier_shown, timeout=WAIT):
        visits.enterprise_activated.emit(row.enterprise_id)
    assert desktop.window.current_page_key is PageKey.ENTERPRISES
    assert enterprises.dossier_view.title_text == row.enterprise_name


def test_a_visit_in_the_dossier_opens_on_the_visits_page(
    qtbot: QtBot, make_desktop: MakeDesktop, demo_dir: Path
) -> None:
    desktop = make_desktop(demo_dir)
    enterprises = _started(qtbot, desktop)
    visited = _first_visit_enterprise(demo_dir)
    with qtbot.waitSignal(enterprises.dossier_shown, timeout=WAIT):
        enterprises.show_enterprise(visited)
    dossier = enterprises.dossier_view.dossier
    assert dossier is not None and dossier.visits
    wanted = dossier.visits[0]
    with qtbot.waitSignal(desktop.window.page_created, timeout=WAIT) as created:
        enterprises.dossier_view.visit_activated.emit(wanted.id)
    visits = created.args[1]
    assert isinstance(visits, VisitsPage)
    qtbot.waitUntil(lambda: visits.detail_view.visit is not None, timeout=WAIT)
    assert _current(desktop) is PageKey.VISITS
    shown = visits.detail_view.visit
    assert shown is not None and shown.id == wanted.id


def test_first_start_with_demo_loads_demo_data(
    qtbot: QtBot, make_desktop: MakeDesktop, tmp_path: Path
) -> None:
    data_dir = tmp_path / "fresh"
    desktop = make_desktop(data_dir, demo=True)
    page = _started(qtbot, desktop)
    assert page.model.total > 100
    assert desktop.first_start_dialog is None  # --demo does not ask
    assert "演示数据" in desktop.window.windowTitle()
    assert not _workspace_is_empty(data_dir)


def test_first_start_dialog_blank_leaves_the_database_empty(
    qtbot: QtBot, make_desktop: MakeDesktop, tmp_path: Path
) -> None:
    data_dir = tmp_path / "fresh"
    desktop = make_desktop(data_dir)
    desktop.start()
    qtbot.waitUntil(lambda: desktop.first_start_dialog is not None, timeout=WAIT)
    dialog = desktop.first_start_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.demo_button.text() == "载入演示数据"
    with qtbot.waitSignal(desktop.first_rows_shown, timeout=WAIT):
        QTest.mouseClick(dialog.blank_button, Qt.MouseButton.LeftButton)
    page = desktop.window.page(PageKey.ENTERPRISES)
    assert isinstance(page, EnterprisePage)
    assert page.model.total == 0
    assert _workspace_is_empty(data_dir)


def test_first_start_dialog_demo_button_loads_demo(
    qtbot: QtBot, make_desktop: MakeDesktop, tmp_path: Path
) -> None:
    data_dir = tmp_path / "fresh"
    desktop = make_desktop(data_dir)
    desktop.start()
    qtbot.waitUntil(lambda: desktop.first_start_dialog is not None, timeout=WAIT)
    dialog = desktop.first_start_dialog
    assert dialog is not None
    with qtbot.waitSignal(desktop.first_rows_shown, timeout=WAIT):
        QTest.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert not _workspace_is_empty(data_dir)


def test_demo_flag_never_mixes_demo_into_existing_data(
    qtbot: QtBot, make_desktop: MakeDesktop, tmp_path: Path
) -> None:
    data_dir = tmp_path / "real"
    database = open_local_database(data_dir)
    from app.services.enterprises import EnterpriseService

    EnterpriseService(Workspace(database, data_dir)).create({"name": "真实数据有限公司"})
    database.dispose()
    desktop = make_desktop(data_dir, demo=True)
    page = _started(qtbot, desktop)
    assert page.model.total == 1
    status = desktop.window.statusBar().findChildren(QLabel)
    assert any("未载入演示数据" in label.text() for label in status)


def test_switching_language_rebuilds_the_window_and_saves_it(
    qtbot: QtBot, make_desktop: MakeDesktop, demo_dir: Path
) -> None:
    desktop = make_desktop(demo_dir)
    _started(qtbot, desktop)
    window = desktop.window
    old_navigation = window.navigation
    with qtbot.waitSignal(window.rebuilt, timeout=WAIT):
        window.language_chosen.emit("en")
    assert window.navigation is not old_navigation
    assert Settings(demo_dir).get(LANGUAGE) == "en"
    titles = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    assert titles == [tr(key.value) for key in PageKey]
    assert window.current_page_key is PageKey.ENTERPRISES
    page = window.page(PageKey.ENTERPRISES)
    assert isinstance(page, EnterprisePage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=WAIT)


def test_corrupt_database_is_reported_and_left_untouched(
    qtbot: QtBot, make_desktop: MakeDesktop, tmp_path: Path
) -> None:
    data_dir = tmp_path / "broken"
    data_dir.mkdir()
    garbage = b"this is not a database \x00\x01\x02" * 100
    database_path(data_dir).write_bytes(garbage)
    desktop = make_desktop(data_dir)
    desktop.start()
    qtbot.waitUntil(lambda: desktop.problem_box is not None, timeout=WAIT)
    box = desktop.problem_box
    assert box is not None
    assert "已损坏" in box.text() and str(database_path(data_dir)) in box.text()
    with qtbot.waitSignal(desktop.exit_requested, timeout=WAIT) as blocker:
        box.button(box.StandardButton.Close).click()
    assert blocker.args == [1]
    assert database_path(data_dir).read_bytes() == garbage


def test_window_grabs_at_1366x768(
    qtbot: QtBot, make_desktop: MakeDesktop, demo_dir: Path, tmp_path: Path
) -> None:
    desktop = make_desktop(demo_dir)
    page = _started(qtbot, desktop)
    desktop.window.resize(1366, 768)
    with qtbot.waitSignal(page.dossier_shown, timeout=WAIT):
        page.table.selectRow(0)
    picture = desktop.window.grab()
    target = tmp_path / "window.png"
    assert picture.save(str(target))
    assert target.stat().st_size > 10_000


def test_window_geometry_is_restored(
    qtbot: QtBot, make_desktop: MakeDesktop, demo_dir: Path
) -> None:
    first = make_desktop(demo_dir)
    first.window.resize(700, 500)
    _started(qtbot, first)
    first.window.close()
    second = make_desktop(demo_dir)
    assert (second.window.width(), second.window.height()) == (700, 500)


def test_the_last_page_and_its_splitter_come_back_on_next_start(
    qtbot: QtBot, make_desktop: MakeDesktop, demo_dir: Path
) -> None:
    first = make_desktop(demo_dir)
    first.window.resize(790, 560)  # within the offscreen screen, so it comes back the same
    page = _started(qtbot, first)
    splitter = page.findChild(QSplitter)
    assert splitter is not None
    splitter.setSizes([150, 500])
    wanted = splitter.sizes()
    first.window.show_page(PageKey.VISITS)
    first.window.close()

    second = make_desktop(demo_dir)
    with qtbot.waitSignal(second.first_rows_shown, timeout=WAIT):
        second.start()
    assert _current(second) is PageKey.VISITS
    second.window.show_page(PageKey.ENTERPRISES)
    library = second.window.page(PageKey.ENTERPRISES)
    assert library is not None
    restored = library.findChild(QSplitter)
    assert restored is not None and restored.sizes() == wanted


def test_about_box_names_version_and_data_dir(
    qtbot: QtBot, make_desktop: MakeDesktop, demo_dir: Path
) -> None:
    desktop = make_desktop(demo_dir)
    _started(qtbot, desktop)
    about = next(
        action
        for menu in desktop.window.findChildren(QMenu)
        for action in menu.actions()
        if action.text().startswith("关于")
    )
    about.trigger()
    box = desktop.window.about_box
    assert box is not None and box.isVisible()
    assert f"版本 {app_version()}" in box.text() and str(demo_dir) in box.text()
    box.close()


def test_crash_handler_logs_and_offers_details_to_copy(qtbot: QtBot, tmp_path: Path) -> None:
    handler = CrashHandler(tmp_path / "logs")
    try:
        raise ValueError("意外的错误")
    except ValueError as error:
        handler.handle(ValueError, error, error.__traceback__)
    logs = list((tmp_path / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and "意外的错误" in logs[0].read_text(encoding="utf-8")
    dialog = handler.dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert "ValueError" in dialog.details
    copy = next(b for b in dialog.findChildren(QPushButton) if b.text() == "复制详情")
    copy.click()
    assert dialog.isVisible()  # copying does not close the dialog
    assert "意外的错误" in QGuiApplication.clipboard().text()
    dialog.close()


@pytest.mark.slow
def test_command_line_start_up_reports_startup_time(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ui.main",
            "--data-dir",
            str(tmp_path / "d"),
            "--demo",
            "--quit-after-ms",
            "200",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("startup_ms=")
    assert not _workspace_is_empty(tmp_path / "d")


def test_status_bar_shows_when_the_database_is_busy(
    qtbot: QtBot, make_desktop: MakeDesktop, demo_dir: Path
) -> None:
    desktop = make_desktop(demo_dir)
    _started(qtbot, desktop)
    label = desktop.window.busy_label
    assert not label.isVisible()
    with qtbot.waitSignal(desktop.runner.all_done, timeout=WAIT):
        desktop.runner.submit(lambda _token: time.sleep(0.6))
        qtbot.waitUntil(label.isVisible, timeout=WAIT)
        assert label.text() == "正在处理…"
    assert not label.isVisible()
