"""Stream the rows of a client JSON export (docs/export-format.md) without loading the file.

The import of a bureau's whole database (a million records and more) must not hold the
document in memory: the file is read in blocks, the structure around the rows is walked by
hand and each row is parsed on its own with ``json.JSONDecoder.raw_decode``. The header keys
(``format``, ``format_version``, ``schema_revision``) must come before ``tables``, as the
export writes them, and are checked by the client's own ``check_document``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TextIO

from app.exchange.json_format import FormatError, check_document
from app.i18n import tr

BLOCK = 4 * 1024 * 1024
MAX_VALUE = 256 * 1024 * 1024
"""A single row larger than this is treated as broken JSON rather than read further."""
_SPACE = re.compile(r"[ \t\n\r]*")


class ReadProblem(Exception):
    """The file cannot be read as an export; the message (translated) says where and why."""


@dataclass(frozen=True, slots=True)
class RawRow:
    table: str
    position: int  # the table's place in the file, from 1
    number: int  # the row's place in its table, from 1
    value: Any


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(name)


class _Cursor:
    """A window over the file's text with the position of the next character to read."""

    def __init__(self, file: TextIO, path: Path) -> None:
        self.file = file
        self.path = path
        self.text = ""
        self.pos = 0
        self.eof = False
        self.lines_before = 0  # newlines in text already dropped from the window
        self.decoder = json.JSONDecoder(parse_constant=_reject_constant)

    def _more(self) -> bool:
        if self.eof:
            return False
        try:
            block = self.file.read(BLOCK)
        except UnicodeDecodeError as error:
            raise ReadProblem(
                tr(
                    "导入文件“{file}”不是 UTF-8 编码的文本（第 {offset} 个字节无法解码）",
                    file=str(self.path),
                    offset=error.start + 1,
                )
            ) from None
        if not block:
            self.eof = True
            return False
        self.lines_before += self.text.count("\n", 0, self.pos)
        self.text = self.text[self.pos :] + block
        self.pos = 0
        return True

    def peek(self) -> str:
        while True:
            match = _SPACE.match(self.text, self.pos)
            assert match is not None
            self.pos = match.end()
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self._more():
                return ""

    def expect(self, character: str) -> None:
        if self.peek() != character:
            self.fail(tr("此处应为“{expected}”", expected=character))
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                if len(self.text) - self.pos < MAX_VALUE and self._more():
                    continue
                self.fail(error.msg, error.pos)
            except ValueError as error:
                self.fail(tr("含有 {value}（JSON 不允许）", value=str(error)))
            except RecursionError:
                self.fail(tr("嵌套层次过深"))
            if end == len(self.text) and not self.eof and self._more():
                continue  # a number may go on in the next block
            self.pos = end
            return value

    def fail(self, reason: str, at: int | None = None) -> NoReturn:
        where = self.pos if at is None else at
        line = self.lines_before + self.text.count("\n", 0, where) + 1
        column = where - (self.text.rfind("\n", 0, where) + 1) + 1
        raise ReadProblem(
            tr(
                "导入文件“{file}”不是合法的 JSON：第 {line} 行第 {column} 列，{reason}",
                file=str(self.path),
                line=line,
                column=column,
                reason=reason,
            )
        )


def read_rows(path: Path) -> Iterator[RawRow]:
    """Every row of every table, in file order, once the header shows a readable export."""
    try:
        file = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        raise ReadProblem(tr("找不到导入文件“{file}”", file=str(path))) from None
    except IsADirectoryError:
        raise ReadProblem(tr("“{file}”是文件夹，不是导入文件", file=str(path))) from None
    except OSError as error:
        raise ReadProblem(
            tr("无法读取导入文件“{file}”：{reason}", file=str(path), reason=error.strerror)
        ) from None
    with file:
        yield from _document(_Cursor(file, path))


def _document(cursor: _Cursor) -> Iterator[RawRow]:
    header: dict[str, Any] = {}
    if cursor.peek() != "{":
        _check_header(cursor.path, cursor.value())
    cursor.expect("{")
    seen_tables = False
    while cursor.peek() != "}":
        key = cursor.value()
        cursor.expect(":")
        if key == "tables" and not seen_tables:
            seen_tables = True
            _check_header(cursor.path, header)
            yield from _tables(cursor)
        else:
            header[str(key)] = cursor.value()
        _separator(cursor, "}")
    cursor.expect("}")
    if not seen_tables:
        _check_header(cursor.path, header)
        raise ReadProblem(_in_file(cursor.path, tr("缺少 tables 对象（每张表的记录列表）")))
    if cursor.peek() != "":
        cursor.fail(tr("文件在 JSON 对象之后还有多余内容"))


def _tables(cursor: _Cursor) -> Iterator[RawRow]:
    if cursor.peek() != "{":
        raise ReadProblem(_in_file(cursor.path, tr("缺少 tables 对象（每张表的记录列表）")))
    cursor.expect("{")
    position = 0
    while cursor.peek() != "}":
        position += 1
        name = cursor.value()
        cursor.expect(":")
        if cursor.peek() != "[":
            raise ReadProblem(
                tr(
                    "导入文件“{file}”第 {index} 张表 {table} 应为记录列表",
                    file=str(cursor.path),
                    index=position,
                    table=name,
                )
            )
        cursor.expect("[")
        number = 0
        while cursor.peek() != "]":
            number += 1
            yield RawRow(str(name), position, number, cursor.value())
            _separator(cursor, "]")
        cursor.expect("]")
        _separator(cursor, "}")
    cursor.expect("}")


def _separator(cursor: _Cursor, closing: str) -> None:
    """After a member: a comma followed by another member, or the closing bracket."""
    following = cursor.peek()
    if following == ",":
        cursor.pos += 1
        if cursor.peek() == closing:
            cursor.fail(tr("此处不能有逗号"))
    elif following != closing:
        cursor.fail(tr("此处应为“{expected}”", expected=f", {closing}"))


def _check_header(path: Path, header: object) -> None:
    try:
        check_document({**header, "tables": {}} if isinstance(header, dict) else header)
    except FormatError as error:
        raise ReadProblem(_in_file(path, error.problem)) from None


def _in_file(path: Path, problem: str) -> str:
    return tr("导入文件“{file}”：{problem}", file=str(path), problem=problem)
