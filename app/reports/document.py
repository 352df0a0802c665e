"""What a report says, independent of paper or spreadsheet: a title block and a list of blocks.

Report builders (``visit_summary``, ``trip_brief``, ``weekly``, ``dispatch``, ``ranking``) read
the database and return a ``ReportDocument``; ``app.reports.pdf`` lays it out on A4 and
``app.reports.xlsx`` writes every ``Table`` of it to a workbook sheet. Builders never touch
reportlab or openpyxl, so the same figures reach both formats and the tests can check the
document before it is drawn.

Every text here is final, translated text; cells keep their typed values (``int``, ``Decimal``,
``dt.date``) so the spreadsheet gets numbers and dates, not strings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

Cell = str | int | Decimal | dt.date | None
"""A table cell: text, a count, an exact amount or rate, a date, or empty."""


class ColumnKind(StrEnum):
    """How a column's values are printed and which Excel number format they get."""

    TEXT = "text"
    COUNT = "count"  # whole number, thousands separated
    WAN = "wan"  # money in 万元, two decimals
    PERCENT = "percent"  # a Decimal fraction (0.25 → 25.0%)
    DATE = "date"


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: ColumnKind = ColumnKind.TEXT
    width: float = 1.0
    """Relative width on paper (the columns share the page width in proportion)."""


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


@dataclass(frozen=True, slots=True)
class Text:
    """Running text; line breaks are kept, long text flows across pages."""

    text: str
    muted: bool = False


@dataclass(frozen=True, slots=True)
class Fields:
    """Label–value pairs laid out in a grid (``columns`` pairs per line)."""

    pairs: tuple[tuple[str, str], ...]
    columns: int = 2


@dataclass(frozen=True, slots=True)
class Figures:
    """Headline numbers in tiles: (name, value, detail)."""

    tiles: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table; ``sheet`` names its Excel sheet (≤ 31 characters, unique in the document)."""

    sheet: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    empty_text: str = ""
    """Printed in place of the table when it has no rows."""
    total: tuple[Cell, ...] | None = None
    """A closing total line, printed bold-ruled and written to the sheet's last row."""


class ChartKind(StrEnum):
    BAR = "bar"  # vertical bars, one group per category
    HBAR = "hbar"  # horizontal bars, for ranked lists with long names


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    percent: bool = False
    """Values are fractions printed as percentages (axis 0–100%)."""


@dataclass(frozen=True, slots=True)
class Photo:
    path: Path
    caption: str


@dataclass(frozen=True, slots=True)
class Photos:
    """Thumbnails in a grid; a file that cannot be read is named instead of drawn."""

    photos: tuple[Photo, ...]


@dataclass(frozen=True, slots=True)
class Signatures:
    """Signature / approval lines: one labelled blank per entry, with a date blank."""

    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Notes:
    """Definitions (口径) and other notes: (name, explanation), printed small at the end."""

    title: str
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Start the next block on a new page (between the enterprises of a multi-enterprise brief)."""


Block = Heading | Text | Fields | Figures | Table | Chart | Photos | Signatures | Notes | PageBreak


@dataclass(frozen=True, slots=True)
class ReportDocument:
    """A whole report: its title block, its blocks in order, and how to name its files."""

    title: str
    subtitle: str
    number: str
    """Document number (文号), printed under the title and in every page's footer."""
    generated_at: dt.datetime
    """When it was made (UTC-aware); printed in local time."""
    issuer: str
    """Who issues it: the bureau or squad line printed above the title."""
    file_stem: str
    """A file name without suffix, e.g. ``拜访纪要-某某公司-2026-11-28``."""
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def tables(self) -> tuple[Table, ...]:
        return tuple(block for block in self.blocks if isinstance(block, Table))

    def notes(self) -> tuple[Notes, ...]:
        return tuple(block for block in self.blocks if isinstance(block, Notes))
