"""The visit form: a whole visit from the keyboard (plus one drop), autosave, drafts, history."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import desktop_fixtures
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.database.opening import open_local_database
from app.database.tables import ContactRow, EnterpriseRow, HistoryEntry, VisitRow
from app.services.attachments import AttachmentService
from app.services.visit_drafts import VisitDraftStore
from app.services.visits import VisitService
from app.services.workspace import Workspace
from ui.task_runner import TaskRunner
from ui.visits.visit_editor import VisitEditor
from ui.visits.visit_services import VisitServices
from ui.visits.visits_page import VisitsPage

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
type_text = desktop_fixtures.type_text
WAIT = 10_000
# The offscreen test platform says these when windows and popup lists (choices) open; they
# are not faults of the widgets (pytest-qt reads only one such mark: all patterns go in it).
pytestmark = pytest.mark.qt_log_ignore(
    *desktop_fixtures.OFFSCREEN_NOISE.args,
    r"This plugin does not support raise\(\)",
    "This plugin does not support grabbing the keyboard",
)


@pytest.fixture
def page(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> Iterator[VisitsPage]:
    widget = VisitsPage(VisitServices.for_workspace(demo_workspace), runner)
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    with qtbot.waitSignal(widget.list_loaded, timeout=WAIT):
        widget.refresh()
    yield widget


@dataclass(frozen=True)
class Target:
    """An enterprise with a contact that has a title, found by its full pinyin initials."""

    enterprise_id: str
    name: str
    initials: str
    contact_name: str
    contact_title: str


def _target(workspace: Workspace) -> Target:
    with workspace.database.read() as session:
        unique = (
            select(EnterpriseRow.name_initials)
            .group_by(EnterpriseRow.name_initials)
            .having(func.count() == 1)
        )
        row = session.execute(
            select(EnterpriseRow, ContactRow.name, ContactRow.title)
            .join(ContactRow, ContactRow.enterprise_id == EnterpriseRow.id)
            .where(ContactRow.title != "", EnterpriseRow.name_initials.in_(unique))
            .order_by(EnterpriseRow.name)
            .limit(1)
        ).one()
    enterprise, contact, title = row
    return Target(enterprise.id, enterprise.name, enterprise.name_initials, contact, title)


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _press(qtbot: QtBot, key: Qt.Key, times: int = 1) -> None:
    """Press a key where the user's key press would go: an open popup list, else the focus."""
    for _ in range(times):
        popup = QApplication.activePopupWidget()
        if popup is not None and popup.isVisible():
            QTest.keyClick(popup, key)
        else:
            _reactivate(qtbot)
            QTest.keyClick(_focused(), key)
    _reactivate(qtbot)


def _reactivate(qtbot: QtBot) -> None:
    """Give the activation back to the form's window once a popup list has closed.

    A window manager does this by itself; the offscreen test platform leaves the closed popup
    "active", so focus moves would only be recorded, not made.
    """
    popup = QApplication.activePopupWidget()
    if popup is not None and popup.isVisible():
        return  # an open list holds the keyboard, as it does for a user
    window = _focused().window()
    active = QApplication.activeWindow()
    if active is not None and active is not window and not active.isVisible():
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT)


def _open_new(qtbot: QtBot, page: VisitsPage, enterprise_id: str | None = None) -> VisitEditor:
    with qtbot.waitSignal(page.editor_opened, timeout=WAIT) as opened:
        page.new_visit(enterprise_id)
    editor: VisitEditor = opened.args[0]
    return editor


def _photo(path: Path, colour: str) -> Path:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    return path


def _db_text(data_dir: Path, visit_id: str, field: str) -> str:
    database = open_local_database(data_dir)
    try:
        with database.read() as session:
            visit = session.get(VisitRow, visit_id)
            return "" if visit is None else str(getattr(visit, field))
    finally:
        database.dispose()


