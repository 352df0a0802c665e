"""Paragraph styles, colours and cell formats shared by every PDF report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from app.reports.document import Cell, ColumnKind
from app.reports.fonts import register_fonts

MARGIN = 18 * mm
RED = colors.HexColor("#c0282d")
ACCENT = colors.HexColor("#2b4a6f")
RULE = colors.HexColor("#b9c3cf")
SHADE = colors.HexColor("#eef2f7")
ZEBRA = colors.HexColor("#f7f9fb")
MUTED = colors.HexColor("#5f6b7a")
EMPTY_CELL = "—"


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    """The named paragraph styles (built once, after the CJK font is registered)."""
    font = register_fonts()

    def style(name: str, size: float, **extra: object) -> ParagraphStyle:
        options: dict[str, object] = {
            "fontName": font,
            "fontSize": size,
            "leading": size * 1.5,
            "wordWrap": "CJK",
        }
        options.update(extra)
        return ParagraphStyle(name, **options)

    return {
        "issuer": style("issuer", 20, alignment=TA_CENTER, textColor=RED, leading=28),
        "title": style("title", 17, alignment=TA_CENTER, leading=24, spaceAfter=2 * mm),
        "subtitle": style("subtitle", 10.5, alignment=TA_CENTER, textColor=MUTED),
        "number": style("number", 9, alignment=TA_CENTER, textColor=MUTED),
        "heading": style(
            "heading", 12, textColor=ACCENT, spaceBefore=4 * mm, spaceAfter=1.5 * mm, leading=17
        ),
        "body": style("body", 10, leading=16, spaceAfter=1.5 * mm),
        "muted": style("muted", 9.5, textColor=MUTED, leading=15),
        "label": style("label", 9, textColor=MUTED, leading=13),
        "cell": style("cell", 9, leading=13),
        "cell_right": style("cell_right", 9, leading=13, alignment=TA_RIGHT),
        "header": style("header", 9, leading=12, textColor=ACCENT, alignment=TA_LEFT),
        "header_right": style("header_right", 9, leading=12, textColor=ACCENT, alignment=TA_RIGHT),
        "tile_name": style("tile_name", 8.5, textColor=MUTED, leading=12),
        "tile_value": style("tile_value", 17, textColor=ACCENT, leading=22),
        "tile_detail": style("tile_detail", 8, textColor=MUTED, leading=11),
        "note": style("note", 8, textColor=MUTED, leading=12, spaceAfter=0.8 * mm),
        "caption": style("caption", 8, textColor=MUTED, leading=11, alignment=TA_CENTER),
    }


def format_cell(value: Cell, kind: ColumnKind) -> str:
    """How a cell prints on paper (the spreadsheet keeps the value itself)."""
    if value is None or value == "":
        return EMPTY_CELL
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind is ColumnKind.PERCENT:
        return f"{Decimal(value) * 100:.1f}%"
    if kind is ColumnKind.WAN:
        return f"{Decimal(value):,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,}"


def is_numeric(kind: ColumnKind) -> bool:
    return kind in {ColumnKind.COUNT, ColumnKind.WAN, ColumnKind.PERCENT}
