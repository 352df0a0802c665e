"""The visits page: newest first, filter, the selected visit's detail, delete with undo, and
the trips tab (days and visits per trip, create and edit a trip, file visits under it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain.trip import trip_days
from app.services.trips import TripService
from app.services.workspace import Workspace
from ui.task_runner import TaskRunner
from ui.visits.trip_dialog import TripDialog
from ui.visits.trip_list_model import Column as TripColumn
from ui.visits.visit_editor import VisitEditor
from ui.visits.visit_services import VisitServices
from ui.visits.visits_page import VisitsPage

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
type_text = desktop_fixtures.type_text
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


def test_the_detail_offers_edit_and_history(qtbot: QtBot, page: VisitsPage) -> None:
    _select(qtbot, page, 1)
    visit_id = page.model.row_at(1).id
    with qtbot.waitSignal(page.history_requested, timeout=WAIT) as asked:
        page.detail_view._history.click()
    assert asked.args == ["visits", visit_id]
    page.table.setFocus()
    with qtbot.waitSignal(page.history_requested, timeout=WAIT) as keyed:
        QTest.keyClick(page.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert keyed.args == ["visits", visit_id]
    with qtbot.waitSignal(page.editor_opened, timeout=WAIT) as opened:
        QTest.keyClick(page.table, Qt.Key.Key_F2)
    assert opened.args[0].visit_id == visit_id


def _show_trips(qtbot: QtBot, page: VisitsPage) -> None:
    with qtbot.waitSignal(page.trips_panel.list_loaded, timeout=WAIT):
        page._tabs.setCurrentIndex(1)


def test_trips_list_their_days_and_visits(
    qtbot: QtBot, page: VisitsPage, demo_workspace: Workspace
) -> None:
    _show_trips(qtbot, page)
    model = page.trips_panel.model
    assert model.rowCount() > 0
    expected = TripService(demo_workspace).page(limit=5).rows
    for number, row in enumerate(expected):
        index = model.index(number, TripColumn.DAYS)
        assert model.data(index) == f"{trip_days(row.start_on, row.end_on)} 天"
        assert model.data(model.index(number, TripColumn.VISITS)) == f"{row.visit_count} 次"
    with qtbot.waitSignal(page.trips_panel.trip_shown, timeout=WAIT):
        page.trips_panel.table.selectRow(0)
    shown = page.trips_panel.trip
    assert shown is not None and len(shown.visits) == expected[0].visit_count
    assert page.trips_panel.visit_model.rowCount() == len(shown.visits)


def _open_dialog(qtbot: QtBot, page: VisitsPage, trip_id: str | None = None) -> TripDialog:
    panel = page.trips_panel
    if trip_id is None:
        panel.new_trip()
    else:
        panel.edit_trip(trip_id)
    dialog = panel.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.member_model.rowCount() > 0, timeout=WAIT)
    return dialog


def test_a_new_trip_is_checked_saved_and_holds_the_visits_ticked(
    qtbot: QtBot, page: VisitsPage, demo_workspace: Workspace
) -> None:
    _show_trips(qtbot, page)
    dialog = _open_dialog(qtbot, page)
    assert QApplication.focusWidget() in (dialog.title, None)
    type_text(qtbot, dialog.title, "赴苏州对接集成电路企业")
    today = dt.date.today()
    dialog.start.set_day(today)
    dialog.end.set_day(today - dt.timedelta(days=2))
    dialog._buttons.accepted.emit()
    assert dialog.problem("end_on") == "返程日期不能早于出发日期"
    dialog.start.set_day(today - dt.timedelta(days=30))
    dialog.end.set_day(today)
    qtbot.waitUntil(lambda: dialog.visit_model.rowCount() > 0, timeout=WAIT)
    ticked = [dialog.visit_model.row_at(n).id for n in range(min(2, dialog.visit_model.rowCount()))]
    for visit_id in ticked:
        dialog.visit_model.set_checked(visit_id, True)
    assert dialog.member_model.checked_keys()  # me, by default
    with qtbot.waitSignal(dialog.trip_saved, timeout=WAIT) as saved:
        QTest.keyClick(dialog.title, Qt.Key.Key_Return)  # Enter is the dialog's 保存
    trip = TripService(demo_workspace).detail(saved.args[0])
    assert trip.draft.title == "赴苏州对接集成电路企业"
    assert trip.days == 31
    assert sorted(v.id for v in trip.visits) == sorted(ticked)
    panel = page.trips_panel
    qtbot.waitUntil(lambda: panel.trip is not None and panel.trip.id == trip.id, timeout=WAIT)
    assert panel.visit_model.rowCount() == len(ticked)


def test_enter_on_the_list_edits_the_visit_and_esc_shows_the_change(
    qtbot: QtBot, page: VisitsPage
) -> None:
    with qtbot.waitSignal(page.visit_shown, timeout=WAIT):
        page.table.selectRow(0)
    visit = page.detail_view.visit
    assert visit is not None
    page.table.setFocus()
    with qtbot.waitSignal(page.editor_opened, timeout=WAIT) as opened:
        QTest.keyClick(page.table, Qt.Key.Key_Return)
    editor: VisitEditor = opened.args[0]
    assert not editor.is_new
    assert editor.enterprise.text() == visit.enterprise_name
    assert editor.discussion.text() == visit.discussion
    assert QApplication.focusWidget() is editor.discussion
    QTest.keyClicks(editor.discussion, " OK")
    with qtbot.waitSignal(page.visit_shown, timeout=WAIT):
        QTest.keyClick(editor.discussion, Qt.Key.Key_Escape)
    qtbot.waitUntil(
        lambda: page.detail_view.form().value("discussion") == visit.discussion + " OK",
        timeout=WAIT,
    )


def test_the_page_re_emits_save_state_and_history(qtbot: QtBot, page: VisitsPage) -> None:
    with qtbot.waitSignal(page.visit_shown, timeout=WAIT):
        page.table.selectRow(0)
    visit_id = page.model.row_at(0).id
    with qtbot.waitSignal(page.history_requested, timeout=WAIT) as asked:
        page.detail_view._history.click()
    assert asked.args == ["visits", visit_id]
    with qtbot.waitSignal(page.editor_opened, timeout=WAIT) as opened:
        page.detail_view._edit.click()
    editor: VisitEditor = opened.args[0]
    editor.outcomes.setFocus()
    states: list[tuple[str, str]] = []
    page.save_state_changed.connect(lambda state, message: states.append((state, message)))
    QTest.keyClicks(editor.outcomes, "x")
    QTest.keyClick(editor.outcomes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert states == [("saving", "")]  # Ctrl+S saved at once, without waiting for the timer
    qtbot.waitUntil(lambda: states[-1] == ("saved", ""), timeout=WAIT)
    with qtbot.waitSignal(page.history_requested, timeout=WAIT) as asked:
        editor._history.click()
    assert asked.args == ["visits", visit_id]
    editor.grab()
