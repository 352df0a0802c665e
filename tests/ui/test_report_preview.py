"""The report preview window, printing and saving, on hand-built documents (no builders needed).

Printing goes to a PDF-format ``QPrinter`` (no printer here); the system print dialog and the
save dialog are replaced by monkeypatch, since a test must never block on a modal dialog.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import desktop_fixtures
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPageRanges
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget
from pytestqt.qtbot import QtBot
from report_documents import ENTERPRISE, sample_document
from reportlab.platypus.doctemplate import LayoutError

from app.domain.errors import NotFoundError
from app.reports.document import ReportDocument
from app.reports.pdf import pdf_bytes
from ui.reports.printing import load_pdf, print_pdf
from ui.reports.report_files import ReportFolder
from ui.reports.report_launcher import ReportLauncher
from ui.reports.report_preview import ReportPreview
from ui.task_runner import TaskRunner

runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
WAIT = 20_000
pytestmark = pytest.mark.qt_log_ignore(
    *desktop_fixtures.OFFSCREEN_NOISE.args, r"This plugin does not support raise\(\)"
)


@pytest.fixture
def document() -> ReportDocument:
    return sample_document()


@pytest.fixture
def launcher(qtbot: QtBot, runner: TaskRunner, chinese: None) -> Iterator[ReportLauncher]:
    owner = QWidget()
    qtbot.addWidget(owner)
    made = ReportLauncher(runner, ReportFolder(), owner)
    yield made
    for window in made.previews:
        window.close()


def open_preview(qtbot: QtBot, launcher: ReportLauncher, document: ReportDocument) -> ReportPreview:
    with qtbot.waitSignal(launcher.preview_opened, timeout=WAIT) as opened:
        launcher.preview(document.title, lambda: document)
    window: ReportPreview = opened.args[0]
    qtbot.waitUntil(lambda: window.page_count > 0, timeout=WAIT)
    return window


def pages_in(data: bytes | Path) -> int:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    return len(PdfReader(source).pages)


def text_of(path: Path) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(path).pages)


def distinct_colours(image: QImage, step: int = 7) -> int:
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def test_the_preview_shows_every_page_and_steps_through_them(
    qtbot: QtBot, launcher: ReportLauncher, document: ReportDocument
) -> None:
    expected = pages_in(pdf_bytes(document))
    assert expected >= 3  # the long discussion runs over pages
    window = open_preview(qtbot, launcher, document)
    assert window.page_count == expected
    assert window.page_label.text() == f"第 1 页 共 {expected} 页"
    assert ENTERPRISE in window.title_label.text()
    assert not window.previous_button.isEnabled()
    QTest.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.page_label.text() == f"第 2 页 共 {expected} 页")
    assert window.previous_button.isEnabled()
    window.go_to_page(expected - 1)
    qtbot.waitUntil(lambda: window.page_label.text() == f"第 {expected} 页 共 {expected} 页")
    assert not window.next_button.isEnabled()
    QTest.qWait(100)  # the view renders its pages as they come into sight
    qtbot.waitUntil(lambda: distinct_colours(window.view.grab().toImage()) > 20, timeout=WAIT)


def page_on_top(window: ReportPreview) -> int:
    """The page the view really shows at its top (a scroll makes the view say so afresh)."""
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.value() + 1)
    return window.current_page


def test_fit_page_then_zoom_in_keeps_the_page_in_view(
    qtbot: QtBot, launcher: ReportLauncher, document: ReportDocument
) -> None:
    window = open_preview(qtbot, launcher, document)
    window.go_to_page(2)
    QTest.mouseClick(window.fit_page_button, Qt.MouseButton.LeftButton)
    QTest.qWait(50)
    assert not window.fit_width_button.isChecked()
    assert page_on_top(window) == 2
    before = window.view.verticalScrollBar().maximum()
    QTest.mouseClick(window.zoom_in_button, Qt.MouseButton.LeftButton)
    QTest.qWait(50)
    assert window.view.verticalScrollBar().maximum() > before
    assert page_on_top(window) == 2
    QTest.mouseClick(window.fit_width_button, Qt.MouseButton.LeftButton)
    assert window.fit_width_button.isChecked()


def test_save_as_pdf_and_excel_from_the_preview(
    qtbot: QtBot,
    launcher: ReportLauncher,
    document: ReportDocument,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    suggested: list[str] = []
    answers = iter([tmp_path / "out" / "纪要.pdf", tmp_path / "out" / "纪要"])

    def fake_save(*args: Any, **_kwargs: Any) -> tuple[str, str]:
        suggested.append(args[2])
        return str(next(answers)), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    window = open_preview(qtbot, launcher, document)
    with qtbot.waitSignal(window.output.saved, timeout=WAIT) as saved:
        QTest.mouseClick(window.pdf_button, Qt.MouseButton.LeftButton)
    pdf = Path(saved.args[0])
    assert pdf == tmp_path / "out" / "纪要.pdf"
    assert Path(suggested[0]).name == f"{document.file_stem}.pdf"
    assert pages_in(pdf) == window.page_count
    assert ENTERPRISE in text_of(pdf)
    assert "已保存到" in window.message_bar.text and str(pdf) in window.message_bar.text

    with qtbot.waitSignal(window.output.saved, timeout=WAIT) as saved:
        QTest.mouseClick(window.excel_button, Qt.MouseButton.LeftButton)
    workbook = Path(saved.args[0])
    assert workbook.name == "纪要.xlsx"  # the suffix is added when the name has none
    assert Path(suggested[1]).parent == tmp_path / "out"  # the folder used last time
    assert Path(suggested[1]).name == f"{document.file_stem}.xlsx"
    sheet = load_workbook(workbook)["后续任务"]
    assert [cell.value for cell in sheet[1]] == ["任务", "责任人", "时限", "金额（万元）"]
    assert sheet.cell(row=2, column=1).value == "落实第1项用地指标"


def test_a_file_that_cannot_be_written_is_a_message(
    qtbot: QtBot,
    launcher: ReportLauncher,
    document: ReportDocument,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "纪要.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    window = open_preview(qtbot, launcher, document)
    with qtbot.waitSignal(window.output.failed, timeout=WAIT) as failed:
        QTest.mouseClick(window.pdf_button, Qt.MouseButton.LeftButton)
    assert str(target) in failed.args[0]
    assert window.message_bar.text == failed.args[0]


def test_cancelling_the_save_dialog_writes_nothing(
    qtbot: QtBot,
    launcher: ReportLauncher,
    document: ReportDocument,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: ("", ""))
    window = open_preview(qtbot, launcher, document)
    with qtbot.assertNotEmitted(window.output.saved, wait=200):
        QTest.mouseClick(window.pdf_button, Qt.MouseButton.LeftButton)
    assert not window.message_bar.isVisible()


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (NotFoundError("没有这条拜访记录（可能已被删除）"), "没有这条拜访记录（可能已被删除）"),
        (LayoutError("too large on page 3"), "生成报表时出错：too large on page 3"),
    ],
)
def test_a_report_that_cannot_be_made_says_why(
    qtbot: QtBot, launcher: ReportLauncher, error: Exception, shown: str
) -> None:
    def build() -> ReportDocument:
        raise error

    with qtbot.waitSignal(launcher.preview_opened, timeout=WAIT) as opened:
        launcher.preview("拜访纪要", build)
    window: ReportPreview = opened.args[0]
    qtbot.waitUntil(lambda: window.problem_label.text() == shown, timeout=WAIT)
    assert window.problem_label.isVisible()
    assert not window.print_button.isEnabled() and not window.pdf_button.isEnabled()


# -- printing ---------------------------------------------------------------------------------


def pdf_printer(target: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    return printer


def test_printing_puts_every_page_on_paper(
    qtbot: QtBot, document: ReportDocument, tmp_path: Path
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    data = pdf_bytes(document)
    pdf = load_pdf(data, owner)
    target = tmp_path / "printed.pdf"
    assert print_pdf(pdf, pdf_printer(target)) == pages_in(data)
    assert pages_in(target) == pages_in(data)
    page = PdfReader(target).pages[0]
    assert round(float(page.mediabox.width)) == 595  # A4, drawn 1:1
    assert round(float(page.mediabox.height)) == 842


def test_printing_a_page_range_prints_just_those_pages(
    qtbot: QtBot, document: ReportDocument, tmp_path: Path
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    pdf = load_pdf(pdf_bytes(document), owner)
    printer = pdf_printer(tmp_path / "range.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    ranges = QPageRanges()
    ranges.addRange(2, 3)
    printer.setPageRanges(ranges)
    assert print_pdf(pdf, printer) == 2
    assert pages_in(tmp_path / "range.pdf") == 2
    current = pdf_printer(tmp_path / "current.pdf")
    current.setPrintRange(QPrinter.PrintRange.CurrentPage)
    assert print_pdf(pdf, current, current_page=1) == 1
    assert pages_in(tmp_path / "current.pdf") == 1


def test_ctrl_p_in_the_preview_prints_through_the_print_dialog(
    qtbot: QtBot,
    launcher: ReportLauncher,
    document: ReportDocument,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "dialog.pdf"
    asked: list[tuple[int, int]] = []

    def fake_exec(dialog: QPrintDialog) -> int:
        asked.append((dialog.minPage(), dialog.maxPage()))
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, 2)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    window = open_preview(qtbot, launcher, document)
    window.activateWindow()
    window.setFocus()
    with qtbot.waitSignal(window.output.printed, timeout=WAIT) as printed:
        QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert asked == [(1, window.page_count)]
    assert printed.args == [1]
    assert pages_in(target) == 1
    assert "已发送到打印机" in window.message_bar.text
