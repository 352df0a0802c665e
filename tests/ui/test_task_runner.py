"""The task runner drops answers meant for a widget that has gone meanwhile."""

from __future__ import annotations

import threading
from functools import partial

import desktop_fixtures
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.domain.errors import AppError
from ui.task_runner import TaskRunner

runner = desktop_fixtures.runner


def test_answers_for_a_closed_widget_are_dropped_and_others_delivered(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    gate = threading.Event()
    closed, open_ = QLabel(), QLabel()
    qtbot.addWidget(open_)
    seen: list[str] = []

    def slow(_token: object) -> str:
        gate.wait(5)
        return "late"

    def refused(_token: object) -> None:
        raise AppError("refused")

    runner.submit(slow, lambda text: seen.append(f"closed:{text}"), owner=closed)
    runner.submit(refused, None, lambda e: seen.append(f"closed:{e}"), owner=closed)
    runner.submit(lambda _t: "fine", lambda text: seen.append(f"open:{text}"), owner=open_)
    closed.deleteLater()
    qtbot.waitUntil(lambda: not _alive(closed))
    with qtbot.waitSignal(runner.all_done, timeout=5000):
        gate.set()
    assert seen == ["open:fine"]


def _alive(widget: QLabel) -> bool:
    try:
        widget.objectName()
    except RuntimeError:
        return False
    return True


def test_thousands_of_jobs_in_a_row_are_all_answered(qtbot: QtBot) -> None:
    """An hour of autosaving is a few thousand jobs; PySide6 6.12.0 aborted the process after a
    few hundred cross-thread answers (pinned below it in pyproject.toml)."""
    runner = TaskRunner()
    answered: list[int] = []
    try:
        for number in range(3000):
            runner.submit(partial(_echo, number), on_success=answered.append)
        qtbot.waitUntil(lambda: len(answered) == 3000, timeout=60_000)
    finally:
        runner.shutdown()
    assert answered == list(range(3000))


def _echo(number: int, _token: object) -> int:
    return number
