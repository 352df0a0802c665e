"""Layouts hold on a 1366×768 government laptop and on a 4K screen: every page, nothing cut.

For each size the main window is built on the small demo, resized to the size, and every page
is shown once (its data loaded). Then:

- the window's and the page's ``minimumSizeHint()`` fit the size, and the window really is that
  size (a layout that demands more would push the window past the screen);
- every visible button, label, line edit and combo box outside a scroll area lies inside the
  window and got at least its minimum size (otherwise its text is cut).

Screenshots of each page go to ``/tmp/shots/layout-<w>x<h>-<page>.png`` for a person to look at.
The 4K screen at 200 % scaling (what Windows and GNOME pick for it) is checked the same way in a
fresh process whose offscreen screen is 3840×2160 physical pixels at a device pixel ratio of 2.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import desktop_fixtures
import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QComboBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.i18n import set_language
from app.settings import LANGUAGE, Settings
from ui.app_setup import create_application, register_fonts
from ui.main import Desktop
from ui.main_window import PageKey

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
chinese = desktop_fixtures.chinese
WAIT = 20_000
SHOTS = Path(os.environ.get("SQUADDESK_SHOTS", "/tmp/shots"))
ROOT = Path(__file__).resolve().parents[2]
pytestmark = desktop_fixtures.OFFSCREEN_NOISE

LAPTOP = QSize(1366, 768)
FOUR_K = QSize(3840, 2160)
CHECKED_TYPES = (QAbstractButton, QLabel, QLineEdit, QComboBox)
TAB_SCROLLERS = frozenset({"ScrollLeftButton", "ScrollRightButton"})
"""A tab bar's own arrows, sized by the style: longer English tab names may scroll."""
WaitUntil = Callable[[Callable[[], bool]], None]


@pytest.fixture
def desktop(qtbot: QtBot, demo_dir: Path, chinese: None) -> Iterator[Desktop]:
    register_fonts()  # as ``ui.main`` does: the screenshots must show Chinese
    made = Desktop(demo_dir, Settings(demo_dir))
    qtbot.addWidget(made.window)
    with qtbot.waitSignal(made.first_rows_shown, timeout=WAIT):
        made.start()
    yield made
    made.window.close()
    made.shutdown()


@pytest.mark.parametrize("size", [LAPTOP, FOUR_K], ids=["1366x768", "3840x2160"])
def test_every_page_fits_and_nothing_is_cut(qtbot: QtBot, desktop: Desktop, size: QSize) -> None:
    problems = visit_every_page(_qtbot_waiter(qtbot), desktop, size, SHOTS)
    assert problems == []


def test_every_page_fits_a_laptop_in_english(qtbot: QtBot, demo_dir: Path, chinese: None) -> None:
    """English labels run longer than Chinese ones: none may widen the window past 1366."""
    register_fonts()
    settings = Settings(demo_dir)
    settings.set(LANGUAGE, "en")
    set_language("en")
    made = Desktop(demo_dir, settings)
    qtbot.addWidget(made.window)
    with qtbot.waitSignal(made.first_rows_shown, timeout=WAIT):
        made.start()
    try:
        problems = visit_every_page(_qtbot_waiter(qtbot), made, LAPTOP, SHOTS / "en")
        assert problems == []
        assert made.window.width() == LAPTOP.width()
    finally:
        made.window.close()
        made.shutdown()


