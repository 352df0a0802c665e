"""The enterprise library page: filter as you type, pinyin initials, dossier, sort, delete+undo."""

from __future__ import annotations

from collections.abc import Iterator

import desktop_fixtures
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.database.change_tracking import Actor
from app.database.tables import ConflictRow
from app.domain.names import pinyin_initials
from app.services.enterprises import EnterpriseService
from app.services.visits import VisitService
from app.services.workspace import Workspace
from ui.enterprises.dossier_sections import Section
from ui.enterprises.enterprise_list_model import Column
from ui.enterprises.enterprise_page import EnterprisePage
from ui.task_runner import TaskRunner

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
) -> Iterator[EnterprisePage]:
    widget = EnterprisePage(EnterpriseService(demo_workspace), runner)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    with qtbot.waitSignal(widget.list_loaded, timeout=WAIT):
        widget.refresh()
    yield widget


def _names(page: EnterprisePage) -> list[str]:
    return [page.model.row_at(row).name for row in range(page.model.rowCount())]


def _select(qtbot: QtBot, page: EnterprisePage, row: int) -> None:
    with qtbot.waitSignal(page.dossier_shown, timeout=WAIT):
        page.table.selectRow(row)


def test_lists_enterprises_with_their_count(page: EnterprisePage) -> None:
    assert page.model.rowCount() > 0
    assert any("公司" in name for name in _names(page))
    assert page.count_label.text() == f"共 {page.model.total:,} 家企业"


def test_typing_in_the_filter_narrows_the_list(qtbot: QtBot, page: EnterprisePage) -> None:
    total = page.model.total
    name = page.model.row_at(0).name
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        type_text(qtbot, page.filter_edit, name[:4])
    assert 0 < page.model.total < total
    assert all(name[:4] in found for found in _names(page))


def test_pinyin_initials_find_an_enterprise(qtbot: QtBot, page: EnterprisePage) -> None:
    target = page.model.row_at(min(5, page.model.rowCount() - 1)).name
    initials = pinyin_initials(target)[:4]
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        type_text(qtbot, page.filter_edit, initials)
    assert target in _names(page)
    assert page.model.total < 50


def test_hwjs_finds_huawei_jishu(
    qtbot: QtBot, page: EnterprisePage, demo_workspace: Workspace
) -> None:
    EnterpriseService(demo_workspace).create({"name": "华为技术有限公司"})
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        type_text(qtbot, page.filter_edit, "hwjs")
    assert "华为技术有限公司" in _names(page)


def test_escape_clears_the_filter(qtbot: QtBot, page: EnterprisePage) -> None:
    total = page.model.total
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        type_text(qtbot, page.filter_edit, "zzzzqqq")
    assert page.model.total == 0
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        QTest.keyClick(page.filter_edit, Qt.Key.Key_Escape)
    assert page.model.total == total


def test_selecting_a_row_shows_its_dossier_with_its_visits(
    qtbot: QtBot, page: EnterprisePage, demo_workspace: Workspace
) -> None:
    visited = VisitService(demo_workspace).page(limit=1).rows[0]
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        type_text(qtbot, page.filter_edit, visited.enterprise_name)
    row = _names(page).index(visited.enterprise_name)
    _select(qtbot, page, row)
    dossier = page.dossier_view
    assert dossier.title_text == visited.enterprise_name
    visits = dossier.section_model(Section.VISITS)
    assert visits.rowCount() >= 1
    assert visited.id in {visits.row_at(n).id for n in range(visits.rowCount())}
    assert dossier.essentials().value("capital").endswith("元")
    dossier.grab()


def test_delete_then_undo_restores_the_row(qtbot: QtBot, page: EnterprisePage) -> None:
    _select(qtbot, page, 0)
    victim = page.model.row_at(0)
    total = page.model.total
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        page.dossier_view.request_delete()
    assert victim.name not in _names(page)
    assert page.model.total == total - 1
    assert page.message_bar.isVisible()
    assert victim.name in page.message_bar.text
    page.message_bar.click_undo()
    qtbot.waitUntil(
        lambda: page.model.total == total and page.dossier_view.title_text == victim.name,
        timeout=WAIT,
    )
    assert page.model.row_at(0).id == victim.id
    assert page.table.selectionModel().isRowSelected(0)


def test_delete_key_in_the_table_deletes_the_selected_enterprise(
    qtbot: QtBot, page: EnterprisePage
) -> None:
    _select(qtbot, page, 1)
    victim = page.model.row_at(1)
    page.table.setFocus()
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        QTest.keyClick(page.table, Qt.Key.Key_Delete)
    assert victim.name not in _names(page)


def _click_header(qtbot: QtBot, page: EnterprisePage, column: Column) -> None:
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, 5)
    )


def test_clicking_a_header_sorts_in_the_database(qtbot: QtBot, page: EnterprisePage) -> None:
    first = page.model.row_at(0).id
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        _click_header(qtbot, page, Column.NAME)  # already by name: now descending
    assert page.model.descending
    assert page.model.row_at(0).id != first
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        _click_header(qtbot, page, Column.USCC)
    assert page.model.sort_column is Column.USCC
    codes = [page.model.row_at(n).uscc for n in range(page.model.rowCount())]
    present = [code for code in codes if code]
    assert present == sorted(present)


def test_unsortable_column_keeps_the_real_order_shown(qtbot: QtBot, page: EnterprisePage) -> None:
    _click_header(qtbot, page, Column.TAGS)
    qtbot.wait(50)
    assert page.table.horizontalHeader().sortIndicatorSection() == Column.NAME
    assert page.model.sort_column is Column.NAME


def test_show_enterprise_opens_a_dossier_by_id(qtbot: QtBot, page: EnterprisePage) -> None:
    wanted = page.model.row_at(3)
    with qtbot.waitSignal(page.dossier_shown, timeout=WAIT):
        page.show_enterprise(wanted.id)
    assert page.dossier_view.title_text == wanted.name
    assert page.table.selectionModel().isRowSelected(3)


def test_a_dossier_with_an_open_sync_conflict_says_so(
    qtbot: QtBot, page: EnterprisePage, demo_workspace: Workspace
) -> None:
    conflicted, clean = page.model.row_at(2), page.model.row_at(4)
    with demo_workspace.database.write(Actor(None, source="sync", record_changes=False)) as s:
        s.add(
            ConflictRow(
                table_name="enterprises",
                row_id=conflicted.id,
                field="headquarters",
                server_value="兰州",
                client_value="天水",
            )
        )
    with qtbot.waitSignal(page.dossier_shown, timeout=WAIT):
        page.show_enterprise(conflicted.id)
    assert "1 处同步冲突" in page.dossier_view.conflict_notice()
    with qtbot.waitSignal(page.dossier_shown, timeout=WAIT):
        page.show_enterprise(clean.id)
    assert page.dossier_view.conflict_notice() == ""
