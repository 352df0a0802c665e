"""Every list model of the shell passes Qt's model tester with real rows from SQLite."""

from __future__ import annotations

from typing import Any

import desktop_fixtures
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.enterprise_views import EnterpriseFilter
from app.services.enterprises import EnterpriseService
from app.services.visits import VisitService
from app.services.workspace import Workspace
from ui.enterprises.dossier_sections import Section
from ui.enterprises.enterprise_list_model import Column, EnterpriseListModel
from ui.task_runner import TaskRunner
from ui.visits.visit_list_model import VisitListModel
from ui.widgets.paged_table_model import PAGE_SIZE
from ui.widgets.record_table_model import RecordTableModel

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese


def _loaded(qtbot: QtBot, model: Any) -> None:
    with qtbot.waitSignal(model.rows_loaded, timeout=10_000):
        model.reload()


def test_enterprise_list_model(
    qtbot: QtBot, qtmodeltester: Any, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> None:
    model = EnterpriseListModel(EnterpriseService(demo_workspace), runner)
    _loaded(qtbot, model)
    assert model.rowCount() == PAGE_SIZE < model.total
    assert model.headerData(Column.NAME, Qt.Orientation.Horizontal) == "企业名称"
    assert model.data(model.index(0, Column.NAME))
    qtmodeltester.check(model)


def test_enterprise_list_model_fetches_the_next_page_on_demand(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner
) -> None:
    model = EnterpriseListModel(EnterpriseService(demo_workspace), runner)
    _loaded(qtbot, model)
    assert model.canFetchMore()
    with qtbot.waitSignal(model.rowsInserted, timeout=10_000):
        model.fetchMore()
    assert model.rowCount() == min(2 * PAGE_SIZE, model.total)
    ids = [model.row_at(row).id for row in range(model.rowCount())]
    assert len(set(ids)) == len(ids)  # pages do not overlap


def test_enterprise_list_model_sorts_in_the_database(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner
) -> None:
    model = EnterpriseListModel(EnterpriseService(demo_workspace), runner)
    _loaded(qtbot, model)
    first = model.row_at(0).id
    with qtbot.waitSignal(model.rows_loaded, timeout=10_000):
        model.sort(Column.NAME, Qt.SortOrder.DescendingOrder)
    assert model.row_at(0).id != first
    assert model.descending


def test_enterprise_list_model_drops_answers_for_an_older_filter(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner
) -> None:
    model = EnterpriseListModel(EnterpriseService(demo_workspace), runner)
    model.reload()
    with qtbot.waitSignal(model.rows_loaded, timeout=10_000) as blocker:
        model.set_filter(EnterpriseFilter(text="不存在的企业名称"))
    assert blocker.args == [0]
    qtbot.wait(50)
    assert model.rowCount() == 0


def test_visit_list_model(
    qtbot: QtBot, qtmodeltester: Any, demo_workspace: Workspace, runner: TaskRunner
) -> None:
    model = VisitListModel(VisitService(demo_workspace), runner)
    _loaded(qtbot, model)
    assert model.rowCount() > 0
    dates = [model.row_at(row).visited_on for row in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)  # newest first
    qtmodeltester.check(model)


def test_dossier_section_models(
    qtmodeltester: Any, demo_workspace: Workspace, chinese: None
) -> None:
    service = EnterpriseService(demo_workspace)
    visits = VisitService(demo_workspace).page(limit=1).rows
    dossier = service.dossier(visits[0].enterprise_id)
    for section in Section:
        model = RecordTableModel(section.columns)
        model.set_rows(section.rows(dossier))
        qtmodeltester.check(model)
    model = RecordTableModel(Section.VISITS.columns)
    model.set_rows(dossier.visits)
    assert model.rowCount() == len(dossier.visits) > 0
    assert model.headerData(0, Qt.Orientation.Horizontal) == "拜访日期"
    assert "年" in model.data(model.index(0, 0))
