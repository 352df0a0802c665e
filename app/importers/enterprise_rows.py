"""Each data row of a sheet read as an enterprise: its clean fields, or the reasons it is not.

A rejected row keeps its sheet row number, its cells as the user typed them and every problem
found, each naming the column as the sheet's header writes it. Empty rows are skipped (counted).
A row naming the same USCC or the same enterprise (by normalised name) as an earlier row of the
file is rejected with the number of that earlier row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.contact import ContactDraft, validate_contact
from app.domain.enterprise import validate_enterprise_changes
from app.domain.errors import ValidationError
from app.domain.names import name_key
from app.i18n import tr
from app.importers.cells import cell_text, field_value
from app.importers.columns import CONTACT_FIELDS, ColumnMapping, field_label, header_unit
from app.importers.sheets import Sheet, SheetRow

_MOBILE_DIGITS = 11


@dataclass(frozen=True, slots=True)
class RowProblem:
    column: int | None
    """The sheet column (from 0) the problem is in; None for the row as a whole."""
    message: str


@dataclass(frozen=True, slots=True)
class ReadRow:
    """One non-empty data row."""

    number: int
    cells: tuple[str, ...]
    fields: Mapping[str, Any]
    """Clean enterprise fields (only those with a value); empty when the row is rejected."""
    contact: ContactDraft | None
    problems: tuple[RowProblem, ...]

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def key(self) -> str:
        return name_key(self.fields.get("name", ""))


@dataclass(frozen=True, slots=True)
class RowsRead:
    rows: tuple[ReadRow, ...]
    empty: int
    """Blank rows skipped."""


def read_rows(sheet: Sheet, mapping: ColumnMapping, today: dt.date | None = None) -> RowsRead:
    """Every data row of ``sheet`` read with ``mapping``."""
    reader = _RowReader(sheet, mapping, today or dt.date.today())
    rows: list[ReadRow] = []
    empty = 0
    for row in sheet.rows:
        read = reader.read(row)
        if read is None:
            empty += 1
        else:
            rows.append(read)
    return RowsRead(tuple(rows), empty)


def reason_of(sheet: Sheet, row: ReadRow) -> str:
    """The problems of ``row`` in one line: ``列名：问题；列名：问题``."""
    parts = []
    for problem in row.problems:
        if problem.column is None:
            parts.append(problem.message)
        else:
            parts.append(
                tr(
                    "{column}：{problem}",
                    column=_column_name(sheet, problem.column),
                    problem=problem.message,
                )
            )
    return tr("；").join(parts)


def _column_name(sheet: Sheet, column: int) -> str:
    header = sheet.headers[column] if column < len(sheet.headers) else ""
    return header or tr("第 {number} 列", number=column + 1)


class _RowReader:
    def __init__(self, sheet: Sheet, mapping: ColumnMapping, today: dt.date) -> None:
        self._sheet = sheet
        self._mapping = mapping
        self._today = today
        self._columns = mapping.mapped()
        self._units = {
            column: header_unit(sheet.headers[column])
            for column, _ in self._columns
            if column < len(sheet.headers)
        }
        self._first_of_uscc: dict[str, int] = {}
        self._first_of_name: dict[str, int] = {}

    def read(self, row: SheetRow) -> ReadRow | None:
        cells = tuple(cell_text(cell) for cell in row.cells)
        if not any(cells):
            return None
        problems: list[RowProblem] = []
        values: dict[str, Any] = {}
        contact: dict[str, str] = {}
        for column, field in self._columns:
            raw = row.cells[column] if column < len(row.cells) else None
            if field in CONTACT_FIELDS:
                contact[field] = cells[column] if column < len(cells) else ""
                continue
            try:
                value = field_value(field, raw, unit=self._units.get(column, ""))
            except ValidationError as error:
                problems.append(RowProblem(column, error.message))
                continue
            if value is not None:
                values[field] = value
        clean = self._validated(values, problems)
        if "name" not in values and not any(p.column == self._column("name") for p in problems):
            problems.append(self._blank_name(row.number))
        draft = self._contact(contact, problems)
        if not problems:
            problems.extend(self._repeated(row.number, clean))
        if problems:
            return ReadRow(row.number, cells, {}, None, tuple(problems))
        return ReadRow(row.number, cells, clean, draft, ())

    def _column(self, field: str) -> int | None:
        return self._mapping.column_of(field)

    def _validated(self, values: dict[str, Any], problems: list[RowProblem]) -> dict[str, Any]:
        if problems or "name" not in values:
            self._check_each(values, problems)
            return {}
        try:
            return validate_enterprise_changes(values, creating=True, today=self._today)
        except ValidationError:
            self._check_each(values, problems)
            return {}

    def _check_each(self, values: dict[str, Any], problems: list[RowProblem]) -> None:
        """Every field on its own, so that all problems of the row are reported at once."""
        for field, value in values.items():
            try:
                validate_enterprise_changes({field: value}, creating=False, today=self._today)
            except ValidationError as error:
                problems.append(RowProblem(self._column(error.field), error.message))

    def _blank_name(self, number: int) -> RowProblem:
        column = self._column("name")
        if column is None:
            return RowProblem(None, tr("没有对应“企业名称”的列"))
        merged = self._sheet.merge_covering(number, column)
        if merged is not None:
            return RowProblem(
                column,
                tr(
                    "为空：该单元格属于合并单元格 {ref}，合并内容只算在第 {first} 行，"
                    "请拆分合并单元格并逐行填写",
                    ref=merged.ref,
                    first=merged.first_row,
                ),
            )
        return RowProblem(column, tr("为空，企业名称必须填写"))

    def _contact(self, values: dict[str, str], problems: list[RowProblem]) -> ContactDraft | None:
        name, title = values.get("contact_name", ""), values.get("contact_title", "")
        phone = values.get("contact_phone", "")
        if not (name or title or phone):
            return None
        digits = "".join(char for char in phone if char.isdigit())
        is_mobile = len(digits) == _MOBILE_DIGITS and digits.startswith("1")
        draft = ContactDraft(
            name=name or title or tr("联系人"),
            title=title,
            mobile=phone if is_mobile else "",
            phone="" if is_mobile else phone,
            is_primary=True,
        )
        try:
            return validate_contact(draft)
        except ValidationError as error:
            field = {"name": "contact_name", "title": "contact_title"}.get(
                error.field, "contact_phone"
            )
            problems.append(RowProblem(self._column(field), error.message))
            return None

    def _repeated(self, number: int, clean: Mapping[str, Any]) -> list[RowProblem]:
        uscc = clean.get("uscc")
        if uscc:
            first = self._first_of_uscc.setdefault(uscc, number)
            if first != number:
                return [
                    RowProblem(
                        self._column("uscc"),
                        tr("与第 {row} 行重复（统一社会信用代码相同），未导入", row=first),
                    )
                ]
        key = name_key(clean["name"])
        first = self._first_of_name.setdefault(key, number)
        if first != number:
            return [
                RowProblem(
                    self._column("name"), tr("与第 {row} 行重复（企业名称相同），未导入", row=first)
                )
            ]
        return []


def mapping_notes(sheet: Sheet, mapping: ColumnMapping) -> tuple[str, ...]:
    """What a user should know before importing: columns not imported, merged cells."""
    notes: list[str] = []
    if not mapping.has_name:
        notes.append(tr("没有识别出“企业名称”列：请在下表中为企业名称所在的列选择“企业名称”"))
    first_data = sheet.header_row + 1
    merges = [
        m
        for m in sheet.merged
        if m.last_row > m.first_row
        and m.last_row >= first_data
        and any(mapping.field_of(c) for c in range(m.first_column, m.last_column + 1))
    ]
    for merged in merges[:5]:
        field = next(
            mapping.field_of(c)
            for c in range(merged.first_column, merged.last_column + 1)
            if mapping.field_of(c)
        )
        notes.append(
            tr(
                "“{field}”列第 {first}–{last} 行是合并单元格（{ref}）：内容只导入第 {first} 行，"
                "其余行该列按空白处理",
                field=field_label(field),
                first=merged.first_row,
                last=merged.last_row,
                ref=merged.ref,
            )
        )
    if len(merges) > 5:
        notes.append(tr("另有 {count} 处合并单元格", count=len(merges) - 5))
    return tuple(notes)
