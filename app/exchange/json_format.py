"""The SquadDesk JSON export format, version 1 (documented in ``docs/export-format.md``).

A file is one JSON object::

    {"format": "squaddesk-export", "format_version": 1, "schema_revision": "0002",
     "tables": {"squads": [row, ...], ..., "conflicts": [row, ...]}}

``tables`` lists every synced table in dependency order (``SYNCED_TABLES``), then ``conflicts``.
Rows are sorted by id; a row is an object with every column of its table, values in their
``codec.encode`` form. The text is exactly what ``json.dumps(document, ensure_ascii=False,
indent=1)`` gives for that document (row keys sorted) plus a newline, so the same database
always exports to the same bytes.

This module holds the format: the tables and their order, the text around the rows (the export
streams rows between those pieces, never holding the database in memory), and the checks a
loaded document and each of its rows must pass before an import writes anything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Numeric,
    Table,
)

from app.database import migrate
from app.database.codec import JsonValue, decode
from app.database.tables import SYNCED_TABLES, Base, ConflictRow
from app.database.types import MoneyType, UTCDateTime
from app.domain.errors import ValidationError
from app.domain.money import Money
from app.domain.vocabulary import (
    AttachmentKind,
    ChainPosition,
    CommitmentStatus,
    HonourKind,
    IntentLevel,
    LeaderType,
    LinkKind,
    ProblemStatus,
    ProjectStage,
    Role,
    TaskStatus,
)
from app.i18n import tr

FORMAT_NAME = "squaddesk-export"
FORMAT_VERSION = 1
"""The newest format version this build writes and reads."""

CONFLICTS_TABLE = "conflicts"

ENUM_COLUMNS: Mapping[tuple[str, str], type[StrEnum]] = {
    ("members", "role"): Role,
    ("enterprises", "intent_level"): IntentLevel,
    ("honour_directories", "kind"): HonourKind,
    ("chain_links", "position"): ChainPosition,
    ("chain_links", "kind"): LinkKind,
    ("trips", "leader_type"): LeaderType,
    ("projects", "stage"): ProjectStage,
    ("project_stage_changes", "from_stage"): ProjectStage,
    ("project_stage_changes", "to_stage"): ProjectStage,
    ("commitments", "status"): CommitmentStatus,
    ("problems", "status"): ProblemStatus,
    ("tasks", "status"): TaskStatus,
    ("attachments", "kind"): AttachmentKind,
}
"""Columns holding a closed vocabulary: only the enum's stored keys are valid."""


@dataclass(frozen=True, slots=True)
class ExportTable:
    """One table of the file: its ORM class, columns (sorted by name) and references."""

    name: str
    model: type[Any]
    table: Table
    synced: bool
    columns: tuple[str, ...]
    references: Mapping[str, str] = field(default_factory=dict)
    """Column name → referenced table name, for every foreign key."""

    def column(self, name: str) -> Column[Any]:
        return self.table.c[name]


def _describe(model: type[Any], synced: bool) -> ExportTable:
    name: str = model.__tablename__
    table = Base.metadata.tables[name]
    references = {
        foreign_key.parent.name: foreign_key.column.table.name
        for foreign_key in sorted(table.foreign_keys, key=lambda key: key.parent.name)
    }
    return ExportTable(
        name=name,
        model=model,
        table=table,
        synced=synced,
        columns=tuple(sorted(column.name for column in table.columns)),
        references=references,
    )


EXPORT_TABLES: tuple[ExportTable, ...] = (
    *(_describe(model, synced=True) for model in SYNCED_TABLES),
    _describe(ConflictRow, synced=False),
)
"""Every table of the file, in the order they are written and imported."""

EXPORT_TABLE_BY_NAME: Mapping[str, ExportTable] = {table.name: table for table in EXPORT_TABLES}


# -- writing --------------------------------------------------------------------------------

ROW_DEPTH = 3
"""Nesting of a row in the file: document → tables → table list → row."""


def document_start(schema_revision: str) -> str:
    """Everything before the first table."""
    return (
        "{\n"
        f' "format": {json_string(FORMAT_NAME)},\n'
        f' "format_version": {FORMAT_VERSION},\n'
        f' "schema_revision": {json_string(schema_revision)},\n'
        ' "tables": {'
    )


def table_start(name: str, first: bool) -> str:
    return ("" if first else ",") + f"\n  {json_string(name)}: ["


def table_end(empty: bool) -> str:
    return "]" if empty else "\n  ]"


def document_end() -> str:
    return "\n }\n}\n"


