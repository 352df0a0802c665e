"""The 冲突 page over real conflict records: keep mine, keep theirs, restore or keep deleted,
merge a long text block by block, and retry changes the server refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.database.tables import (
    ConflictRow,
    EnterpriseRow,
    MemberRow,
    OutboxEntry,
    RejectedChangeRow,
    VisitRow,
)
from app.services.conflicts import ConflictService
from app.services.rejected_changes import RejectedChangeService
from app.services.workspace import Workspace
from ui.sync.conflicts_page import ConflictsPage
from ui.task_runner import TaskRunner

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
WAIT = 10_000
pytestmark = desktop_fixtures.OFFSCREEN_NOISE

BASE = (
    "一、企业介绍了新能源电池扩产计划。\n二、对方关心用地指标和用电负荷。\n三、下次拜访时间待定。\n"
)
THEIRS = (
    "一、企业介绍了新能源电池扩产计划，二期投资 20 亿元。\n"
    "二、对方关心用地指标和用电负荷。\n"
    "三、下次拜访定在12月5日。\n"
)
MINE = (
    "一、企业介绍了新能源电池扩产计划，一期已于10月投产。\n"
    "二、对方关心用地指标和用电负荷。\n"
    "三、下次拜访由张组长带队，携带用地规划图。\n"
)


@dataclass(frozen=True)
class Seeded:
    text: str  # conflict ids
    field: str
    delete: str
    visit_id: str
    enterprise_id: str
    deleted_enterprise_id: str


def seed_conflicts(workspace: Workspace) -> Seeded:
    """Three conflicts as a pull leaves them: the record holds theirs, the conflict keeps mine."""
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    with workspace.database.write(workspace.actor()) as session:
        them, me = session.scalars(select(MemberRow).order_by(MemberRow.name).limit(2)).all()
        first, second = session.scalars(
            select(EnterpriseRow).where(EnterpriseRow.deleted.is_(False)).limit(2)
        ).all()
        visit = session.scalars(select(VisitRow).order_by(VisitRow.visited_on).limit(1)).one()
        visit.discussion = THEIRS
        first.legal_representative = "王海"
        second.deleted = True
        sides = {
            "server_by": them.id,
            "client_by": me.id,
            "server_at": yesterday,
            "client_at": yesterday + dt.timedelta(hours=2),
            "row_version": 1,
            "created_at": yesterday + dt.timedelta(hours=3),
        }
        text = ConflictRow(
            table_name="visits", row_id=visit.id, field="discussion", kind="text",
            base_value=BASE, server_value=THEIRS, client_value=MINE, **sides,
        )  # fmt: skip
        field = ConflictRow(
            table_name="enterprises", row_id=first.id, field="legal_representative",
            kind="field", base_value="李明", server_value="王海", client_value="李明远", **sides,
        )  # fmt: skip
        delete = ConflictRow(
            table_name="enterprises", row_id=second.id, field="deleted", kind="delete",
            base_value=False, server_value=True, client_value=False, **sides,
        )  # fmt: skip
        session.add_all([text, field, delete])
        session.flush()
        return Seeded(text.id, field.id, delete.id, visit.id, first.id, second.id)


@pytest.fixture
def seeded(demo_workspace: Workspace) -> Seeded:
    return seed_conflicts(demo_workspace)


@pytest.fixture
def page(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, seeded: Seeded, chinese: None
) -> Iterator[ConflictsPage]:
    shown = ConflictsPage(
        ConflictService(demo_workspace), RejectedChangeService(demo_workspace), runner
    )
    qtbot.addWidget(shown)
    shown.resize(1238, 690)
    shown.show()
    with qtbot.waitSignals([shown.list_loaded, shown.rejected_view.list_loaded], timeout=WAIT):
        shown.refresh()
    yield shown
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT)


def _select(qtbot: QtBot, page: ConflictsPage, conflict_id: str) -> None:
    row = next(n for n in range(page.model.rowCount()) if page.model.row_at(n).id == conflict_id)
    page.table.selectRow(row)

    def shown() -> bool:
        detail = page.shown_detail
        return detail is not None and detail.item.id == conflict_id

    qtbot.waitUntil(shown, timeout=WAIT)


def _open_ids(workspace: Workspace) -> set[str]:
    return {item.id for item in ConflictService(workspace).open_conflicts()}


def _click(qtbot: QtBot, page: ConflictsPage, button: QPushButton) -> None:
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_lists_open_conflicts_with_record_field_and_kind(
    qtmodeltester: object, page: ConflictsPage
) -> None:
    model = page.model
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    rows = [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]
    assert len(rows) == 3
    assert {row[2] for row in rows} == {"文本", "字段", "删除与修改"}
    assert rows[0][0].startswith("拜访 · ") and rows[0][1:3] == ["洽谈内容", "文本"]
    assert rows[1][0].startswith("企业 · ") and rows[1][1:3] == ["法定代表人", "字段"]
    assert page.tabs.tabText(0) == "冲突 (3)"


def test_keep_mine_writes_my_value_and_leaves_the_inbox(
    qtbot: QtBot, page: ConflictsPage, seeded: Seeded, demo_workspace: Workspace
) -> None:
    _select(qtbot, page, seeded.field)
    view = page.field_view
    assert page.detail_stack.currentWidget() is view
    assert view.theirs_value.toPlainText() == "王海"
    assert view.mine_value.toPlainText() == "李明远"
    assert view.base_value.toPlainText() == "李明"
    assert view.headings[1].text().startswith("对方的 · ")
    _click(qtbot, page, view.keep_mine_button)
    assert seeded.field not in _open_ids(demo_workspace)
    assert page.model.rowCount() == 2
    assert "已保留我的" in page.message_label.text()
    with demo_workspace.database.read() as session:
        enterprise = session.get(EnterpriseRow, seeded.enterprise_id)
        assert enterprise is not None and enterprise.legal_representative == "李明远"


def test_keep_theirs_keeps_the_server_value(
    qtbot: QtBot, page: ConflictsPage, seeded: Seeded, demo_workspace: Workspace
) -> None:
    _select(qtbot, page, seeded.field)
    _click(qtbot, page, page.field_view.keep_theirs_button)
    assert seeded.field not in _open_ids(demo_workspace)
    with demo_workspace.database.read() as session:
        enterprise = session.get(EnterpriseRow, seeded.enterprise_id)
        assert enterprise is not None and enterprise.legal_representative == "王海"


def test_edit_merged_value_of_a_field(
    qtbot: QtBot, page: ConflictsPage, seeded: Seeded, demo_workspace: Workspace
) -> None:
    _select(qtbot, page, seeded.field)
    view = page.field_view
    QTest.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    assert view.merge_edit.isVisible() and view.merge_edit.toPlainText() == "李明远"
    view.merge_edit.setPlainText("王海（原李明远）")
    _click(qtbot, page, view.save_merge_button)
    with demo_workspace.database.read() as session:
        enterprise = session.get(EnterpriseRow, seeded.enterprise_id)
        assert enterprise is not None and enterprise.legal_representative == "王海（原李明远）"


def test_delete_conflict_offers_restore_or_keep_deleted(
    qtbot: QtBot, page: ConflictsPage, seeded: Seeded, demo_workspace: Workspace
) -> None:
    _select(qtbot, page, seeded.delete)
    view = page.field_view
    assert view.keep_mine_button.text() == "恢复记录"
    assert view.keep_theirs_button.text() == "保持删除"
    assert not view.edit_button.isVisible()
    _click(qtbot, page, view.keep_mine_button)
    assert "已恢复记录" in page.message_label.text()
    with demo_workspace.database.read() as session:
        enterprise = session.get(EnterpriseRow, seeded.deleted_enterprise_id)
        assert enterprise is not None and not enterprise.deleted


def test_text_conflict_merges_block_by_block(
    qtbot: QtBot, page: ConflictsPage, seeded: Seeded, demo_workspace: Workspace
) -> None:
    _select(qtbot, page, seeded.text)
    view = page.text_view
    assert page.detail_stack.currentWidget() is view
    assert sorted(view.choice_buttons) == [0, 2]  # the middle block is the same on both sides
    lines = MINE.splitlines(keepends=True)
    assert view.preview.toPlainText().count("一、") == 2  # by default both versions are kept
    QTest.mouseClick(view.choice_buttons[0]["mine"], Qt.MouseButton.LeftButton)
    QTest.mouseClick(view.choice_buttons[2]["theirs"], Qt.MouseButton.LeftButton)
    expected = lines[0] + lines[1] + THEIRS.splitlines(keepends=True)[2]
    assert view.preview.toPlainText() == expected
    _click(qtbot, page, view.save_button)
    assert seeded.text not in _open_ids(demo_workspace)
    with demo_workspace.database.read() as session:
        visit = session.get(VisitRow, seeded.visit_id)
        assert visit is not None and visit.discussion == expected


def test_the_merged_text_can_be_edited_before_saving(
    qtbot: QtBot, page: ConflictsPage, seeded: Seeded, demo_workspace: Workspace
) -> None:
    _select(qtbot, page, seeded.text)
    view = page.text_view
    view.preview.setFocus()
    QTest.keyClick(view.preview, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(view.preview, "OK")
    assert view.edited and view.regenerate_button.isVisible()
    assert not view.choice_buttons[0]["mine"].isEnabled()  # choices no longer overwrite typing
    typed = view.preview.toPlainText()
    assert typed.endswith("OK")
    _click(qtbot, page, view.save_button)
    with demo_workspace.database.read() as session:
        visit = session.get(VisitRow, seeded.visit_id)
        assert visit is not None and visit.discussion == typed


def test_rejected_changes_show_the_reason_and_retry(
    qtbot: QtBot, page: ConflictsPage, seeded: Seeded, demo_workspace: Workspace
) -> None:
    with demo_workspace.database.write(demo_workspace.actor()) as session:
        for number, reason in enumerate(("网址格式不正确：website", "无权修改其他小分队的企业"), 1):
            session.add(
                RejectedChangeRow(
                    change_id=f"rejected-{number}",
                    device_seq=10_000 + number,
                    table_name="enterprises",
                    row_id=seeded.enterprise_id,
                    op="patch",
                    fields={"website": f"https://example{number}.cn"},
                    base={"row_version": 1, "fields": {"website": ""}},
                    code="invalid_value",
                    reason=reason,
                )
            )
    view = page.rejected_view
    with qtbot.waitSignal(view.list_loaded, timeout=WAIT):
        page.refresh()
    page.show_rejected()
    assert page.tabs.tabText(1) == "被拒的修改 (2)"
    reasons = {view.model.index(row, 3).data() for row in range(view.model.rowCount())}
    assert reasons == {"网址格式不正确：website", "无权修改其他小分队的企业"}
    assert view.model.index(0, 2).data() == "修改：网站"

    def outbox_size() -> int:
        with demo_workspace.database.read() as session:
            return int(session.scalar(select(func.count()).select_from(OutboxEntry)) or 0)

    before = outbox_size()
    view.table.selectRow(0)
    with qtbot.waitSignal(view.list_loaded, timeout=WAIT):
        QTest.mouseClick(view.retry_button, Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == 1 and "已放回待同步" in view.message_label.text()
    assert outbox_size() == before + 1
    with qtbot.waitSignal(view.list_loaded, timeout=WAIT):
        QTest.mouseClick(view.retry_all_button, Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == 0 and view.empty_label.isVisible()
    assert not view.retry_all_button.isEnabled()
