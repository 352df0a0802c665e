"""Column values to JSON and back, by column type — shared by the outbox, history and export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Column, Date, Numeric

from app.database.types import MoneyType, UTCDateTime
from app.domain.money import Money

JsonValue = None | bool | int | float | str | list[Any] | dict[str, Any]


def encode(value: object) -> JsonValue:
    """A column value as plain JSON: dates ISO, money as integer fen, decimals as text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Money):
        return value.fen
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, float):
        return value
    if isinstance(value, list | dict):
        return value
    raise TypeError(f"cannot encode {type(value).__name__}")


def decode(column: Column[Any], value: JsonValue) -> object:
    """The Python value for ``column`` from its JSON form; raises ValueError/TypeError if wrong."""
    if value is None:
        return None
    column_type = column.type
    if isinstance(column_type, MoneyType):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("expected an integer amount in fen")
        return Money(value)
    if isinstance(column_type, UTCDateTime):
        if not isinstance(value, str):
            raise TypeError("expected an ISO date-time")
        parsed = dt.datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("date-time without a time zone")
        return parsed.astimezone(dt.UTC)
    if isinstance(column_type, Date):
        if not isinstance(value, str):
            raise TypeError("expected an ISO date")
        return dt.date.fromisoformat(value)
    if isinstance(column_type, Numeric):
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise TypeError("expected a decimal number as text")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"not a decimal number: {value!r}") from None
        if not number.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return number
    python_type = column_type.python_type
    if python_type is bool:
        if not isinstance(value, bool):
            raise TypeError("expected true or false")
        return value
    if python_type is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("expected an integer")
        return value
    if python_type is str:
        if not isinstance(value, str):
            raise TypeError("expected text")
        length = getattr(column_type, "length", None)
        if length is not None and len(value) > length:
            raise ValueError(f"longer than {length} characters")
        return value
    return value