def json_string(text: str) -> str:
    """``text`` as a JSON string literal (non-ASCII kept as is)."""
    return str(encode_basestring(text))


def json_text(value: JsonValue) -> str:
    """An encoded column value as it appears in a row of the file."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return json_string(value)
    if isinstance(value, int):
        return int.__repr__(value)
    nested = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
    return nested.replace("\n", "\n" + " " * (ROW_DEPTH + 1))


# -- reading and validating -----------------------------------------------------------------


class FormatError(Exception):
    """Something in a loaded document breaks the format; ``problem`` says what (translated)."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def check_document(document: object) -> list[tuple[str, object]]:
    """The ``(table name, rows)`` pairs of a loaded document, in file order, once its header
    shows it is an export this build can read. Raises ``FormatError`` otherwise."""
    if not isinstance(document, dict):
        raise FormatError(
            tr(
                "这不是 SquadDesk 导出文件（顶层应为 JSON 对象，实际是{kind}）",
                kind=json_kind(document),
            )
        )
    if document.get("format") != FORMAT_NAME:
        raise FormatError(
            tr('这不是 SquadDesk 导出文件（format 应为 "{expected}"）', expected=FORMAT_NAME)
        )
    version = document.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise FormatError(tr("format_version 应为正整数，实际是 {value}", value=show(version)))
    if version > FORMAT_VERSION:
        raise FormatError(
            tr(
                "文件来自更新版本的 SquadDesk（格式版本 {version}，本软件支持到 {supported}），"
                "请升级本软件后再导入",
                version=version,
                supported=FORMAT_VERSION,
            )
        )
    revision = document.get("schema_revision")
    if not isinstance(revision, str):
        raise FormatError(tr("schema_revision 应为文本，实际是 {value}", value=show(revision)))
    if revision not in migrate.known_revisions():
        raise FormatError(
            tr(
                "文件来自更新版本的 SquadDesk（结构版本 {revision}），请升级本软件后再导入",
                revision=revision,
            )
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise FormatError(tr("缺少 tables 对象（每张表的记录列表）"))
    return list(tables.items())


class RowError(Exception):
    """One row of a table is wrong; ``problem`` names the field and the value (translated)."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def decode_row(spec: ExportTable, raw: object) -> dict[str, object]:
    """The row's Python values by column (columns absent from ``raw`` left out), checked
    against the table: known columns, types, lengths, vocabularies and USCC check digits.

    Values come back in the database's canonical form (decimals at the column's scale, USCC
    normalised), so comparing their encodings with a stored row tells whether it changed.
    """
    if not isinstance(raw, dict):
        raise RowError(tr("记录应为 JSON 对象，实际是{kind}", kind=json_kind(raw)))
    unknown = [name for name in raw if name not in spec.table.c]
    if unknown:
        raise RowError(tr("未知字段 {field}", field=sorted(unknown)[0]))
    values: dict[str, object] = {}
    for name in spec.columns:
        if name in raw:
            values[name] = _decode_value(spec, name, raw[name])
        elif (spec.name, name) in _DERIVED and "name" in values:
            values[name] = _derive(name, str(values["name"]))
        elif _required(spec.column(name)):
            raise RowError(tr("缺少字段 {field}", field=name))
    return values


_DERIVED = frozenset({("enterprises", "name_key"), ("enterprises", "name_initials")})
"""Columns computed from the enterprise name when a file (e.g. an older one) leaves them out."""


def _derive(column: str, name: str) -> str:
    from app.domain.names import name_key, pinyin_initials

    return name_key(name) if column == "name_key" else pinyin_initials(name)


def _required(column: Column[Any]) -> bool:
    if column.primary_key:
        return True
    return not column.nullable and column.default is None and column.server_default is None


_INT64 = 2**63
_SURROGATE = re.compile("[\ud800-\udfff]")


def _decode_value(spec: ExportTable, name: str, value: object) -> object:
    column = spec.column(name)
    if value is None:
        if not column.nullable:
            raise RowError(tr("字段 {field} 不能为空", field=name))
        return None
    try:
        decoded = decode(column, value)  # type: ignore[arg-type]
    except (TypeError, ValueError, ArithmeticError):
        raise RowError(_type_problem(column, name, value)) from None
    if isinstance(decoded, Decimal):
        return _checked_decimal(column, name, value, decoded)
    if isinstance(decoded, Money):
        _check_int64(name, decoded.fen)
    elif isinstance(decoded, int) and not isinstance(decoded, bool):
        _check_int64(name, decoded)
    elif isinstance(decoded, str):
        return _checked_text(spec, name, decoded)
    elif isinstance(value, list | dict):
        _check_nested_text(name, value)
    return decoded


def _type_problem(column: Column[Any], name: str, value: object) -> str:
    shown = show(value)
    kind = column.type
    if isinstance(kind, MoneyType):
        return tr("字段 {field} 不是以分为单位的整数金额（{value}）", field=name, value=shown)
    if isinstance(kind, UTCDateTime):
        return tr("字段 {field} 不是带时区的合法时间（{value}）", field=name, value=shown)
    if isinstance(kind, Date):
        return tr("字段 {field} 不是合法日期（{value}）", field=name, value=shown)
    if isinstance(kind, Numeric):
        return tr("字段 {field} 不是合法数字（{value}），数字应写成文本", field=name, value=shown)
    python_type = kind.python_type
    if python_type is bool:
        return tr("字段 {field} 应为 true 或 false（{value}）", field=name, value=shown)
    if python_type is int:
        return tr("字段 {field} 应为整数（{value}）", field=name, value=shown)
    length = getattr(kind, "length", None)
    if isinstance(value, str) and length is not None:
        return tr(
            "字段 {field} 超过 {length} 个字符（{value}）", field=name, length=length, value=shown
        )
    return tr("字段 {field} 应为文本（{value}）", field=name, value=shown)


def _checked_decimal(column: Column[Any], name: str, raw: object, value: Decimal) -> Decimal:
    kind = column.type
    assert isinstance(kind, Numeric)
    scale = kind.scale or 0
    integer_digits = (kind.precision or 28) - scale
    step = Decimal(1).scaleb(-scale)
    if not value.is_finite():
        raise RowError(tr("字段 {field} 不是合法数字（{value}）", field=name, value=show(raw)))
    quantised = value.quantize(step) if abs(value) < Decimal(10) ** integer_digits else None
    if quantised is None or quantised != value:
        raise RowError(
            tr(
                "字段 {field} 的数字 {value} 超出范围（最多 {digits} 位整数、{scale} 位小数）",
                field=name,
                value=show(raw),
                digits=integer_digits,
                scale=scale,
            )
        )
    return quantised if quantised != 0 else abs(quantised)


def _check_int64(name: str, value: int) -> None:
    if not -_INT64 <= value < _INT64:
        raise RowError(tr("字段 {field} 的数字 {value} 超出范围", field=name, value=value))


def _checked_text(spec: ExportTable, name: str, value: str) -> str:
    if _SURROGATE.search(value):
        raise RowError(tr("字段 {field} 含有无效的 Unicode 字符", field=name))
    vocabulary = ENUM_COLUMNS.get((spec.name, name))
    if vocabulary is not None and value not in _ENUM_VALUES[vocabulary]:
        raise RowError(
            tr(
                "字段 {field} 的值 {value} 不在允许范围内（{allowed}）",
                field=name,
                value=show(value),
                allowed="、".join(_ENUM_VALUES[vocabulary]),
            )
        )
    if spec.name == "enterprises" and name == "uscc":
        from app.domain.uscc import validate_uscc

        try:
            return validate_uscc(value, name)
        except ValidationError as error:
            raise RowError(tr("字段 {field}：{reason}", field=name, reason=error.message)) from None
    if spec.name == CONFLICTS_TABLE and name == "table_name" and value not in _SYNCED_NAMES:
        raise RowError(tr("字段 {field} 的值 {value} 不是数据表名", field=name, value=show(value)))
    return value


def _check_nested_text(name: str, value: object) -> None:
    text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    if _SURROGATE.search(text):
        raise RowError(tr("字段 {field} 含有无效的 Unicode 字符", field=name))


_ENUM_VALUES: Mapping[type[StrEnum], tuple[str, ...]] = {
    vocabulary: tuple(member.value for member in vocabulary)
    for vocabulary in set(ENUM_COLUMNS.values())
}
_SYNCED_NAMES = frozenset(table.name for table in EXPORT_TABLES if table.synced)


def json_kind(value: object) -> str:
    """What kind of JSON value ``value`` is, in words."""
    if isinstance(value, dict):
        return tr("对象")
    if isinstance(value, list):
        return tr("列表")
    if isinstance(value, str):
        return tr("文本")
    if isinstance(value, bool):
        return tr("布尔值")
    if isinstance(value, int | float):
        return tr("数字")
    return tr("空值 null")


def show(value: object, limit: int = 60) -> str:
    """A value as JSON text for a message, shortened to ``limit`` characters."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
