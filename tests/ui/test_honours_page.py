"""The 荣誉名录 page on the small demo: create a list through the dialog, import a sheet through
the file dialog and read the counts, open a matched enterprise, delete with a confirmation that
names the entry count, re-match, and a plain member's read-only view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.tables import EnterpriseRow, LocalSetting, MemberRow
from app.services.enterprises import EnterpriseService
from app.services.honour_directories import HonourDirectoryService
from app.services.honour_directory_views import EntryDraft
from app.services.workspace import CURRENT_MEMBER, Workspace
from ui.honours.honour_dialogs import DirectoryDialog
from ui.honours.honours_page import HonoursPage
from ui.honours.import_result_dialog import ImportResultDialog
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
) -> Iterator[HonoursPage]:
    widget = HonoursPage(HonourDirectoryService(demo_workspace), runner)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    with qtbot.waitSignal(widget.entries_loaded, timeout=WAIT):
        widget.refresh()
    yield widget


def _create_directory(qtbot: QtBot, page: HonoursPage) -> str:
    page.new_action.trigger()
    dialog = page.dialog
    assert isinstance(dialog, DirectoryDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("gazelle"))
    dialog.year.setValue(2024)
    dialog.batch.setFocus()
    type_text(qtbot, dialog.batch, "第三批")
    assert dialog.title.text() == "2024年瞪羚企业名单（第三批）"  # suggested as typed
    with qtbot.waitSignal(page.entries_loaded, timeout=WAIT):
        QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    selected = page.selected_directory()
    assert selected is not None and selected.title == "2024年瞪羚企业名单（第三批）"
    return selected.id


def _known_enterprise(workspace: Workspace) -> tuple[str, str, str]:
    with workspace.database.read() as s:
        row = s.scalars(
            select(EnterpriseRow)
            .where(EnterpriseRow.uscc.is_not(None), EnterpriseRow.deleted.is_(False))
            .order_by(EnterpriseRow.name)
            .limit(1)
        ).one()
        assert row.uscc is not None
        return row.id, row.name, row.uscc


def test_create_a_list_then_import_a_sheet_and_see_the_counts(
    qtbot: QtBot, page: HonoursPage, demo_workspace: Workspace, tmp_path: Path
) -> None:
    lists_before = page.directory_model.rowCount()
    _create_directory(qtbot, page)
    assert page.directory_model.rowCount() == lists_before + 1
    assert page.entries.count.text() == "名录中还没有企业：导入名单或添加企业"

    enterprise_id, name, uscc = _known_enterprise(demo_workspace)
    sheet = tmp_path / "瞪羚.csv"
    sheet.write_text(
        "排名,企业名称,统一社会信用代码\n"
        f"１,{name},{uscc}\n"
        "2,名录上有但库里没有的企业有限公司,\n"
        f"3,代码写错的企业有限公司,{uscc[:-1]}{'1' if uscc[-1] != '1' else '2'}\n",
        encoding="utf-8-sig",
    )
    page.import_action.trigger()
    file_dialog = page.file_dialog
    assert isinstance(file_dialog, QFileDialog)
    with qtbot.waitSignal(page.entries_loaded, timeout=WAIT):
        file_dialog.fileSelected.emit(str(sheet))

    result = page.result_dialog
    assert isinstance(result, ImportResultDialog)
    assert "导入 2 家企业，其中 1 家匹配到企业档案" in result.summary.text()
    (rejected,) = result.rejected_rows()
    assert rejected.row_number == 4 and "校验码" in rejected.reason
    directory = page.selected_directory()
    assert directory is not None
    assert (directory.entry_count, directory.matched_count) == (2, 1)
    assert "共 2 家，已匹配 1 家，未匹配 1 家" in page.entries.detail.text()
    texts = [
        page.entries.proxy.index(row, 3).data() for row in range(page.entries.proxy.rowCount())
    ]
    assert texts == [name, "未匹配"]

    # The matched row opens the enterprise, by double-click and by Enter.
    table = page.entries.table
    first = page.entries.proxy.index(0, 1)
    table.setFocus()
    table.setCurrentIndex(first)
    with qtbot.waitSignal(page.enterprise_activated, timeout=WAIT) as opened:
        QTest.keyClick(table.viewport(), Qt.Key.Key_Return)
    assert opened.args == [enterprise_id]
    centre = table.visualRect(first).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    with qtbot.waitSignal(page.enterprise_activated, timeout=WAIT) as opened:
        QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened.args == [enterprise_id]


def test_filter_keeps_the_unmatched_entries(qtbot: QtBot, page: HonoursPage) -> None:
    total = page.entries.model.rowCount()
    unmatched = sum(1 for row in page.entries.model.rows() if row.enterprise_id is None)
    assert total > unmatched >= 1  # the demo's lists carry one entry that matches no dossier

    page.entries.filter_edit.setFocus()
    type_text(qtbot, page.entries.filter_edit, "未匹配")
    QTest.keyClick(page.entries.filter_edit, Qt.Key.Key_Return)

    assert page.entries.proxy.rowCount() == unmatched
    assert page.entries.count.text() == f"显示 {unmatched} / 共 {total} 家"


def test_delete_asks_naming_the_entry_count(qtbot: QtBot, page: HonoursPage) -> None:
    directory = page.selected_directory()
    assert directory is not None and directory.entry_count > 0
    page.delete_action.trigger()
    box = page.confirm_box
    assert box is not None
    assert f"其中 {directory.entry_count} 家企业的条目会一并删除" in box.informativeText()
    assert page.delete_button is not None

    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        QTest.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)

    assert page.directory_model.row_of(directory.id) is None
    assert f"已删除名录“{directory.title}”" in page.message.text()


def test_rematch_reports_how_many_were_newly_matched(
    qtbot: QtBot, page: HonoursPage, demo_workspace: Workspace
) -> None:
    directory = page.selected_directory()
    assert directory is not None
    service = HonourDirectoryService(demo_workspace)
    service.add_entry(directory.id, EntryDraft("后来才建档的企业有限公司"))
    EnterpriseService(demo_workspace).create({"name": "后来才建档的企业有限公司"})

    with qtbot.waitSignal(page.entries_loaded, timeout=WAIT):
        page.rematch_action.trigger()

    assert "新匹配 1 家企业" in page.message.text()
    names = [row.enterprise_name for row in page.entries.model.rows()]
    assert "后来才建档的企业有限公司" in names


def test_a_plain_member_sees_the_lists_read_only(
    qtbot: QtBot, page: HonoursPage, demo_workspace: Workspace
) -> None:
    assert page.editable and page.new_action.isEnabled() and page.notice.isHidden()
    with demo_workspace.database.write(Actor(None, source="import")) as s:
        member = s.scalars(select(MemberRow).where(MemberRow.role == "member").limit(1)).one()
        setting = s.get(LocalSetting, CURRENT_MEMBER)
        assert setting is not None
        setting.value = member.id
        member_name = member.name

    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        page.refresh()

    assert not page.editable
    assert page.notice.isVisible()
    assert member_name in page.notice.text() and "队长或管理员" in page.notice.text()
    for action in (page.new_action, page.edit_action, page.delete_action, page.import_action,
                   page.add_entry_action, page.remove_action, page.rematch_action):  # fmt: skip
        assert not action.isEnabled()
    page.new_action.trigger()
    assert page.dialog is None  # nothing to edit with
    assert page.entries.model.rowCount() > 0  # reading still works
