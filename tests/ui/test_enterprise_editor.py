"""The dossier editor, driven from the keyboard: duplicates, field messages, every kind of field,
and merging two dossiers with undo — each checked against what the database then holds."""

from __future__ import annotations

import time
from collections.abc import Iterator

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.database.tables import LocalSetting, OutboxEntry
from app.domain.money import Money
from app.services.enterprise_merge import EnterpriseMergeService
from app.services.enterprise_views import EnterpriseFilter, EnterpriseListRow
from app.services.enterprises import EnterpriseService, draft_key
from app.services.workspace import Workspace
from ui.enterprises.code_picker import CodePicker
from ui.enterprises.dossier_sections import Section
from ui.enterprises.enterprise_editor import EnterpriseEditor
from ui.enterprises.enterprise_page import EnterprisePage
from ui.task_runner import TaskRunner

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
type_text = desktop_fixtures.type_text
WAIT = 10_000
CTRL = Qt.KeyboardModifier.ControlModifier
# The offscreen platform (tests only) says these when a window resizes or a popup opens.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support grabbing the keyboard",
    "This plugin does not support raise",
)


@pytest.fixture
def page(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> Iterator[EnterprisePage]:
    widget = EnterprisePage(EnterpriseService(demo_workspace), runner)
    qtbot.addWidget(widget)
    widget.resize(1180, 690)
    widget.show()
    with qtbot.waitSignal(widget.list_loaded, timeout=WAIT):
        widget.refresh()
    yield widget


def _find(workspace: Workspace, text: str) -> EnterpriseListRow:
    return EnterpriseService(workspace).page(EnterpriseFilter(text=text)).rows[0]


def _outbox_size(workspace: Workspace) -> int:
    with workspace.database.read() as session:
        return session.scalar(select(func.count()).select_from(OutboxEntry)) or 0


def _setting(workspace: Workspace, key: str) -> str | None:
    with workspace.database.read() as session:
        row = session.get(LocalSetting, key)
        return row.value if row is not None else None


def _new_from_keyboard(qtbot: QtBot, page: EnterprisePage) -> EnterpriseEditor:
    """What the window's Ctrl+Shift+N does (tests/ui/test_field_work_window.py presses it)."""
    page.table.setFocus()
    with qtbot.waitSignal(page.editor_opened, timeout=WAIT):
        page.new_enterprise()
    assert page.editor is not None
    return page.editor


def _edit_from_keyboard(
    qtbot: QtBot, page: EnterprisePage, row: EnterpriseListRow
) -> EnterpriseEditor:
    with qtbot.waitSignal(page.dossier_shown, timeout=WAIT):
        page.show_enterprise(row.id)
    page.table.setFocus()
    with qtbot.waitSignal(page.editor_opened, timeout=WAIT):
        QTest.keyClick(page.table, Qt.Key.Key_F2)
    assert page.editor is not None
    return page.editor


def _replace(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Select what the field holds and type over it, as a user would."""
    widget.setFocus()
    if isinstance(widget, QPlainTextEdit):
        widget.selectAll()
    else:
        QTest.keyClick(widget, Qt.Key.Key_A, CTRL)
        if not text:
            QTest.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)


def _choose(qtbot: QtBot, combo: QWidget, text: str) -> None:
    """Walk a drop-down with the arrow keys until it shows ``text``."""
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        QTest.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text


def test_a_look_alike_name_is_warned_of_and_open_shows_the_existing_one(
    qtbot: QtBot, page: EnterprisePage, demo_workspace: Workspace
) -> None:
    existing = _find(demo_workspace, "安瑞制药（杭州）有限公司")
    editor = _new_from_keyboard(qtbot, page)
    name = editor.fields.input("name")
    assert name.hasFocus()
    with qtbot.waitSignal(editor.duplicates_shown, timeout=WAIT) as shown:
        type_text(qtbot, name, "安瑞制药(杭州) 有限责任公司")  # half-width brackets, a space
    assert shown.args == [1]
    assert "安瑞制药（杭州）有限公司" in editor.duplicate_bar.text
    assert "名称相同" in editor.duplicate_bar.text

    with qtbot.waitSignal(page.dossier_shown, timeout=WAIT) as opened:
        editor.duplicate_bar.click_open()
    assert opened.args == [existing.id]
    assert page.editor is None
    assert page.dossier_view.title_text == existing.name


def test_an_invalid_uscc_is_named_under_the_field_and_nothing_is_saved(
    qtbot: QtBot, page: EnterprisePage, demo_workspace: Workspace
) -> None:
    before = (EnterpriseService(demo_workspace).page().total, _outbox_size(demo_workspace))
    editor = _new_from_keyboard(qtbot, page)
    type_text(qtbot, editor.fields.input("name"), "甘肃陇原新材料有限公司")
    uscc = editor.fields.input("uscc")
    uscc.setFocus()
    QTest.keyClicks(uscc, "91620102MA7KX3Q2X9")
    with qtbot.waitSignal(
        editor.save_state_changed, timeout=WAIT, check_params_cb=lambda state, _m: state == "failed"
    ):
        QTest.keyClick(uscc, Qt.Key.Key_S, CTRL)
    assert "统一社会信用代码" in editor.fields.error("uscc")
    assert "校验" in editor.fields.error("uscc")
    assert uscc.hasFocus()
    assert page.editor is editor  # still editing: nothing typed is lost
    assert (EnterpriseService(demo_workspace).page().total, _outbox_size(demo_workspace)) == before

    QTest.keyClick(uscc, Qt.Key.Key_A, CTRL)
    QTest.keyClicks(uscc, "abc")
    QTest.keyClick(uscc, Qt.Key.Key_Tab)  # leaving the field checks it at once
    assert "18 位" in editor.fields.error("uscc")


def test_every_kind_of_field_is_edited_from_the_keyboard_and_persists(
    qtbot: QtBot, page: EnterprisePage, demo_workspace: Workspace
) -> None:
    target = _find(demo_workspace, "北京宝润新材料科技股份有限公司")
    editor = _edit_from_keyboard(qtbot, page, target)
    fields = editor.fields
    _replace(qtbot, fields.input("name"), "北京宝润新材料科技集团有限公司")
    _replace(qtbot, fields.input("registered_capital"), "1.5亿")
    _replace(qtbot, fields.input("legal_representative"), "周建国")
    _replace(qtbot, fields.input("founded_on"), "2012-08-15")
    _replace(qtbot, fields.input("headquarters"), "北京市海淀区")
    _replace(qtbot, fields.input("address"), "北京市海淀区中关村大街1号")
    _replace(qtbot, fields.input("website"), "www.baorun.example.cn")
    _replace(qtbot, fields.input("tags"), "重点目标、链主企业")
    region = fields.input("region_code")
    _replace(qtbot, region, "城关")  # two characters of a name open the matches
    assert isinstance(region, CodePicker)
    assert region.completer_popup_visible
    popup_widget = QApplication.activePopupWidget()
    assert popup_widget is not None
    QTest.keyClick(popup_widget, Qt.Key.Key_Down)
    QTest.keyClick(popup_widget, Qt.Key.Key_Return)
    assert region.code() in {"620102", "540102"}  # 城关区 of 兰州 or of 拉萨
    chosen_region = region.code()
    _replace(qtbot, fields.input("industry_code"), "3985")
    owner = fields.input("owner_id")
    assert isinstance(owner, QComboBox)
    owner_text = owner.itemText(2)
    _choose(qtbot, owner, owner_text)

    QTest.keyClick(editor, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert fields.input("intent_level").hasFocus()
    _choose(qtbot, fields.input("intent_level"), "强")
    _replace(qtbot, fields.input("land_mu"), "120.5")
    _replace(qtbot, fields.input("water_need"), "日用水 500 吨")
    _replace(qtbot, fields.input("power_need"), "双回路供电")
    _replace(qtbot, fields.input("workforce_need"), "300")
    _replace(qtbot, fields.input("investment_intent"), "拟在兰州新区建设正极材料基地")
    _replace(qtbot, fields.input("site_preference"), "靠近铁路货场")
    _replace(qtbot, fields.input("profile"), "专注锂电正极材料")

    QTest.keyClick(editor, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    contacts = editor.contacts_editor
    assert contacts.input("name").hasFocus()
    type_text(qtbot, contacts.input("name"), "钱学文")
    QTest.keyClick(contacts.input("name"), Qt.Key.Key_Tab)
    type_text(qtbot, contacts.input("title"), "投资总监")
    contacts.input("mobile").setFocus()
    QTest.keyClicks(contacts.input("mobile"), "139 0931 1234")
    QTest.keyClick(contacts.input("mobile"), Qt.Key.Key_Return)
    assert "钱学文" in [c.name for c in contacts.contacts()]

    QTest.keyClick(editor, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    honours = editor.honours_editor
    assert honours.kind.hasFocus()
    _choose(qtbot, honours.kind, "专精特新“小巨人”")
    honours.year.setFocus()
    honours.year.selectAll()
    QTest.keyClicks(honours.year, "2023")
    type_text(qtbot, honours.batch, "第五批")
    QTest.keyClick(honours.batch, Qt.Key.Key_Return)
    links = editor.links_editor
    link_name = links.picker.itemText(0)
    links.picker_text.setFocus()
    type_text(qtbot, links.picker_text, link_name)
    QTest.keyClick(links.picker_text, Qt.Key.Key_Return)
    assert links.link_ids()

    with (
        qtbot.waitSignal(page.enterprise_saved, timeout=WAIT),
        qtbot.waitSignal(page.dossier_shown, timeout=WAIT),
    ):
        QTest.keyClick(links.picker_text, Qt.Key.Key_S, CTRL)
    assert page.editor is None

    dossier = EnterpriseService(demo_workspace).dossier(target.id)
    e = dossier.enterprise
    assert e.name == "北京宝润新材料科技集团有限公司"
    assert (e.region_code, e.industry_code) == (chosen_region, "3985")
    assert e.registered_capital == Money.from_wan(15000)
    assert (e.legal_representative, str(e.founded_on)) == ("周建国", "2012-08-15")
    assert (e.headquarters, e.address) == ("北京市海淀区", "北京市海淀区中关村大街1号")
    assert e.website == "www.baorun.example.cn"
    assert e.tags == ("重点目标", "链主企业")
    assert owner_text.startswith(e.owner_name)
    assert (e.intent_level, str(e.land_mu), e.workforce_need) == ("strong", "120.50", 300)
    assert (e.water_need, e.power_need) == ("日用水 500 吨", "双回路供电")
    assert e.investment_intent == "拟在兰州新区建设正极材料基地"
    assert (e.site_preference, e.profile) == ("靠近铁路货场", "专注锂电正极材料")
    assert ("钱学文", "投资总监", "13909311234") in {
        (c.name, c.title, c.mobile) for c in dossier.contacts
    }
    assert ("little_giant", 2023, "第五批") in {(h.kind, h.year, h.batch) for h in dossier.honours}
    assert link_name.split(" · ")[1].split("（")[0] in {link.link_name for link in dossier.links}
    assert page.dossier_view.title_text == e.name


def test_escape_asks_before_dropping_changes_and_a_second_escape_drops_them(
    qtbot: QtBot, page: EnterprisePage, demo_workspace: Workspace
) -> None:
    target = _find(demo_workspace, "北京宝润新材料科技股份有限公司")
    editor = _edit_from_keyboard(qtbot, page, target)
    with qtbot.waitSignal(page.editor_closed, timeout=WAIT):
        QTest.keyClick(editor.fields.input("name"), Qt.Key.Key_Escape)  # nothing changed
    editor = _edit_from_keyboard(qtbot, page, target)
    name = editor.fields.input("name")
    assert isinstance(name, QLineEdit)
    name.setFocus()
    QTest.keyClicks(name, "X")
    QTest.keyClick(name, Qt.Key.Key_Escape)
    assert editor.discard_bar_visible
    assert page.editor is editor
    with qtbot.waitSignal(page.editor_closed, timeout=WAIT):
        QTest.keyClick(name, Qt.Key.Key_Escape)
    assert EnterpriseService(demo_workspace).dossier(target.id).enterprise.name == target.name


def test_dossier_buttons_ask_for_a_visit_a_note_and_the_history(
    qtbot: QtBot, page: EnterprisePage, demo_workspace: Workspace
) -> None:
    row = next(
        r
        for r in EnterpriseService(demo_workspace).page(limit=300).rows
        if EnterpriseService(demo_workspace).dossier(r.id).notes
    )
    with qtbot.waitSignal(page.dossier_shown, timeout=WAIT):
        page.show_enterprise(row.id)
    view = page.dossier_view
    with qtbot.waitSignal(page.visit_requested, timeout=WAIT) as visit:
        view.action_button("visit").click()
    assert visit.args == [row.id]
    with qtbot.waitSignal(page.note_requested, timeout=WAIT) as note:
        view.action_button("note").click()
    assert note.args == [row.id, ""]
    with qtbot.waitSignal(page.history_requested, timeout=WAIT) as history:
        QTest.keyClick(page.table, Qt.Key.Key_H, CTRL)
    assert history.args == ["enterprises", row.id]
    notes = view.section_table(Section.NOTES)
    first_note = view.section_model(Section.NOTES).row_at(0)
    notes.setFocus()
    notes.setCurrentIndex(notes.model().index(0, 0))
    with qtbot.waitSignal(page.note_requested, timeout=WAIT) as opened:
        QTest.keyClick(notes, Qt.Key.Key_Return)
    assert opened.args == [row.id, first_note.id]


def test_merge_through_the_dialog_then_undo_from_the_bar(
    qtbot: QtBot, page: EnterprisePage, demo_workspace: Workspace
) -> None:
    service = EnterpriseService(demo_workspace)
    found = service.page(EnterpriseFilter(text="宝鸡瑞众数据科技")).rows
    keep, other = found[0], found[1]
    before_keep, before_other = service.dossier(keep.id), service.dossier(other.id)
    with qtbot.waitSignal(page.dossier_shown, timeout=WAIT):
        page.show_enterprise(keep.id)
    bar = page.dossier_view.duplicate_bar
    assert bar.isVisible()
    assert other.name in bar.text

    bar.click_merge()
    dialog = page.merge_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT)
    assert dialog.value_text("visits", 1) == str(len(before_other.visits))
    assert f"删除“{other.name}”" in dialog.summary_text
    with (
        qtbot.waitSignal(page.merge_finished, timeout=WAIT),
        qtbot.waitSignal(page.dossier_shown, timeout=WAIT),
    ):
        dialog.confirm()
    merged = service.dossier(keep.id)
    assert len(merged.visits) == len(before_keep.visits) + len(before_other.visits)
    assert len(merged.contacts) == len(before_keep.contacts) + len(before_other.contacts)
    assert service.dossier(other.id).enterprise.deleted
    assert page.merge_bar.isVisible() and "已将" in page.merge_bar.text
    assert other.name in page.dossier_view.merge_notice
    assert page.model.row_of(other.id) is None

    with (
        qtbot.waitSignal(page.merge_undone, timeout=WAIT),
        qtbot.waitSignal(page.dossier_shown, timeout=WAIT),
    ):
        page.merge_bar.click_undo()
    assert "已撤销合并" in page.merge_bar.text
    restored = service.dossier(other.id)
    assert not restored.enterprise.deleted
    assert {v.id for v in restored.visits} == {v.id for v in before_other.visits}
    assert {v.id for v in service.dossier(keep.id).visits} == {v.id for v in before_keep.visits}
    assert EnterpriseMergeService(demo_workspace).receipts_for(keep.id) == ()
    assert page.dossier_view.merge_notice == ""


def test_unsaved_typing_is_kept_within_two_seconds_and_offered_back(
    qtbot: QtBot, page: EnterprisePage, demo_workspace: Workspace, runner: TaskRunner
) -> None:
    target = _find(demo_workspace, "北京宝润新材料科技股份有限公司")
    editor = _edit_from_keyboard(qtbot, page, target)
    profile = editor.fields.input("profile")
    _replace(qtbot, profile, "拟扩建正极材料产线，二期用地约 200 亩")
    key = draft_key(target.id)
    started = time.monotonic()
    qtbot.waitUntil(lambda: _setting(demo_workspace, key) is not None, timeout=3_000)
    assert time.monotonic() - started <= 2.5
    page.close()  # the window goes away without saving (after a crash the same rows remain)

    again = EnterprisePage(EnterpriseService(demo_workspace), runner)
    qtbot.addWidget(again)
    again.show()
    with qtbot.waitSignal(again.list_loaded, timeout=WAIT):
        again.refresh()
    editor = _edit_from_keyboard(qtbot, again, target)
    assert editor.draft_bar.isVisible()
    assert "未保存的修改" in editor.draft_bar.text
    editor.draft_bar.click_restore()
    restored = editor.fields.input("profile")
    assert isinstance(restored, QPlainTextEdit)
    assert "二期用地约 200 亩" in restored.toPlainText()
    with qtbot.waitSignal(again.enterprise_saved, timeout=WAIT):
        QTest.keyClick(editor.fields.input("profile"), Qt.Key.Key_S, CTRL)
    profile_now = EnterpriseService(demo_workspace).dossier(target.id).enterprise.profile
    assert profile_now == "拟扩建正极材料产线，二期用地约 200 亩"
    assert _setting(demo_workspace, key) is None  # saved: nothing kept any more
