"""The window's follow-up actions on the demo data: Ctrl+I opens the list import, Ctrl+Shift+P a
new project on the projects page, 工具 → 单位设置… the bureau's rules; every new page opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.settings import Settings
from ui.importing.import_dialog import EnterpriseImportDialog
from ui.main import Desktop
from ui.main_window import PageKey
from ui.projects.project_editor_dialog import ProjectEditorDialog
from ui.settings.bureau_settings_dialog import BureauSettingsDialog

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
chinese = desktop_fixtures.chinese

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    r"This plugin does not support raise\(\)",
    "This plugin does not support grabbing the keyboard",
)
WAIT = 10_000
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def desktop(qtbot: QtBot, demo_dir: Path, chinese: None) -> Iterator[Desktop]:
    made = Desktop(demo_dir, Settings(demo_dir))
    qtbot.addWidget(made.window)
    with qtbot.waitSignal(made.first_rows_shown, timeout=WAIT):
        made.start()
    made.window.activateWindow()
    yield made
    made.window.close()
    made.shutdown()


def _open_dialog(desktop: Desktop, kind: type) -> object | None:
    assert desktop.router is not None
    return next((d for d in desktop.router.dialogs if isinstance(d, kind)), None)


def test_ctrl_i_opens_the_enterprise_list_import(qtbot: QtBot, desktop: Desktop) -> None:
    QTest.keyClick(desktop.window, Qt.Key.Key_I, CTRL)
    qtbot.waitUntil(lambda: _open_dialog(desktop, EnterpriseImportDialog) is not None, timeout=WAIT)


def test_ctrl_shift_p_opens_a_new_project_on_the_projects_page(
    qtbot: QtBot, desktop: Desktop
) -> None:
    window = desktop.window
    window.show_page(PageKey.WORKBENCH)
    QTest.keyClick(window, Qt.Key.Key_P, CTRL | SHIFT)
    assert window.current_page_key is PageKey.PROJECTS
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, ProjectEditorDialog) and w.isVisible()
            for w in window.findChildren(ProjectEditorDialog)
        ),
        timeout=WAIT,
    )


def test_the_bureau_settings_open_from_the_tools_menu(qtbot: QtBot, desktop: Desktop) -> None:
    desktop.window.actions_of_window.bureau_settings.trigger()
    dialog = _open_dialog(desktop, BureauSettingsDialog)
    assert isinstance(dialog, BureauSettingsDialog)
    qtbot.waitUntil(lambda: dialog.not_started.value() == 3, timeout=WAIT)
    assert dialog.buttons.isEnabled()


@pytest.mark.parametrize("key", [PageKey.DASHBOARD, PageKey.LEDGER, PageKey.HONOURS])
def test_each_follow_up_page_opens_from_its_shortcut(
    qtbot: QtBot, desktop: Desktop, key: PageKey
) -> None:
    number = list(PageKey).index(key) + 1
    page = desktop.window.page(key)
    assert page is None  # made when first shown
    QTest.keyClick(desktop.window, getattr(Qt.Key, f"Key_{number % 10}"), CTRL)
    assert desktop.window.current_page_key is key
    page = desktop.window.page(key)
    assert page is not None and page.isVisible()
    loaded = page.list_loaded  # type: ignore[attr-defined]  # each page reads its list when shown
    with qtbot.waitSignal(loaded, timeout=WAIT):
        desktop.window.show_page(PageKey.WORKBENCH)
        desktop.window.show_page(key)
