"""Export the whole local database as the documented JSON file (``json_format``).

The file is written row by row from one read transaction (a consistent snapshot), into a
temporary file beside the target that replaces it only when complete, so a failed export never
leaves a half-written file under the chosen name.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Column, Connection, Date, Dialect, Integer, String, select
from sqlalchemy.exc import DBAPIError

from app.database.codec import encode
from app.database.schema import SCHEMA_REVISION
from app.database.types import MoneyType, UTCDateTime
from app.database.unit_of_work import Database
from app.domain.errors import AppError
from app.exchange.json_format import (
    EXPORT_TABLES,
    ROW_DEPTH,
    ExportTable,
    document_end,
    document_start,
    json_string,
    json_text,
    table_end,
    table_start,
)
from app.i18n import tr

FETCH_ROWS = 2000
_WRITE_BUFFER = 1 << 20


class ExportError(AppError):
    """The export file could not be written; no file was left under its name."""


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    counts: dict[str, int]
    seconds: float

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def export_json(
    database: Database,
    path: Path,
    progress: Callable[[str, int], None] | None = None,
) -> ExportSummary:
    """Write every synced row (tombstones included) and every conflict to ``path``.

    ``progress(table, rows_so_far)`` is called after each table.
    """
    started = time.perf_counter()
    _check_target(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    counts: dict[str, int] = {}
    try:
        with temporary.open("w", encoding="utf-8", newline="\n", buffering=_WRITE_BUFFER) as out:
            _write_document(database, out.write, counts, progress)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ExportError(
            tr(
                "无法写入导出文件“{path}”：{reason}",
                path=str(path),
                reason=error.strerror or str(error),
            )
        ) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return ExportSummary(path=path, counts=counts, seconds=time.perf_counter() - started)


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise ExportError(tr("导出目标“{path}”是文件夹，请指定一个 .json 文件名", path=str(path)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(
            tr(
                "无法创建导出文件所在的文件夹“{path}”：{reason}",
                path=str(path.parent),
                reason=error.strerror or str(error),
            )
        ) from error


def _write_document(
    database: Database,
    write: Callable[[str], object],
    counts: dict[str, int],
    progress: Callable[[str, int], None] | None,
) -> None:
    write(document_start(SCHEMA_REVISION))
    with database.read() as session:
        connection = session.connection()  # one read transaction: a consistent snapshot
        fast = sqlite_formats_like_python(connection)
        for index, spec in enumerate(EXPORT_TABLES):
            write(table_start(spec.name, first=index == 0))
            writer = TableWriter(spec, connection, fast)
            count = 0
            for batch in writer.batches(connection):
                write(("," if count else "") + writer.format(batch))
                count += len(batch)
            write(table_end(empty=count == 0))
            counts[spec.name] = count
            if progress is not None:
                progress(spec.name, count)
    write(document_end())


Formatter = Callable[[Any], str]

_PROBE = "".join(map(chr, [*range(128), 0xA0, 0x2028, 0x2029, 0xFEFF, 0x4E2D, 0x201C, 0x1F600]))
"""Every ASCII character (controls included) and a few others that JSON quoting could treat
differently: what SQLite's ``json_quote`` must quote exactly as Python does."""


def sqlite_formats_like_python(connection: Connection) -> bool:
    """Whether this SQLite quotes JSON strings exactly as ``json.dumps`` (JSON1 present)."""
    if connection.dialect.name != "sqlite":
        return False
    try:
        quoted = connection.exec_driver_sql("SELECT json_quote(?)", (_PROBE,)).scalar()
    except DBAPIError:
        return False
    return bool(quoted == encode_basestring(_PROBE))


