"""The dashboard page (督办与指标) on a hand-built database, "today" 2026-11-28.

Signed in 2026: A1 (2026-02-01, started in May; 3,000 of 10,000 万元 received), A2 (在谈 → 开工
on 2026-11-05; 5,000 万元), A3 (signed 2026-03-10, terminated in June; 2,000 万元), A4 (signed
2026-03-01, nothing since, no amount) and B1 (squad B, signed 2026-11-20).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import desktop_fixtures
import pytest
from project_history_builder import (
    COLLEAGUE,
    E2,
    SQUAD_B,
    D,
    add_project,
    open_workspace,
    uid,
)
from PySide6.QtCharts import QBarCategoryAxis
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.database.change_tracking import Actor
from app.domain.bureau_rules import KpiKey
from app.domain.vocabulary import ProjectStage as S
from app.services.kpi import KpiService
from app.services.overdue import OverdueService
from app.services.overdue_views import OverdueList
from app.services.workspace import Workspace
from ui.dashboard.dashboard_columns import DrillColumn
from ui.dashboard.dashboard_page import DashboardPage
from ui.task_runner import TaskRunner

runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
pytestmark = desktop_fixtures.OFFSCREEN_NOISE
TODAY = D(2026, 11, 28)
WAIT = 15_000
A1, A2, A3, A4, B1 = (uid(500 + n) for n in range(5))


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path)
    with workspace.database.write(Actor(None, source="import")) as s:
        add_project(s, A1, "甲一项目", [(S.SIGNED, D(2026, 2, 1)), (S.STARTED, D(2026, 5, 1))],
                    contract_wan=10_000, funds=[(D(2026, 4, 1), 3_000)])  # fmt: skip
        add_project(s, A2, "甲二项目",
                    [(S.NEGOTIATING, D(2026, 9, 1)), (S.STARTED, D(2026, 11, 5))],
                    contract_wan=5_000)  # fmt: skip
        add_project(s, A3, "甲三项目", [(S.SIGNED, D(2026, 3, 10)), (S.TERMINATED, D(2026, 6, 1))],
                    contract_wan=2_000)  # fmt: skip
        add_project(s, A4, "甲四项目", [(S.SIGNED, D(2026, 3, 1))])
        add_project(s, B1, "乙一项目", [(S.SIGNED, D(2026, 11, 20))], squad=SQUAD_B,
                    enterprise=E2, responsible=COLLEAGUE)  # fmt: skip
    yield workspace
    workspace.database.dispose()


def _page(qtbot: QtBot, workspace: Workspace, runner: TaskRunner, today: dt.date) -> DashboardPage:
    page = DashboardPage(
        KpiService(workspace, lambda: today), OverdueService(workspace, lambda: today), runner
    )
    qtbot.addWidget(page)
    page.resize(1400, 950)
    page.show()
    with (
        qtbot.waitSignal(page.dashboard_loaded, timeout=WAIT),
        qtbot.waitSignal(page.list_loaded, timeout=WAIT),
    ):
        page.refresh()
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT)
    return page


@pytest.fixture
def page(qtbot: QtBot, workspace: Workspace, runner: TaskRunner, chinese: None) -> DashboardPage:
    return _page(qtbot, workspace, runner, TODAY)


def _click(qtbot: QtBot, page: DashboardPage, button: QWidget) -> None:
    with qtbot.waitSignal(page.dashboard_loaded, timeout=WAIT):
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_cards_show_the_figures_and_how_they_are_computed(page: DashboardPage) -> None:
    fulfilment = page.cards[KpiKey.FULFILMENT]
    assert page.heading.text() == "2026年11月 · 全局"
    assert fulfilment.value.text() == "40.0%"
    assert fulfilment.parts.text() == "2 / 5 个项目"
    assert "履约率 = 本年度截至期末签约的项目中" in fulfilment.formula.text()
    assert fulfilment.formula.isVisible()
    assert "履约率 = " in fulfilment.toolTip()
    funding = page.cards[KpiKey.FUNDING]
    assert funding.value.text() == "17.6%"
    assert funding.parts.text() == "到资 3000万元 / 合同 1.7亿元（3 个项目）"
    assert page.tiles[S.SIGNED].value.text() == "2 个"
    assert page.tiles[S.SIGNED].amount.text() == "合同投资额 5000万元"
    assert page.tiles[S.STARTED].value.text() == "1 个"


def test_the_trend_chart_has_a_line_per_rate_over_twelve_months(page: DashboardPage) -> None:
    chart = page.chart.chart()
    assert set(page.chart.series) == set(KpiKey)
    assert len(chart.series()) >= 4
    axis = chart.axes(Qt.Orientation.Horizontal)[0]
    assert isinstance(axis, QBarCategoryAxis)
    categories = axis.categories()
    assert len(categories) == 12 and categories[-1] == "26年11月"
    last = page.chart.series[KpiKey.START][-1].points()[-1]
    assert (last.x(), round(last.y(), 1)) == (11, 40.0)
    assert chart.titleFont().families() == page.font().families()


def test_stepping_back_changes_the_figures_and_an_empty_period_shows_a_dash(
    qtbot: QtBot, page: DashboardPage
) -> None:
    _click(qtbot, page, page.period_chooser.previous_button)

    assert page.period_chooser.label.text() == "2026年10月"
    assert page.cards[KpiKey.START].value.text() == "33.3%"  # A1 of A1, A3, A4
    assert page.tiles[S.SIGNED].value.text() == "0 个"
    assert page.tiles[S.SIGNED].amount.text() == "合同投资额 0万元"
    with qtbot.waitSignal(page.dashboard_loaded, timeout=WAIT):
        page.period_chooser.kind_combo.setCurrentIndex(2)  # 年
    for _ in range(6):
        _click(qtbot, page, page.period_chooser.previous_button)

    assert page.period_chooser.label.text() == "2020年"
    for card in page.cards.values():
        assert card.value.text() == "—"
        assert "分母为 0" in card.parts.text()
    page.grab()  # paints with gaps in every line


def test_clicking_a_card_lists_its_projects_with_the_numerator_marked(
    qtbot: QtBot, page: DashboardPage
) -> None:
    QTest.mouseClick(page.cards[KpiKey.START], Qt.MouseButton.LeftButton)

    model = page.drill_model
    marks = {
        model.row_at(n).project_name: model.data(model.index(n, DrillColumn.COUNTED))
        for n in range(model.rowCount())
    }
    assert marks == {"甲一项目": "✔", "甲二项目": "✔", "甲三项目": "✘", "甲四项目": "✘",
                     "乙一项目": "✘"}  # fmt: skip
    assert page.drill_title.text() == "开工率的项目：共 5 个，计入分子（✔）2 个"
    QTest.mouseClick(page.tiles[S.SIGNED], Qt.MouseButton.LeftButton)
    assert [model.row_at(n).project_name for n in range(model.rowCount())] == [
        "甲二项目",
        "乙一项目",
    ]


def test_a_squad_shows_only_its_projects(qtbot: QtBot, page: DashboardPage) -> None:
    with (
        qtbot.waitSignal(page.dashboard_loaded, timeout=WAIT),
        qtbot.waitSignal(page.list_loaded, timeout=WAIT),
    ):
        page.squad_combo.setCurrentIndex(page.squad_combo.findData(SQUAD_B))

    assert page.heading.text() == "2026年11月 · 装备小分队"
    assert page.cards[KpiKey.FULFILMENT].value.text() == "0.0%"
    assert page.cards[KpiKey.FUNDING].value.text() == "—"
    assert page.board is not None and page.board.item_count == 0


def test_an_overdue_row_opens_its_project(qtbot: QtBot, page: DashboardPage) -> None:
    page.show_overdue()
    panel = page.overdue_panel
    table = panel.tables[OverdueList.NOT_STARTED]
    assert panel.tabs.tabText(0) == "签约3个月未开工（1）"
    index = table.model().index(0, 1)
    assert index.data() == "甲四项目"
    assert table.model().index(0, 0).data() == "180 天"
    centre = table.visualRect(index).center()

    with qtbot.waitSignal(page.project_activated, timeout=WAIT) as opened:
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)

    assert opened.args == [A4]


def test_the_cadre_filter_narrows_the_lists(qtbot: QtBot, page: DashboardPage) -> None:
    panel = page.overdue_panel
    page.show_overdue()
    panel.select_cadre(COLLEAGUE)  # 王芳 answers for nothing overdue: not offered

    assert panel.cadre_combo.currentIndex() == 0
    assert [panel.cadre_combo.itemText(n) for n in range(panel.cadre_combo.count())] == [
        "全部责任人", "李明",
    ]  # fmt: skip
    panel.cadre_combo.setCurrentIndex(1)
    assert panel.proxies[OverdueList.THREE_NOTS].rowCount() == 1


def test_the_demo_renders(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> None:
    page = _page(qtbot, demo_workspace, runner, dt.date.today())

    assert page.dashboard is not None and len(page.dashboard.trend) == 12
    assert page.board is not None and page.board.item_count > 0
    assert not page.grab().isNull()


def test_the_tables_are_sound_models(qtmodeltester: object, page: DashboardPage) -> None:
    qtmodeltester.check(page.drill_model)  # type: ignore[attr-defined]
    qtmodeltester.check(page.drill_proxy)  # type: ignore[attr-defined]
    for model in page.overdue_panel.models.values():
        qtmodeltester.check(model)  # type: ignore[attr-defined]
    qtmodeltester.check(page.overdue_panel.cadre_model)  # type: ignore[attr-defined]
