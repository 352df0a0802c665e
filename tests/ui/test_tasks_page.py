"""The tasks page on the small demo, worked from the keyboard: complete, snooze, reassign, new,
delete with undo, open the related record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.database.tables import HistoryEntry, TaskRow
from app.services.tasks import TaskGroup, TaskListRow, TaskService
from app.services.workspace import Workspace
from ui.task_runner import TaskRunner
from ui.tasks.due_date_picker import DueDatePicker
from ui.tasks.task_editor import TaskEditorDialog
from ui.tasks.tasks_page import TasksPage

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
WAIT = 10_000
# The offscreen platform cannot raise a popup menu or let it grab the keyboard; it says so.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
)
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def page(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> Iterator[TasksPage]:
    widget = TasksPage(TaskService(demo_workspace), runner)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    with qtbot.waitSignal(widget.list_loaded, timeout=WAIT):
        widget.refresh()
    widget.activateWindow()
    widget.focus_list()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget.table, timeout=WAIT)
    yield widget


def _rows(page: TasksPage) -> list[TaskListRow]:
    return [page.model.row_at(n) for n in range(page.model.rowCount())]


def _choose(qtbot: QtBot, page: TasksPage, task: TaskListRow) -> None:
    assert page.select_task(task.id)
    assert page.selected_task() == task


def _key(
    qtbot: QtBot,
    widget: QWidget,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    QTest.keyClick(widget, key, modifier)


def _stored(workspace: Workspace, task_id: str) -> TaskRow:
    with workspace.database.read() as session:
        return session.get_one(TaskRow, task_id)


def _back_to_list(qtbot: QtBot, page: TasksPage) -> None:
    """The offscreen platform leaves a closed menu the active window; a desktop hands the focus
    back to the list by itself."""
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.table, timeout=WAIT)


def _menu(qtbot: QtBot, page: TasksPage) -> QMenu:
    qtbot.waitUntil(lambda: page.popup is not None and page.popup.isVisible(), timeout=WAIT)
    assert page.popup is not None
    return page.popup


def test_my_tasks_are_grouped_and_the_cursor_steps_over_headings(
    qtbot: QtBot, page: TasksPage
) -> None:
    groups = [row.group for row in _rows(page)]
    assert groups == sorted(groups, key=list(TaskGroup).index)
    headings = page.proxy.heading_rows()
    assert len(headings) == len(set(groups)) and headings[0] == 0
    assert page.proxy.index(0, 0).data().startswith("已逾期 · ")
    assert page.table.columnSpan(0, 0) == page.proxy.columnCount()
    # Down from the last overdue task lands on the first task due today, not on its heading.
    overdue = [row for row in _rows(page) if row.group is TaskGroup.OVERDUE]
    today = next(row for row in _rows(page) if row.group is TaskGroup.TODAY)
    _choose(qtbot, page, overdue[-1])
    _key(qtbot, page.table, Qt.Key.Key_Down)
    assert page.selected_task() == today
    assert "Ctrl+R" in page.reassign_action.toolTip()
    page.grab()


def test_space_completes_the_selected_task(
    qtbot: QtBot, page: TasksPage, demo_workspace: Workspace
) -> None:
    task = _rows(page)[0]
    _choose(qtbot, page, task)
    with qtbot.waitSignals([page.task_changed, page.list_loaded], timeout=WAIT):
        _key(qtbot, page.table, Qt.Key.Key_Space)
    assert _stored(demo_workspace, task.id).status == "done"
    assert page.model.row_of(task.id) is None  # left 待办
    assert page.selected_task() is not None  # a neighbour is selected: keep going
    nxt = page.selected_task()
    assert nxt is not None
    with qtbot.waitSignals([page.task_changed, page.list_loaded], timeout=WAIT):
        _key(qtbot, page.table, Qt.Key.Key_D, CTRL)
    assert _stored(demo_workspace, nxt.id).status == "done"


def test_snooze_an_overdue_task_to_tomorrow_then_to_a_picked_day(
    qtbot: QtBot, page: TasksPage, demo_workspace: Workspace
) -> None:
    task = next(row for row in _rows(page) if row.group is TaskGroup.OVERDUE)
    today = page.model.today
    _choose(qtbot, page, task)
    _key(qtbot, page.table, Qt.Key.Key_S, CTRL | SHIFT)
    menu = _menu(qtbot, page)
    assert [a.text() for a in menu.actions() if a.text()][:1] == [
        f"明天（{(today + dt.timedelta(days=1)):%Y年%-m月%-d日}）"
    ]
    with qtbot.waitSignals([page.task_changed, page.list_loaded], timeout=WAIT):
        _key(qtbot, menu, Qt.Key.Key_Return)
    assert _stored(demo_workspace, task.id).due_on == today + dt.timedelta(days=1)
    assert "已推迟到" in page.message
    assert page.selected_task() is not None and page.selected_task().id == task.id  # type: ignore[union-attr]

    _back_to_list(qtbot, page)
    _key(qtbot, page.table, Qt.Key.Key_S, CTRL | SHIFT)
    menu = _menu(qtbot, page)
    _key(qtbot, menu, Qt.Key.Key_Down)  # 下周
    _key(qtbot, menu, Qt.Key.Key_Down)  # 选择日期… (the separator is skipped)
    _key(qtbot, menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(page.dialog, DueDatePicker), timeout=WAIT)
    picker = page.dialog
    assert isinstance(picker, DueDatePicker)
    picker.activateWindow()  # the offscreen platform does not activate it by itself
    qtbot.waitUntil(picker.isActiveWindow, timeout=WAIT)
    days = QApplication.focusWidget()
    assert days is not None and picker.calendar.isAncestorOf(days)  # arrows move the day
    _key(qtbot, days, Qt.Key.Key_Right)
    with qtbot.waitSignals([page.task_changed, page.list_loaded], timeout=WAIT):
        _key(qtbot, days, Qt.Key.Key_Return)
    # the calendar opens on the day after the due date (tomorrow): Right makes it the day after
    assert _stored(demo_workspace, task.id).due_on == today + dt.timedelta(days=3)


def test_ctrl_r_hands_a_task_to_a_squad_member(
    qtbot: QtBot, page: TasksPage, demo_workspace: Workspace
) -> None:
    task = _rows(page)[0]
    _choose(qtbot, page, task)
    _key(qtbot, page.table, Qt.Key.Key_R, CTRL)
    menu = _menu(qtbot, page)
    names = [a.text() for a in menu.actions()]
    assert any("当前负责人" in name for name in names)
    chosen = menu.activeAction()
    assert chosen is not None and chosen.isEnabled()
    with qtbot.waitSignals([page.task_changed, page.list_loaded], timeout=WAIT):
        _key(qtbot, menu, Qt.Key.Key_Return)
    stored = _stored(demo_workspace, task.id)
    assert stored.owner_id != demo_workspace.current_member_id()
    assert page.model.row_of(task.id) is None  # no longer mine
    with demo_workspace.database.read() as session:
        entry = session.scalars(
            select(HistoryEntry)
            .where(HistoryEntry.row_id == task.id)
            .order_by(HistoryEntry.id.desc())
        ).first()
    assert entry is not None
    assert entry.changes["owner_id"] == [demo_workspace.current_member_id(), stored.owner_id]
    assert chosen.text() in page.message


def test_n_makes_a_new_task(qtbot: QtBot, page: TasksPage, demo_workspace: Workspace) -> None:
    _key(qtbot, page.table, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: isinstance(page.dialog, TaskEditorDialog), timeout=WAIT)
    editor = page.dialog
    assert isinstance(editor, TaskEditorDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.title_edit, timeout=WAIT)
    desktop_fixtures.type_text(qtbot, editor.title_edit, "报送项目开工进度")
    saved: list[str] = []
    page.task_changed.connect(saved.append)
    with qtbot.waitSignals([page.task_changed, page.list_loaded], timeout=WAIT):
        _key(qtbot, editor.title_edit, Qt.Key.Key_Return)
    [task_id] = saved
    stored = _stored(demo_workspace, task_id)
    assert (stored.title, stored.owner_id) == (
        "报送项目开工进度",
        demo_workspace.current_member_id(),
    )
    assert stored.due_on == page.model.today + dt.timedelta(days=7)
    assert page.selected_task() is not None and page.selected_task().id == task_id  # type: ignore[union-attr]


def test_delete_with_undo_enter_opens_and_history(
    qtbot: QtBot, page: TasksPage, demo_workspace: Workspace
) -> None:
    task = next(row for row in _rows(page) if row.enterprise_id)
    _choose(qtbot, page, task)
    expected = page.enterprise_activated if not task.visit_id else page.visit_activated
    with qtbot.waitSignal(expected, timeout=WAIT) as opened:
        _key(qtbot, page.table, Qt.Key.Key_Return)
    assert opened.args == [task.visit_id or task.enterprise_id]
    with qtbot.waitSignal(page.history_requested, timeout=WAIT) as history:
        _key(qtbot, page.table, Qt.Key.Key_H, CTRL)
    assert history.args == ["tasks", task.id]

    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        _key(qtbot, page.table, Qt.Key.Key_Delete)
    assert _stored(demo_workspace, task.id).deleted
    assert page.model.row_of(task.id) is None
    assert task.title in page.message_bar.text
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        page.message_bar.click_undo()
    assert not _stored(demo_workspace, task.id).deleted
    assert page.model.row_of(task.id) is not None
