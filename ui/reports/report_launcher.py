"""Makes a report and does one thing with it: preview it, print it, or save it as PDF or Excel.

Pages and the router hand in *how* to build the report (``lambda: service.weekly(week, id)``);
the launcher builds it on the task runner and then opens the preview window, the print dialog
or the save dialog. The preview windows it opened stay reachable (``previews``) while open.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QWidget
from shiboken6 import Shiboken

from app.domain.errors import AppError
from app.reports.document import ReportDocument
from ui.reports.printing import load_pdf
from ui.reports.report_files import ReportFolder, ReportFormat
from ui.reports.report_output import Build, BuiltReport, ReportOutput, submit_build
from ui.reports.report_preview import ReportPreview
from ui.task_runner import TaskRunner


class ReportLauncher(QObject):
    """Builds reports off the GUI thread for the widget ``window`` (dialogs open over it)."""

    preview_opened = Signal(object)  # ReportPreview, still loading
    built = Signal(object)  # ReportDocument, once made (for print and save)
    saved = Signal(str)  # path
    printed = Signal(int)  # pages
    failed = Signal(str)  # message
    busy_changed = Signal(bool)

    def __init__(
        self, runner: TaskRunner, folder: ReportFolder, window: QWidget | None = None
    ) -> None:
        super().__init__(window)
        self._runner = runner
        self._folder = folder
        self._window = window
        self._previews: list[ReportPreview] = []
        self._printing: QPdfDocument | None = None
        self.output = ReportOutput(runner, folder, window)
        self.output.saved.connect(self.saved)
        self.output.printed.connect(self.printed)
        self.output.failed.connect(self.failed)
        self.output.busy_changed.connect(self.busy_changed)

    @property
    def folder(self) -> ReportFolder:
        return self._folder

    @property
    def previews(self) -> tuple[ReportPreview, ...]:
        """The preview windows still open, oldest first."""
        return tuple(p for p in self._previews if Shiboken.isValid(p))

    def preview(self, title: str, build: Build) -> ReportPreview:
        """Open a preview window now; it shows the pages once the report is built."""
        window = ReportPreview(self._runner, self._folder, title, self._window)
        self._previews.append(window)
        window.destroyed.connect(self._forget_closed)
        window.output.choose_target = self.output.choose_target
        submit_build(self._runner, build, window.show_report, _problem_of(window), window)
        window.show()
        window.raise_()
        self.preview_opened.emit(window)
        return window

    def print_report(self, build: Build) -> None:
        """Build, then the system print dialog (no preview)."""
        self._run(build, self._on_built_for_print)

    def save(self, build: Build, kind: ReportFormat) -> None:
        """Build, then ask where to save it and write it."""
        self._run(build, lambda built: self.output.save(built.document, kind))

    # -- internals -------------------------------------------------------------------------------

    def _run(self, build: Build, then: Callable[[BuiltReport], None]) -> None:
        self.busy_changed.emit(True)

        def done(built: BuiltReport) -> None:
            self.busy_changed.emit(False)
            self.built.emit(built.document)
            # The print and save dialogs are modal: open them once the runner's answer is
            # delivered, not inside its delivery.
            QTimer.singleShot(0, self, lambda: then(built))

        submit_build(self._runner, build, done, self._on_build_failed, self)

    def _on_built_for_print(self, built: BuiltReport) -> None:
        if self._printing is not None:
            self._printing.deleteLater()
        self._printing = load_pdf(built.pdf, self)
        self.output.print_document(self._printing, _title(built.document))

    def _on_build_failed(self, error: AppError) -> None:
        self.busy_changed.emit(False)
        self.failed.emit(error.message)

    def _forget_closed(self) -> None:
        self._previews = [p for p in self._previews if Shiboken.isValid(p)]


def _problem_of(window: ReportPreview) -> Callable[[AppError], None]:
    def show(error: AppError) -> None:
        window.show_problem(error.message)

    return show


def _title(document: ReportDocument) -> str:
    return " · ".join(part for part in (document.title, document.subtitle) if part)