@pytest.mark.slow
def test_every_page_fits_on_a_4k_screen_at_200_percent(tmp_path: Path, demo_dir: Path) -> None:
    """A fresh process, since the screen and its pixel ratio are fixed when Qt starts."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [_screen(FOUR_K, 2.0)]}), encoding="utf-8")
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=f"offscreen:configfile={config}",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(Path(__file__).parent)]),
    )
    done = subprocess.run(
        [sys.executable, __file__, str(demo_dir), str(SHOTS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["ratio"] == 2.0
    assert report["logical"] == [1920, 1080]
    assert report["problems"] == []


# -- the checks --------------------------------------------------------------------------------


def visit_every_page(
    wait_until: WaitUntil, desktop: Desktop, size: QSize, shots: Path
) -> list[str]:
    window = desktop.window
    window.resize(size)
    window.show()
    problems: list[str] = []
    shots.mkdir(parents=True, exist_ok=True)
    label = f"{round(size.width() * window.devicePixelRatio())}x"
    label += f"{round(size.height() * window.devicePixelRatio())}"
    if window.devicePixelRatio() != 1:
        label += f"@{window.devicePixelRatio():g}x"
    for key in PageKey:
        window.show_page(key)
        _settle(wait_until, desktop)
        page = window.page(key)
        assert page is not None
        window.grab().save(str(shots / f"layout-{label}-{key.name.lower()}.png"))
        problems += [f"{key.name} @ {label}: {text}" for text in page_problems(window, page, size)]
    return problems


def page_problems(window: QMainWindow, page: QWidget, size: QSize) -> list[str]:
    found: list[str] = []
    hint = window.minimumSizeHint()
    if hint.width() > size.width() or hint.height() > size.height():
        found.append(f"window needs {hint.width()}×{hint.height()}")
    if window.size() != size:
        found.append(f"window is {window.width()}×{window.height()}, not the screen's size")
    page_hint = page.minimumSizeHint()
    if page_hint.width() > page.width() or page_hint.height() > page.height():
        found.append(
            f"page needs {page_hint.width()}×{page_hint.height()}, has {page.width()}×"
            f"{page.height()}"
        )
    inside = QRect(0, 0, window.width(), window.height())
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, CHECKED_TYPES) or not widget.isVisible():
            continue
        if _scrolls(widget) or isinstance(widget.window(), QMenu):
            continue
        if widget.objectName().startswith("qt_") or widget.objectName() in TAB_SCROLLERS:
            continue  # a part of a Qt composite (a spin box's line edit): checked as the whole
        name = _describe(widget)
        rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        if not inside.contains(rect):
            found.append(f"{name} lies outside the window ({_rect(rect)})")
        minimum = widget.minimumSizeHint()
        wraps = isinstance(widget, QLabel) and widget.wordWrap()
        if widget.width() < minimum.width() and not wraps:
            found.append(f"{name} is {widget.width()} wide, needs {minimum.width()}")
        if widget.height() < minimum.height():
            found.append(f"{name} is {widget.height()} high, needs {minimum.height()}")
    return found


def _settle(wait_until: WaitUntil, desktop: Desktop) -> None:
    """The page's queries have answered and been shown (twice: answers may ask for more)."""
    for _ in range(2):
        wait_until(lambda: not desktop.runner.busy)
        pause_until = time.monotonic() + 0.05
        wait_until(lambda: time.monotonic() >= pause_until)  # noqa: B023


def _qtbot_waiter(qtbot: QtBot) -> WaitUntil:
    def wait_until(condition: Callable[[], bool]) -> None:
        qtbot.waitUntil(condition, timeout=WAIT)

    return wait_until


def _event_loop_waiter(condition: Callable[[], bool]) -> None:
    """Without pytest (the scaled-screen process): run events until ``condition`` holds."""
    deadline = time.monotonic() + WAIT / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not settle")
        QTest.qWait(10)


def _scrolls(widget: QWidget) -> bool:
    """Inside a scroll area's viewport: it may lie outside, the user scrolls to it."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return True
        parent = parent.parentWidget()
    return False


def _describe(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QAbstractButton | QLabel | QLineEdit):
        text = widget.text()
    elif isinstance(widget, QComboBox):
        text = widget.currentText()
    short = " ".join(text.split())[:30]
    return f"{type(widget).__name__} {widget.objectName() or ''}“{short}”".replace(" “", "“")


def _rect(rect: QRect) -> str:
    return f"{rect.x()},{rect.y()} {rect.width()}×{rect.height()}"


def _screen(size: QSize, ratio: float) -> dict[str, object]:
    """An offscreen screen of ``size`` physical pixels scaled by ``ratio``.

    The scaling is given as a logical DPI above the base DPI, as a desktop reports it: Qt then
    scales everything (windows are laid out in ``size / ratio`` logical pixels and painted
    with ``ratio`` device pixels each). The plugin's own ``dpr`` key does not scale painting.
    """
    return {
        "name": "OffscreenScreen",
        "x": 0,
        "y": 0,
        "width": size.width(),
        "height": size.height(),
        "logicalDpi": 96 * ratio,
        "logicalBaseDpi": 96,
        "dpr": 1,
    }


def _run_scaled(data_dir: Path, shots: Path) -> None:
    """In the fresh process: the whole window at the screen's logical size, then report."""
    app = create_application([sys.argv[0]])
    register_fonts()
    screen = app.primaryScreen()
    desktop = Desktop(data_dir, Settings(data_dir))
    shown: list[float] = []
    desktop.first_rows_shown.connect(shown.append)
    desktop.start()
    _event_loop_waiter(lambda: bool(shown))
    logical = screen.availableGeometry().size()
    problems = visit_every_page(_event_loop_waiter, desktop, logical, shots)
    print(
        json.dumps(
            {
                "ratio": screen.devicePixelRatio(),
                "logical": [logical.width(), logical.height()],
                "problems": problems,
            },
            ensure_ascii=False,
        ),
        flush=True,
    )
    desktop.window.close()
    desktop.shutdown()


if __name__ == "__main__":
    _run_scaled(Path(sys.argv[1]), Path(sys.argv[2]))
