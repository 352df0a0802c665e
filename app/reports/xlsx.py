"""Write every table of a ``ReportDocument`` to an .xlsx workbook (openpyxl).

One sheet per table, Chinese headers in bold on a frozen first row, numbers as numbers with
their formats (counts ``#,##0``, 万元 ``#,##0.00``, rates ``0.0%``, dates ``yyyy-mm-dd``),
columns sized to their content; a first sheet names the report, its number and when it was made,
and a last sheet holds the definitions (口径). Written beside the target and renamed into place.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.i18n import tr
from app.reports.document import Cell, ColumnKind, ReportDocument, Table
from app.reports.files import write_atomically

NUMBER_FORMATS = {
    ColumnKind.COUNT: "#,##0",
    ColumnKind.WAN: "#,##0.00",
    ColumnKind.PERCENT: "0.0%",
    ColumnKind.DATE: "yyyy-mm-dd",
    ColumnKind.TEXT: "@",
}
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
BOLD = Font(bold=True)
MAX_COLUMN_WIDTH = 60
FORBIDDEN = str.maketrans({char: "-" for char in "[]:*?/\\"})


def render_xlsx(document: ReportDocument, target: Path) -> Path:
    """Write ``document``'s tables to ``target`` (replaced whole, or untouched on error)."""
    book = build_workbook(document)
    return write_atomically(target, book.save)


def build_workbook(document: ReportDocument) -> Workbook:
    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = _sheet_name(tr("报表信息"), set())
    used = {cover.title}
    made = document.generated_at.astimezone().replace(tzinfo=None, microsecond=0)
    for label, value in (
        (tr("报表"), document.title),
        (tr("范围"), document.subtitle),
        (tr("编号"), document.number),
        (tr("制表单位"), document.issuer),
        (tr("生成时间"), made),
    ):
        cover.append([label, value])
        cover.cell(cover.max_row, 1).font = BOLD
    cover.cell(cover.max_row, 2).number_format = "yyyy-mm-dd hh:mm"
    cover.column_dimensions["A"].width = 12
    cover.column_dimensions["B"].width = 60
    for table in document.tables():
        sheet = book.create_sheet(_sheet_name(table.sheet, used))
        used.add(sheet.title)
        _write_table(sheet, table)
    items = [item for notes in document.notes() for item in notes.items]
    if items:
        sheet = book.create_sheet(_sheet_name(tr("口径说明"), used))
        sheet.append([tr("指标"), tr("口径")])
        for cell in sheet[1]:
            cell.font = BOLD
            cell.fill = HEADER_FILL
        for name, text in items:
            sheet.append([name, text])
            sheet.cell(sheet.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions["A"].width = 18
        sheet.column_dimensions["B"].width = 90
    return book


def _write_table(sheet: Worksheet, table: Table) -> None:
    sheet.append([column.header for column in table.columns])
    for cell in sheet[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"
    lines = list(table.rows)
    if table.total is not None:
        lines.append(table.total)
    for values in lines:
        sheet.append([_value(value) for value in values])
        for index, column in enumerate(table.columns, start=1):
            cell = sheet.cell(sheet.max_row, index)
            if cell.value is not None:
                cell.number_format = NUMBER_FORMATS[column.kind]
    if table.total is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
    _fit(sheet, [[column.header for column in table.columns], *lines])


def _value(value: Cell) -> object:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value


def _fit(sheet: Worksheet, lines: Sequence[Sequence[object]]) -> None:
    widths: dict[int, float] = {}
    for values in lines:
        for index, value in enumerate(values, start=1):
            widths[index] = max(widths.get(index, 0.0), _display_width(value))
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(
            MAX_COLUMN_WIDTH, max(8.0, width + 2)
        )


def _display_width(value: object) -> float:
    if value is None:
        return 0.0
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    longest = max(text.splitlines() or [""], key=len)
    return float(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest))


def _sheet_name(wanted: str, used: set[str]) -> str:
    """A valid, unique sheet name: no ``[]:*?/\\``, at most 31 characters."""
    base = (wanted.translate(FORBIDDEN).strip("'") or "Sheet")[:31]
    name, counter = base, 2
    while name in used:
        suffix = f" ({counter})"
        name, counter = base[: 31 - len(suffix)] + suffix, counter + 1
    return name
