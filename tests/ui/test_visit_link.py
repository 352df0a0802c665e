"""The visit form's 产业链环节 field: a new visit takes the enterprise's only link, and the link
the user picks is what the visit is saved with."""

from __future__ import annotations

from collections.abc import Iterator

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.database.tables import EnterpriseLinkRow, VisitRow
from app.services.chains import ChainService
from app.services.workspace import Workspace
from ui.task_runner import TaskRunner
from ui.visits.visit_editor import VisitEditor
from ui.visits.visit_services import VisitServices
from ui.visits.visits_page import VisitsPage

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
WAIT = 10_000
pytestmark = pytest.mark.qt_log_ignore(
    *desktop_fixtures.OFFSCREEN_NOISE.args,
    r"This plugin does not support raise\(\)",
    "This plugin does not support grabbing the keyboard",
)


@pytest.fixture
def page(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> Iterator[VisitsPage]:
    widget = VisitsPage(VisitServices.for_workspace(demo_workspace), runner)
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    with qtbot.waitSignal(widget.list_loaded, timeout=WAIT):
        widget.refresh()
    yield widget


def _single_link_enterprise(workspace: Workspace) -> tuple[str, str]:
    """(enterprise, its only link) for an enterprise that is the target of exactly one link."""
    with workspace.database.read() as session:
        enterprise_id = session.scalars(
            select(EnterpriseLinkRow.enterprise_id)
            .where(EnterpriseLinkRow.deleted.is_(False))
            .group_by(EnterpriseLinkRow.enterprise_id)
            .having(func.count() == 1)
            .order_by(EnterpriseLinkRow.enterprise_id)
            .limit(1)
        ).one()
    (link_id,) = ChainService(workspace).enterprise_link_ids(enterprise_id)
    return enterprise_id, link_id


def _key_to(editor: VisitEditor, index: int) -> None:
    """Arrow keys on the link field until it shows item ``index`` (separators are skipped)."""
    for _ in range(editor.link.count()):
        if editor.link.currentIndex() == index:
            return
        key = Qt.Key.Key_Down if editor.link.currentIndex() < index else Qt.Key.Key_Up
        QTest.keyClick(editor.link, key)
    assert editor.link.currentIndex() == index


def _saved_link(workspace: Workspace, visit_id: str) -> str | None:
    with workspace.database.read() as session:
        visit = session.get(VisitRow, visit_id)
        assert visit is not None
        return visit.chain_link_id


def test_the_chosen_link_is_saved_with_the_visit(
    qtbot: QtBot, page: VisitsPage, demo_workspace: Workspace
) -> None:
    enterprise_id, own_link = _single_link_enterprise(demo_workspace)
    with qtbot.waitSignal(page.editor_opened, timeout=WAIT) as opened:
        page.new_visit(enterprise_id)
    editor: VisitEditor = opened.args[0]
    qtbot.waitUntil(lambda: editor.visit_id is not None and editor.autosaver.idle, timeout=WAIT)
    visit_id = editor.visit_id
    assert visit_id is not None
    assert editor.link.link_id() == own_link  # the enterprise's only link, by default
    assert _saved_link(demo_workspace, visit_id) == own_link
    choices = ChainService(demo_workspace).link_choices()
    own = next(choice for choice in choices if choice.id == own_link)
    assert editor.link.currentText() == own.label
    assert " · " in own.label

    other = next(choice for choice in choices if choice.chain_id != own.chain_id)
    editor.link.setFocus()
    _key_to(editor, editor.link.findData(other.id))  # the keyboard, as a user would
    qtbot.waitUntil(lambda: _saved_link(demo_workspace, visit_id) == other.id, timeout=WAIT)
    assert editor.link.touched
    detail = VisitServices.for_workspace(demo_workspace).visits.detail(visit_id)
    assert detail.chain_link_label == other.label  # what the visit's read-only view shows
    page.detail_view.show_visit(detail)
    assert page.detail_view.form().value("link") == other.label

    # Back to none: the visit is saved untagged.
    _key_to(editor, 0)
    qtbot.waitUntil(lambda: _saved_link(demo_workspace, visit_id) is None, timeout=WAIT)

    # Opened again, the form shows what was saved (and saves nothing new by opening).
    editor.close_requested.emit()
    with qtbot.waitSignal(page.editor_opened, timeout=WAIT) as reopened:
        page.edit_visit(visit_id)
    again: VisitEditor = reopened.args[0]
    assert again.link.link_id() is None
    assert again.link.currentText() == "不标注产业链环节"
