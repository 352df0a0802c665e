"""What the main window looked like when it was closed: geometry, last page, splitter positions.

Kept in ``window.ini`` in the data dir (Qt's own format: only window state goes to QSettings;
everything a user decides lives in ``app.settings``).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

DEFAULT_SIZE = (1366, 768)  # the common government laptop


class WindowState:
    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def restore_window(self, window: QMainWindow) -> None:
        geometry = self._settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray) and window.restoreGeometry(geometry):
            state = self._settings.value("main_window/state")
            if isinstance(state, QByteArray):
                window.restoreState(state)
        else:
            window.resize(*DEFAULT_SIZE)

    def last_page(self) -> str | None:
        value = self._settings.value("main_window/page")
        return value if isinstance(value, str) else None

    def restore_page(self, name: str, page: QWidget) -> None:
        """Put the page's splitters where they were (matched by their order in the page)."""
        for number, splitter in enumerate(page.findChildren(QSplitter)):
            state = self._settings.value(f"splitters/{name}/{number}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)

    def save(self, window: QMainWindow, page_name: str | None, pages: dict[str, QWidget]) -> None:
        self._settings.setValue("main_window/geometry", window.saveGeometry())
        self._settings.setValue("main_window/state", window.saveState())
        if page_name is not None:
            self._settings.setValue("main_window/page", page_name)
        for name, page in pages.items():
            for number, splitter in enumerate(page.findChildren(QSplitter)):
                self._settings.setValue(f"splitters/{name}/{number}", splitter.saveState())
        self._settings.sync()
