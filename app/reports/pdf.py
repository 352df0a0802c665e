"""Lay a ``ReportDocument`` out on A4 with reportlab.

The first page opens like a bureau document: the issuer in red over a red rule, the title, the
document number. Every page carries the number, “第 x 页 共 y 页” and the time it was made in
its footer (the page total is known only at the end, so pages are held and stamped on save).
Text flows across pages; table rows and field values taller than a page split inside the row,
so nothing is clipped. The file is written next to its target and renamed into place, so a
failed render never leaves half a PDF behind.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from app.i18n import tr
from app.reports import blocks_pdf
from app.reports.document import ReportDocument
from app.reports.files import write_atomically
from app.reports.fonts import draw_text, markup, register_fonts
from app.reports.styles import ACCENT, MARGIN, RED, styles

PAGE_WIDTH, PAGE_HEIGHT = A4
FRAME_PADDING = 6  # reportlab's default frame padding, each side
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN - 2 * FRAME_PADDING


def render_pdf(document: ReportDocument, target: Path) -> Path:
    """Write ``document`` as a PDF at ``target`` (replaced whole, or left untouched on error)."""
    return write_atomically(target, lambda stream: write_pdf(document, stream))


def pdf_bytes(document: ReportDocument) -> bytes:
    """The PDF of ``document`` in memory (for the in-app preview)."""
    stream = io.BytesIO()
    write_pdf(document, stream)
    return stream.getvalue()


def write_pdf(document: ReportDocument, stream: BinaryIO) -> None:
    register_fonts()
    template = SimpleDocTemplate(
        stream,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6 * mm,
        title=document.title,
        subject=document.subtitle,
        author=document.issuer,
        creator="SquadDesk",
    )
    story = [*_title_block(document), *_story(document)]
    template.build(story, canvasmaker=_numbered_canvas(document))


def _title_block(document: ReportDocument) -> list[Flowable]:
    style = styles()
    parts: list[Flowable] = []
    if document.issuer:
        parts.append(Paragraph(markup(document.issuer, bold=True), style["issuer"]))
        parts.append(blocks_pdf.Rule(FRAME_WIDTH, RED, 1.6, space_after=3 * mm))
    parts.append(Paragraph(markup(document.title, bold=True), style["title"]))
    if document.subtitle:
        parts.append(Paragraph(markup(document.subtitle), style["subtitle"]))
    if document.number:
        parts.append(
            Paragraph(markup(tr("编号：{number}", number=document.number)), style["number"])
        )
    parts.append(Spacer(1, 3 * mm))
    return [KeepTogether(parts)]


def _story(document: ReportDocument) -> list[Flowable]:
    story: list[Flowable] = []
    for block in document.blocks:
        story.extend(blocks_pdf.flowables(block, FRAME_WIDTH))
    return story


def _numbered_canvas(document: ReportDocument) -> type[Canvas]:
    """A canvas class that holds every page and stamps “第 x 页 共 y 页” when it is saved."""
    made = document.generated_at.astimezone().strftime("%Y-%m-%d %H:%M")
    made_text = tr("生成于 {time}", time=made)
    number_text = tr("编号：{number}", number=document.number) if document.number else ""
    title = document.title

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                self._stamp(total)
                super().showPage()
            super().save()

        def _stamp(self, total: int) -> None:
            page = self._pageNumber
            self.saveState()
            self.setStrokeColor(ACCENT)
            self.setLineWidth(0.4)
            footer_y = MARGIN - 2 * mm
            self.line(MARGIN, footer_y + 4 * mm, PAGE_WIDTH - MARGIN, footer_y + 4 * mm)
            self.setFillColor(colors.HexColor("#4a5565"))
            draw_text(self, MARGIN, footer_y, number_text, 8)
            draw_text(
                self,
                PAGE_WIDTH / 2,
                footer_y,
                tr("第 {page} 页 共 {pages} 页", page=page, pages=total),
                8,
                "centre",
            )
            draw_text(self, PAGE_WIDTH - MARGIN, footer_y, made_text, 8, "right")
            if page > 1:
                draw_text(
                    self, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN + 4 * mm, title, 8, "right"
                )
            self.restoreState()

    return NumberedCanvas
