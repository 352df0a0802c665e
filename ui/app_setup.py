"""Process-wide Qt set-up: the application object, the shipped CJK font, Qt's own
translations, and the crash handler every unexpected exception reaches."""

from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QLibraryInfo, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import DEFAULT_LANGUAGE, tr
from resources import resource_path

FONT_FILE = "DroidSansFallbackFull.ttf"
APP_ICON = "squaddesk.svg"
log = logging.getLogger("squaddesk")


def create_application(argv: list[str]) -> QApplication:
    """The one ``QApplication`` (reused when one exists, as under pytest-qt)."""
    QCoreApplication.setOrganizationName("SquadDesk")
    QCoreApplication.setApplicationName("SquadDesk")
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv)
    # The bundle's icon on title bars and task bars, and on Wayland the menu entry it belongs to
    # (packaging/linux/squaddesk.desktop).
    app.setWindowIcon(QIcon(str(resource_path("icons", APP_ICON))))
    QGuiApplication.setDesktopFileName("squaddesk")
    return app


def register_fonts() -> list[str]:
    """Register the shipped CJK font and make it the fallback for Han text.

    The application font keeps the system's default family first (for Latin text) and adds
    the shipped family after it, so Chinese renders on machines without a CJK font.
    """
    font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", FONT_FILE)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    font = QFont(QGuiApplication.font())
    wanted = [font.family(), *(family for family in families if family != font.family())]
    font.setFamilies(wanted)
    QApplication.setFont(font)
    return families


class QtTranslations:
    """Qt's own strings (dialog buttons, context menus) in the UI language."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translator: QTranslator | None = None

    def install(self, language: str) -> None:
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        if language != DEFAULT_LANGUAGE:
            return  # source strings of Qt are English
        translator = QTranslator(self._app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{language}", folder):
            self._app.installTranslator(translator)
            self._translator = translator


class CrashDialog(QDialog):
    """Says something went wrong, where it was logged, and offers the details to copy."""

    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("SquadDesk 出错了"))
        if log_file is not None:
            text = tr(
                "程序遇到了一个意外错误。已保存的数据不受影响。\n"
                "错误详情已记录在：{path}\n请把详情发给维护人员。",
                path=str(log_file),
            )
        else:
            text = tr("程序遇到了一个意外错误。已保存的数据不受影响。\n请把详情发给维护人员。")
        message = QLabel(text, self)
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._details = QPlainTextEdit(details, self)
        self._details.setReadOnly(True)
        buttons = QDialogButtonBox(self)
        copy = buttons.addButton(tr("复制详情"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self._on_copy_clicked)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self._details, 1)
        layout.addWidget(buttons)
        self.resize(640, 400)

    @property
    def details(self) -> str:
        return self._details.toPlainText()

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details)


class CrashHandler:
    """``sys.excepthook``: log the traceback to ``<data dir>/logs/`` and show ``CrashDialog``."""

    def __init__(self, log_dir: Path) -> None:
        self._log_dir = log_dir
        self._dialog: CrashDialog | None = None
        self._previous = sys.excepthook

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        if sys.excepthook == self.handle:
            sys.excepthook = self._previous

    @property
    def dialog(self) -> CrashDialog | None:
        return self._dialog

    def handle(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous(kind, error, trace)
            return
        details = "".join(traceback.format_exception(kind, error, trace))
        log_file = self._write_log(details)
        log.error("unexpected error\n%s", details)
        if QApplication.instance() is None or self._dialog is not None:
            _to_stderr(details)
            return  # one dialog at a time; the rest are in the log
        try:
            self._dialog = CrashDialog(details, log_file)
            self._dialog.finished.connect(self._on_dialog_finished)
            self._dialog.open()
        except Exception:  # the crash handler must never crash
            _to_stderr(details)

    def _write_log(self, details: str) -> Path | None:
        stamp = dt.datetime.now()
        try:
            self._log_dir.mkdir(parents=True, exist_ok=True)
            path = self._log_dir / f"crash-{stamp:%Y%m%d-%H%M%S-%f}.log"
            path.write_text(f"{stamp.isoformat()}\n{details}", encoding="utf-8")
        except OSError:
            return None
        return path

    def _on_dialog_finished(self, _result: int) -> None:
        if self._dialog is not None:
            self._dialog.deleteLater()
        self._dialog = None


def _to_stderr(details: str) -> None:
    """Print to the terminal, if there is one: a windowed Windows bundle has no ``sys.stderr``."""
    if sys.stderr is not None:
        sys.stderr.write(details)
