"""Rendered pages are not blank: QtPdf (as the in-app preview uses it) draws them with ink."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication

from app.reports.pdf import render_pdf
from app.reports.trip_brief import build_trip_brief
from app.reports.visit_summary import build_visit_summary

from .visit_fixtures import E1, E2, NOW, V1, open_visit_workspace


def _page_image(pdf: Path, page: int) -> QImage:
    document = QPdfDocument()
    assert document.load(str(pdf)) == QPdfDocument.Error.None_
    assert page < document.pageCount()
    size = document.pagePointSize(page)
    image = document.render(page, QSize(int(size.width()), int(size.height())))
    document.close()
    return image.convertToFormat(QImage.Format.Format_RGBA8888)


def _inked_and_red(image: QImage) -> tuple[float, int]:
    """The share of pixels with ink (opaque, not near-white) and the count of red ones."""
    data = bytes(image.constBits())
    stride = image.bytesPerLine()
    inked = red = 0
    for y in range(image.height()):
        row = data[y * stride : y * stride + 4 * image.width()]
        for x in range(0, len(row), 4):
            r, g, b, a = row[x], row[x + 1], row[x + 2], row[x + 3]
            if a > 128 and min(r, g, b) < 200:
                inked += 1
                if r > 150 and g < 100 and b < 100:
                    red += 1
    return inked / (image.width() * image.height()), red


def test_first_page_of_a_visit_summary_is_drawn(qapp: QApplication, tmp_path: Path) -> None:
    workspace = open_visit_workspace(tmp_path / "data")
    pdf = render_pdf(build_visit_summary(workspace, V1, NOW), tmp_path / "summary.pdf")
    share, red = _inked_and_red(_page_image(pdf, 0))
    assert share > 0.02  # text, field grids and tables
    assert red > 200  # the red issuer line and rule under it


def test_an_enterprise_page_of_a_trip_brief_is_drawn(qapp: QApplication, tmp_path: Path) -> None:
    workspace = open_visit_workspace(tmp_path / "data")
    pdf = render_pdf(build_trip_brief(workspace, [E1, E2], NOW), tmp_path / "brief.pdf")
    share, _red = _inked_and_red(_page_image(pdf, 1))  # page 1 is the overview
    assert share > 0.02
