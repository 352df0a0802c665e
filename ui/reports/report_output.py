"""What happens to a built report: saved as PDF or Excel, or printed.

A report is built (``build_report``) on the task runner: the builder reads the database, then
its PDF is laid out in memory for the preview and the printer. Saving asks for a file name (the
report's own ``file_stem``, in the last folder used) and writes the file on the runner with the
atomic ``render_pdf`` / ``render_xlsx``. Failures come back as messages, never as a crash: a
report that cannot be drawn is logged and reported like a file that cannot be written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QWidget

from app.domain.errors import AppError
from app.i18n import tr
from app.reports.document import ReportDocument
from ui.reports.printing import PrintProblem, ask_printer, print_with_wait_cursor
from ui.reports.report_files import ReportFolder, ReportFormat, choose_target
from ui.task_runner import CancelToken, TaskRunner

log = logging.getLogger("squaddesk")

Build = Callable[[], ReportDocument]
"""Builds one report from the database (runs on the task runner)."""

TargetChooser = Callable[[QWidget | None, ReportFormat, Path, str], Path | None]


class ReportProblem(AppError):
    """A report could not be made or written; the message says why."""


@dataclass(frozen=True, slots=True)
class BuiltReport:
    document: ReportDocument
    pdf: bytes


def build_report(build: Build) -> BuiltReport:
    """Build the report and lay its PDF out in memory (on the task runner)."""
    from reportlab.platypus.doctemplate import LayoutError

    from app.reports.pdf import pdf_bytes

    try:
        document = build()
        return BuiltReport(document, pdf_bytes(document))
    except LayoutError as error:  # content reportlab cannot fit on a page; anything else is a bug
        log.exception("report could not be laid out")
        raise ReportProblem(tr("生成报表时出错：{reason}", reason=_reason(error))) from error


def write_report(document: ReportDocument, kind: ReportFormat, target: Path) -> Path:
    """Write the file (on the task runner); a file that cannot be written is a message."""
    from app.reports.pdf import render_pdf
    from app.reports.xlsx import render_xlsx

    try:
        if kind is ReportFormat.PDF:
            return render_pdf(document, target)
        return render_xlsx(document, target)
    except PermissionError as error:
        raise ReportProblem(
            tr("无法写入 {path}：文件可能正在被其他程序打开，或没有写入权限", path=str(target))
        ) from error
    except OSError as error:
        raise ReportProblem(
            tr("无法写入 {path}：{reason}", path=str(target), reason=_reason(error))
        ) from error


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


class ReportOutput(QObject):
    """Saves and prints built reports for one window; reports the outcome by signal."""

    saved = Signal(str)  # the file written
    printed = Signal(int)  # pages sent to the printer
    failed = Signal(str)  # message
    busy_changed = Signal(bool)

    def __init__(
        self, runner: TaskRunner, folder: ReportFolder, parent_widget: QWidget | None = None
    ) -> None:
        super().__init__(parent_widget)
        self._runner = runner
        self._folder = folder
        self._widget = parent_widget
        self.choose_target: TargetChooser = choose_target
        """Asks for the file name (the tests put their own chooser here, or patch the dialog)."""

    @property
    def folder(self) -> ReportFolder:
        return self._folder

    def save(self, document: ReportDocument, kind: ReportFormat) -> None:
        """Ask where, then write the file off the GUI thread; ``saved`` or ``failed``."""
        target = self.choose_target(self._widget, kind, self._folder.folder(), document.file_stem)
        if target is None:
            return
        self._folder.remember(target)
        self.busy_changed.emit(True)
        self._runner.submit(
            lambda _token: write_report(document, kind, target),
            self._on_written,
            self._on_failed,
            owner=self,
        )

    def print_document(self, pdf: QPdfDocument, title: str, current_page: int = 0) -> None:
        """The system print dialog, then the chosen pages to the printer."""
        printer = ask_printer(pdf.pageCount(), self._widget, title)
        if printer is None:
            return
        try:
            pages = print_with_wait_cursor(pdf, printer, current_page)
        except PrintProblem as error:
            self.failed.emit(error.message)
            return
        self.printed.emit(pages)

    def _on_written(self, target: Path) -> None:
        self.busy_changed.emit(False)
        self.saved.emit(str(target))

    def _on_failed(self, error: AppError) -> None:
        self.busy_changed.emit(False)
        self.failed.emit(error.message)


def submit_build(
    runner: TaskRunner,
    build: Build,
    on_built: Callable[[BuiltReport], None],
    on_failed: Callable[[AppError], None],
    owner: QObject,
) -> CancelToken:
    return runner.submit(lambda _token: build_report(build), on_built, on_failed, owner=owner)
