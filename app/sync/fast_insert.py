"""Bulk insert of records that are new to this laptop, straight in SQLite's storage form.

The initial download writes a million rows; converting each JSON value once, to exactly what
SQLAlchemy's column types would store (dates ``YYYY-MM-DD``, UTC times
``YYYY-MM-DD HH:MM:SS.ffffff``, money as integer fen, decimals as numeric text), and handing
whole pages to ``executemany`` halves the time Core's per-parameter processing takes. A value
that does not convert, a null where the column cannot hold one, or a missing field gets the
column default, as the Core path (``app.sync.apply``) does. Tables with JSON columns (conflict
records) keep the Core path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Connection, Date, Numeric, Table

from app.database.codec import JsonValue, encode
from app.database.types import MoneyType, UTCDateTime, utc_now
from app.sync.protocol import RecordState

Storer = Callable[[Any], object]
_STAMP = "%Y-%m-%d %H:%M:%S.%f"
_SYNC = ("id", "created_at", "updated_at", "updated_by", "row_version", "deleted")
_MISSING = object()


def _stamp(raw: Any) -> str:
    moment = dt.datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise ValueError("date-time without a time zone")
    if raw.endswith("+00:00") and raw[10] == "T":  # the server's own form: no re-formatting
        body = raw[:10] + " " + raw[11:-6]
        return body if len(body) == 26 else body + ".000000" if len(body) == 19 else _utc(moment)
    return _utc(moment)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime(_STAMP)


def _date(raw: Any) -> str:
    return dt.date.fromisoformat(raw).isoformat()


def _money(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise TypeError("expected an integer amount in fen")
    return raw


def _decimal(raw: Any) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise TypeError("expected a decimal number as text")
    number = Decimal(raw)
    if not number.is_finite():
        raise ValueError("not a finite number")
    return str(number)


def _flag(raw: Any) -> int:
    if not isinstance(raw, bool):
        raise TypeError("expected true or false")
    return int(raw)


def _plain(raw: Any) -> Any:
    return raw


def _storer(column: Column[Any]) -> Storer:
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return _stamp
    if isinstance(kind, MoneyType):
        return _money
    if isinstance(kind, Date):
        return _date
    if isinstance(kind, Numeric):
        return _decimal
    if isinstance(kind, Boolean):
        return _flag
    return _plain


class RawInserter:
    """``INSERT`` of whole records into one table, every column in a fixed order."""

    def __init__(self, table: Table) -> None:
        columns = list(table.columns)
        names = [column.name for column in columns]
        self.defaults = [_default(column, _storer(column)) for column in columns]
        self.sync_index = {name: names.index(name) for name in _SYNC if name in names}
        self.fields = [
            (index, column.name, _storer(column), column.nullable)
            for index, column in enumerate(columns)
            if column.name not in _SYNC
        ]
        quoted = ", ".join(f'"{name}"' for name in names)
        marks = ", ".join("?" for _ in names)
        self.sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'

    @staticmethod
    def usable(table: Table, connection: Connection) -> bool:
        return connection.dialect.name == "sqlite" and not any(
            isinstance(column.type, JSON) for column in table.columns
        )

    def row(self, record: RecordState) -> tuple[object, ...]:
        values = list(self.defaults)
        at = self.sync_index
        values[at["id"]] = record.id
        values[at["row_version"]] = record.row_version
        values[at["deleted"]] = int(record.deleted)
        values[at["updated_by"]] = record.updated_by
        values[at["created_at"]] = _stamp_or_now(record.created_at)
        values[at["updated_at"]] = _stamp_or_now(record.updated_at)
        fields = record.fields
        for index, name, storer, nullable in self.fields:
            raw = fields.get(name, _MISSING)
            if raw is _MISSING:
                continue  # the column default, as an INSERT without the column would give
            if raw is None:
                if nullable:
                    values[index] = None
                continue
            if storer is _plain:
                values[index] = raw
                continue
            try:
                values[index] = storer(raw)
            except (TypeError, ValueError, ArithmeticError):
                continue  # a value that does not convert: the default, as on the Core path
        return tuple(values)

    def insert(self, connection: Connection, rows: Sequence[tuple[object, ...]]) -> None:
        if rows:
            connection.exec_driver_sql(self.sql, list(rows))


def _stamp_or_now(text: str | None) -> str:
    if text:
        try:
            return _stamp(text)
        except (TypeError, ValueError):
            pass
    return utc_now().strftime(_STAMP)


def _default(column: Column[Any], storer: Storer) -> object:
    default = column.default
    if default is None or not default.is_scalar:
        return None
    value: JsonValue = encode(default.arg)  # type: ignore[attr-defined]
    return storer(value) if value is not None else None
