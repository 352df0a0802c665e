"""The 工作台 on the small demo: every item opens its record; tasks are completed in place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import desktop_fixtures
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from app.database.change_tracking import Actor
from app.database.tables import ConflictRow, EnterpriseRow, TaskRow, VisitRow
from app.services.workbench import WorkbenchService
from app.services.workbench_views import AttentionKind
from app.services.workspace import Workspace
from ui.task_runner import TaskRunner
from ui.workbench.workbench_models import AttentionColumn, TaskColumn
from ui.workbench.workbench_page import WorkbenchPage

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
WAIT = 10_000
pytestmark = desktop_fixtures.OFFSCREEN_NOISE


@pytest.fixture
def unwritten(demo_workspace: Workspace) -> str:
    """A visit of mine from yesterday whose discussion is still empty; and an open conflict."""
    me = demo_workspace.current_member_id()
    with demo_workspace.database.write(demo_workspace.actor()) as session:
        enterprise = session.query(EnterpriseRow).filter_by(deleted=False).first()
        assert enterprise is not None
        visit = VisitRow(
            enterprise_id=enterprise.id,
            visited_on=dt.date.today() - dt.timedelta(days=1),
            author_id=me,
            purpose="了解扩产计划",
        )
        session.add(visit)
        session.flush()
        visit_id = visit.id
    with demo_workspace.database.write(Actor(None, record_changes=False)) as session:
        session.add(
            ConflictRow(table_name="visits", row_id=visit_id, field="purpose", status="open")
        )
    return visit_id


@pytest.fixture
def page(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None, unwritten: str
) -> Iterator[WorkbenchPage]:
    widget = WorkbenchPage(WorkbenchService(demo_workspace), runner)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    with qtbot.waitSignal(widget.overview_loaded, timeout=WAIT):
        widget.refresh()
    widget.activateWindow()
    yield widget


def _enter(qtbot: QtBot, table: QTableView, row: int) -> None:
    """Put the cursor on ``row`` and press Enter, as a user tabbing into the list would."""
    table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table, timeout=WAIT)
    table.setCurrentIndex(table.model().index(row, 1))
    QTest.keyClick(table, Qt.Key.Key_Return)


def _double_click(table: QTableView, index: QModelIndex) -> None:
    centre = table.visualRect(index).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def test_every_item_opens_its_record(qtbot: QtBot, page: WorkbenchPage, unwritten: str) -> None:
    visits = page.visit_model
    with qtbot.waitSignal(page.visit_activated, timeout=WAIT) as opened:
        _enter(qtbot, page.visit_table, 0)
    assert opened.args == [visits.row_at(0).id]

    tasks = page.task_model
    task = tasks.row_at(0)
    signal = page.visit_activated if task.visit_id else page.enterprise_activated
    with qtbot.waitSignal(signal, timeout=WAIT) as opened:
        _enter(qtbot, page.task_table, 0)
    assert opened.args == [task.visit_id or task.enterprise_id]

    attention = page.attention_model
    kinds = [attention.row_at(n).kind for n in range(attention.rowCount())]
    expected = {
        AttentionKind.COMMITMENT_OVERDUE: page.enterprise_activated,
        AttentionKind.PROBLEM_OVERDUE: page.enterprise_activated,
        AttentionKind.SIGNED_NOT_STARTED: page.project_activated,
        AttentionKind.VISIT_UNWRITTEN: page.visit_activated,
    }
    assert set(kinds) == set(expected)
    for kind, signal in expected.items():
        row = kinds.index(kind)
        item = attention.row_at(row)
        with qtbot.waitSignal(signal, timeout=WAIT) as opened:
            _double_click(page.attention_table, attention.index(row, AttentionColumn.TITLE))
        wanted = item.enterprise_id if signal is page.enterprise_activated else item.record_id
        assert opened.args == [wanted]
    unwritten_row = attention.row_at(kinds.index(AttentionKind.VISIT_UNWRITTEN))
    assert unwritten_row.record_id == unwritten
    assert "拜访纪要未填写" in attention.index(kinds.index(AttentionKind.VISIT_UNWRITTEN), 0).data()


def test_open_sync_conflicts_are_one_click_away(qtbot: QtBot, page: WorkbenchPage) -> None:
    assert page.conflicts_button.isVisible()
    assert page.conflicts_button.text().startswith("1 处同步冲突待处理")
    with qtbot.waitSignal(page.conflicts_requested, timeout=WAIT):
        QTest.mouseClick(page.conflicts_button, Qt.MouseButton.LeftButton)
    page.grab()


def test_space_or_the_tick_box_completes_a_task(
    qtbot: QtBot, page: WorkbenchPage, demo_workspace: Workspace
) -> None:
    tasks = page.task_model
    count = tasks.rowCount()
    first = tasks.row_at(0)
    page.task_table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.task_table, timeout=WAIT)
    page.task_table.setCurrentIndex(tasks.index(0, TaskColumn.TITLE))
    with qtbot.waitSignals([page.task_changed, page.overview_loaded], timeout=WAIT):
        QTest.keyClick(page.task_table, Qt.Key.Key_Space)
    assert first.id not in [t.id for t in tasks.rows]
    assert tasks.rowCount() == count - 1
    assert first.title in page._message.text()
    assert page.task_table.currentIndex().row() == 0  # the next task is under the cursor

    second = tasks.row_at(0)
    box = tasks.index(0, TaskColumn.DONE)
    assert box.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    with qtbot.waitSignals([page.task_changed, page.overview_loaded], timeout=WAIT):
        assert tasks.setData(box, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    with demo_workspace.database.read() as session:
        for task in (first, second):
            assert session.get_one(TaskRow, task.id).status == "done"
