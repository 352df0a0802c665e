"""The visits page: newest first, filter, the selected visit's detail, delete with undo."""

from __future__ import annotations

from collections.abc import Iterator

import desktop_fixtures
import pytest
from pytestqt.qtbot import QtBot

from app.services.visits import VisitService
from app.services.workspace import Workspace
from ui.task_runner import TaskRunner
from ui.visits.visits_page import VisitsPage

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
type_text = desktop_fixtures.type_text
WAIT = 10_000
pytestmark = desktop_fixtures.OFFSCREEN_NOISE


@pytest.fixture
def page(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> Iterator[VisitsPage]:
    widget = VisitsPage(VisitService(demo_workspace), runner)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    with qtbot.waitSignal(widget.list_loaded, timeout=WAIT):
        widget.refresh()
    yield widget


def _select(qtbot: QtBot, page: VisitsPage, row: int) -> None:
    with qtbot.waitSignal(page.visit_shown, timeout=WAIT):
        page.table.selectRow(row)


def test_lists_visits_newest_first(page: VisitsPage) -> None:
    model = page.model
    assert model.rowCount() > 0
    dates = [model.row_at(n).visited_on for n in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)
    assert page.count_label.text() == f"共 {model.total:,} 条拜访记录"


def test_filter_by_enterprise_name(qtbot: QtBot, page: VisitsPage) -> None:
    name = page.model.row_at(0).enterprise_name
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        type_text(qtbot, page.filter_edit, name)
    rows = [page.model.row_at(n) for n in range(page.model.rowCount())]
    assert rows and all(row.enterprise_name == name for row in rows)


def test_selected_visit_shows_its_detail(
    qtbot: QtBot, page: VisitsPage, demo_workspace: Workspace
) -> None:
    _select(qtbot, page, 0)
    shown = page.detail_view.visit
    assert shown is not None and shown.id == page.model.row_at(0).id
    form = page.detail_view.form()
    assert "年" in form.value("date") and "月" in form.value("date")
    assert form.value("enterprise") == shown.enterprise_name
    for attendee in shown.attendees:
        assert attendee.name in form.value("attendees")
        if attendee.title:
            assert f"{attendee.name}（{attendee.title}）" in form.value("attendees")
    if shown.discussion:
        assert form.value("discussion") == shown.discussion
    page.detail_view.grab()


def test_enterprise_link_asks_for_the_dossier(qtbot: QtBot, page: VisitsPage) -> None:
    _select(qtbot, page, 0)
    visit = page.detail_view.visit
    assert visit is not None
    with qtbot.waitSignal(page.enterprise_activated, timeout=WAIT) as blocker:
        page.detail_view._title.linkActivated.emit("enterprise")
    assert blocker.args == [visit.enterprise_id]


def test_delete_then_undo(qtbot: QtBot, page: VisitsPage) -> None:
    _select(qtbot, page, 0)
    victim = page.model.row_at(0)
    total = page.model.total
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        page.detail_view.request_delete()
    assert page.model.total == total - 1
    assert page.model.row_of(victim.id) is None
    assert victim.enterprise_name in page.message_bar.text
    assert page.detail_view.visit is None
    with qtbot.waitSignal(page.visit_shown, timeout=WAIT):
        page.message_bar.click_undo()
    assert page.model.total == total
    assert page.model.row_of(victim.id) == 0
    assert page.table.selectionModel().isRowSelected(0)


def test_show_visit_by_id(qtbot: QtBot, page: VisitsPage) -> None:
    wanted = page.model.row_at(2)
    with qtbot.waitSignal(page.visit_shown, timeout=WAIT):
        page.show_visit(wanted.id)
    assert page.table.selectionModel().isRowSelected(2)
