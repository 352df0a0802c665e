"""Reading a published list from an .xlsx or .csv file: find the columns, hand back the rows.

Columns are found by their header, Chinese or English, in any order: 企业名称/名称 (name),
统一社会信用代码 (USCC), 排名/序号 (rank). The header row may sit below a title row or two, as in
lists copied from a ministry's notice. Cells are returned as text (numbers without a trailing
``.0``); checking them is the importer's job. A file that cannot be read at all, or has no name
column, raises ``ImportProblem`` and nothing is imported.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.errors import ImportProblem, ValidationError
from app.i18n import tr
from app.services.honour_directory_views import RANK_LIMIT

HEADER_SCAN_ROWS = 20
"""How far down the header row is looked for."""

NAME_HEADERS = frozenset(
    {
        "企业名称",
        "名称",
        "企业",
        "公司名称",
        "单位名称",
        "企业全称",
        "企业（单位）名称",
        "name",
        "enterprisename",
        "companyname",
        "enterprise",
        "company",
    }
)
USCC_HEADERS = frozenset(
    {
        "统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "统一代码",
        "uscc",
        "creditcode",
        "unifiedsocialcreditcode",
    }
)
RANK_HEADERS = ("排名", "名次", "rank", "ranking")
"""Preferred over ``ORDER_HEADERS`` when a sheet has both (a list's 序号 is only a line number)."""
ORDER_HEADERS = frozenset({"序号", "排序", "编号", "no", "no.", "#", "number", "seq"})

_DECORATION = re.compile(r"[\s*＊:：]|[（(]必填[）)]")


@dataclass(frozen=True, slots=True)
class SheetRow:
    row_number: int
    """As the spreadsheet numbers it (1-based, header row included)."""
    name: str
    uscc: str
    rank: str

    @property
    def blank(self) -> bool:
        return not (self.name or self.uscc or self.rank)


@dataclass(frozen=True, slots=True)
class SheetColumns:
    name: int
    uscc: int | None
    rank: int | None


def read_sheet(path: Path) -> tuple[SheetRow, ...]:
    """The rows under the header of the file's first sheet."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        grid = _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        grid = _csv_rows(path)
    else:
        raise ImportProblem(
            tr("不支持的文件类型“{suffix}”：请使用 .xlsx 或 .csv 文件", suffix=path.suffix)
        )
    return rows_under_header(grid)


def rows_under_header(grid: Iterator[Sequence[str]]) -> tuple[SheetRow, ...]:
    columns: SheetColumns | None = None
    rows: list[SheetRow] = []
    for row_number, cells in enumerate(grid, start=1):
        if columns is None:
            columns = find_columns(cells)
            if columns is None and row_number >= HEADER_SCAN_ROWS:
                break
            continue
        rows.append(
            SheetRow(
                row_number,
                _cell(cells, columns.name),
                _cell(cells, columns.uscc),
                _cell(cells, columns.rank),
            )
        )
    if columns is None:
        raise ImportProblem(
            tr(
                "找不到“企业名称”列：表头应含 企业名称/名称（或 name），"
                "可选 统一社会信用代码、排名/序号"
            )
        )
    return tuple(rows)


def find_columns(cells: Sequence[str]) -> SheetColumns | None:
    """The columns named in a header row, or None when it has no name column."""
    headers = [header_key(cell) for cell in cells]
    name = _first(headers, NAME_HEADERS)
    if name is None:
        return None
    rank = _first(headers, frozenset(RANK_HEADERS))
    if rank is None:
        rank = _first(headers, ORDER_HEADERS)
    return SheetColumns(name=name, uscc=_first(headers, USCC_HEADERS), rank=rank)


def header_key(cell: str) -> str:
    """A header as compared: half-width, lower case, no spaces, colons, stars or “（必填）”."""
    return _DECORATION.sub("", unicodedata.normalize("NFKC", cell)).lower()


def _first(headers: Sequence[str], names: frozenset[str]) -> int | None:
    normalised = {header_key(name) for name in names}
    for index, header in enumerate(headers):
        if header in normalised:
            return index
    return None


def _cell(cells: Sequence[str], column: int | None) -> str:
    if column is None or column >= len(cells):
        return ""
    return cells[column].strip()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(path: Path) -> Iterator[Sequence[str]]:
    from openpyxl import load_workbook  # heavy: only when a sheet is imported
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, KeyError, ValueError) as error:
        raise ImportProblem(
            tr("无法读取文件“{name}”：{error}", name=path.name, error=error)
        ) from error
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_text(value) for value in values]
    finally:
        book.close()


def _csv_rows(path: Path) -> Iterator[Sequence[str]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportProblem(
            tr("无法读取文件“{name}”：{error}", name=path.name, error=error)
        ) from error
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportProblem(tr("无法识别文件“{name}”的编码：请另存为 UTF-8 CSV", name=path.name))
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


_RANK = re.compile(r"^(?:第|no\.?|#)?\s*(\d+)\s*(?:名|位)?$", re.IGNORECASE)


def parse_rank(raw: str) -> int | None:
    """A rank as written in a sheet: ``12``, ``１２`` (full-width), ``第12名``, ``12.0``.

    Empty text is no rank; anything else raises ``ValidationError("rank", …)``.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return None
    if text.endswith(".0"):
        text = text[:-2]
    found = _RANK.match(text)
    rank = int(found.group(1)) if found else 0
    if not 1 <= rank <= RANK_LIMIT:
        raise ValidationError("rank", tr("排名“{text}”不是正整数", text=raw.strip()))
    return rank