def test_a_whole_visit_from_the_keyboard_and_one_drop(
    qtbot: QtBot, page: VisitsPage, demo_workspace: Workspace, demo_dir: Path, tmp_path: Path
) -> None:
    target = _target(demo_workspace)
    services = VisitServices.for_workspace(demo_workspace)
    defaults = services.choices.defaults()
    colleague = next(m for m in defaults.members if m.id != defaults.member_id)
    editor = _open_new(qtbot, page)
    assert _focused() is editor.enterprise

    # Enterprise: pinyin initials, the list offers it first, Enter takes it and moves on.
    QTest.keyClicks(_focused(), target.initials)
    qtbot.waitUntil(editor.enterprise.popup_visible, timeout=WAIT)
    assert editor.enterprise.model.row_at(0).text == target.name
    with qtbot.waitSignal(editor.visit_created, timeout=WAIT):
        _press(qtbot, Qt.Key.Key_Return)
    assert editor.enterprise.text() == target.name
    assert _focused() is editor.date

    _press(qtbot, Qt.Key.Key_Tab)
    assert _focused() is editor.place
    type_text(qtbot, _focused(), "企业总部三楼会议室")
    _press(qtbot, Qt.Key.Key_Tab, 2)  # past the trip
    assert _focused() is editor.link
    _press(qtbot, Qt.Key.Key_Tab)  # past the chain link
    assert _focused() is editor.participants.input
    QTest.keyClicks(_focused(), colleague.initials)
    qtbot.waitUntil(editor.participants.input.popup_visible, timeout=WAIT)
    _press(qtbot, Qt.Key.Key_Return)  # takes the colleague
    assert editor.participants.member_ids() == (defaults.member_id, colleague.id)
    _press(qtbot, Qt.Key.Key_Return)  # empty box: on to their attendees
    first = editor.attendees.rows[0]
    assert _focused() is first.name

    # A known contact: the title comes with the name. Then a stranger, typed in full.
    type_text(qtbot, _focused(), target.contact_name[:1])
    qtbot.waitUntil(first.name.popup_visible, timeout=WAIT)
    row = next(
        n
        for n in range(first.name.model.rowCount())
        if first.name.model.row_at(n).text == target.contact_name
    )
    _press(qtbot, Qt.Key.Key_Down, row)
    _press(qtbot, Qt.Key.Key_Return)
    assert first.name.text() == target.contact_name
    assert first.title.text() == target.contact_title
    assert _focused() is first.title
    _press(qtbot, Qt.Key.Key_Return)  # Enter in a title adds a row
    second = editor.attendees.rows[1]
    assert _focused() is second.name
    type_text(qtbot, _focused(), "李明远")
    _press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, _focused(), "财务总监")
    _press(qtbot, Qt.Key.Key_Return)
    _press(qtbot, Qt.Key.Key_Return)  # Enter in the new, empty row: on to the purpose
    assert _focused() is editor.purpose

    type_text(qtbot, _focused(), "了解扩产计划")
    _press(qtbot, Qt.Key.Key_Tab)
    assert _focused() is editor.discussion
    type_text(qtbot, _focused(), "对方计划在华东新建生产基地，关注用地和用电指标。")
    _press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, _focused(), "同意下月来我市实地考察")
    _press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, _focused(), "准备考察路线和政策汇编")
    _press(qtbot, Qt.Key.Key_Tab)
    assert _focused() is editor.follow_up.title

    # A follow-up task: title, owner (me by default), due date; Enter adds it.
    type_text(qtbot, _focused(), "寄送产业政策汇编")
    _press(qtbot, Qt.Key.Key_Tab, 2)
    assert _focused() is editor.follow_up.due
    with qtbot.waitSignal(editor.follow_up.task_added, timeout=WAIT):
        _press(qtbot, Qt.Key.Key_Return)
    assert editor.follow_up.model.rowCount() == 1

    # A photo through 添加附件… with the keyboard, then a scan dropped on the strip.
    photo = _photo(tmp_path / "名片.png", "#336699")
    scan = _photo(tmp_path / "会谈纪要扫描.png", "#993333")
    strip = editor.attachments
    add = next(b for b in strip.findChildren(QPushButton) if b.text() == "添加附件…")
    for _ in range(6):
        if _focused() is add:
            break
        _press(qtbot, Qt.Key.Key_Tab)
    assert _focused() is add
    _press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: strip.file_dialog is not None and strip.file_dialog.isVisible())
    dialog = strip.file_dialog
    assert isinstance(dialog, QFileDialog)
    dialog.activateWindow()  # what the window manager does with a new dialog
    qtbot.waitUntil(lambda: dialog.isAncestorOf(_focused()), timeout=WAIT)
    name_box = _focused()
    assert isinstance(name_box, QLineEdit)
    with qtbot.waitSignal(strip.attachments_changed, timeout=WAIT):
        type_text(qtbot, name_box, str(photo))  # the path holds Chinese: typed through the IME
        QTest.keyClick(name_box, Qt.Key.Key_Return)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(scan))])
    where = QPoint(strip.width() // 2, strip.height() // 2)
    enter = QDragEnterEvent(
        where,
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(strip, enter)  # a drag first enters the strip, which takes it
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(where),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(strip.attachments_changed, timeout=WAIT):
        QApplication.sendEvent(strip, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: strip.model.rowCount() == 2, timeout=WAIT)

    # Esc: the form closes (already saved); the list shows the new visit.
    visit_id = editor.visit_id
    assert visit_id is not None
    with qtbot.waitSignal(page.visit_shown, timeout=WAIT):
        QTest.keyClick(editor.discussion, Qt.Key.Key_Escape)
    assert page.editor is None
    qtbot.waitUntil(lambda: page.model.row_of(visit_id) is not None, timeout=WAIT)

    # Reopened from the database file: everything is there.
    _assert_recorded(demo_dir, visit_id, target, defaults.member_id, colleague.id)


def _assert_recorded(
    data_dir: Path, visit_id: str, target: Target, me: str | None, colleague: str
) -> None:
    database = open_local_database(data_dir)
    try:
        workspace = Workspace(database, data_dir)
        visit = VisitService(workspace).detail(visit_id)
        assert visit.enterprise_id == target.enterprise_id
        assert visit.place == "企业总部三楼会议室"
        assert {p.member_id for p in visit.participants} == {me, colleague}
        assert [(a.name, a.title) for a in visit.attendees] == [
            (target.contact_name, target.contact_title),
            ("李明远", "财务总监"),
        ]
        assert visit.attendees[0].contact_id is not None
        assert visit.purpose == "了解扩产计划"
        assert visit.discussion == "对方计划在华东新建生产基地，关注用地和用电指标。"
        assert visit.outcomes == "同意下月来我市实地考察"
        assert visit.next_steps == "准备考察路线和政策汇编"
        assert [(t.title, t.owner_id) for t in visit.tasks] == [("寄送产业政策汇编", me)]
        assert visit.tasks[0].due_on is not None
        files = AttachmentService(workspace).list_for("visits", visit_id)
        assert sorted(f.filename for f in files) == ["会谈纪要扫描.png", "名片.png"]
        assert all(f.available and f.kind == "photo" for f in files)
    finally:
        database.dispose()


def test_the_reopened_page_shows_the_visit_with_its_tasks_and_photos(
    qtbot: QtBot,
    page: VisitsPage,
    demo_workspace: Workspace,
    demo_dir: Path,
    tmp_path: Path,
    runner: TaskRunner,
) -> None:
    target = _target(demo_workspace)
    editor = _open_new(qtbot, page, target.enterprise_id)
    qtbot.waitUntil(lambda: editor.visit_id is not None, timeout=WAIT)
    visit_id = editor.visit_id
    assert visit_id is not None
    editor.discussion.setFocus()
    type_text(qtbot, editor.discussion, "谈了落地时间表")
    editor.follow_up.title.setFocus()
    type_text(qtbot, editor.follow_up.title, "约下一次会谈")
    with qtbot.waitSignal(editor.follow_up.task_added, timeout=WAIT):
        QTest.keyClick(editor.follow_up.title, Qt.Key.Key_Return)
    with qtbot.waitSignal(editor.attachments.attachments_changed, timeout=WAIT):
        editor.attachments.add_files([_photo(tmp_path / "现场.png", "#2a7")])
    QTest.keyClick(editor.discussion, Qt.Key.Key_Escape)
    page.close()
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT)  # the first window is done

    reopened = Workspace(open_local_database(demo_dir), demo_dir)
    other_runner = TaskRunner()
    try:
        fresh = VisitsPage(VisitServices.for_workspace(reopened), other_runner)
        qtbot.addWidget(fresh)
        fresh.resize(1280, 760)
        fresh.show()
        with qtbot.waitSignal(fresh.visit_shown, timeout=WAIT):
            fresh.show_visit(visit_id)
        detail = fresh.detail_view
        assert detail.form().value("discussion") == "谈了落地时间表"
        assert detail.task_model.rowCount() == 1
        assert detail.task_model.row_at(0).title == "约下一次会谈"
        qtbot.waitUntil(lambda: detail.attachment_strip.model.rowCount() == 1, timeout=WAIT)
        detail.grab()
    finally:
        other_runner.shutdown()
        reopened.database.dispose()


def test_typed_text_reaches_the_database_within_two_seconds_without_saving(
    qtbot: QtBot, page: VisitsPage, demo_workspace: Workspace, demo_dir: Path
) -> None:
    target = _target(demo_workspace)
    editor = _open_new(qtbot, page, target.enterprise_id)
    qtbot.waitUntil(lambda: editor.visit_id is not None, timeout=WAIT)
    visit_id = editor.visit_id
    assert visit_id is not None
    editor.discussion.setFocus()
    QTest.keyClicks(editor.discussion, "Visited the plant; they want 200 mu.")
    typed = time.monotonic()
    qtbot.waitUntil(
        lambda: (
            _db_text(demo_dir, visit_id, "discussion") == "Visited the plant; they want 200 mu."
        ),
        timeout=2000,
    )
    assert time.monotonic() - typed <= 2.0
    assert editor.discussion.hasFocus()  # nothing left the field, nothing pressed Ctrl+S


def test_continuous_typing_is_saved_while_it_goes_on(
    qtbot: QtBot, page: VisitsPage, demo_workspace: Workspace, demo_dir: Path
) -> None:
    target = _target(demo_workspace)
    editor = _open_new(qtbot, page, target.enterprise_id)
    qtbot.waitUntil(lambda: editor.visit_id is not None, timeout=WAIT)
    visit_id = editor.visit_id
    assert visit_id is not None
    editor.discussion.setFocus()
    typed_at: list[tuple[float, str]] = []
    started = time.monotonic()
    text = ""
    while time.monotonic() - started < 3.5:  # a keystroke every ~50 ms, never a pause
        text += "abcdefghij"[len(text) % 10]
        QTest.keyClicks(editor.discussion, text[-1])
        typed_at.append((time.monotonic(), text))
        qtbot.wait(50)
    saved = _db_text(demo_dir, visit_id, "discussion")
    deadline = time.monotonic() - 2.0
    due = max((t for at, t in typed_at if at <= deadline), key=len)
    assert text.startswith(saved)
    assert len(saved) >= len(due)


def test_autosaves_of_one_field_share_a_history_row(
    qtbot: QtBot, page: VisitsPage, demo_workspace: Workspace
) -> None:
    target = _target(demo_workspace)
    editor = _open_new(qtbot, page, target.enterprise_id)
    qtbot.waitUntil(lambda: editor.visit_id is not None, timeout=WAIT)
    visit_id = editor.visit_id
    assert visit_id is not None
    editor.discussion.setFocus()
    for word in ("first ", "second ", "third"):
        QTest.keyClicks(editor.discussion, word)
        with qtbot.waitSignal(editor.save_state_changed, timeout=WAIT):
            editor.save_now()
        qtbot.waitUntil(lambda: editor.autosaver.idle, timeout=WAIT)
    with demo_workspace.database.read() as session:
        patches = session.scalars(
            select(HistoryEntry).where(HistoryEntry.row_id == visit_id, HistoryEntry.op == "patch")
        ).all()
    assert [entry.changes for entry in patches] == [{"discussion": ["", "first second third"]}]


def test_text_typed_before_the_enterprise_is_offered_back_after_a_crash(
    qtbot: QtBot, demo_workspace: Workspace, demo_dir: Path, runner: TaskRunner, chinese: None
) -> None:
    page = VisitsPage(VisitServices.for_workspace(demo_workspace), runner)
    qtbot.addWidget(page)
    page.show()
    editor = _open_new(qtbot, page)
    editor.discussion.setFocus()
    type_text(qtbot, editor.discussion, "还没选企业就先记下的内容")
    store = VisitDraftStore(demo_dir)
    qtbot.waitUntil(lambda: len(store.load_all()) == 1, timeout=3000)
    assert store.load_all()[0].content.discussion == "还没选企业就先记下的内容"

    # The app "dies": the data dir is copied as it is now and opened by a new page.
    crashed = demo_dir.parent / "after-crash"
    shutil.copytree(demo_dir, crashed)
    reopened = Workspace(open_local_database(crashed), crashed)
    other_runner = TaskRunner()
    try:
        fresh = VisitsPage(VisitServices.for_workspace(reopened), other_runner)
        qtbot.addWidget(fresh)
        fresh.show()
        with qtbot.waitSignal(fresh.drafts_checked, timeout=WAIT) as checked:
            fresh.refresh()
        assert checked.args == [1]
        assert fresh.draft_bar.isVisible()
        with qtbot.waitSignal(fresh.editor_opened, timeout=WAIT) as opened:
            fresh.draft_bar.click_recover()
        recovered: VisitEditor = opened.args[0]
        assert recovered.discussion.text() == "还没选企业就先记下的内容"
        target = _target(reopened)
        recovered.enterprise.setFocus()
        QTest.keyClicks(recovered.enterprise, target.initials)
        qtbot.waitUntil(recovered.enterprise.popup_visible, timeout=WAIT)
        with qtbot.waitSignal(recovered.visit_created, timeout=WAIT):
            QTest.keyClick(recovered.enterprise, Qt.Key.Key_Return)
        visit_id = recovered.visit_id
        assert visit_id is not None
        qtbot.waitUntil(lambda: not VisitDraftStore(crashed).load_all(), timeout=WAIT)
        assert _db_text(crashed, visit_id, "discussion") == "还没选企业就先记下的内容"
    finally:
        other_runner.shutdown()
        reopened.database.dispose()


def test_an_enterprise_that_was_not_picked_is_named_next_to_the_field(
    qtbot: QtBot, page: VisitsPage
) -> None:
    editor = _open_new(qtbot, page)
    type_text(qtbot, editor.enterprise, "不存在的企业名称某某某")
    qtbot.waitUntil(lambda: editor.problem("enterprise_id") != "", timeout=WAIT)
    assert editor.problem("enterprise_id") == "没有找到匹配的企业"
    QTest.keyClick(editor.enterprise, Qt.Key.Key_Tab)
    assert editor.problem("enterprise_id") == "请从候选列表中选择企业（上下键选择，回车确认）"
    assert editor.visit_id is None


def test_closing_a_form_without_an_enterprise_keeps_its_text_as_a_draft(
    qtbot: QtBot, page: VisitsPage
) -> None:
    editor = _open_new(qtbot, page)
    editor.purpose.setFocus()
    type_text(qtbot, editor.purpose, "先记下目的")
    with qtbot.waitSignal(page.drafts_checked, timeout=WAIT) as checked:
        QTest.keyClick(editor.purpose, Qt.Key.Key_Escape)
    assert checked.args == [1]
    assert page.editor is None
    assert "未选企业" in page.draft_bar.text
    with qtbot.waitSignal(page.editor_opened, timeout=WAIT) as opened:
        page.draft_bar.click_recover()
    assert opened.args[0].purpose.text() == "先记下目的"