class TableWriter:
    """Reads one table's rows, sorted by id, and formats them exactly as ``json.dumps(indent=1,
    sort_keys=True)`` formats the ``codec.encode`` form of each value.

    This is the hot path of an export (millions of rows). On SQLite (``fast``), SQLite itself
    writes the text of each row: strings through ``json_quote`` (checked to match Python's
    quoting first), integers, booleans, ISO dates as stored, and UTC date-times from their
    stored ``YYYY-MM-DD HH:MM:SS.ffffff`` form; only decimals and JSON columns are formatted
    in Python, through their column type and ``codec.encode``. A table whose stored dates or
    date-times have any other form, and any other database, takes the general path: every
    value through SQLAlchemy and ``codec.encode``. Tests check both paths give the same bytes.
    """

    def __init__(self, spec: ExportTable, connection: Connection, fast: bool) -> None:
        dialect = connection.dialect
        inner = "\n" + " " * (ROW_DEPTH + 1)
        self._prefixes = [
            ("" if index == 0 else ",") + inner + json_string(name) + ": "
            for index, name in enumerate(spec.columns)
        ]
        self._open = "\n" + " " * ROW_DEPTH + "{"
        self._close = "\n" + " " * ROW_DEPTH + "}"
        self._columns = [spec.table.c[name] for name in spec.columns]
        self._query = select(*self._columns).order_by(spec.table.c.id)
        self._sql: str | None = None
        self._formatters: list[Formatter | None] = []  # the fast path's, per selected item
        if fast and _stored_times_are_canonical(connection, spec):
            self._plan_sqlite(spec, dialect)

    def _plan_sqlite(self, spec: ExportTable, dialect: Dialect) -> None:
        quote = dialect.identifier_preparer.quote
        selected: list[str] = []
        formatters: list[Formatter | None] = []
        template, arguments = [self._open], []
        for prefix, column in zip(self._prefixes, self._columns, strict=True):
            template.append(prefix)
            expression = _sql_json(column, quote(column.name))
            if expression is not None:
                template.append("%s")
                arguments.append(expression)
                continue
            process = column.type.dialect_impl(dialect).result_processor(dialect, None)
            selected += [_sql_printf(template, arguments), quote(column.name)]
            formatters += [None, _processed(process)]
            template, arguments = [], []
        template.append(self._close)
        selected.append(_sql_printf(template, arguments))
        formatters.append(None)
        self._formatters = formatters
        self._sql = f"SELECT {', '.join(selected)} FROM {quote(spec.name)} ORDER BY {quote('id')}"

    def batches(self, connection: Connection) -> Iterator[Sequence[Sequence[Any]]]:
        if self._sql is None:
            result = connection.execution_options(yield_per=FETCH_ROWS).execute(self._query)
            yield from result.partitions()
            return
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(self._sql)
            while batch := cursor.fetchmany(FETCH_ROWS):
                yield batch
        finally:
            cursor.close()

    def format(self, rows: Iterable[Sequence[Any]]) -> str:
        """The rows' text, separated by commas (the caller puts one between batches)."""
        if self._sql is None:
            return ",".join([self._general_row(row) for row in rows])
        formatters = self._formatters
        if len(formatters) == 1:
            return ",".join([row[0] for row in rows])
        return ",".join(
            [
                "".join(
                    [
                        part if formatter is None else formatter(part)
                        for formatter, part in zip(formatters, row, strict=True)
                    ]
                )
                for row in rows
            ]
        )

    def _general_row(self, row: Sequence[Any]) -> str:
        values = "".join(
            [prefix + _general(value) for prefix, value in zip(self._prefixes, row, strict=True)]
        )
        return self._open + values + self._close


def _general(value: object) -> str:
    return json_text(encode(value))


def _processed(process: Callable[[Any], Any] | None) -> Formatter:
    if process is None:
        return _general
    return lambda value: json_text(encode(process(value)))


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_printf(template: list[str], arguments: list[str]) -> str:
    """One ``printf`` call: SQLite builds the whole text in one go (``||`` chains copy)."""
    pattern = "".join(part if part == "%s" else part.replace("%", "%%") for part in template)
    return f"printf({', '.join([_sql_text(pattern), *arguments])})"


def _sql_json(column: Column[Any], name: str) -> str | None:
    """An SQLite expression giving the column's value as JSON text; None: format in Python."""
    kind = column.type
    if isinstance(kind, UTCDateTime):  # '2026-11-03 01:02:03.456789' (UTC)
        return (
            f"CASE WHEN {name} IS NULL THEN 'null' WHEN substr({name}, 20) = '.000000' "
            f"""THEN printf('"%sT%s+00:00"', substr({name}, 1, 10), substr({name}, 12, 8)) """
            f"""ELSE printf('"%sT%s+00:00"', substr({name}, 1, 10), substr({name}, 12)) END"""
        )
    if isinstance(kind, Boolean):
        return f"CASE WHEN {name} IS NULL THEN 'null' WHEN {name} THEN 'true' ELSE 'false' END"
    if isinstance(kind, MoneyType | Integer):
        return f"coalesce({name} || '', 'null')"
    if isinstance(kind, Date | String):  # JSON and Numeric are neither
        return f"json_quote({name})"
    return None


def _stored_times_are_canonical(connection: Connection, spec: ExportTable) -> bool:
    """Whether every stored date and date-time of the table has the form SQLAlchemy writes."""
    checks = []
    for column in spec.table.columns:
        name = connection.dialect.identifier_preparer.quote(column.name)
        if isinstance(column.type, UTCDateTime):
            shape = f"length({name}) = 26 AND substr({name}, 11, 1) = ' '"
        elif isinstance(column.type, Date):
            shape = f"length({name}) = 10"
        else:
            continue
        checks.append(f"({name} IS NOT NULL AND NOT (typeof({name}) = 'text' AND {shape}))")
    if not checks:
        return True
    table = connection.dialect.identifier_preparer.quote(spec.name)
    odd = f"SELECT 1 FROM {table} WHERE {' OR '.join(checks)} LIMIT 1"
    return connection.exec_driver_sql(odd).first() is None
