"""The Ctrl+K palette: typing shows results grouped by kind, arrows and Enter (or a click)
open a hit, Esc closes; answers to queries typed past are dropped."""

from __future__ import annotations

from collections.abc import Iterator

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.search.results import SearchKind
from app.search.service import SearchService
from app.services.workspace import Workspace
from ui.search.search_palette import SearchPalette
from ui.search.search_results_model import SearchResultsModel
from ui.task_runner import TaskRunner

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
type_text = desktop_fixtures.type_text
WAIT = 10_000
# The offscreen platform (tests only) can neither raise a popup nor give it the keyboard grab
# it asks for, nor pass on size hints; none of it is a fault of the palette.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    r"This plugin does not support raise\(\)",
    "This plugin does not support grabbing the keyboard",
)


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


@pytest.fixture
def palette(
    qtbot: QtBot, window: QWidget, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> Iterator[SearchPalette]:
    widget = SearchPalette(SearchService(demo_workspace), runner, window)
    widget.open_palette()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()


def _a_visited_enterprise(workspace: Workspace) -> tuple[str, str]:
    """(id, name) of a live enterprise with a live contact and a visit."""
    with workspace.database.read() as session:
        row = session.execute(
            text(
                "SELECT e.id, e.name FROM enterprises e WHERE e.deleted = 0"
                " AND EXISTS (SELECT 1 FROM contacts c WHERE c.enterprise_id = e.id"
                " AND c.deleted = 0)"
                " AND EXISTS (SELECT 1 FROM visits v WHERE v.enterprise_id = e.id"
                " AND v.deleted = 0) ORDER BY e.name LIMIT 1"
            )
        ).one()
    return row.id, row.name


def _type(qtbot: QtBot, palette: SearchPalette, query: str) -> None:
    with qtbot.waitSignal(palette.results_shown, timeout=WAIT):
        type_text(qtbot, palette.query_edit, query)


def _headings(palette: SearchPalette) -> list[SearchKind]:
    model = palette.model
    return [model.row_at(r).kind for r in range(model.rowCount()) if model.row_at(r).is_heading]


def test_an_empty_box_shows_a_hint(palette: SearchPalette) -> None:
    assert palette.model.rowCount() == 0
    assert "拼音首字母" in palette.message_label.text()
    assert palette.message_label.isVisible()


def test_typing_shows_results_grouped_by_kind(
    qtbot: QtBot, palette: SearchPalette, demo_workspace: Workspace
) -> None:
    _enterprise_id, name = _a_visited_enterprise(demo_workspace)
    _type(qtbot, palette, name[2:4])
    headings = _headings(palette)
    assert headings[0] is SearchKind.ENTERPRISE
    assert headings == sorted(headings, key=list(SearchKind).index)
    assert palette.results_view.isVisible()
    titles = [hit.title for hit in _hits(palette.model, SearchKind.ENTERPRISE)]
    assert name in titles
    first = palette.model.row_at(palette.results_view.currentIndex().row())
    assert first.hit is not None and first.kind is SearchKind.ENTERPRISE  # ready for Enter


def _hits(model: SearchResultsModel, kind: SearchKind) -> list:  # type: ignore[type-arg]
    return [
        model.row_at(r).hit
        for r in range(model.rowCount())
        if model.row_at(r).kind is kind and model.row_at(r).hit is not None
    ]


def test_arrows_move_across_groups_and_enter_opens_the_hit(
    qtbot: QtBot, palette: SearchPalette, demo_workspace: Workspace
) -> None:
    enterprise_id, name = _a_visited_enterprise(demo_workspace)
    _type(qtbot, palette, name)
    model = palette.model
    enterprise_hits = len(_hits(model, SearchKind.ENTERPRISE))
    for _ in range(enterprise_hits):  # past every enterprise, over the next heading
        QTest.keyClick(palette.query_edit, Qt.Key.Key_Down)
    current = model.row_at(palette.results_view.currentIndex().row())
    assert current.hit is not None and current.kind is not SearchKind.ENTERPRISE
    QTest.keyClick(palette.query_edit, Qt.Key.Key_Up)
    QTest.keyClick(palette.query_edit, Qt.Key.Key_Down)
    with qtbot.waitSignal(palette.record_activated, timeout=WAIT) as opened:
        QTest.keyClick(palette.query_edit, Qt.Key.Key_Return)
    kind, record_id, owner = opened.args
    assert (kind, record_id) == (current.kind.value, current.hit.record_id)
    assert owner == enterprise_id  # the contact or visit of the enterprise typed
    assert not palette.isVisible()


def test_enter_opens_the_enterprise_a_name_finds(
    qtbot: QtBot, palette: SearchPalette, demo_workspace: Workspace
) -> None:
    enterprise_id, name = _a_visited_enterprise(demo_workspace)
    with qtbot.waitSignal(palette.record_activated, timeout=WAIT) as opened:
        type_text(qtbot, palette.query_edit, name)
        QTest.keyClick(palette.query_edit, Qt.Key.Key_Return)  # before the answer came
    assert opened.args == ["enterprise", enterprise_id, enterprise_id]


def test_a_click_opens_a_hit(
    qtbot: QtBot, palette: SearchPalette, demo_workspace: Workspace
) -> None:
    enterprise_id, name = _a_visited_enterprise(demo_workspace)
    _type(qtbot, palette, name)
    row = palette.model.hit_rows()[0]
    rect = palette.results_view.visualRect(palette.model.index(row, 0))
    with qtbot.waitSignal(palette.record_activated, timeout=WAIT) as opened:
        QTest.mouseClick(
            palette.results_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        )
    assert opened.args[1] == enterprise_id


def test_nothing_found_says_so(qtbot: QtBot, palette: SearchPalette) -> None:
    _type(qtbot, palette, "zzqqxx%'")
    assert palette.model.rowCount() == 0
    assert palette.message_label.text() == "没有找到“zzqqxx%'”"


def test_esc_closes(qtbot: QtBot, palette: SearchPalette) -> None:
    QTest.keyClick(palette.query_edit, Qt.Key.Key_Escape)
    assert not palette.isVisible()


def test_only_the_latest_query_is_shown(
    qtbot: QtBot, palette: SearchPalette, demo_workspace: Workspace
) -> None:
    _enterprise_id, name = _a_visited_enterprise(demo_workspace)
    palette.query_edit.setText("zzqqxx")
    palette.search_now()
    palette.query_edit.setText(name)
    with qtbot.waitSignal(palette.results_shown, timeout=WAIT):
        palette.search_now()
    qtbot.wait(200)  # the first answer arrives too, and is dropped
    assert name in [hit.title for hit in _hits(palette.model, SearchKind.ENTERPRISE)]


def test_the_results_model_is_a_well_behaved_model(
    qtbot: QtBot, qtmodeltester: object, palette: SearchPalette, demo_workspace: Workspace
) -> None:
    _enterprise_id, name = _a_visited_enterprise(demo_workspace)
    _type(qtbot, palette, name[:2])
    assert palette.model.rowCount() > 0
    qtmodeltester.check(palette.model)  # type: ignore[attr-defined]
    palette.grab()
