"""The save corner of the status bar: saving, saved with the time, failed in red."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import desktop_fixtures
import pytest
from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from ui.widgets.save_status import ERROR, SaveStatusLabel

chinese = desktop_fixtures.chinese
SAVED_AT = dt.datetime(2026, 11, 28, 10, 32, 5).astimezone()


class Editor(QObject):
    """Stands for any editor or page: it only has the shared signal."""

    save_state_changed = Signal(str, str)


@pytest.fixture
def label(qtbot: QtBot, chinese: None) -> Iterator[SaveStatusLabel]:
    widget = SaveStatusLabel(saving_delay_ms=50, settle_ms=200, now=lambda: SAVED_AT)
    qtbot.addWidget(widget)
    widget.show()
    yield widget


def test_saved_shows_the_time_then_settles(qtbot: QtBot, label: SaveStatusLabel) -> None:
    editor = Editor()
    editor.save_state_changed.connect(label.show_state)

    editor.save_state_changed.emit("saved", "")

    assert label.plain_text == "已保存 10:32"
    assert "2026年11月28日 10:32:05" in label.toolTip()
    qtbot.waitUntil(lambda: label.plain_text == "已保存", timeout=2000)
    assert "10:32:05" in label.toolTip()


def test_a_slow_save_says_saving(qtbot: QtBot, label: SaveStatusLabel) -> None:
    label.show_state("saving", "")
    qtbot.waitUntil(lambda: label.plain_text == "正在保存…", timeout=2000)
    label.show_state("saved", "")
    assert label.plain_text == "已保存 10:32"


def test_a_quick_save_does_not_flicker(qtbot: QtBot, label: SaveStatusLabel) -> None:
    label.show_state("saved", "")
    label.show_state("saving", "")
    label.show_state("saved", "")
    qtbot.wait(150)
    assert label.plain_text in ("已保存 10:32", "已保存")  # never "正在保存…"


def test_a_failure_is_red_with_the_message_in_the_tooltip(
    qtbot: QtBot, label: SaveStatusLabel
) -> None:
    message = "数据库正被另一个程序占用，请稍后再试（未保存任何更改）"
    label.show_state("failed", message)

    assert label.plain_text.startswith("保存失败：")
    assert ERROR in label.text()
    assert message in label.toolTip()
    qtbot.wait(300)
    assert label.plain_text.startswith("保存失败：")  # stays until a save succeeds
    label.grab()
    label.show_state("saved", "")
    assert label.plain_text == "已保存 10:32" and ERROR not in label.text()
