"""The history dialog: lists what happened, shows a long-text edit in full, closes on Esc."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.domain.visit import AttendeeDraft
from app.services.history import HistoryService
from app.services.visits import VisitService
from app.services.workspace import Workspace
from ui.history.history_dialog import HistoryDialog
from ui.history.history_model import Column
from ui.task_runner import TaskRunner

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
WAIT = 10_000
pytestmark = desktop_fixtures.OFFSCREEN_NOISE

BEFORE = (
    "双方介绍了各自情况。对方计划在长三角新建生产基地，一期用地约150亩，用电负荷约1万千伏安。\n"
    "我方介绍了园区的土地、能耗指标和人才政策，对方对标准厂房代建很感兴趣。"
)
AFTER = (
    "双方介绍了各自情况。对方计划明年在长三角新建生产基地，一期用地约200亩，用电负荷约2万千伏安。\n"
    "我方介绍了园区的土地、能耗指标和人才政策，对方对标准厂房代建很感兴趣。\n"
    "对方希望年底前实地看地，由王芳负责联络。"
)


@pytest.fixture
def visit_id(demo_workspace: Workspace) -> str:
    """A visit recorded, its discussion rewritten, deleted and restored."""
    visits = VisitService(demo_workspace)
    enterprise_id = visits.page(limit=1).rows[0].enterprise_id
    created = visits.create(
        {
            "enterprise_id": enterprise_id,
            "visited_on": dt.date(2026, 11, 20),
            "place": "会议室",
            "discussion": BEFORE,
        },
        attendees=[AttendeeDraft("李四", "总经理")],
    )
    visits.update(created, {"discussion": AFTER})
    visits.delete(created)
    visits.restore(created)
    return created


@pytest.fixture
def dialog(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, visit_id: str, chinese: None
) -> Iterator[HistoryDialog]:
    widget = HistoryDialog(
        HistoryService(demo_workspace), runner, "visits", visit_id, "2026年11月20日 拜访"
    )
    widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # inspected after closing
    qtbot.addWidget(widget)
    assert widget.status_label.text() == "正在读取历史…"  # open at once, read in the background
    with qtbot.waitSignal(widget.history_loaded, timeout=WAIT):
        widget.show()
    yield widget


def _column(dialog: HistoryDialog, column: Column) -> list[str]:
    model = dialog.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_lists_what_happened_newest_first(dialog: HistoryDialog) -> None:
    assert _column(dialog, Column.WHAT) == ["恢复", "删除", "修改", "新建 · 对方参会人", "新建"]
    assert set(_column(dialog, Column.WHO)) == {dialog.model.item_at(0).who}
    assert dialog.model.item_at(0).who  # the demo's current member, by name
    when = _column(dialog, Column.WHEN)[0]
    assert "年" in when and "月" in when and ":" in when
    assert _column(dialog, Column.CHANGES)[3] == "李四（总经理）"
    assert dialog.status_label.text() == "共 5 条，最新的在前"


def test_the_long_text_is_shortened_in_the_list_and_whole_in_the_tooltip(
    dialog: HistoryDialog,
) -> None:
    summary = _column(dialog, Column.CHANGES)[2]
    assert summary.startswith("洽谈内容：") and "…" in summary and len(summary) < 60
    tooltip = dialog.model.index(2, Column.CHANGES).data(Qt.ItemDataRole.ToolTipRole)
    assert "用电负荷约2万千伏安" in tooltip


def test_selecting_a_long_text_change_shows_the_full_old_and_new_text(
    qtbot: QtBot, dialog: HistoryDialog
) -> None:
    assert dialog.detail.item is dialog.model.item_at(0)  # the newest is selected at once
    QTest.keyClick(dialog.table, Qt.Key.Key_Down)
    QTest.keyClick(dialog.table, Qt.Key.Key_Down)

    shown = dialog.detail.toPlainText()

    assert dialog.detail.item is dialog.model.item_at(2)
    assert "洽谈内容" in shown and "修改前" in shown and "修改后" in shown
    for line in (*BEFORE.splitlines(), *AFTER.splitlines()):
        assert line in shown
    html = dialog.detail.toHtml()
    assert "line-through" in html  # what was taken out is struck through
    dialog.grab()


def test_escape_closes(qtbot: QtBot, dialog: HistoryDialog) -> None:
    assert dialog.isVisible()
    QTest.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_record_without_history_says_so(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> None:
    untouched = VisitService(demo_workspace).page(limit=1).rows[0].id  # demo rows carry none
    widget = HistoryDialog(HistoryService(demo_workspace), runner, "visits", untouched, "拜访")
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.history_loaded, timeout=WAIT) as loaded:
        widget.show()
    assert loaded.args == [0]
    assert widget.status_label.text() == "暂无修改记录"
    assert "还没有修改记录" in widget.detail.toPlainText()


def test_the_model_is_a_well_behaved_qt_model(qtmodeltester: object, dialog: HistoryDialog) -> None:
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]


def test_without_a_title_the_dialog_names_the_record_itself(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, visit_id: str, chinese: None
) -> None:
    """What a page's ``history_requested(table, row_id)`` gives: no title, only the record."""
    widget = HistoryDialog(HistoryService(demo_workspace), runner, "visits", visit_id, "")
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.history_loaded, timeout=WAIT):
        widget.show()
    enterprise = VisitService(demo_workspace).detail(visit_id).enterprise_name
    assert widget.windowTitle() == f"历史记录 · 拜访 · 2026年11月20日 {enterprise}"
    assert widget.heading.text() == widget.windowTitle()
