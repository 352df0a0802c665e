"""One ``ReportDocument`` block → reportlab flowables."""

from __future__ import annotations

import io
from functools import singledispatch
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Image, KeepTogether, Spacer
from reportlab.platypus import PageBreak as BreakFlowable
from reportlab.platypus import Table as TableFlowable
from reportlab.platypus.tables import TableStyle

from app.i18n import tr
from app.reports.charts import chart_drawing
from app.reports.document import (
    Block,
    Chart,
    Fields,
    Figures,
    Heading,
    Notes,
    PageBreak,
    Photos,
    Signatures,
    Table,
    Text,
)
from app.reports.fonts import markup
from app.reports.paragraphs import CjkParagraph as Paragraph
from app.reports.styles import (
    ACCENT,
    RULE,
    SHADE,
    ZEBRA,
    format_cell,
    is_numeric,
    styles,
)

PHOTO_COLUMNS = 3
HEADING_ROOM = 32 * mm
TALL_ROW = 150 * mm
"""A table row that may be taller than this is allowed to split across pages."""
"""Room a heading needs below it for itself and the first lines of its section."""
THUMBNAIL_DPI = 200
TILE_COLUMNS = 4


class Rule(Flowable):  # type: ignore[misc]
    """A horizontal line across the frame."""

    def __init__(
        self, width: float, colour: Color, thickness: float, space_after: float = 0
    ) -> None:
        super().__init__()
        self.width = width
        self.colour = colour
        self.thickness = thickness
        self.spaceAfter = space_after

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return self.width, self.thickness

    def draw(self) -> None:
        self.canv.setStrokeColor(self.colour)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.thickness / 2, self.width, self.thickness / 2)


def flowables(block: Block, width: float) -> list[Flowable]:
    """The flowables that print ``block`` within a frame ``width`` points wide."""
    return _flowables(block, width)


@singledispatch
def _flowables(block: object, width: float) -> list[Flowable]:
    raise TypeError(f"no PDF layout for {type(block).__name__}")


@_flowables.register
def _(block: Heading, width: float) -> list[Flowable]:
    # A heading starts a new page when less than a few lines are left, so it never ends a page
    # alone; unlike keepWithNext, a long table after it still starts right under it.
    return [
        CondPageBreak(HEADING_ROOM),
        Paragraph(markup(block.text, bold=True), styles()["heading"]),
        Rule(width, RULE, 0.5, space_after=1.5 * mm),
    ]


@_flowables.register
def _(block: Text, width: float) -> list[Flowable]:
    style = styles()["muted" if block.muted else "body"]
    # One paragraph per blank-line-separated part: long text breaks at paragraph ends first.
    parts = [part.strip("\n") for part in block.text.split("\n\n")]
    return [Paragraph(markup(part), style) for part in parts if part.strip()] or [
        Paragraph(markup(tr("（无）")), styles()["muted"])
    ]


@_flowables.register
def _(block: Fields, width: float) -> list[Flowable]:
    style = styles()
    per_line = max(1, block.columns)
    label_width = 24 * mm
    value_width = (width - per_line * label_width) / per_line
    rows: list[list[Flowable | str]] = []
    pairs = list(block.pairs)
    for start in range(0, len(pairs), per_line):
        row: list[Flowable | str] = []
        for label, value in pairs[start : start + per_line]:
            row.append(Paragraph(markup(label), style["label"]))
            row.append(Paragraph(markup(value or "—"), style["cell"]))
        while len(row) < 2 * per_line:
            row.append("")
        rows.append(row)
    if not rows:
        return []
    table = TableFlowable(
        rows,
        colWidths=[label_width, value_width] * per_line,
        splitInRow=1,
        hAlign="LEFT",
    )
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    commands.extend(("BACKGROUND", (2 * i, 0), (2 * i, -1), SHADE) for i in range(per_line))
    table.setStyle(TableStyle(commands))
    return [table, Spacer(1, 2 * mm)]


