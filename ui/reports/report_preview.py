"""The report preview window: the PDF as it will print, and 打印… / 另存为 PDF… / 导出 Excel….

It opens at once with “正在生成…” while the report is built on the task runner, then shows the
pages in a ``QPdfView`` (continuous, fitted to the width) with page navigation and zoom.
Ctrl+P prints (the system print dialog, with the shown page as “current page”).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.reports.document import ReportDocument
from ui.reports.printing import load_pdf
from ui.reports.report_files import ReportFolder, ReportFormat
from ui.reports.report_output import BuiltReport, ReportOutput
from ui.task_runner import TaskRunner
from ui.widgets.message_bar import UndoMessageBar

_LOADING, _PAGES, _PROBLEM = range(3)
ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 4.0)
_MESSAGE_STYLE = "color: #5f6b7a; font-size: 15px;"


class ReportPreview(QDialog):
    """One report, shown page by page; its own window, beside the main one."""

    report_shown = Signal(int)  # page count
    problem_shown = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        folder: ReportFolder,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self._built: BuiltReport | None = None
        self._pdf: QPdfDocument | None = None
        self.output = ReportOutput(runner, folder, self)
        self.output.saved.connect(self._on_output_saved)
        self.output.printed.connect(self._on_output_printed)
        self.output.failed.connect(self._on_output_failed)
        self.output.busy_changed.connect(self._on_output_busy_changed)
        self._build(title)
        self._fit_to_screen()

    # -- public ----------------------------------------------------------------------------------

    @property
    def document(self) -> ReportDocument | None:
        return self._built.document if self._built else None

    @property
    def pdf(self) -> QPdfDocument | None:
        return self._pdf

    @property
    def pdf_data(self) -> bytes:
        """The PDF shown (what 另存为 PDF writes), empty until the report is built."""
        return self._built.pdf if self._built else b""

    @property
    def page_count(self) -> int:
        return self._pdf.pageCount() if self._pdf else 0

    @property
    def current_page(self) -> int:
        """0-based, the page at the top of the view."""
        return self.view.pageNavigator().currentPage()

    def show_report(self, built: BuiltReport) -> None:
        """Show the built report's pages (the first one, fitted to the width)."""
        self._built = built
        self._pdf = load_pdf(built.pdf, self)
        self.view.setDocument(self._pdf)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.fit_width_button.setChecked(True)
        self.stack.setCurrentIndex(_PAGES)
        document = built.document
        self.setWindowTitle(tr("预览：{title}", title=_heading(document)))
        self.title_label.setText(_heading(document))
        self.title_label.setToolTip(document.number)
        for button in self._needs_report:
            button.setEnabled(True)
        self.excel_button.setEnabled(bool(document.tables()))
        if not document.tables():
            self.excel_button.setToolTip(tr("这份报表没有表格，无需导出 Excel"))
        self._update_page_label()
        self.report_shown.emit(self.page_count)

    def show_problem(self, message: str) -> None:
        self.problem_label.setText(message)
        self.stack.setCurrentIndex(_PROBLEM)
        self.title_label.setText(tr("未能生成报表"))
        self.problem_shown.emit(message)

    def print_report(self) -> None:
        """打印… (Ctrl+P): the system print dialog for these pages."""
        if self._pdf is not None and self._built is not None:
            self.output.print_document(self._pdf, _heading(self._built.document), self.current_page)

    def save(self, kind: ReportFormat) -> None:
        if self._built is not None:
            self.output.save(self._built.document, kind)

    def go_to_page(self, page: int) -> None:
        """Show page ``page`` (0-based) at the top."""
        if self._pdf is None or not 0 <= page < self.page_count:
            return
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(), navigator.currentZoom())
        self._update_page_label()

    # -- building --------------------------------------------------------------------------------

    def _build(self, title: str) -> None:
        self.setWindowTitle(tr("预览：{title}", title=title))
        self.title_label = QLabel(title, self)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.print_button = self._button(tr("打印…"), self.print_report)
        self.print_button.setToolTip(tr("用系统打印对话框打印 (Ctrl+P)"))
        self.pdf_button = self._button(tr("另存为 PDF…"), self._on_pdf_button_clicked)
        self.excel_button = self._button(tr("导出 Excel…"), self._on_excel_button_clicked)
        self.excel_button.setToolTip(tr("把报表中的各个表格导出为 Excel 工作簿"))
        self.previous_button = self._button("‹", self._on_previous_button_clicked)
        self.previous_button.setToolTip(tr("上一页"))
        self.page_label = QLabel(self)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_button = self._button("›", self._on_next_button_clicked)
        self.next_button.setToolTip(tr("下一页"))
        self.fit_width_button = self._button(tr("适合宽度"), self._on_fit_width_button_clicked)
        self.fit_width_button.setCheckable(True)
        self.fit_page_button = self._button(tr("整页"), self._on_fit_page_button_clicked)
        self.zoom_out_button = self._button("−", self._on_zoom_out_button_clicked)
        self.zoom_out_button.setToolTip(tr("缩小"))
        self.zoom_in_button = self._button("+", self._on_zoom_in_button_clicked)
        self.zoom_in_button.setToolTip(tr("放大"))
        for small in (
            self.previous_button,
            self.next_button,
            self.zoom_out_button,
            self.zoom_in_button,
        ):
            small.setFixedWidth(max(small.sizeHint().height() + 8, 34))
        self.close_button = QPushButton(tr("关闭"), self)
        self.close_button.clicked.connect(self.close)
        self.close_button.setAutoDefault(False)
        self._needs_report = (
            self.print_button,
            self.pdf_button,
            self.excel_button,
            self.previous_button,
            self.next_button,
            self.fit_width_button,
            self.fit_page_button,
            self.zoom_out_button,
            self.zoom_in_button,
        )
        for button in self._needs_report:
            button.setEnabled(False)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self)
        shortcut.activated.connect(self.print_report)

        bar = QHBoxLayout()
        for button in (self.print_button, self.pdf_button, self.excel_button):
            bar.addWidget(button)
        bar.addSpacing(16)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.page_label)
        bar.addWidget(self.next_button)
        bar.addSpacing(16)
        for button in (
            self.fit_width_button,
            self.fit_page_button,
            self.zoom_out_button,
            self.zoom_in_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.close_button)

        self.message_bar = UndoMessageBar(self)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setStyleSheet("QPdfView { background: #8a939e; }")
        self.view.pageNavigator().currentPageChanged.connect(self._on_navigator_page_changed)
        loading = QLabel(tr("正在生成报表…"), self)
        loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        loading.setStyleSheet(_MESSAGE_STYLE)
        self.problem_label = QLabel(self)
        self.problem_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b3261e; font-size: 15px; padding: 24px;")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(loading)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.problem_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addLayout(bar)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.stack, 1)
        self._update_page_label()

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _fit_to_screen(self) -> None:
        """An A4 page fitted to the width reads well at ~900 px; as tall as the screen allows."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        self.resize(min(980, available.width() - 40), max(480, available.height() - 60))

    # -- handlers --------------------------------------------------------------------------------

    def _on_pdf_button_clicked(self) -> None:
        self.save(ReportFormat.PDF)

    def _on_excel_button_clicked(self) -> None:
        self.save(ReportFormat.XLSX)

    def _on_previous_button_clicked(self) -> None:
        self.go_to_page(self.current_page - 1)

    def _on_next_button_clicked(self) -> None:
        self.go_to_page(self.current_page + 1)

    def _on_fit_width_button_clicked(self) -> None:
        self._zoom(QPdfView.ZoomMode.FitToWidth)

    def _on_fit_page_button_clicked(self) -> None:
        self._zoom(QPdfView.ZoomMode.FitInView)

    def _on_zoom_in_button_clicked(self) -> None:
        self._zoom_by(ZOOM_STEP)

    def _on_zoom_out_button_clicked(self) -> None:
        self._zoom_by(1 / ZOOM_STEP)

    def _on_navigator_page_changed(self, _page: int) -> None:
        self._update_page_label()

    def _on_output_saved(self, path: str) -> None:
        self.message_bar.show_message(tr("已保存到 {path}", path=path))

    def _on_output_printed(self, pages: int) -> None:
        self.message_bar.show_message(tr("已发送到打印机（{pages} 页）", pages=pages))

    def _on_output_failed(self, message: str) -> None:
        self.message_bar.show_message(message)

    def _on_output_busy_changed(self, busy: bool) -> None:
        if busy:
            self.message_bar.show_message(tr("正在保存…"))

    # -- internals -------------------------------------------------------------------------------

    def _zoom_by(self, factor: float) -> None:
        low, high = ZOOM_RANGE
        self._zoom(QPdfView.ZoomMode.Custom, min(max(self._shown_zoom() * factor, low), high))

    def _zoom(self, mode: QPdfView.ZoomMode, factor: float = 1.0) -> None:
        """Change the zoom, keeping the same place in the report at the top of the view."""
        bar = self.view.verticalScrollBar()
        length = bar.maximum() + bar.pageStep()
        place = bar.value() / length if length else 0.0
        if mode == QPdfView.ZoomMode.Custom:
            self.view.setZoomFactor(factor)
        self.view.setZoomMode(mode)
        self.fit_width_button.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        # The view lays its pages out again when it next handles events; scroll after that.
        QTimer.singleShot(
            0, self, lambda: bar.setValue(round(place * (bar.maximum() + bar.pageStep())))
        )

    def _shown_zoom(self) -> float:
        """The zoom on screen (in a fit mode the view's factor stays what it was last set to)."""
        mode = self.view.zoomMode()
        if mode == QPdfView.ZoomMode.Custom or self._pdf is None:
            return self.view.zoomFactor()
        points = self._pdf.pagePointSize(self.current_page)
        pixels_per_point = self.view.logicalDpiX() / 72
        margins = self.view.documentMargins()
        viewport = self.view.viewport().size()
        room_wide = viewport.width() - margins.left() - margins.right()
        room_high = viewport.height() - margins.top() - margins.bottom()
        fit_width = room_wide / max(points.width() * pixels_per_point, 1.0)
        if mode == QPdfView.ZoomMode.FitToWidth:
            return fit_width
        return min(fit_width, room_high / max(points.height() * pixels_per_point, 1.0))

    def _update_page_label(self) -> None:
        pages = self.page_count
        page = self.current_page + 1 if pages else 0
        self.page_label.setText(tr("第 {page} 页 共 {pages} 页", page=page, pages=pages))
        self.previous_button.setEnabled(pages > 0 and page > 1)
        self.next_button.setEnabled(pages > 0 and page < pages)


def _heading(document: ReportDocument) -> str:
    """“拜访纪要 · 某某公司 · 2026-11-26”."""
    return " · ".join(part for part in (document.title, document.subtitle) if part)
