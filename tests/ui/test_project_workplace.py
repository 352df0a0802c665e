"""The project workplace on the small demo, used like a user: create a project, be refused a
signing without its agreement, upload the agreement from the refusal, sign, record funds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.database.tables import EnterpriseRow, MemberRow, ProjectRow
from app.domain.vocabulary import AttachmentKind, ProjectStage
from app.services.workspace import Workspace
from ui.projects.funding_dialog import FundingDialog
from ui.projects.project_editor_dialog import ProjectEditorDialog
from ui.projects.project_services import ProjectServices
from ui.projects.projects_page import ProjectsPage
from ui.projects.stage_move_dialog import StageMoveDialog
from ui.task_runner import TaskRunner

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
type_text = desktop_fixtures.type_text
WAIT = 10_000
# The offscreen platform says these when windows and the enterprise picker's list open.
pytestmark = pytest.mark.qt_log_ignore(
    *desktop_fixtures.OFFSCREEN_NOISE.args,
    r"This plugin does not support raise\(\)",
    "This plugin does not support grabbing the keyboard",
)


@pytest.fixture
def page(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> ProjectsPage:
    projects = ProjectsPage(ProjectServices.for_workspace(demo_workspace), runner)
    qtbot.addWidget(projects)
    projects.resize(1400, 800)
    projects.show()
    with qtbot.waitSignal(projects.list_loaded, timeout=WAIT):
        projects.refresh()
    return projects


def _opened(qtbot: QtBot, page: ProjectsPage, button: QWidget) -> Any:
    with qtbot.waitSignal(page.dialog_opened, timeout=WAIT) as blocker:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = blocker.args[0]
    qtbot.addWidget(dialog)
    return dialog


def _enterprise(workspace: Workspace) -> tuple[str, str]:
    """A demo enterprise whose pinyin initials are unique, to pick it by typing them."""
    with workspace.database.read() as s:
        rows = s.execute(select(EnterpriseRow.name, EnterpriseRow.name_initials)).all()
    counts: dict[str, int] = {}
    for _name, initials in rows:
        counts[initials] = counts.get(initials, 0) + 1
    return next((name, initials) for name, initials in rows if counts[initials] == 1)


def _me(workspace: Workspace) -> str:
    member_id = workspace.current_member_id()
    with workspace.database.read() as s:
        member = s.get(MemberRow, member_id)
        assert member is not None
        return member.name


def test_create_sign_with_evidence_and_record_funding(
    qtbot: QtBot, page: ProjectsPage, demo_workspace: Workspace, tmp_path: Path
) -> None:
    enterprise, initials = _enterprise(demo_workspace)

    # 新建项目: a phase-1 amount above the contract amount is refused, naming the field.
    editor: ProjectEditorDialog = _opened(qtbot, page, page.new_button)
    qtbot.waitUntil(editor.save_button.isEnabled, timeout=WAIT)
    editor.name_edit.setFocus()
    type_text(qtbot, editor.name_edit, "新型储能电池项目")
    editor.enterprise.setFocus()
    QTest.keyClicks(editor.enterprise, initials)
    qtbot.waitUntil(editor.enterprise.popup_visible, timeout=WAIT)
    QTest.keyClick(editor.enterprise, Qt.Key.Key_Return)
    assert editor.enterprise.text() == enterprise
    editor.stage_combo.setCurrentIndex(editor.stage_combo.findData(ProjectStage.NEGOTIATING))
    QTest.keyClicks(editor.contract_edit, "5000")
    QTest.keyClicks(editor.phase1_edit, "9000")
    QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(editor.error_label.isVisible, timeout=WAIT)
    assert "一期投资" in editor.error_label.text() and editor.isVisible()
    assert QApplication.focusWidget() is editor.phase1_edit
    editor.phase1_edit.clear()
    QTest.keyClicks(editor.phase1_edit, "2000")
    with qtbot.waitSignal(page.history_shown, timeout=WAIT):
        QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    panel = page.panel
    assert "新型储能电池项目" in panel.title_label.text()
    assert panel.stage_label.text() == "在谈"
    selected = page.selected_project()
    assert selected is not None and selected.name == "新型储能电池项目"
    assert panel.overview.form.value("contract") == "5000万元"
    assert panel.overview.form.value("responsible") == _me(demo_workspace)

    # 推进阶段 to 签约 without a 协议: refused in the dialog, naming what is missing.
    panel.tabs.setCurrentWidget(panel.stage_tab)
    mover: StageMoveDialog = _opened(qtbot, page, panel.stage_tab.move_button)
    mover.target_combo.setCurrentIndex(mover.target_combo.findData(ProjectStage.SIGNED))
    QTest.mouseClick(mover.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: AttachmentKind.AGREEMENT in mover.upload_buttons, timeout=WAIT)
    assert "协议" in mover.error_label.text() and "签约" in mover.error_label.text()
    assert page.history_model.rowCount() == 1

    # 上传 协议 from the refusal, then the same 确定 goes through.
    agreement = tmp_path / "投资协议.pdf"
    agreement.write_bytes(b"%PDF-1.4 signed agreement")
    mover.choose_file = lambda _parent, _title: agreement
    with qtbot.waitSignals([mover.evidence_added, page.history_shown], timeout=WAIT):
        QTest.mouseClick(mover.upload_buttons[AttachmentKind.AGREEMENT], Qt.MouseButton.LeftButton)
    assert "证据已上传" in mover.error_label.text()
    with qtbot.waitSignal(page.history_shown, timeout=WAIT):
        QTest.mouseClick(mover.save_button, Qt.MouseButton.LeftButton)
    assert not mover.isVisible()
    history = page.history_model
    last = history.rowCount() - 1
    assert history.index(last, 1).data() == "在谈 → 签约"
    assert history.index(last, 2).data() == _me(demo_workspace)
    assert panel.stage_label.text() == "签约"
    evidence = panel.evidence_tab.model
    signed_rows = [evidence.row_at(n) for n in range(evidence.rowCount())]
    assert any(r.kind == "协议" and r.status.startswith("✔") for r in signed_rows)

    # The 协议 opens from the 证据 tab: a copy under its own name, with the same bytes.
    panel.tabs.setCurrentWidget(panel.evidence_tab)
    opened: list[QUrl] = []
    panel.evidence_tab.open_url = opened.append
    row = next(n for n, r in enumerate(signed_rows) if r.kind == "协议")
    panel.evidence_tab.table.activated.emit(evidence.index(row, 0))
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT)
    copy = Path(opened[0].toLocalFile())
    assert copy.name == "投资协议.pdf" and copy.read_bytes() == b"%PDF-1.4 signed agreement"

    # 到资: an entry of 1200 万元 moves the total and the rate.
    panel.tabs.setCurrentWidget(panel.funding_tab)
    funding: FundingDialog = _opened(qtbot, page, panel.funding_tab.add_button)
    QTest.keyClicks(funding.amount_edit, "1200")
    with qtbot.waitSignal(page.history_shown, timeout=WAIT):
        QTest.mouseClick(funding.save_button, Qt.MouseButton.LeftButton)
    total = panel.funding_tab.total_label.text()
    assert "1200万元" in total and "24.0%" in total
    assert panel.funding_tab.model.rowCount() == 1

    # 删除 with 撤销.
    tab = panel.funding_tab
    tab.table.selectRow(0)
    with qtbot.waitSignal(page.history_shown, timeout=WAIT):
        QTest.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert tab.model.rowCount() == 0 and "1200万元" in tab.undo_bar.text
    with qtbot.waitSignal(page.history_shown, timeout=WAIT):
        tab.undo_bar.click_undo()
    assert tab.model.rowCount() == 1 and "1200万元" in tab.total_label.text()
    with demo_workspace.database.read() as s:
        project = s.scalars(select(ProjectRow).where(ProjectRow.name == "新型储能电池项目")).one()
        assert project.stage == "signed" and project.signed_on is not None


def test_every_tab_paints_for_a_demo_project(qtbot: QtBot, page: ProjectsPage) -> None:
    proxy = page.proxy
    wanted = next(
        n for n in range(proxy.rowCount()) if proxy.index(n, 2).data() in ("开工", "注册")
    )
    with qtbot.waitSignal(page.history_shown, timeout=WAIT):
        page.table.selectRow(wanted)
    panel = page.panel
    assert panel.overview.form.value("enterprise") != "—"
    assert panel.stage_tab.history_model.rowCount() > 0
    assert panel.evidence_tab.model.rowCount() >= 5
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        assert not page.grab().isNull()
    with qtbot.waitSignal(page.history_requested, timeout=WAIT) as blocker:
        QTest.mouseClick(panel.history_button, Qt.MouseButton.LeftButton)
    selected = page.selected_project()
    assert selected is not None and blocker.args == ["projects", selected.id]


def test_edit_hand_over_and_add_a_responsibility(
    qtbot: QtBot, page: ProjectsPage, demo_workspace: Workspace
) -> None:
    proxy = page.proxy
    wanted = next(n for n in range(proxy.rowCount()) if proxy.index(n, 2).data() == "签约")
    with qtbot.waitSignal(page.history_shown, timeout=WAIT):
        page.table.selectRow(wanted)
    panel = page.panel
    before = panel.overview.form.value("responsible")

    # F2 on the list opens the editor on the selected project.
    page.table.setFocus()
    with qtbot.waitSignal(page.dialog_opened, timeout=WAIT) as blocker:
        QTest.keyClick(page.table, Qt.Key.Key_F2)
    editor: ProjectEditorDialog = blocker.args[0]
    qtbot.addWidget(editor)
    qtbot.waitUntil(editor.save_button.isEnabled, timeout=WAIT)
    editor.site_edit.clear()
    type_text(qtbot, editor.site_edit, "经开区二期")
    with qtbot.waitSignal(page.history_shown, timeout=WAIT):
        QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert panel.overview.form.value("site") == "经开区二期"

    # 更换包抓责任人: the new cadre shows, and the line of cadres names who made the change.
    handover: Any = _opened(qtbot, page, panel.responsible_button)
    qtbot.waitUntil(lambda: handover.member_combo.count() > 0, timeout=WAIT)
    new_name = handover.member_combo.currentText().split("（")[0]
    type_text(qtbot, handover.note_edit, "原责任人调任")
    with qtbot.waitSignal(page.history_shown, timeout=WAIT):
        QTest.mouseClick(handover.save_button, Qt.MouseButton.LeftButton)
    assert panel.overview.form.value("responsible") == new_name != before
    spells = panel.overview.responsible_model
    last = spells.rowCount() - 1
    assert spells.index(last, 0).data() == new_name
    assert spells.index(last, 2).data() == "至今"
    assert spells.index(last, 3).data() == _me(demo_workspace)

    # 责任清单: a line with its 责任, 人员, 措施 and 时限.
    panel.tabs.setCurrentWidget(panel.tasks_tab)
    line: Any = _opened(qtbot, page, panel.tasks_tab.add_button)
    qtbot.waitUntil(line.save_button.isEnabled, timeout=WAIT)
    type_text(qtbot, line.title_edit, "协调办理施工许可")
    type_text(qtbot, line.measure_edit, "对接住建局容缺受理")
    with qtbot.waitSignal(page.history_shown, timeout=WAIT):
        QTest.mouseClick(line.save_button, Qt.MouseButton.LeftButton)
    tasks = panel.tasks_tab.model
    titles = [tasks.index(n, 0).data() for n in range(tasks.rowCount())]
    row = titles.index("协调办理施工许可")
    assert tasks.index(row, 2).data() == "对接住建局容缺受理"
    assert tasks.index(row, 4).data() == "待办"
    assert any("交接" in title for title in titles)
