"""Reading a list file into plain rows: .xlsx/.xlsm with openpyxl (read-only), or .csv.

Merged cells: openpyxl gives the value to the top-left cell of a merged range and leaves the
other cells blank, and that is what is kept — nothing is copied down or across. The ranges
themselves are read from the sheet's XML (read-only worksheets do not parse them) so that a row
left incomplete by a merge can say so.

CSV: UTF-8 with or without BOM, else GB18030 (which includes GBK, what Chinese Excel writes);
the delimiter (comma, tab or semicolon) is sniffed from the first lines.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from app.domain.errors import ImportProblem
from app.i18n import tr
from app.importers.cells import cell_text
from app.importers.columns import ColumnMapping

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".csv"})
OLD_EXCEL_SUFFIXES = frozenset({".xls", ".et"})
HEADER_SEARCH_ROWS = 20
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
_DELIMITERS = ",\t;"


@dataclass(frozen=True, slots=True)
class MergedRange:
    """A merged range: rows as numbered in the sheet, columns from 0."""

    ref: str
    first_row: int
    last_row: int
    first_column: int
    last_column: int

    def covers(self, row: int, column: int) -> bool:
        """Whether the cell is inside the range but not its top-left cell (so it is blank)."""
        inside = (
            self.first_row <= row <= self.last_row
            and self.first_column <= column <= self.last_column
        )
        return inside and (row, column) != (self.first_row, self.first_column)


@dataclass(frozen=True, slots=True)
class SheetRow:
    number: int
    """The row number the user sees in Excel (the line number in a CSV file)."""
    cells: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet of a list file, its header row located."""

    file_name: str
    name: str
    """Worksheet title, or the encoding for a CSV file (UTF-8 / GB18030)."""
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[SheetRow, ...]
    """The rows below the header row."""
    merged: tuple[MergedRange, ...] = ()

    def merge_covering(self, row: int, column: int) -> MergedRange | None:
        for merged in self.merged:
            if merged.covers(row, column):
                return merged
        return None


def read_sheet(path: Path) -> Sheet:
    """Read ``path``; raises ``ImportProblem`` with a message naming the file when it cannot."""
    suffix = path.suffix.lower()
    if suffix in OLD_EXCEL_SUFFIXES:
        raise ImportProblem(
            tr(
                "“{file}”是旧版 Excel（.xls）文件，无法直接读取：请在 Excel 或 WPS 中"
                "“另存为” .xlsx 后再导入",
                file=path.name,
            )
        )
    if suffix not in SPREADSHEET_SUFFIXES:
        raise ImportProblem(tr("只能导入 .xlsx、.xlsm 或 .csv 文件，“{file}”不是", file=path.name))
    if not path.is_file():
        raise ImportProblem(tr("找不到文件“{file}”", file=str(path)))
    if suffix == ".csv":
        return _read_csv(path)
    return _read_workbook(path)


def locate_header(rows: Sequence[SheetRow]) -> int:
    """Index of the header row among ``rows``: the first of the top rows that names the
    enterprise column, else the first naming at least two known columns, else the first row
    with anything in it (a title row above the header is passed over)."""
    top = rows[:HEADER_SEARCH_ROWS]
    mappings = [ColumnMapping.detect([cell_text(c) for c in row.cells]) for row in top]
    for index, mapping in enumerate(mappings):
        if mapping.has_name:
            return index
    for index, mapping in enumerate(mappings):
        if mapping.recognised() >= 2:
            return index
    for index, row in enumerate(top):
        if any(cell_text(cell) for cell in row.cells):
            return index
    return 0


def _sheet(
    file_name: str, name: str, rows: list[SheetRow], merged: tuple[MergedRange, ...]
) -> Sheet:
    if not rows:
        raise ImportProblem(tr("“{file}”中没有数据", file=file_name))
    index = locate_header(rows)
    header = rows[index]
    width = max(len(row.cells) for row in rows)
    headers = tuple(cell_text(cell) for cell in header.cells) + ("",) * (width - len(header.cells))
    body = tuple(
        SheetRow(row.number, tuple(row.cells) + (None,) * (width - len(row.cells)))
        for row in rows[index + 1 :]
    )
    while body and not any(cell_text(cell) for cell in body[-1].cells):
        body = body[:-1]  # trailing blank rows are not data
    return Sheet(file_name, name, header.number, headers, body, merged)


# -- Excel ----------------------------------------------------------------------------------


def _read_workbook(path: Path) -> Sheet:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportProblem(
            tr(
                "“{file}”不是可读取的 Excel 文件（可能已损坏或设置了密码）：{error}",
                file=path.name,
                error=str(error) or type(error).__name__,
            )
        ) from error
    try:
        chosen = None
        for worksheet in workbook.worksheets:
            if not hasattr(worksheet, "iter_rows"):
                continue  # a chart sheet
            top = list(_worksheet_rows(worksheet, HEADER_SEARCH_ROWS))
            index = locate_header(top) if top else 0
            if top and ColumnMapping.detect([cell_text(c) for c in top[index].cells]).has_name:
                chosen = worksheet
                break
            chosen = chosen or (worksheet if top else None)
        if chosen is None:
            raise ImportProblem(tr("“{file}”中没有数据", file=path.name))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows = list(_worksheet_rows(chosen))
        return _sheet(path.name, chosen.title, rows, _merged_ranges(chosen))
    finally:
        workbook.close()


def _worksheet_rows(worksheet: Any, limit: int | None = None) -> Iterator[SheetRow]:
    first = worksheet.min_row or 1
    for offset, values in enumerate(worksheet.iter_rows(values_only=True)):
        if limit is not None and offset >= limit:
            return
        cells = list(values)
        while cells and cells[-1] is None:
            cells.pop()
        yield SheetRow(first + offset, tuple(cells))


def _merged_ranges(worksheet: Any) -> tuple[MergedRange, ...]:
    """Merged ranges from the sheet XML (``<mergeCell ref="A3:A4"/>``); () when unreadable."""
    merged = getattr(worksheet, "merged_cells", None)
    if merged is not None:  # a normal (not read-only) worksheet
        refs = [str(ref) for ref in merged.ranges]
    else:
        try:
            with worksheet.parent._archive.open(worksheet._worksheet_path) as source:
                xml = source.read()
        except (AttributeError, KeyError, OSError):
            return ()
        refs = [found.decode("ascii") for found in _MERGE.findall(xml)]
    ranges = []
    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        assert min_col is not None and min_row is not None
        assert max_col is not None and max_row is not None
        ranges.append(MergedRange(ref, min_row, max_row, min_col - 1, max_col - 1))
    return tuple(ranges)


# -- CSV ------------------------------------------------------------------------------------


def _read_csv(path: Path) -> Sheet:
    raw = path.read_bytes()
    text, encoding = _decode(raw, path.name)
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        delimiter = max(_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    # Numbered as Excel numbers the rows when it opens the file (a quoted cell with line
    # breaks is one row, however many lines it spans).
    for number, values in enumerate(reader, start=1):
        cells = list(values)
        while cells and not cells[-1].strip():
            cells.pop()
        rows.append(SheetRow(number, tuple(cells)))
    return _sheet(path.name, encoding, rows, ())


def _decode(raw: bytes, file_name: str) -> tuple[str, str]:
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        raise ImportProblem(
            tr("无法识别“{file}”的文字编码：请另存为 UTF-8 编码的 CSV 或 .xlsx", file=file_name)
        ) from None
