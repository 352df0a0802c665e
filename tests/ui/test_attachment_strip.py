"""The attachment strip: a dropped photo is stored, shown as a thumbnail, removed with undo."""

from __future__ import annotations

from pathlib import Path

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.database.tables import EnterpriseRow
from app.services.attachments import AttachmentService
from app.services.workspace import Workspace
from ui.task_runner import TaskRunner
from ui.widgets.attachment_strip import AttachmentStrip

drop_files = desktop_fixtures.drop_files
demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
pytestmark = desktop_fixtures.OFFSCREEN_NOISE


def _photo(path: Path) -> Path:
    image = QImage(1200, 800, QImage.Format.Format_RGB32)
    image.fill(QColor("#2b6f4a"))
    assert image.save(str(path))
    return path


@pytest.fixture
def enterprise_id(demo_workspace: Workspace) -> str:
    with demo_workspace.database.read() as session:
        found = session.scalar(select(EnterpriseRow.id).limit(1))
    assert found is not None
    return found


def test_dropping_a_photo_attaches_it_with_a_thumbnail_and_delete_can_be_undone(
    qtbot: QtBot,
    demo_workspace: Workspace,
    runner: TaskRunner,
    enterprise_id: str,
    tmp_path: Path,
) -> None:
    service = AttachmentService(demo_workspace)
    before = len(service.list_for("enterprises", enterprise_id))
    strip = AttachmentStrip(service, runner)
    qtbot.addWidget(strip)
    strip.resize(600, 200)
    strip.show()
    strip.set_owner("enterprises", enterprise_id)
    qtbot.waitUntil(lambda: "附件" in strip.hint_text)

    with qtbot.waitSignal(strip.attachments_changed, timeout=5000):
        drop_files(strip, [_photo(tmp_path / "现场照片.jpg")])

    qtbot.waitUntil(lambda: strip.model.rowCount() == before + 1)
    names = [strip.model.row_at(row).filename for row in range(strip.model.rowCount())]
    assert "现场照片.jpg" in names
    row = names.index("现场照片.jpg")
    added = strip.model.row_at(row)
    qtbot.waitUntil(lambda: strip.model.has_thumbnail(added.sha256))
    assert service.thumbnail_path(added.sha256, 96).is_file()
    strip.grab()

    strip.view.setFocus()
    strip.view.setCurrentIndex(strip.model.index(row))
    with qtbot.waitSignal(strip.attachments_changed, timeout=5000):
        QTest.keyClick(strip.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: strip.model.rowCount() == before)
    assert "现场照片.jpg" in strip.message_bar.text
    with qtbot.waitSignal(strip.attachments_changed, timeout=5000):
        strip.message_bar.click_undo()
    qtbot.waitUntil(lambda: strip.model.rowCount() == before + 1)


def test_without_a_record_yet_drops_are_refused_and_the_strip_says_why(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, tmp_path: Path
) -> None:
    strip = AttachmentStrip(AttachmentService(demo_workspace), runner)
    qtbot.addWidget(strip)
    strip.set_owner("visits", None)
    drop_files(strip, [_photo(tmp_path / "a.jpg")])
    qtbot.wait(100)
    assert strip.model.rowCount() == 0
    assert "保存记录后" in strip.hint_text