@_flowables.register
def _(block: Figures, width: float) -> list[Flowable]:
    style = styles()
    tiles = [
        [
            Paragraph(markup(name), style["tile_name"]),
            Paragraph(markup(value, bold=True), style["tile_value"]),
            Paragraph(markup(detail), style["tile_detail"]),
        ]
        for name, value, detail in block.tiles
    ]
    rows = [tiles[i : i + TILE_COLUMNS] for i in range(0, len(tiles), TILE_COLUMNS)]
    if not rows:
        return []
    for row in rows:
        row.extend([[] for _ in range(TILE_COLUMNS - len(row))])  # empty cells, no flowables
    gap = 2 * mm
    table = TableFlowable(rows, colWidths=[width / TILE_COLUMNS] * TILE_COLUMNS, hAlign="LEFT")
    # Only real tiles are shaded: the padding cells of a short last row stay blank.
    shaded = [
        (
            "BACKGROUND",
            (index % TILE_COLUMNS, index // TILE_COLUMNS),
            (index % TILE_COLUMNS, index // TILE_COLUMNS),
            SHADE,
        )
        for index in range(len(tiles))
    ]
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *shaded,
                ("LINEAFTER", (0, 0), (-2, -1), gap, colors.white),
                ("LINEBELOW", (0, 0), (-1, -2), gap, colors.white),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return [table, Spacer(1, 2 * mm)]


@_flowables.register
def _(block: Table, width: float) -> list[Flowable]:
    style = styles()
    if not block.rows:
        return [Paragraph(markup(block.empty_text or tr("（无）")), style["muted"])]
    total_weight = sum(column.width for column in block.columns) or 1.0
    widths = [width * column.width / total_weight for column in block.columns]
    header = [
        Paragraph(
            markup(column.header, bold=True),
            style["header_right" if is_numeric(column.kind) else "header"],
        )
        for column in block.columns
    ]

    def line(values: tuple[object, ...]) -> list[Flowable]:
        return [
            Paragraph(
                markup(format_cell(value, column.kind)),  # type: ignore[arg-type]
                style["cell_right" if is_numeric(column.kind) else "cell"],
            )
            for value, column in zip(values, block.columns, strict=True)
        ]

    data = [header, *(line(row) for row in block.rows)]
    if block.total is not None:
        data.append(line(block.total))
    table = TableFlowable(
        data,
        colWidths=widths,
        repeatRows=1,
        # Splitting inside a row makes reportlab repeat the header mid-page, so it is asked
        # for only when a row may be taller than a page (which could not print otherwise).
        splitInRow=int(_may_outgrow_a_page(block, widths)),
        hAlign="LEFT",
    )
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    commands.extend(
        ("BACKGROUND", (0, row), (-1, row), ZEBRA) for row in range(2, len(block.rows) + 1, 2)
    )
    if block.total is not None:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT))
        commands.append(("BACKGROUND", (0, -1), (-1, -1), SHADE))
    table.setStyle(TableStyle(commands))
    return [table, Spacer(1, 2 * mm)]


def _may_outgrow_a_page(block: Table, widths: list[float]) -> bool:
    """A generous estimate: every character a full em wide, every line one cell leading."""
    size, leading = styles()["cell"].fontSize, styles()["cell"].leading
    for row in block.rows:
        for value, width in zip(row, widths, strict=True):
            if isinstance(value, str) and len(value) * size / max(width - 12, 1) * leading > (
                TALL_ROW
            ):
                return True
    return False


@_flowables.register
def _(block: Chart, width: float) -> list[Flowable]:
    return [KeepTogether([chart_drawing(block, width)]), Spacer(1, 2 * mm)]


@_flowables.register
def _(block: Photos, width: float) -> list[Flowable]:
    style = styles()
    cell_width = width / PHOTO_COLUMNS
    image_box = cell_width - 4 * mm
    cells: list[list[Flowable]] = []
    for photo in block.photos:
        picture: Flowable = Spacer(1, 2 * mm)
        if photo.path.is_file():
            try:
                picture = _thumbnail(photo.path, image_box)
            except Exception:  # a damaged or foreign file is named, never fatal
                picture = Paragraph(markup(tr("（图片无法读取）")), style["caption"])
        cells.append([picture, Paragraph(markup(photo.caption), style["caption"])])
    if not cells:
        return []
    rows: list[list[object]] = [
        list(cells[i : i + PHOTO_COLUMNS]) for i in range(0, len(cells), PHOTO_COLUMNS)
    ]
    for row in rows:
        row.extend([""] * (PHOTO_COLUMNS - len(row)))
    table = TableFlowable(rows, colWidths=[cell_width] * PHOTO_COLUMNS, hAlign="LEFT")
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER")])
    )
    return [table, Spacer(1, 2 * mm)]


def _thumbnail(path: Path, box: float) -> Image:
    """The photo turned upright (EXIF), scaled down to print sharply in ``box`` points at
    about 200 dpi, as JPEG: a phone photo adds tens of kilobytes to the PDF, not megabytes."""
    with PILImage.open(path) as original:
        upright = ImageOps.exif_transpose(original).convert("RGB")
    pixels = round(box / 72 * THUMBNAIL_DPI)
    upright.thumbnail((pixels, pixels))
    buffer = io.BytesIO()
    upright.save(buffer, "JPEG", quality=85)
    buffer.seek(0)
    scale = min(box / upright.width, box * 0.75 / upright.height)
    return Image(buffer, width=upright.width * scale, height=upright.height * scale)


@_flowables.register
def _(block: Signatures, width: float) -> list[Flowable]:
    style = styles()
    count = max(1, len(block.labels))
    rows = [
        [Paragraph(markup(f"{label}："), style["cell"]) for label in block.labels],
        [Paragraph(markup(tr("日期：")), style["label"]) for _ in block.labels],
    ]
    table = TableFlowable(rows, colWidths=[width / count] * count, rowHeights=[16 * mm, 8 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.4, RULE),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8 * mm),
            ]
        )
    )
    return [Spacer(1, 4 * mm), KeepTogether([table])]


@_flowables.register
def _(block: Notes, width: float) -> list[Flowable]:
    style = styles()
    items: list[Flowable] = [
        Paragraph(markup(f"{name}：{text}" if name else text), style["note"])
        for name, text in block.items
    ]
    head: list[Flowable] = [
        Rule(width, RULE, 0.5, space_after=1.5 * mm),
        Paragraph(markup(block.title, bold=True), style["note"]),
    ]
    # The rule and the title never end a page alone: they go with the first item.
    return [Spacer(1, 3 * mm), KeepTogether([*head, *items[:1]]), *items[1:]]


@_flowables.register
def _(block: PageBreak, width: float) -> list[Flowable]:
    return [BreakFlowable()]
