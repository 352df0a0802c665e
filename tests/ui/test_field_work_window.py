"""The window's field-work shortcuts, end to end on the demo data: Ctrl+K searches and opens,
Ctrl+N starts a visit, Ctrl+Shift+N a new enterprise, history opens from a record, and the
status bar says when typing is saved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.database.opening import open_local_database
from app.database.tables import EnterpriseRow
from app.settings import Settings
from ui.enterprises.enterprise_page import EnterprisePage
from ui.main import Desktop
from ui.main_window import MainWindow, PageKey
from ui.visits.visits_page import VisitsPage
from ui.widgets.save_status import SaveStatusLabel

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
chinese = desktop_fixtures.chinese
type_text = desktop_fixtures.type_text

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    r"This plugin does not support raise\(\)",
    "This plugin does not support grabbing the keyboard",
)
WAIT = 10_000
CTRL = Qt.KeyboardModifier.ControlModifier


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


def _current(window: MainWindow) -> PageKey | None:
    return window.current_page_key


def _an_enterprise(data_dir: Path) -> tuple[str, str]:
    database = open_local_database(data_dir)
    try:
        with database.read() as session:
            row = session.execute(
                select(EnterpriseRow.id, EnterpriseRow.name)
                .where(EnterpriseRow.deleted.is_(False))
                .order_by(EnterpriseRow.name_key.desc())
                .limit(1)
            ).one()
        return row.id, row.name
    finally:
        database.dispose()


def test_ctrl_k_finds_an_enterprise_by_part_of_its_name_and_enter_opens_it(
    qtbot: QtBot, desktop: Desktop, demo_dir: Path
) -> None:
    enterprise_id, name = _an_enterprise(demo_dir)
    window = desktop.window
    QTest.keyClick(window, Qt.Key.Key_K, CTRL)
    assert desktop.router is not None and desktop.router.palette is not None
    palette = desktop.router.palette
    qtbot.waitUntil(palette.isVisible, timeout=WAIT)
    with qtbot.waitSignal(palette.results_shown, timeout=WAIT):
        type_text(qtbot, palette.query_edit, name[2:4])  # two characters from the middle
    library = window.page(PageKey.ENTERPRISES)
    assert isinstance(library, EnterprisePage)
    found = [palette.model.index(row, 0).data() for row in range(palette.model.rowCount())]
    assert any(name == text or name in str(text) for text in found)
    palette.query_edit.clear()
    with qtbot.waitSignal(palette.results_shown, timeout=WAIT):
        type_text(qtbot, palette.query_edit, name)
    with qtbot.waitSignal(library.dossier_shown, timeout=WAIT) as shown:
        QTest.keyClick(palette.query_edit, Qt.Key.Key_Return)
    assert shown.args == [enterprise_id]
    assert window.current_page_key is PageKey.ENTERPRISES
    assert not palette.isVisible()


def test_ctrl_n_opens_a_new_visit_form_and_ctrl_shift_n_a_new_enterprise(
    qtbot: QtBot, desktop: Desktop
) -> None:
    window = desktop.window
    window.show_page(PageKey.WORKBENCH)
    QTest.keyClick(window, Qt.Key.Key_N, CTRL)
    visits = window.page(PageKey.VISITS)
    assert isinstance(visits, VisitsPage)
    qtbot.waitUntil(lambda: visits.editor is not None and visits.editor.isVisible(), timeout=WAIT)
    assert _current(window) is PageKey.VISITS

    QTest.keyClick(window, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    library = window.page(PageKey.ENTERPRISES)
    assert isinstance(library, EnterprisePage)
    qtbot.waitUntil(lambda: library.editor is not None, timeout=WAIT)
    assert _current(window) is PageKey.ENTERPRISES
    tooltip = window.new_visit_action.toolTip()
    assert "Ctrl+N" in tooltip


def test_history_opens_from_the_dossier_and_saving_shows_in_the_status_bar(
    qtbot: QtBot, desktop: Desktop
) -> None:
    window = desktop.window
    library = window.page(PageKey.ENTERPRISES)
    assert isinstance(library, EnterprisePage)
    qtbot.waitUntil(lambda: library.dossier_view.dossier is not None, timeout=WAIT)
    dossier = library.dossier_view.dossier
    assert dossier is not None
    assert desktop.router is not None
    library.history_requested.emit("enterprises", dossier.enterprise.id)
    dialog = desktop.router.dialogs[-1]
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    dialog.close()

    label = window.status_widgets["save"]
    assert isinstance(label, SaveStatusLabel)
    library.save_state_changed.emit("failed", "磁盘已满")
    assert "磁盘已满" in label.text()
    library.save_state_changed.emit("saved", "")
    assert "已保存" in label.text()
    QApplication.processEvents()


def test_a_photo_dropped_on_the_dossier_is_attached_to_that_enterprise(
    qtbot: QtBot, desktop: Desktop, tmp_path: Path
) -> None:
    library = desktop.window.page(PageKey.ENTERPRISES)
    assert isinstance(library, EnterprisePage)
    qtbot.waitUntil(lambda: library.dossier_view.dossier is not None, timeout=WAIT)
    strip = library.dossier_view.attachments
    assert strip is not None
    qtbot.waitUntil(lambda: "附件" in strip.hint_text, timeout=WAIT)
    before = strip.model.rowCount()
    photo = tmp_path / "厂区全景.png"
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a6ea5"))
    assert image.save(str(photo))
    with qtbot.waitSignal(strip.attachments_changed, timeout=WAIT):
        desktop_fixtures.drop_files(strip, [photo])
    qtbot.waitUntil(lambda: strip.model.rowCount() == before + 1, timeout=WAIT)
    dossier = library.dossier_view.dossier
    assert dossier is not None
    assert strip.model.row_at(before).owner_id == dossier.enterprise.id


def test_ctrl_n_over_a_dossier_starts_a_visit_to_that_enterprise(
    qtbot: QtBot, desktop: Desktop
) -> None:
    window = desktop.window
    library = window.page(PageKey.ENTERPRISES)
    assert isinstance(library, EnterprisePage)
    qtbot.waitUntil(lambda: library.shown_enterprise_id() is not None, timeout=WAIT)
    shown = library.shown_enterprise_id()
    library.table.setFocus()
    QTest.keyClick(library.table, Qt.Key.Key_N, CTRL)
    visits = window.page(PageKey.VISITS)
    assert isinstance(visits, VisitsPage)
    qtbot.waitUntil(lambda: visits.editor is not None and visits.editor.isVisible(), timeout=WAIT)
    editor = visits.editor
    assert editor is not None
    qtbot.waitUntil(lambda: editor.enterprise.chosen is not None, timeout=WAIT)
    chosen = editor.enterprise.chosen
    assert chosen is not None and chosen.id == shown
