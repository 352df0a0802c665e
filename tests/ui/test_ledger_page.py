"""承诺与诉求 on the small demo, driven as a bureau user would: add a commitment through its dialog,
mark one honoured, withdraw one with a reason, raise and resolve a problem, delete with 撤销."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.database.tables import CommitmentRow, EnterpriseRow, ProblemRow
from app.services.commitment_ledger import CommitmentLedgerService
from app.services.commitment_ledger_views import LedgerEntry, LedgerStatus
from app.services.follow_up_ledgers import LedgerScope
from app.services.problem_views import ProblemEntry, ProblemState
from app.services.problems import ProblemService
from app.services.workspace import Workspace
from ui.formatting import format_date, warning_brush
from ui.ledger.closing_dialog import ClosingDialog
from ui.ledger.commitment_dialog import CommitmentDialog
from ui.ledger.entry_table_model import OVERDUE_ROLE
from ui.ledger.ledger_columns import CommitmentColumn, ProblemColumn
from ui.ledger.ledger_page import LedgerPage
from ui.ledger.ledger_tab import LedgerTab
from ui.ledger.problem_dialog import ProblemDialog
from ui.task_runner import TaskRunner

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
type_text = desktop_fixtures.type_text
WAIT = 10_000
CTRL = Qt.KeyboardModifier.ControlModifier
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
)


@pytest.fixture
def page(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> Iterator[LedgerPage]:
    widget = LedgerPage(
        CommitmentLedgerService(demo_workspace), ProblemService(demo_workspace), runner
    )
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    with qtbot.waitSignals(
        [widget.commitments.list_loaded, widget.problems.list_loaded], timeout=WAIT
    ):
        widget.refresh()
    widget.activateWindow()
    yield widget


def _rows(tab: LedgerTab) -> list[object]:
    return [tab.model.row_at(n) for n in range(tab.model.rowCount())]


def _focus(qtbot: QtBot, tab: LedgerTab) -> None:
    tab.window().activateWindow()
    tab.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.table, timeout=WAIT)


def _choose(qtbot: QtBot, tab: LedgerTab, record_id: str) -> None:
    assert tab.select_id(record_id)
    _focus(qtbot, tab)


def _show_everything(qtbot: QtBot, tab: LedgerTab) -> None:
    with qtbot.waitSignal(tab.list_loaded, timeout=WAIT):
        tab.scope_combo.setCurrentIndex(tab.scope_combo.findData(LedgerScope.ALL.value))


def _dialog(qtbot: QtBot, tab: LedgerTab) -> QWidget:
    qtbot.waitUntil(
        lambda: tab.dialog is not None and tab.dialog.isVisible() and tab.dialog.isEnabled(),
        timeout=WAIT,
    )
    assert tab.dialog is not None
    return tab.dialog


def _pick_enterprise(qtbot: QtBot, dialog: CommitmentDialog | ProblemDialog, initials: str) -> None:
    """Type pinyin initials into the enterprise field and take the first offer with Enter."""
    picker = dialog.enterprise_picker
    picker.setFocus()
    QTest.keyClicks(picker, initials)
    qtbot.waitUntil(picker.popup_visible, timeout=WAIT)
    with qtbot.waitSignal(dialog.places.projects_loaded, timeout=WAIT):
        popup = QApplication.activePopupWidget()
        QTest.keyClick(popup if popup is not None else picker, Qt.Key.Key_Return)


def _target(workspace: Workspace) -> tuple[str, str, str]:
    """An enterprise (id, name, initials) whose initials are its own and that has projects."""
    with workspace.database.read() as session:
        unique = (
            select(EnterpriseRow.name_initials)
            .group_by(EnterpriseRow.name_initials)
            .having(func.count() == 1)
        )
        row = session.execute(
            select(EnterpriseRow.id, EnterpriseRow.name, EnterpriseRow.name_initials)
            .join(CommitmentRow, CommitmentRow.enterprise_id == EnterpriseRow.id)
            .where(EnterpriseRow.name_initials.in_(unique), CommitmentRow.project_id.is_not(None))
            .order_by(EnterpriseRow.name)
            .limit(1)
        ).one()
    return row[0], row[1], row[2]


def test_overdue_rows_are_marked_and_the_summary_states_the_rate(
    qtbot: QtBot, page: LedgerPage
) -> None:
    tab = page.commitments
    rows = [row for row in _rows(tab) if isinstance(row, LedgerEntry)]
    overdue = [row for row in rows if row.overdue]
    assert overdue, "the demo has overdue commitments in my squad"
    number = tab.model.row_of(overdue[0].id)
    assert number is not None
    status = tab.model.index(number, CommitmentColumn.STATUS)
    assert status.data() == f"已逾期 {overdue[0].overdue_days} 天"
    assert status.data(Qt.ItemDataRole.ForegroundRole) == warning_brush()
    assert tab.model.index(number, CommitmentColumn.CONTENT).data(OVERDUE_ROLE) is True
    assert f"其中已逾期 {len(overdue)}" in tab.summary_label.text()
    assert "兑现率" in tab.summary_label.text()
    assert tab.definition_label.text().startswith("兑现率 = 已兑现 ÷")
    assert tab.summary_label.toolTip() == tab.definition_label.text()
    assert page.tabs.tabText(0) == "政策兑现台账" and page.tabs.tabText(1) == "企业诉求"
    page.grab()


def test_add_a_commitment_through_the_dialog(
    qtbot: QtBot, page: LedgerPage, demo_workspace: Workspace
) -> None:
    tab = page.commitments
    _show_everything(qtbot, tab)
    before = tab.count_label.text()
    enterprise_id, name, initials = _target(demo_workspace)
    _focus(qtbot, tab)
    QTest.keyClick(tab.table, Qt.Key.Key_N)
    dialog = _dialog(qtbot, tab)
    assert isinstance(dialog, CommitmentDialog)
    assert dialog.windowTitle() == "新增承诺"

    # Saving with nothing typed names the enterprise field, under it.
    QTest.keyClick(dialog.content_edit, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: dialog.errors.messages.get("enterprise_id", "") != "", timeout=WAIT)
    assert dialog.errors.messages["enterprise_id"] == "请选择企业"
    assert dialog.isVisible()

    _pick_enterprise(qtbot, dialog, initials)
    assert dialog.enterprise_picker.text() == name
    assert dialog.project_combo.count() >= 2  # 不关联项目 + the enterprise's projects
    dialog.project_combo.setCurrentIndex(1)
    project_name = dialog.project_combo.currentText()
    dialog.content_edit.setFocus()
    type_text(qtbot, dialog.content_edit, "协调 80 亩工业用地指标")
    with qtbot.waitSignals([dialog.saved, tab.list_loaded], timeout=WAIT):
        QTest.keyClick(dialog.content_edit, Qt.Key.Key_S, CTRL)
    assert not dialog.isVisible()

    entry = tab.selected()
    assert isinstance(entry, LedgerEntry)
    assert (entry.content, entry.enterprise_id, entry.project_name) == (
        "协调 80 亩工业用地指标",
        enterprise_id,
        project_name,
    )
    assert (entry.state, entry.source) == (LedgerStatus.PENDING, "直接录入")
    shown = tab.model.row_of(entry.id)
    assert shown is not None
    assert tab.model.index(shown, CommitmentColumn.SOURCE).data() == "直接录入"
    assert tab.model.index(shown, CommitmentColumn.DUE).data() == format_date(
        dt.date.today() + dt.timedelta(days=30)
    )
    assert tab.count_label.text() != before
    assert tab.message == "已新增承诺"


def test_mark_an_overdue_commitment_honoured(
    qtbot: QtBot, page: LedgerPage, demo_workspace: Workspace
) -> None:
    tab = page.commitments
    overdue = next(r for r in _rows(tab) if isinstance(r, LedgerEntry) and r.overdue)
    summary = tab.summary_label.text()
    _choose(qtbot, tab, overdue.id)
    QTest.keyClick(tab.table, Qt.Key.Key_D, CTRL)
    dialog = _dialog(qtbot, tab)
    assert isinstance(dialog, ClosingDialog)
    assert dialog.windowTitle() == "标记兑现"
    with qtbot.waitSignal(tab.list_loaded, timeout=WAIT):
        QTest.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    with demo_workspace.database.read() as session:
        row = session.get_one(CommitmentRow, overdue.id)
    assert (row.status, row.honoured_on) == ("honoured", dt.date.today())
    number = tab.model.row_of(overdue.id)
    assert number is not None
    assert tab.model.index(number, CommitmentColumn.STATUS).data() == "已兑现"
    assert tab.model.index(number, CommitmentColumn.HONOURED_ON).data() == format_date(
        dt.date.today()
    )
    assert tab.summary_label.text() != summary  # one fewer overdue, one more honoured
    assert tab.message.startswith("已标记兑现")


def test_withdraw_asks_for_the_reason(
    qtbot: QtBot, page: LedgerPage, demo_workspace: Workspace
) -> None:
    tab = page.commitments
    pending = next(
        r for r in _rows(tab) if isinstance(r, LedgerEntry) and r.state is LedgerStatus.PENDING
    )
    _choose(qtbot, tab, pending.id)
    QTest.keyClick(tab.table, Qt.Key.Key_Delete)
    dialog = _dialog(qtbot, tab)
    assert isinstance(dialog, ClosingDialog)
    QTest.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.errors.messages.get("withdrawn_reason") is not None, timeout=WAIT
    )
    assert dialog.errors.messages["withdrawn_reason"] == "请说明撤回原因"
    assert dialog.isVisible()
    type_text(qtbot, dialog.text_edit, "企业调整投资计划")
    with qtbot.waitSignal(tab.list_loaded, timeout=WAIT):
        QTest.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    number = tab.model.row_of(pending.id)
    assert number is not None  # withdrawn, still in the ledger
    assert tab.model.index(number, CommitmentColumn.STATUS).data() == "已撤回"
    assert tab.model.index(number, CommitmentColumn.REASON).data() == "企业调整投资计划"
    with demo_workspace.database.read() as session:
        assert session.get_one(CommitmentRow, pending.id).status == "withdrawn"
    # 重新打开 brings it back
    _choose(qtbot, tab, pending.id)
    with qtbot.waitSignal(tab.list_loaded, timeout=WAIT):
        QTest.keyClick(tab.table, Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert tab.model.index(tab.model.row_of(pending.id) or 0, CommitmentColumn.STATUS).data() in (
        "待兑现",
        f"已逾期 {pending.overdue_days} 天",
    )


def test_open_enterprise_history_and_edit_by_double_click(qtbot: QtBot, page: LedgerPage) -> None:
    tab = page.commitments
    entry = next(r for r in _rows(tab) if isinstance(r, LedgerEntry))
    _choose(qtbot, tab, entry.id)
    with qtbot.waitSignal(page.enterprise_activated, timeout=WAIT) as opened:
        QTest.keyClick(tab.table, Qt.Key.Key_Return)
    assert opened.args == [entry.enterprise_id]
    with qtbot.waitSignal(page.history_requested, timeout=WAIT) as history:
        QTest.keyClick(tab.table, Qt.Key.Key_H, CTRL)
    assert history.args == ["commitments", entry.id]
    number = tab.model.row_of(entry.id)
    assert number is not None
    index = tab.proxy.mapFromSource(tab.model.index(number, CommitmentColumn.CONTENT))
    tab.table.scrollTo(index)
    centre = tab.table.visualRect(index).center()
    QTest.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    QTest.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    dialog = _dialog(qtbot, tab)
    assert isinstance(dialog, CommitmentDialog)
    assert dialog.windowTitle() == "编辑承诺"
    assert dialog.content_edit.toPlainText() == entry.content
    if entry.negotiation_note_id is not None:
        assert not dialog.enterprise_picker.isEnabled()  # the round's enterprise stays
    dialog.content_edit.selectAll()
    type_text(qtbot, dialog.content_edit, "协调用地指标（首期）")
    with qtbot.waitSignal(tab.list_loaded, timeout=WAIT):
        QTest.keyClick(dialog.content_edit, Qt.Key.Key_S, CTRL)
    number = tab.model.row_of(entry.id)
    assert number is not None
    assert tab.model.index(number, CommitmentColumn.CONTENT).data() == "协调用地指标（首期）"


def test_raise_and_resolve_a_problem(
    qtbot: QtBot, page: LedgerPage, demo_workspace: Workspace
) -> None:
    tab = page.problems
    page.show_problems()
    _show_everything(qtbot, tab)
    open_before = sum(
        1
        for r in _rows(tab)
        if isinstance(r, ProblemEntry) and r.state is not ProblemState.RESOLVED
    )
    assert f"办理中 {open_before}" in tab.summary_label.text()
    _enterprise_id, name, initials = _target(demo_workspace)
    _focus(qtbot, tab)
    QTest.keyClick(tab.table, Qt.Key.Key_N)
    dialog = _dialog(qtbot, tab)
    assert isinstance(dialog, ProblemDialog)
    _pick_enterprise(qtbot, dialog, initials)
    dialog.title_edit.setFocus()
    type_text(qtbot, dialog.title_edit, "施工用电增容")
    dialog.deadline_edit.none_check.setChecked(True)  # 无期限
    with qtbot.waitSignal(tab.list_loaded, timeout=WAIT):
        QTest.keyClick(dialog.title_edit, Qt.Key.Key_S, CTRL)
    raised = tab.selected()
    assert isinstance(raised, ProblemEntry)
    assert (raised.title, raised.enterprise_name, raised.deadline) == ("施工用电增容", name, None)
    number = tab.model.row_of(raised.id)
    assert number is not None
    assert tab.model.index(number, ProblemColumn.DEADLINE).data() == "无期限"
    assert tab.model.index(number, ProblemColumn.STATUS).data() == "办理中"
    assert f"办理中 {open_before + 1}" in tab.summary_label.text()

    _choose(qtbot, tab, raised.id)
    QTest.keyClick(tab.table, Qt.Key.Key_D, CTRL)
    closing = _dialog(qtbot, tab)
    assert isinstance(closing, ClosingDialog)
    QTest.mouseClick(closing.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "resolution" in closing.errors.messages, timeout=WAIT)
    assert closing.errors.messages["resolution"].startswith("请填写办结情况")
    type_text(qtbot, closing.text_edit, "已协调供电公司完成增容")
    with qtbot.waitSignal(tab.list_loaded, timeout=WAIT):
        QTest.mouseClick(closing.confirm_button, Qt.MouseButton.LeftButton)
    number = tab.model.row_of(raised.id)
    assert number is not None
    assert tab.model.index(number, ProblemColumn.STATUS).data() == "已办结"
    assert tab.model.index(number, ProblemColumn.RESOLUTION).data() == "已协调供电公司完成增容"
    assert f"办理中 {open_before}" in tab.summary_label.text()
    assert "办结率" in tab.summary_label.text() and "按期办结率" in tab.summary_label.text()
    with demo_workspace.database.read() as session:
        row = session.get_one(ProblemRow, raised.id)
    assert (row.status, row.resolved_on) == ("resolved", dt.date.today())


def test_delete_a_problem_and_undo(qtbot: QtBot, page: LedgerPage) -> None:
    tab = page.problems
    page.show_problems()
    entry = next(r for r in _rows(tab) if isinstance(r, ProblemEntry))
    total = tab.model.rowCount()
    _choose(qtbot, tab, entry.id)
    with qtbot.waitSignal(tab.list_loaded, timeout=WAIT):
        QTest.keyClick(tab.table, Qt.Key.Key_Delete)
    assert tab.model.row_of(entry.id) is None
    assert tab.model.rowCount() == total - 1
    assert tab.message_bar.text == f"已删除“{entry.title}”"
    with qtbot.waitSignal(tab.list_loaded, timeout=WAIT):
        tab.message_bar.click_undo()
    assert tab.model.row_of(entry.id) is not None


def test_an_empty_period_shows_a_dash(qtbot: QtBot, page: LedgerPage) -> None:
    tab = page.problems
    page.show_problems()
    with qtbot.waitSignal(tab.list_loaded, timeout=WAIT):
        tab.filter_edit.setText("没有这样的诉求")
        tab.filter_edit.settle_now()
    assert tab.model.rowCount() == 0
    assert "办结率 —" in tab.summary_label.text()
    assert "按期办结率 —" in tab.summary_label.text()
    assert tab.count_label.text() == "共 0 条"


def test_both_tables_pass_the_model_tester(qtmodeltester: object, page: LedgerPage) -> None:
    for tab in (page.commitments, page.problems):
        assert tab.model.rowCount() > 0
        qtmodeltester.check(tab.model)  # type: ignore[attr-defined]
        qtmodeltester.check(tab.proxy)  # type: ignore[attr-defined]
