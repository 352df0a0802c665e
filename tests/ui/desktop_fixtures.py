"""Data dirs and runners for the desktop UI tests.

Each test module binds the fixtures it uses (``demo_dir = desktop_fixtures.demo_dir``). A data
dir with the small demo is built once per session (``build_demo``) and copied for each test, so
every test gets its own real SQLite file.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.database.opening import open_local_database
from app.demo.generator import DemoSize, build_demo
from app.i18n import DEFAULT_LANGUAGE, set_language
from app.services.workspace import Workspace
from ui.task_runner import TaskRunner

# The offscreen platform plugin (tests only) says this whenever a shown window's size limits
# change; it is not a fault of the widgets.
OFFSCREEN_NOISE = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def type_text(qtbot: Any, widget: QWidget, text: str) -> None:
    """Type as a user would: keys for ASCII, an input-method commit for Chinese (as an IME does;
    QTest cannot press keys for characters outside ASCII)."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def drop_files(widget: QWidget, paths: list[Path]) -> None:
    """Drop files on ``widget`` as a file manager would: a drag enters, then the drop.

    (Qt delivers a drop only to the widget that accepted the drag's entry.)
    """
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    QApplication.sendEvent(widget, drop)


def build_data_dir(data_dir: Path) -> None:
    database = open_local_database(data_dir)
    try:
        build_demo(database, DemoSize.SMALL, seed=42)
    finally:
        database.dispose()


_templates: dict[str, Path] = {}


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per session, however many modules bind this fixture."""
    if "demo" not in _templates:
        data_dir = tmp_path_factory.mktemp("demo-template")
        build_data_dir(data_dir)
        _templates["demo"] = data_dir
    return _templates["demo"]


@pytest.fixture
def demo_dir(demo_template: Path, tmp_path: Path) -> Path:
    """A data dir of its own holding the small demo."""
    target = tmp_path / "data"
    shutil.copytree(demo_template, target)
    return target


@pytest.fixture
def demo_workspace(demo_dir: Path) -> Iterator[Workspace]:
    database = open_local_database(demo_dir)
    yield Workspace(database, demo_dir)
    database.dispose()


@pytest.fixture
def runner(qtbot: object) -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


@pytest.fixture
def chinese() -> Iterator[None]:
    """Chinese UI for the test, and again afterwards whatever the test switched to."""
    set_language(DEFAULT_LANGUAGE)
    yield
    set_language(DEFAULT_LANGUAGE)
