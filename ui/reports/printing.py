"""Print a report's PDF: the system print dialog, then each chosen page drawn onto the printer.

QtPdf cannot paint a page as vectors onto a ``QPainter``, so each page is rendered to an image at
the printer's resolution (at most ``MAX_DPI``: a 600 dpi A4 page is already ~140 MB of pixels)
and drawn over the whole sheet. The report's own margins stay where reportlab put them: the
printer prints the full page (``setFullPage``) and an A4 page on A4 paper is drawn 1:1; on other
paper it is scaled to fit and centred.

``print_pdf`` takes a ready ``QPrinter``, so a test prints into a PDF file without a dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from app.domain.errors import AppError
from app.i18n import tr

MAX_DPI = 600
POINTS_PER_INCH = 72


class PrintProblem(AppError):
    """The printer could not be started (no printer, the file could not be written)."""


def load_pdf(data: bytes, parent: QObject) -> QPdfDocument:
    """A ``QPdfDocument`` over ``data`` in memory (the buffer lives as long as the document)."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def chosen_pages(printer: QPrinter, page_count: int, current_page: int = 0) -> list[int]:
    """The pages (0-based, in printing order) the print dialog's choices ask for."""
    match printer.printRange():
        case QPrinter.PrintRange.PageRange:
            ranges = printer.pageRanges()
            if ranges.isEmpty():
                first, last = printer.fromPage(), printer.toPage()
                pages = [p for p in range(page_count) if first <= p + 1 <= (last or page_count)]
            else:
                pages = [p for p in range(page_count) if ranges.contains(p + 1)]
        case QPrinter.PrintRange.CurrentPage:
            pages = [current_page] if 0 <= current_page < page_count else []
        case _:
            pages = list(range(page_count))
    if printer.pageOrder() is QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    return pages


def print_pdf(document: QPdfDocument, printer: QPrinter, current_page: int = 0) -> int:
    """Print the pages the printer's settings choose; returns how many were printed."""
    pages = chosen_pages(printer, document.pageCount(), current_page)
    if not pages:
        return 0
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintProblem(tr("无法开始打印，请检查打印机是否可用"))
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for number, page in enumerate(pages):
            if number and not printer.newPage():
                raise PrintProblem(tr("打印机没有接受下一页，打印已中止"))
            _draw_page(document, page, printer, painter)
    finally:
        painter.end()
    return len(pages)


def _draw_page(document: QPdfDocument, page: int, printer: QPrinter, painter: QPainter) -> None:
    sheet = printer.paperRect(QPrinter.Unit.DevicePixel)
    points = document.pagePointSize(page)
    if points.isEmpty() or sheet.isEmpty():
        return
    # Fit the page on the sheet, keeping its shape (1:1 when both are A4).
    scale = min(sheet.width() / points.width(), sheet.height() / points.height())
    width, height = points.width() * scale, points.height() * scale
    target = QRectF(
        sheet.x() + (sheet.width() - width) / 2,
        sheet.y() + (sheet.height() - height) / 2,
        width,
        height,
    )
    dpi = min(printer.resolution(), MAX_DPI)
    pixels = QSize(
        round(points.width() / POINTS_PER_INCH * dpi),
        round(points.height() / POINTS_PER_INCH * dpi),
    )
    image = document.render(page, pixels)
    painter.drawImage(target, image)


def ask_printer(page_count: int, parent: QWidget | None, title: str) -> QPrinter | None:
    """The system print dialog; the printer set up as chosen, or ``None`` when cancelled.

    ``exec`` rather than ``open``: on Windows the dialog is the native one, which Qt runs only
    modally, inside ``exec``.
    """
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr("打印 {title}", title=title))
    dialog.setMinMax(1, max(page_count, 1))
    option = QAbstractPrintDialog.PrintDialogOption
    dialog.setOptions(
        option.PrintPageRange
        | option.PrintCurrentPage
        | option.PrintToFile
        | option.PrintShowPageSize
        | option.PrintCollateCopies
    )
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return printer if accepted else None


def print_with_wait_cursor(document: QPdfDocument, printer: QPrinter, current_page: int) -> int:
    """``print_pdf`` with the wait cursor up (it renders page after page on this thread)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return print_pdf(document, printer, current_page)
    finally:
        QGuiApplication.restoreOverrideCursor()
