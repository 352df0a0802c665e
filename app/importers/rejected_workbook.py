"""The rejected rows of an import as an .xlsx: the sheet's own columns, its row number, and
why each row was not imported (原因), so the user can fix the rows and import them again."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.domain.errors import ImportProblem
from app.i18n import tr

_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_REASON_FILL = PatternFill("solid", fgColor="FDECEA")


def write_rejected(
    out_path: Path,
    headers: Sequence[str],
    rows: Sequence[tuple[int, Sequence[str], str]],
) -> Path:
    """Write (row number, cells, reason) rows under ``headers``; returns the path written."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = tr("未导入的行")
    titles = [
        tr("原表行号"),
        *(h or tr("第 {number} 列", number=n + 1) for n, h in enumerate(headers)),
        tr("原因"),
    ]
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for number, cells, reason in rows:
        padded = list(cells) + [""] * (len(headers) - len(cells))
        sheet.append([number, *padded[: len(headers)], reason])
    reason_column = len(titles)
    for row in sheet.iter_rows(min_row=2, min_col=reason_column, max_col=reason_column):
        for cell in row:
            cell.fill = _REASON_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 10
    for index, title in enumerate(titles[1:-1], start=2):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(title) * 3))
    sheet.column_dimensions[get_column_letter(reason_column)].width = 60
    target = out_path if out_path.suffix.lower() == ".xlsx" else out_path.with_suffix(".xlsx")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(target)
    except OSError as error:
        raise ImportProblem(
            tr("无法写入“{file}”：{error}", file=str(target), error=error.strerror or str(error))
        ) from error
    return target
