"""Ctrl+P on a visit: the 拜访纪要 opens in the preview window, from the list, the detail and
the visit form (which saves what was just typed first); 出访前简报 of the open dossier."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import desktop_fixtures
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.reports.document import ReportDocument
from app.services.reports import ReportService
from app.services.workspace import Workspace
from app.settings import Settings
from ui.enterprises.enterprise_page import EnterprisePage
from ui.main import Desktop
from ui.main_window import PageKey
from ui.reports.report_files import ReportFolder
from ui.reports.report_launcher import ReportLauncher
from ui.reports.report_preview import ReportPreview
from ui.task_runner import TaskRunner
from ui.visits.visit_editor import VisitEditor
from ui.visits.visit_services import VisitServices
from ui.visits.visits_page import VisitsPage

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
type_text = desktop_fixtures.type_text
WAIT = 20_000
pytestmark = pytest.mark.qt_log_ignore(
    *desktop_fixtures.OFFSCREEN_NOISE.args,
    r"This plugin does not support raise\(\)",
    "This plugin does not support grabbing the keyboard",
)


class SpyReports:
    """The real report service, noting which visits it was asked for."""

    def __init__(self, workspace: Workspace) -> None:
        self._service = ReportService(workspace)
        self.asked: list[str] = []

    def visit_summary(self, visit_id: str) -> ReportDocument:
        self.asked.append(visit_id)
        return self._service.visit_summary(visit_id)


@pytest.fixture
def spy(demo_workspace: Workspace) -> SpyReports:
    return SpyReports(demo_workspace)


@pytest.fixture
def page(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> Iterator[VisitsPage]:
    widget = VisitsPage(VisitServices.for_workspace(demo_workspace), runner)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    with qtbot.waitSignal(widget.list_loaded, timeout=WAIT):
        widget.refresh()
    yield widget


@pytest.fixture
def launcher(page: VisitsPage, runner: TaskRunner, spy: SpyReports) -> Iterator[ReportLauncher]:
    """Previews for the page's print requests, wired as the window's router wires them."""
    made = ReportLauncher(runner, ReportFolder(), page)
    page.visit_print_requested.connect(
        lambda visit_id: made.preview("拜访纪要", lambda: spy.visit_summary(visit_id))
    )
    yield made
    for window in made.previews:
        window.close()


def pdf_text(window: ReportPreview) -> str:
    """The text of the PDF the preview shows, without whitespace (pypdf spaces CJK runs)."""
    reader = PdfReader(io.BytesIO(window.pdf_data))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def wait_for_preview(qtbot: QtBot, launcher: ReportLauncher) -> ReportPreview:
    qtbot.waitUntil(lambda: bool(launcher.previews), timeout=WAIT)
    window = launcher.previews[-1]
    qtbot.waitUntil(lambda: window.page_count > 0, timeout=WAIT)
    return window


def test_the_detail_print_button_previews_that_visit_summary(
    qtbot: QtBot, page: VisitsPage, launcher: ReportLauncher, spy: SpyReports
) -> None:
    with qtbot.waitSignal(page.visit_shown, timeout=WAIT):
        page.table.selectRow(1)
    visit = page.detail_view.visit
    assert visit is not None
    QTest.mouseClick(page.detail_view.print_button, Qt.MouseButton.LeftButton)
    window = wait_for_preview(qtbot, launcher)
    assert spy.asked == [visit.id]
    assert window.document is not None and window.document.title == "拜访纪要"
    assert visit.enterprise_name in window.title_label.text()
    assert "".join(visit.enterprise_name.split()) in pdf_text(window)
    assert window.page_label.text() == f"第 1 页 共 {window.page_count} 页"


def test_print_without_a_selected_visit_says_what_to_do(
    page: VisitsPage, launcher: ReportLauncher, spy: SpyReports
) -> None:
    page.print_visit()
    assert spy.asked == []
    assert page.message_bar.text == "请先选择一条拜访记录，再打印纪要"


def test_the_form_saves_what_was_just_typed_before_the_summary_is_made(
    qtbot: QtBot, page: VisitsPage, launcher: ReportLauncher, spy: SpyReports
) -> None:
    with qtbot.waitSignal(page.visit_shown, timeout=WAIT):
        page.table.selectRow(0)
    visit_id = page.detail_view.visit.id  # type: ignore[union-attr]
    with qtbot.waitSignal(page.editor_opened, timeout=WAIT) as opened:
        page.edit_visit(visit_id)
    editor: VisitEditor = opened.args[0]
    editor.discussion.setFocus()
    typed = "刚刚补充的洽谈要点：厂房二期扩产"
    type_text(qtbot, editor.discussion, typed)
    page.print_visit()  # at once: no autosave has run yet
    window = wait_for_preview(qtbot, launcher)
    assert spy.asked == [visit_id]
    assert typed in pdf_text(window)


# -- the whole window: Ctrl+P -------------------------------------------------------------------


@pytest.fixture
def desktop(qtbot: QtBot, demo_dir: Path, chinese: None) -> Iterator[Desktop]:
    made = Desktop(demo_dir, Settings(demo_dir))
    qtbot.addWidget(made.window)
    with qtbot.waitSignal(made.first_rows_shown, timeout=WAIT):
        made.start()
    yield made
    if made.router is not None:
        for window in made.router.reports.previews:
            window.close()
    made.window.close()
    made.shutdown()


def test_ctrl_p_on_a_selected_visit_opens_its_summary(qtbot: QtBot, desktop: Desktop) -> None:
    window = desktop.window
    window.activateWindow()
    qtbot.waitActive(window)
    assert window.actions_of_window.print_visit.shortcut().toString() == "Ctrl+P"
    window.show_page(PageKey.VISITS)
    visits = window.page(PageKey.VISITS)
    assert isinstance(visits, VisitsPage)
    qtbot.waitUntil(lambda: visits.model.rowCount() > 2, timeout=WAIT)
    with qtbot.waitSignal(visits.visit_shown, timeout=WAIT):
        visits.table.selectRow(2)
    visit = visits.detail_view.visit
    assert visit is not None
    visits.table.setFocus()
    assert desktop.router is not None
    launcher = desktop.router.reports
    focused = QApplication.focusWidget()
    assert isinstance(focused, QWidget)
    QTest.keyClick(focused, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = wait_for_preview(qtbot, launcher)
    assert preview.document is not None
    assert visit.enterprise_name in preview.document.subtitle
    assert "".join(visit.enterprise_name.split()) in pdf_text(preview)


def test_ctrl_p_elsewhere_says_where_to_print_from(qtbot: QtBot, desktop: Desktop) -> None:
    window = desktop.window
    window.activateWindow()
    qtbot.waitActive(window)
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert "拜访" in window.statusBar().currentMessage()
    assert desktop.router is not None and desktop.router.reports.previews == ()


def test_the_file_menu_prints_the_brief_of_the_open_dossier(qtbot: QtBot, desktop: Desktop) -> None:
    window = desktop.window
    page = window.page(PageKey.ENTERPRISES)
    assert isinstance(page, EnterprisePage)
    qtbot.waitUntil(lambda: page.shown_enterprise_id() is not None, timeout=WAIT)
    dossier = page.dossier_view.dossier
    assert dossier is not None
    window.actions_of_window.print_brief.trigger()
    assert desktop.router is not None
    preview = wait_for_preview(qtbot, desktop.router.reports)
    assert preview.document is not None and preview.document.title == "出访前企业简报"
    assert "".join(dossier.enterprise.name.split()) in pdf_text(preview)
