"""Where a report is saved: the save dialog, named after the report, in the last folder used.

The folder is window state (like a splitter position), so it lives in the data dir's
``window.ini`` through ``QSettings``; without settings (tests) it is remembered in memory only.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from app.i18n import mark, tr

FOLDER_KEY = "reports/last_folder"


class ReportFormat(Enum):
    """A file a report can be saved as: (suffix, dialog title, dialog filter)."""

    PDF = (".pdf", mark("另存为 PDF"), mark("PDF 文件 (*.pdf)"))
    XLSX = (".xlsx", mark("导出 Excel"), mark("Excel 工作簿 (*.xlsx)"))

    @property
    def suffix(self) -> str:
        return self.value[0]

    @property
    def title(self) -> str:
        return tr(self.value[1])

    @property
    def file_filter(self) -> str:
        return tr(self.value[2])


class ReportFolder:
    """The folder reports were last saved in (the user's documents folder at first)."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings
        self._folder: Path | None = None

    def folder(self) -> Path:
        remembered = self._folder
        if self._settings is not None:  # read each time: the page and the router share it
            value = self._settings.value(FOLDER_KEY)
            remembered = Path(value) if isinstance(value, str) and value else None
        if remembered is not None and remembered.is_dir():
            return remembered
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return Path(documents) if documents else Path.home()

    def remember(self, saved: Path) -> None:
        self._folder = saved.parent
        if self._settings is not None:
            self._settings.setValue(FOLDER_KEY, str(saved.parent))
            self._settings.sync()


def choose_target(
    parent: QWidget | None, kind: ReportFormat, folder: Path, file_stem: str
) -> Path | None:
    """Ask where to save (the suggested name is the report's own); ``None`` when cancelled."""
    suggested = folder / (_safe_stem(file_stem) + kind.suffix)
    name, _filter = QFileDialog.getSaveFileName(
        parent, kind.title, str(suggested), kind.file_filter
    )
    if not name:
        return None
    target = Path(name)
    if target.suffix.lower() != kind.suffix:
        target = target.with_name(target.name + kind.suffix)
    return target


def _safe_stem(stem: str) -> str:
    """No path separators or characters Windows refuses in a file name."""
    cleaned = "".join("-" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in stem)
    return cleaned.strip(" .") or tr("报表")
