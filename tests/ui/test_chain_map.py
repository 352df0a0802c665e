"""The chain map (产业链图谱) on the small demo, used as a chain leader and as a plain member."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.database.change_tracking import Actor
from app.database.tables import (
    ChainLinkRow,
    EnterpriseLinkRow,
    EnterpriseRow,
    LocalSetting,
    MemberRow,
    VisitRow,
)
from app.services.workspace import CURRENT_MEMBER, Workspace
from ui.chains.chain_dialogs import LinkDialog
from ui.chains.chain_services import ChainServices
from ui.chains.chains_page import ChainsPage
from ui.chains.target_dialog import AddTargetDialog
from ui.task_runner import TaskRunner

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
type_text = desktop_fixtures.type_text
WAIT = 10_000
# The offscreen test platform says these when dialogs and popup lists (choices) open; they are
# not faults of the widgets (pytest-qt reads only one such mark: all patterns go in it).
pytestmark = pytest.mark.qt_log_ignore(
    *desktop_fixtures.OFFSCREEN_NOISE.args,
    r"This plugin does not support raise\(\)",
    "This plugin does not support grabbing the keyboard",
)


def _open(qtbot: QtBot, workspace: Workspace, runner: TaskRunner) -> ChainsPage:
    page = ChainsPage(ChainServices.for_workspace(workspace), runner)
    qtbot.addWidget(page)
    page.resize(1180, 700)
    page.show()
    with qtbot.waitSignal(page.list_loaded, timeout=WAIT):
        page.refresh()
    return page


@pytest.fixture
def page(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> Iterator[ChainsPage]:
    yield _open(qtbot, demo_workspace, runner)


def _ok(dialog: Any) -> None:
    QTest.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def _recently_visited(workspace: Workspace) -> tuple[str, str, str]:
    """(id, name, pinyin initials) of an enterprise visited last week, its initials unique."""
    since = dt.date.today() - dt.timedelta(days=7)
    with workspace.database.read() as session:
        unique = (
            select(EnterpriseRow.name_initials)
            .group_by(EnterpriseRow.name_initials)
            .having(func.count() == 1)
        )
        enterprise = session.scalars(
            select(EnterpriseRow)
            .join(VisitRow, VisitRow.enterprise_id == EnterpriseRow.id)
            .where(
                VisitRow.visited_on >= since,
                VisitRow.visited_on <= dt.date.today(),
                VisitRow.deleted.is_(False),
                EnterpriseRow.name_initials.in_(unique),
            )
            .order_by(EnterpriseRow.name)
            .limit(1)
        ).one()
        return enterprise.id, enterprise.name, enterprise.name_initials


def test_gap_links_are_marked_on_the_map_with_their_reason(page: ChainsPage) -> None:
    chain_map = page.chain_map
    assert chain_map is not None
    gapped = next(chain for chain in chain_map.chains if chain.gap_count)
    page.chain_box.setCurrentIndex(page.chain_box.findData(gapped.id))
    assert f"{gapped.gap_count} 个缺口" in page.chain_box.currentText()
    cards = page.map.cards()
    assert len(cards) == len(gapped.links)
    gaps = [card for card in cards if card.is_gap]
    assert len(gaps) == gapped.gap_count
    for card in gaps:
        assert card.gap.isVisibleTo(page)
        # the demo's gaps: targets not visited lately, or a link planned with no target yet
        assert card.gap.text() in ("缺口：近90天无拜访", "缺口：无目标企业；近90天无拜访")
        assert "#b3261e" in card.styleSheet()
    covered = next(card for card in cards if not card.is_gap)
    assert not covered.gap.isVisibleTo(page)
    assert f"{gapped.gap_count} 个缺口" in page.summary.text()
    assert "近90天无拜访" in page.map.legend.findChildren(type(page.summary))[-1].text()
    assert not page.read_only_note.isVisible()
    page.grab()


def test_a_new_link_is_a_gap_until_a_target_is_added(
    qtbot: QtBot, page: ChainsPage, demo_workspace: Workspace
) -> None:
    enterprise_id, enterprise_name, initials = _recently_visited(demo_workspace)
    chain = page.current_chain()
    assert chain is not None

    # 新建环节…: name, kind and position; saved, the map shows it as a gap without targets.
    QTest.mouseClick(page.new_link, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, LinkDialog)
    type_text(qtbot, dialog.name, "再生金属回收")
    dialog.kind.setCurrentIndex(dialog.kind.findText("延链"))
    dialog.position.setCurrentIndex(dialog.position.findText("下游"))
    with qtbot.waitSignal(page.targets_shown, timeout=WAIT):
        _ok(dialog)
    link = page.selected_link()
    assert link is not None and link.name == "再生金属回收"
    assert (link.kind.label, link.position.label) == ("延链", "下游")
    card = page.map.card(link.id)
    assert card is not None and card.is_gap
    assert card.gap.text() == "缺口：无目标企业；近90天无拜访"
    assert "还没有目标企业（缺口）" in page.targets.title.text()

    # 添加目标企业…: typed by pinyin initials, picked, saved; the gap is gone.
    QTest.mouseClick(page.targets.add_button, Qt.MouseButton.LeftButton)
    adding = page.dialog
    assert isinstance(adding, AddTargetDialog)
    adding.enterprise.setFocus()
    QTest.keyClicks(adding.enterprise, initials)
    qtbot.waitUntil(adding.enterprise.popup_visible, timeout=WAIT)
    popup = QApplication.activePopupWidget()
    QTest.keyClick(popup if popup is not None else adding.enterprise, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: adding.chosen is not None, timeout=WAIT)
    type_text(qtbot, adding.note, "重点跟踪")
    with qtbot.waitSignal(page.targets_shown, timeout=WAIT):
        _ok(adding)
    card = page.map.card(link.id)
    assert card is not None and not card.is_gap
    assert not card.gap.isVisibleTo(page)
    assert "目标 1 ·" in card.counts.text()
    rows = [page.targets.model.row_at(r) for r in range(page.targets.model.rowCount())]
    assert [(r.enterprise_id, r.name, r.note) for r in rows] == [
        (enterprise_id, enterprise_name, "重点跟踪")
    ]

    # The same enterprise again is refused, with the reason in the dialog.
    QTest.mouseClick(page.targets.add_button, Qt.MouseButton.LeftButton)
    again = page.dialog
    assert isinstance(again, AddTargetDialog)
    again.enterprise.setFocus()
    QTest.keyClicks(again.enterprise, initials)
    qtbot.waitUntil(again.enterprise.popup_visible, timeout=WAIT)
    popup = QApplication.activePopupWidget()
    QTest.keyClick(popup if popup is not None else again.enterprise, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: again.chosen is not None, timeout=WAIT)
    _ok(again)
    qtbot.waitUntil(lambda: again.problem.isVisible(), timeout=WAIT)
    assert "已是环节“再生金属回收”的目标企业" in again.problem.text()
    again.reject()

    # 移除: the link is a gap again.
    page.targets.table.selectRow(0)
    assert page.targets.remove_button.isEnabled(), page.message.text()
    with qtbot.waitSignal(page.targets_shown, timeout=WAIT):
        QTest.mouseClick(page.targets.remove_button, Qt.MouseButton.LeftButton)
    card = page.map.card(link.id)
    assert card is not None and card.is_gap
    with demo_workspace.database.read() as session:
        placed = session.scalars(
            select(EnterpriseLinkRow).where(EnterpriseLinkRow.link_id == link.id)
        ).one()
        assert placed.deleted


def test_deleting_a_link_in_use_is_refused_with_the_reason(
    qtbot: QtBot, page: ChainsPage, demo_workspace: Workspace
) -> None:
    chain = page.current_chain()
    assert chain is not None
    used = next(link for link in chain.links if link.target_count)
    QTest.mouseClick(page.map.card(used.id), Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    assert page.selected_link() == used
    QTest.mouseClick(page.delete_link, Qt.MouseButton.LeftButton)
    box = page.dialog
    assert isinstance(box, QMessageBox)
    delete = next(b for b in box.buttons() if b.text() == "删除")
    QTest.mouseClick(delete, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.message.isVisible, timeout=WAIT)
    assert f"不能删除环节“{used.name}”：还有{used.target_count} 家目标企业" in page.message.text()
    with demo_workspace.database.read() as session:
        assert not session.get(ChainLinkRow, used.id).deleted  # type: ignore[union-attr]


def test_a_plain_member_sees_the_map_read_only(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> None:
    with demo_workspace.database.write(Actor(None, source="import")) as session:
        member = session.scalars(select(MemberRow).where(MemberRow.role == "member")).first()
        assert member is not None
        session.get(LocalSetting, CURRENT_MEMBER).value = member.id  # type: ignore[union-attr]
    page = _open(qtbot, demo_workspace, runner)
    assert not page.editable
    assert page.read_only_note.isVisible()
    assert "由小分队队长或单位管理员维护" in page.read_only_note.text()
    for button in (page.new_chain, page.edit_chain, page.new_link, page.delete_link):
        assert not button.isVisible()
    assert not page.targets.add_button.isVisible()
    assert not page.targets.remove_button.isVisible()
    cards = page.map.cards()
    assert cards
    with qtbot.waitSignal(page.targets_shown, timeout=WAIT):
        QTest.mouseClick(cards[0], Qt.MouseButton.LeftButton)
    QTest.mouseDClick(cards[0], Qt.MouseButton.LeftButton)  # no link editor for a member
    assert page.dialog is None
    assert page.targets.model.rowCount() == cards[0].link.target_count
