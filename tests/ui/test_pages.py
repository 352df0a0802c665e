"""The workbench, projects, chains, tasks and reports pages on the small demo, used like a user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import desktop_fixtures
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.database.tables import OutboxEntry, TaskRow
from app.domain.vocabulary import ProjectStage, TaskStatus
from app.services.tasks import TaskService
from app.services.weekly_figures_views import Figure
from app.services.workbench import WorkbenchService
from app.services.workspace import Workspace
from ui.chains.chain_services import ChainServices
from ui.chains.chains_page import ChainsPage
from ui.formatting import warning_brush
from ui.projects.project_list_model import Column as ProjectColumn
from ui.projects.project_services import ProjectServices
from ui.projects.projects_page import ProjectsPage
from ui.reports.report_page_services import ReportPageServices
from ui.reports.reports_page import ReportsPage
from ui.task_runner import TaskRunner
from ui.tasks.task_list_model import Column as TaskColumn
from ui.tasks.tasks_page import TasksPage
from ui.workbench.workbench_page import WorkbenchPage

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
WAIT = 10_000
pytestmark = desktop_fixtures.OFFSCREEN_NOISE


def _show(qtbot: QtBot, widget: Any) -> None:
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()


def _double_click(view: QAbstractItemView, index: QModelIndex) -> None:
    view.scrollTo(index)
    centre = view.visualRect(index).center()
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


# -- 工作台 -----------------------------------------------------------------------------------


@pytest.fixture
def workbench(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> WorkbenchPage:
    page = WorkbenchPage(WorkbenchService(demo_workspace), runner)
    _show(qtbot, page)
    with qtbot.waitSignal(page.overview_loaded, timeout=WAIT):
        page.refresh()
    return page


def test_workbench_shows_my_day(qtbot: QtBot, qtmodeltester: Any, workbench: WorkbenchPage) -> None:
    for model in (workbench.task_model, workbench.visit_model, workbench.attention_model):
        qtmodeltester.check(model)
    assert workbench.attention_model.rowCount() > 0
    assert workbench.visit_model.rowCount() > 0
    assert workbench.tiles["attention"].number.text() == str(workbench.attention_model.rowCount())
    assert "星期" in workbench.heading.text()
    workbench.grab()
    item = workbench.attention_model.row_at(0)
    with qtbot.waitSignal(workbench.enterprise_activated, timeout=WAIT) as blocker:
        _double_click(workbench.attention_table, workbench.attention_model.index(0, 1))
    assert blocker.args == [item.enterprise_id]


# -- 项目 -------------------------------------------------------------------------------------


@pytest.fixture
def projects(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> ProjectsPage:
    page = ProjectsPage(ProjectServices.for_workspace(demo_workspace), runner)
    _show(qtbot, page)
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        page.refresh()
    return page


def test_projects_list_with_stage_counts(qtmodeltester: Any, projects: ProjectsPage) -> None:
    qtmodeltester.check(projects.model)
    qtmodeltester.check(projects.proxy)
    total = projects.model.rowCount()
    assert total > 0
    summary = projects.summary.text()
    assert summary.startswith("线索 ") and "暂缓" in summary
    counts = [int(part.split()[-1]) for part in summary.split("·")]
    assert sum(counts) == total
    projects.grab()


def test_projects_filter_by_stage_and_text(qtbot: QtBot, projects: ProjectsPage) -> None:
    combo = projects.stage_combo
    combo.setCurrentIndex(combo.findData(ProjectStage.SIGNED.value))
    proxy = projects.proxy
    assert 0 < proxy.rowCount() < projects.model.rowCount()
    stages = {proxy.index(n, ProjectColumn.STAGE).data() for n in range(proxy.rowCount())}
    assert stages == {"签约"}
    combo.setCurrentIndex(0)
    QTest.keyClicks(projects.filter_edit, "GW")
    qtbot.waitUntil(lambda: proxy.rowCount() < projects.model.rowCount(), timeout=WAIT)
    assert proxy.rowCount() > 0
    assert all("GW" in proxy.index(n, 0).data() for n in range(proxy.rowCount()))


def test_projects_sort_amounts_by_value(projects: ProjectsPage) -> None:
    projects.table.sortByColumn(ProjectColumn.CONTRACT, Qt.SortOrder.DescendingOrder)
    proxy, model = projects.proxy, projects.model
    fen = [
        model.row_at(proxy.mapToSource(proxy.index(n, 0)).row()).contract_amount
        for n in range(proxy.rowCount())
    ]
    values = [amount.fen if amount else -1 for amount in fen]
    assert values == sorted(values, reverse=True)
    index = proxy.index(0, ProjectColumn.CONTRACT)
    assert index.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_a_project_opened_from_elsewhere_is_selected_even_when_filtered_out(
    qtbot: QtBot, projects: ProjectsPage
) -> None:
    wanted = projects.model.row_at(projects.model.rowCount() - 1)
    projects.filter_edit.setText("没有这样的项目")
    projects.proxy.set_text("没有这样的项目")
    assert projects.proxy.rowCount() == 0
    with qtbot.waitSignal(projects.history_shown, timeout=WAIT):
        projects.show_project(wanted.id)
    selected = projects.selected_project()
    assert selected is not None and selected.id == wanted.id
    assert projects.filter_edit.text() == ""


def test_selecting_a_project_shows_its_stage_history(
    qtbot: QtBot, qtmodeltester: Any, projects: ProjectsPage
) -> None:
    proxy = projects.proxy
    wanted = next(
        n
        for n in range(proxy.rowCount())
        if proxy.index(n, ProjectColumn.STAGE).data() not in ("线索",)
    )
    with qtbot.waitSignal(projects.history_shown, timeout=WAIT):
        projects.table.selectRow(wanted)
    history = projects.history_model
    assert history.rowCount() > 0
    qtmodeltester.check(history)
    selected = projects.selected_project()
    assert selected is not None and selected.name in projects.history_title.text()
    assert "→" in history.index(history.rowCount() - 1, 1).data()
    with qtbot.waitSignal(projects.enterprise_activated, timeout=WAIT) as blocker:
        _double_click(projects.table, proxy.index(wanted, 0))
    assert blocker.args == [selected.enterprise_id]


def test_refresh_keeps_the_selected_project(qtbot: QtBot, projects: ProjectsPage) -> None:
    with qtbot.waitSignal(projects.history_shown, timeout=WAIT):
        projects.table.selectRow(3)
    chosen = projects.selected_project()
    with qtbot.waitSignals([projects.list_loaded, projects.history_shown], timeout=WAIT):
        projects.refresh()
    assert projects.selected_project() == chosen


# -- 产业链 -----------------------------------------------------------------------------------


@pytest.fixture
def chains(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> ChainsPage:
    page = ChainsPage(ChainServices.for_workspace(demo_workspace), runner)
    _show(qtbot, page)
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        page.refresh()
    return page


def test_chain_tree_with_links_and_gaps(
    qtbot: QtBot, qtmodeltester: Any, chains: ChainsPage
) -> None:
    model = chains.tree_model
    qtmodeltester.check(model)
    assert model.rowCount() > 0
    chain = model.index(0, 0)
    assert model.rowCount(chain) > 0
    links = [
        model.link_at(model.index(row, 0, model.index(top, 0)))
        for top in range(model.rowCount())
        for row in range(model.rowCount(model.index(top, 0)))
    ]
    gapped = [link for link in links if link is not None and link.gap is not None]
    assert gapped, "the demo has links without recent visits"
    index = model.index_of_link(gapped[0].id).siblingAtColumn(8)
    assert index.data().startswith("缺口：")
    assert index.data(Qt.ItemDataRole.ToolTipRole)
    assert "缺口" in chains.summary.text()
    chains.grab()


def test_picking_a_link_lists_its_targets(
    qtbot: QtBot, qtmodeltester: Any, chains: ChainsPage
) -> None:
    model = chains.tree_model
    link_index = model.index(0, 0, model.index(0, 0))
    link = model.link_at(link_index)
    assert link is not None and link.target_count > 0
    chains.tabs.setCurrentWidget(chains.tree)
    with qtbot.waitSignal(chains.targets_shown, timeout=WAIT):
        chains.tree.setCurrentIndex(link_index)
    assert chains.selected_link() == link
    targets = chains.targets.model
    assert targets.rowCount() == link.target_count
    qtmodeltester.check(targets)
    assert link.name in chains.targets.title.text()
    first = targets.row_at(0)
    with qtbot.waitSignal(chains.enterprise_activated, timeout=WAIT) as blocker:
        _double_click(chains.targets.table, targets.index(0, 0))
    assert blocker.args == [first.enterprise_id]


# -- 任务 -------------------------------------------------------------------------------------


@pytest.fixture
def tasks(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> Iterator[TasksPage]:
    page = TasksPage(TaskService(demo_workspace), runner)
    _show(qtbot, page)
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        page.refresh()
    yield page


def _set_combo(qtbot: QtBot, page: TasksPage, combo: Any, index: int) -> None:
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        combo.setCurrentIndex(index)


def test_task_filters(qtbot: QtBot, qtmodeltester: Any, tasks: TasksPage) -> None:
    model = tasks.model
    mine = model.total
    assert mine > 0
    qtmodeltester.check(model)
    qtmodeltester.check(tasks.proxy)
    due = [model.row_at(n).due_on for n in range(model.rowCount())]
    dated = [day for day in due if day is not None]
    assert dated == sorted(dated)
    _set_combo(qtbot, tasks, tasks.scope_combo, 2)  # 全部
    assert model.total > mine
    overdue = next(n for n in range(model.rowCount()) if model.row_at(n).overdue)
    brush = model.index(overdue, TaskColumn.DUE).data(Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == warning_brush().color()
    assert "逾期" in model.index(overdue, TaskColumn.DUE).data()
    _set_combo(qtbot, tasks, tasks.state_combo, 1)  # 已完成
    assert model.rowCount() > 0
    assert {model.row_at(n).status for n in range(model.rowCount())} == {TaskStatus.DONE}
    tasks.grab()


def test_double_click_opens_the_task_enterprise(qtbot: QtBot, tasks: TasksPage) -> None:
    model = tasks.model
    row = next(
        n
        for n in range(model.rowCount())
        if model.row_at(n).enterprise_id and not model.row_at(n).visit_id
    )
    index = tasks.proxy.mapFromSource(model.index(row, TaskColumn.TITLE))
    with qtbot.waitSignal(tasks.enterprise_activated, timeout=WAIT) as blocker:
        _double_click(tasks.table, index)
    assert blocker.args == [model.row_at(row).enterprise_id]


def test_complete_and_reopen_a_task(
    qtbot: QtBot, tasks: TasksPage, demo_workspace: Workspace
) -> None:
    model = tasks.model
    task = model.row_at(0)
    assert tasks.select_task(task.id)
    assert tasks.complete_action.isEnabled() and not tasks.reopen_action.isEnabled()
    with qtbot.waitSignals([tasks.task_changed, tasks.list_loaded], timeout=WAIT):
        tasks.complete_action.trigger()
    assert model.row_of(task.id) is None  # gone from 待办
    assert task.title in tasks.message
    with demo_workspace.database.read() as session:
        row = session.get_one(TaskRow, task.id)
        assert row.status == "done" and row.completed_at is not None
        entry = session.scalars(select(OutboxEntry).where(OutboxEntry.row_id == task.id)).one()
    assert entry.fields["status"] == "done"

    _set_combo(qtbot, tasks, tasks.state_combo, 1)  # 已完成
    assert tasks.select_task(task.id)
    assert tasks.reopen_action.isEnabled() and not tasks.complete_action.isEnabled()
    with qtbot.waitSignals([tasks.task_changed, tasks.list_loaded], timeout=WAIT):
        tasks.reopen_action.trigger()
    assert model.row_of(task.id) is None  # gone from 已完成
    with demo_workspace.database.read() as session:
        row = session.get_one(TaskRow, task.id)
        assert (row.status, row.completed_at) == ("open", None)


# -- 报表 -------------------------------------------------------------------------------------


@pytest.fixture
def reports(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> ReportsPage:
    page = ReportsPage(ReportPageServices.for_workspace(demo_workspace), runner)
    _show(qtbot, page)
    with qtbot.waitSignal(page.figures_loaded, timeout=WAIT):
        page.refresh()
    return page


def test_weekly_figures_for_the_current_week(reports: ReportsPage) -> None:
    figures = reports.figures
    view = reports.figures_view
    assert figures is not None and figures.week == reports.week
    assert view.tiles[Figure.VISITS].value.text() == f"{figures.visit_count} 次"
    assert view.tiles[Figure.TRIP_DAYS].value.text() == f"{figures.trip_days} 天"
    assert "跨周" in view.tiles[Figure.TRIP_DAYS].toolTip()
    assert "口径说明" in view.definitions_label.text()
    assert not reports.week_picker.current_button.isEnabled()
    reports.grab()


def test_week_buttons_and_squad_choice(
    qtbot: QtBot, qtmodeltester: Any, reports: ReportsPage
) -> None:
    this_week = reports.week
    picker, view = reports.week_picker, reports.figures_view
    with qtbot.waitSignal(reports.figures_loaded, timeout=WAIT):
        QTest.mouseClick(picker.previous_button, Qt.MouseButton.LeftButton)
    assert reports.week == this_week.previous()
    assert picker.current_button.isEnabled()
    # walk back to a week with project milestones, so the table has rows to check
    for _ in range(60):
        if view.projects_model.rowCount():
            break
        with qtbot.waitSignal(reports.figures_loaded, timeout=WAIT):
            QTest.mouseClick(picker.previous_button, Qt.MouseButton.LeftButton)
    assert view.projects_model.rowCount() > 0
    qtmodeltester.check(view.projects_model)
    qtbot.waitUntil(lambda: reports.squad_combo.count() > 1, timeout=WAIT)
    with qtbot.waitSignal(reports.figures_loaded, timeout=WAIT) as blocker:
        reports.squad_combo.setCurrentIndex(1)
    figures = blocker.args[0]
    assert figures.squad_id == reports.squad_combo.currentData()
    assert figures.squad_name in view.heading.text()
    with qtbot.waitSignal(reports.figures_loaded, timeout=WAIT):
        QTest.mouseClick(picker.current_button, Qt.MouseButton.LeftButton)
    assert reports.week == this_week
