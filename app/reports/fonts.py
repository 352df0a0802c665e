"""Fonts for PDF reports: the shipped CJK TrueType font, embedded as a subset, and a fallback.

The shipped Droid Sans Fallback has every CJK ideograph and full-width form but no Latin
letters, digits or ASCII punctuation, so text is cut into runs: characters the CJK font has go
to it (embedded, only the glyphs used), Latin-1 / Windows-1252 characters go to Helvetica (one
of the PDF standard fonts every reader has), and anything neither has — a rare ideograph outside
the font, an emoji, a dingbat — is printed as 〓 (the typesetter's “missing character” mark,
which the CJK font has), so nothing turns into an empty box and the report still renders.
Zero-width marks (variation selectors, joiners) and control characters are dropped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from resources import resource_path

CJK_FONT = "SquadDeskCJK"
LATIN_FONT = "Helvetica"
LATIN_BOLD_FONT = "Helvetica-Bold"
FONT_FILE = "DroidSansFallbackFull.ttf"
MISSING = "〓"
"""Printed for a character no font has (U+3013 GETA MARK, in the CJK font)."""

TAB = "    "


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the CJK font with reportlab once per process; returns its name.

    reportlab embeds TrueType fonts as subsets: a PDF carries only the glyphs it prints."""
    font = TTFont(CJK_FONT, str(resource_path("fonts", FONT_FILE)))
    pdfmetrics.registerFont(font)
    return CJK_FONT


@lru_cache(maxsize=1)
def _cjk_codepoints() -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(CJK_FONT)
    assert isinstance(font, TTFont)
    return frozenset(font.face.charToGlyph)


@lru_cache(maxsize=4096)
def _font_of(char: str) -> str | None:
    """Which font prints ``char``: Latin, CJK, ``None`` to drop it, ``""`` for the fallback."""
    code = ord(char)
    if code < 0x80:
        return LATIN_FONT if char.isprintable() else None
    category = unicodedata.category(char)
    if category in {"Cf", "Cc", "Mn", "Me"} and code not in _cjk_codepoints():
        return None  # zero-width joiners, variation selectors, stray combining marks
    if code in _cjk_codepoints():
        return CJK_FONT
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return ""
    return LATIN_FONT


def runs(text: str) -> Iterator[tuple[str, str]]:
    """``text`` cut into (font name, text) runs, with unprintable characters replaced.

    Line breaks are kept as ``"\\n"`` runs' content; tabs become four spaces."""
    font_now: str | None = None
    current: list[str] = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", TAB):
        if char == "\n":
            font, shown = font_now or CJK_FONT, char
        else:
            found = _font_of(char)
            if found is None:
                continue
            font, shown = (found, char) if found else (CJK_FONT, MISSING)
        if font != font_now and current:
            yield font_now or CJK_FONT, "".join(current)
            current = []
        font_now = font
        current.append(shown)
    if current:
        yield font_now or CJK_FONT, "".join(current)


def printable(text: str) -> str:
    """``text`` as it will print: unknown characters as 〓, zero-width marks dropped."""
    return "".join(part for _font, part in runs(text))


def markup(text: str, bold: bool = False) -> str:
    """Paragraph markup for plain ``text``: escaped, fonts per run, line breaks as ``<br/>``.

    The paragraph's own font is the CJK font; Latin runs are wrapped in a font tag."""
    latin = LATIN_BOLD_FONT if bold else LATIN_FONT
    parts: list[str] = []
    for font, part in runs(text):
        escaped = escape(part).replace("\n", "<br/>")
        if font == LATIN_FONT:
            parts.append(f'<font face="{latin}">{escaped}</font>')
        else:
            parts.append(escaped)
    return "".join(parts)


def text_width(text: str, size: float) -> float:
    """Width in points of one line of ``text`` at ``size``."""
    register_fonts()
    return float(sum(pdfmetrics.stringWidth(part, font, size) for font, part in runs(text)))


def draw_text(
    canvas: Canvas, x: float, y: float, text: str, size: float, anchor: str = "left"
) -> None:
    """Draw one line of mixed CJK/Latin ``text`` on ``canvas``; ``anchor`` left/centre/right."""
    register_fonts()
    line = text.replace("\n", " ")
    width = text_width(line, size)
    start = {"left": x, "centre": x - width / 2, "right": x - width}[anchor]
    for font, part in runs(line):
        canvas.setFont(font, size)
        canvas.drawString(start, y, part)
        start += pdfmetrics.stringWidth(part, font, size)
