"""Run the real desktop app and type into a new visit's discussion field until killed.

    python tests/ui/visit_kill_driver.py DATA_DIR ENTERPRISE_ID LOG

Builds ``ui.main.Desktop`` exactly as ``squaddesk --data-dir DATA_DIR`` does, opens the visits
page through the window, starts a new visit of the enterprise and, once the visit row exists,
types ``TEXT`` into the discussion field one key every ``KEY_MS`` (Latin letters as key presses,
Chinese as input-method commits), forever. The log gets ``visit <id>`` first, then one line
``<time.monotonic()> <characters typed>`` per key, flushed as it goes, so the test that kills
this process knows what was on screen when.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

KEY_MS = 40
SENTENCE = "Visited the plant, 对方关注用地指标 and power supply; next round in May. "


def typed_text(length: int) -> str:
    """The first ``length`` characters the driver types."""
    return "".join(itertools.islice(itertools.cycle(SENTENCE), length))


def main(argv: list[str]) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.settings import Settings
    from ui.app_setup import create_application, register_fonts
    from ui.main import Desktop
    from ui.main_window import PageKey
    from ui.visits.visit_editor import VisitEditor
    from ui.visits.visits_page import VisitsPage

    data_dir, enterprise_id, log_path = Path(argv[0]), argv[1], Path(argv[2])
    app = create_application([sys.argv[0]])
    register_fonts()
    desktop = Desktop(data_dir, Settings(data_dir))
    log = log_path.open("a", encoding="utf-8")
    chars = itertools.cycle(SENTENCE)
    count = 0
    timer = QTimer()
    timer.setInterval(KEY_MS)

    def type_one(editor: VisitEditor) -> None:
        nonlocal count
        char = next(chars)
        box = editor.discussion
        if char.isascii():
            QTest.keyClicks(box, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(box, event)
        count += 1
        log.write(f"{time.monotonic():.4f} {count}\n")
        log.flush()

    def start_typing(editor: VisitEditor, visit_id: str) -> None:
        log.write(f"visit {visit_id}\n")
        log.flush()
        editor.discussion.setFocus()
        timer.timeout.connect(lambda: type_one(editor))
        timer.start()

    def on_editor_opened(editor: VisitEditor) -> None:
        editor.visit_created.connect(lambda visit_id: start_typing(editor, visit_id))

    def on_pages_attached() -> None:
        desktop.window.show_page(PageKey.VISITS)
        page = desktop.window.page(PageKey.VISITS)
        assert isinstance(page, VisitsPage)
        page.editor_opened.connect(on_editor_opened)
        page.new_visit(enterprise_id)

    desktop.pages_attached.connect(on_pages_attached)
    desktop.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
