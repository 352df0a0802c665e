"""The negotiation note editor on the small demo, driven from the keyboard like a user would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.database.tables import CommitmentRow, NegotiationNoteRow
from app.services.negotiations import NegotiationService
from app.services.workspace import Workspace
from ui.negotiations.note_editor import NegotiationNoteDialog
from ui.task_runner import TaskRunner

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
WAIT = 10_000
pytestmark = desktop_fixtures.OFFSCREEN_NOISE


@pytest.fixture
def noted(demo_workspace: Workspace) -> tuple[str, str]:
    """An enterprise with a round whose commitment is still pending, and that round."""
    with demo_workspace.database.read() as session:
        commitment = session.scalars(
            select(CommitmentRow)
            .join(NegotiationNoteRow, NegotiationNoteRow.id == CommitmentRow.negotiation_note_id)
            .where(CommitmentRow.status == "pending", NegotiationNoteRow.deleted.is_(False))
            .order_by(CommitmentRow.id)
        ).first()
        assert commitment is not None and commitment.negotiation_note_id is not None
        return commitment.enterprise_id, commitment.negotiation_note_id


def _open(
    qtbot: QtBot, workspace: Workspace, runner: TaskRunner, enterprise_id: str, note_id: str | None
) -> NegotiationNoteDialog:
    dialog = NegotiationNoteDialog(NegotiationService(workspace), runner, enterprise_id, note_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.form_loaded, timeout=WAIT):
        dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.fields.asks_edit, timeout=WAIT)
    return dialog


@pytest.fixture
def new_note(
    qtbot: QtBot,
    demo_workspace: Workspace,
    runner: TaskRunner,
    chinese: None,
    noted: tuple[str, str],
) -> Iterator[NegotiationNoteDialog]:
    yield _open(qtbot, demo_workspace, runner, noted[0], None)


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _type(qtbot: QtBot, text: str) -> None:
    desktop_fixtures.type_text(qtbot, _focused(), text)


def _press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(_focused(), key, modifier)


def _note(workspace: Workspace, note_id: str) -> NegotiationNoteRow | None:
    with workspace.database.read() as session:
        return session.get(NegotiationNoteRow, note_id)


def _commitments(workspace: Workspace, note_id: str) -> list[CommitmentRow]:
    with workspace.database.read() as session:
        return list(
            session.scalars(
                select(CommitmentRow)
                .where(CommitmentRow.negotiation_note_id == note_id)
                .order_by(CommitmentRow.created_at)
            )
        )


def test_a_new_round_with_a_commitment_entirely_by_keyboard(
    qtbot: QtBot, new_note: NegotiationNoteDialog, demo_workspace: Workspace
) -> None:
    dialog, fields = new_note, new_note.fields
    proposed = fields.round_spin.value()
    assert proposed > 1  # the enterprise already has rounds: the next free one is proposed
    assert fields.held_edit.date().toPython() == dt.date.today()

    _type(qtbot, "要求三年内地方留成税收全额奖励")
    _press(qtbot, Qt.Key.Key_Tab)
    assert _focused() is fields.offers_edit
    _type(qtbot, "按园区标准给予电价支持")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "厂房代建比例")
    _press(qtbot, Qt.Key.Key_Tab)
    assert _focused() is fields.next_round_edit
    _type(qtbot, "赴企业总部商定协议文本")
    _press(qtbot, Qt.Key.Key_Tab)
    _press(qtbot, Qt.Key.Key_Space)  # 定于: tick, the date takes the focus
    next_on = dt.date.today() + dt.timedelta(days=21)
    assert _focused() is fields.next_date_edit
    _type(qtbot, next_on.strftime("%Y-%m-%d"))
    _press(qtbot, Qt.Key.Key_Tab)
    assert _focused() is fields.commitments.content_edit
    _type(qtbot, "协调 200 亩用地指标")
    _press(qtbot, Qt.Key.Key_Tab)  # promised by: me, already chosen
    _press(qtbot, Qt.Key.Key_Tab)
    due = dt.date.today() + dt.timedelta(days=45)
    assert _focused() is fields.commitments.due_edit
    _type(qtbot, due.strftime("%Y-%m-%d"))
    _press(qtbot, Qt.Key.Key_Return)  # adds the line, back to the content for the next one
    assert fields.commitments.model.rowCount() == 1
    assert _focused() is fields.commitments.content_edit
    dialog.grab()

    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        _press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    note = _note(demo_workspace, dialog.note_id)
    assert note is not None and not note.deleted
    assert note.round_no == proposed
    assert (note.their_asks, note.our_offers, note.sticking_points) == (
        "要求三年内地方留成税收全额奖励",
        "按园区标准给予电价支持",
        "厂房代建比例",
    )
    assert (note.next_round, note.next_round_on) == ("赴企业总部商定协议文本", next_on)
    [commitment] = _commitments(demo_workspace, dialog.note_id)
    assert (commitment.content, commitment.due_on, commitment.status) == (
        "协调 200 亩用地指标",
        due,
        "pending",
    )
    assert commitment.promised_by_id == demo_workspace.current_member_id()
    assert commitment.enterprise_id == note.enterprise_id


def test_typing_is_autosaved_and_esc_can_take_it_back(
    qtbot: QtBot, new_note: NegotiationNoteDialog, demo_workspace: Workspace
) -> None:
    dialog = new_note
    states: list[str] = []
    dialog.save_state_changed.connect(lambda state, _message: states.append(state))
    with qtbot.waitSignal(dialog.fields.changed, timeout=WAIT):
        _type(qtbot, "希望市级产业基金参与投资")
    qtbot.waitUntil(lambda: "saved" in states, timeout=3_000)  # at most ~1 s behind the typing
    assert states[:2] == ["saving", "saved"]
    note = _note(demo_workspace, dialog.note_id)
    assert note is not None and note.their_asks == "希望市级产业基金参与投资"
    assert dialog.history_button.isEnabled()
    with qtbot.waitSignal(dialog.history_requested, timeout=WAIT) as history:
        _press(qtbot, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert history.args == ["negotiation_notes", dialog.note_id]

    _press(qtbot, Qt.Key.Key_Escape)  # changed: asks first
    prompt = dialog.close_prompt
    assert prompt is not None and "自动保存" in prompt.text()
    drop = next(b for b in prompt.buttons() if b.text() == "放弃修改")
    with qtbot.waitSignal(dialog.rejected, timeout=WAIT):
        drop.click()
    note = _note(demo_workspace, dialog.note_id)
    assert note is not None and note.deleted  # the abandoned new round is taken back


def test_esc_without_changes_closes_at_once(
    qtbot: QtBot, new_note: NegotiationNoteDialog, demo_workspace: Workspace
) -> None:
    with qtbot.waitSignal(new_note.rejected, timeout=WAIT):
        _press(qtbot, Qt.Key.Key_Escape)
    assert new_note.close_prompt is None
    assert new_note.result() == QDialog.DialogCode.Rejected
    assert _note(demo_workspace, new_note.note_id) is None


def test_a_taken_round_number_is_named_in_chinese(
    qtbot: QtBot, new_note: NegotiationNoteDialog, demo_workspace: Workspace
) -> None:
    fields = new_note.fields
    fields.round_spin.setFocus()
    _press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, "1")
    assert fields.round_spin.value() == 1
    new_note.save_and_close()
    qtbot.waitUntil(lambda: "第 1 轮已有洽谈记录" in new_note.error_label.text(), timeout=WAIT)
    assert new_note.isVisible()
    assert _focused() is fields.round_spin


def test_withdrawing_a_commitment_asks_why_and_keeps_it(
    qtbot: QtBot,
    demo_workspace: Workspace,
    runner: TaskRunner,
    chinese: None,
    noted: tuple[str, str],
) -> None:
    enterprise_id, note_id = noted
    dialog = _open(qtbot, demo_workspace, runner, enterprise_id, note_id)
    commitments = dialog.fields.commitments
    before = _commitments(demo_workspace, note_id)
    pending = next(n for n, c in enumerate(before) if c.status == "pending" and not c.deleted)
    commitments.table.setFocus()
    commitments.table.selectRow(pending)
    _press(qtbot, Qt.Key.Key_Delete)
    question = commitments.reason_dialog
    assert question is not None and question.isVisible()
    qtbot.waitUntil(lambda: question.isActiveWindow(), timeout=WAIT)
    _type(qtbot, "企业改选其他园区")
    _press(qtbot, Qt.Key.Key_Return)
    assert "已撤回" in commitments.model.index(pending, 3).data()
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT)
        _press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    after = {c.id: c for c in _commitments(demo_workspace, note_id)}
    withdrawn = after[before[pending].id]
    assert (withdrawn.status, withdrawn.withdrawn_reason) == ("withdrawn", "企业改选其他园区")
    assert not withdrawn.deleted
    assert len(after) == len(before)


def test_changing_a_commitment_from_the_keyboard(
    qtbot: QtBot,
    demo_workspace: Workspace,
    runner: TaskRunner,
    chinese: None,
    noted: tuple[str, str],
) -> None:
    enterprise_id, note_id = noted
    dialog = _open(qtbot, demo_workspace, runner, enterprise_id, note_id)
    commitments = dialog.fields.commitments
    line = commitments.model.line_at(0)
    commitments.table.setFocus()
    commitments.table.selectRow(0)
    _press(qtbot, Qt.Key.Key_Return)  # loads the line into the typing row
    assert _focused() is commitments.content_edit
    assert commitments.content_edit.text() == line.content
    assert commitments.add_button.text() == "更新承诺"
    _type(qtbot, "协调用地指标（首期）")  # replaces the selected text
    _press(qtbot, Qt.Key.Key_Tab)
    _press(qtbot, Qt.Key.Key_Tab)
    later = dt.date.today() + dt.timedelta(days=90)
    _type(qtbot, later.strftime("%Y-%m-%d"))
    _press(qtbot, Qt.Key.Key_Return)
    assert commitments.model.rowCount() == len(_commitments(demo_workspace, note_id))  # no new one
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        _press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    changed = next(c for c in _commitments(demo_workspace, note_id) if c.id == line.id)
    assert (changed.content, changed.due_on) == ("协调用地指标（首期）", later)
