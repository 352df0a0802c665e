"""The import wizard on the small demo: choose a file, check the columns, preview, import,
see what was refused, export it, undo — driven through the real widgets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import desktop_fixtures
import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.database.tables import EnterpriseRow
from app.domain.uscc import make_uscc
from app.services.enterprise_import import EnterpriseImportService
from app.services.workspace import Workspace
from ui.importing.import_dialog import EnterpriseImportDialog, Step
from ui.importing.import_history_dialog import ImportHistoryDialog
from ui.importing.preview_model import PROBLEM_ROLE
from ui.task_runner import TaskRunner

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
WAIT = 20_000
pytestmark = desktop_fixtures.OFFSCREEN_NOISE
NEW_USCC = make_uscc("9", "1", "320506", "24681357")


def _existing(workspace: Workspace) -> tuple[str, str | None]:
    with workspace.database.read() as session:
        row = session.scalars(
            select(EnterpriseRow)
            .where(EnterpriseRow.deleted.is_(False), EnterpriseRow.uscc.is_not(None))
            .order_by(EnterpriseRow.name_key)
            .limit(1)
        ).one()
        return row.name, row.uscc


def _count(workspace: Workspace) -> int:
    with workspace.database.read() as session:
        query = select(func.count()).select_from(EnterpriseRow).where(~EnterpriseRow.deleted)
        return session.scalar(query) or 0


def current_step(dialog: EnterpriseImportDialog) -> Step:
    return dialog.step


@pytest.fixture
def sheet(tmp_path: Path, demo_workspace: Workspace) -> Path:
    name, uscc = _existing(demo_workspace)
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.append(["重点企业名单"])
    ws.append(["客户名称", "统一社会信用代码", "法定代表人", "备注"])
    ws.append(["苏州新锂能源科技有限公司", NEW_USCC, "张伟", "首批"])
    ws.append([name, uscc, "赵六", ""])
    ws.append(["坏码有限公司", NEW_USCC[:-1] + ("0" if NEW_USCC[-1] != "0" else "1"), "", ""])
    ws.merge_cells("A1:D1")
    path = tmp_path / "名单.xlsx"
    workbook.save(path)
    return path


@pytest.fixture
def dialog(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> Iterator[EnterpriseImportDialog]:
    widget = EnterpriseImportDialog(EnterpriseImportService(demo_workspace), runner)
    qtbot.addWidget(widget)
    widget.show()
    yield widget


def test_the_whole_wizard_imports_updates_reports_exports_and_undoes(
    qtbot: QtBot,
    dialog: EnterpriseImportDialog,
    demo_workspace: Workspace,
    sheet: Path,
    tmp_path: Path,
) -> None:
    before = _count(demo_workspace)
    dialog.choose_file = lambda _parent: sheet
    assert not dialog.next_button.isEnabled()  # no file yet
    with qtbot.waitSignal(dialog.preview_loaded, timeout=WAIT):
        dialog.choose_button.click()
    assert current_step(dialog) is Step.MAPPING
    # "客户名称" is not a known header: the user maps it to 企业名称 by hand
    assert not dialog.next_button.isEnabled()
    combo = dialog.mapping_editor.combo(0)
    assert combo.currentText() == "不导入"
    combo.setCurrentIndex(combo.findText("企业名称"))
    assert dialog.mapping_editor.combo(2).currentText() == "法定代表人"
    assert dialog.next_button.isEnabled()

    with qtbot.waitSignal(dialog.preview_loaded, timeout=WAIT):
        dialog.next_button.click()
    assert current_step(dialog) is Step.PREVIEW
    assert "可新增 1 家，已有企业 1 家，不能导入 1 行" in dialog.preview_page.summary.text()
    model = dialog.preview_page.model
    bad_uscc = model.index(2, 3)  # third row, the file's second column
    assert "校验码" in model.data(bad_uscc, PROBLEM_ROLE)
    assert model.data(bad_uscc, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(0, 3), Qt.ItemDataRole.BackgroundRole) is None
    dialog.preview_page.update_radio.click()
    assert dialog.next_button.text() == "导入"

    with qtbot.waitSignal(dialog.import_finished, timeout=WAIT) as finished:
        dialog.next_button.click()
    assert finished.args == [2]
    assert current_step(dialog) is Step.RESULT
    page = dialog.result_page
    assert "新增企业 1 家，更新已有企业 1 家" in page.summary.text()
    assert page.rejected_model.rowCount() == 1
    assert page.rejected_model.data(page.rejected_model.index(0, 1)) == "坏码有限公司"
    assert "校验码" in page.rejected_model.data(page.rejected_model.index(0, 2))
    assert _count(demo_workspace) == before + 1

    out = tmp_path / "未导入.xlsx"
    dialog.choose_rejected_file = lambda _parent, _suggested: out
    page.export_button.click()
    qtbot.waitUntil(lambda: "已导出" in page.message.text(), timeout=WAIT)
    exported = load_workbook(out).active
    assert exported is not None and exported["A2"].value == 5

    with qtbot.waitSignal(dialog.import_undone, timeout=WAIT):
        page.undo_button.click()
    assert "删除新建企业 1 家，恢复原有内容 1 家" in page.message.text()
    assert _count(demo_workspace) == before
    dialog.grab()


def test_a_file_that_cannot_be_read_says_why_and_stays_on_the_first_step(
    qtbot: QtBot, dialog: EnterpriseImportDialog, tmp_path: Path
) -> None:
    old = tmp_path / "名单.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with qtbot.waitSignal(dialog.failed, timeout=WAIT):
        dialog.load_file(old)
    assert current_step(dialog) is Step.FILE
    assert dialog.error.isVisible() and "另存为" in dialog.error.text()


def test_earlier_imports_can_be_undone_from_the_history(
    qtbot: QtBot,
    demo_workspace: Workspace,
    runner: TaskRunner,
    sheet: Path,
    chinese: None,
) -> None:
    service = EnterpriseImportService(demo_workspace)
    mapping = service.preview(sheet).mapping.with_field(0, "name")
    before = _count(demo_workspace)
    service.run(sheet, mapping)
    history = ImportHistoryDialog(service, runner)
    qtbot.addWidget(history)
    history.show()
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=WAIT)
    assert not history.undo_button.isEnabled()
    history.select_row(0)
    with qtbot.waitSignal(history.import_undone, timeout=WAIT):
        history.undo_button.click()
    qtbot.waitUntil(lambda: history.model.rowCount() == 0, timeout=WAIT)
    assert _count(demo_workspace) == before
