"""Readable names for records and values in the conflict and rejected-change lists.

``record_label`` gives "企业 · 华为技术有限公司", "拜访 · 2026年11月3日 华为技术有限公司";
``display_value`` shows a stored JSON value as a person reads it: money in 万元/亿元, dates as
2026年11月28日, vocabulary by its label, member ids by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Column, Date, Text
from sqlalchemy.orm import Session

from app.database.codec import JsonValue, decode
from app.database.tables import (
    TABLE_BY_NAME,
    ConflictRow,
    ContactRow,
    EnterpriseRow,
    MemberRow,
    NegotiationNoteRow,
    ProjectRow,
    VisitRow,
)
from app.database.types import MoneyType, UTCDateTime
from app.domain.money import Money
from app.exchange.json_format import ENUM_COLUMNS
from app.i18n import tr
from app.sync.labels import table_label

Namer = Callable[[Session, Any], str]


def format_date(value: dt.date) -> str:
    return tr("{year}年{month}月{day}日", year=value.year, month=value.month, day=value.day)


def format_moment(value: dt.datetime) -> str:
    local = value.astimezone()
    return tr("{date} {time}", date=format_date(local.date()), time=local.strftime("%H:%M"))


def _enterprise_name(session: Session, enterprise_id: str | None) -> str:
    if not enterprise_id:
        return ""
    row = session.get(EnterpriseRow, enterprise_id)
    return row.name if row is not None else ""


def _visit(session: Session, row: Any) -> str:
    assert isinstance(row, VisitRow)
    return f"{format_date(row.visited_on)} {_enterprise_name(session, row.enterprise_id)}".strip()


def _note(session: Session, row: Any) -> str:
    assert isinstance(row, NegotiationNoteRow)
    return f"{format_date(row.held_on)} {_enterprise_name(session, row.enterprise_id)}".strip()


def _contact(session: Session, row: Any) -> str:
    assert isinstance(row, ContactRow)
    company = _enterprise_name(session, row.enterprise_id)
    return tr("{name}（{company}）", name=row.name, company=company) if company else row.name


def _project(session: Session, row: Any) -> str:
    assert isinstance(row, ProjectRow)
    return row.name


def _first_text(*names: str) -> Namer:
    def namer(_session: Session, row: Any) -> str:
        for name in names:
            value = getattr(row, name, None)
            if isinstance(value, str) and value.strip():
                text = " ".join(value.split())
                return text if len(text) <= 40 else text[:39] + "…"
        return ""

    return namer


NAMERS: Mapping[str, Namer] = {
    "visits": _visit,
    "negotiation_notes": _note,
    "contacts": _contact,
    "projects": _project,
    "enterprises": _first_text("name"),
    "squads": _first_text("name"),
    "members": _first_text("name"),
    "industry_chains": _first_text("name"),
    "chain_links": _first_text("name"),
    "honour_directories": _first_text("title"),
    "directory_entries": _first_text("enterprise_name"),
    "trips": _first_text("title", "destination"),
    "tasks": _first_text("title"),
    "problems": _first_text("title"),
    "commitments": _first_text("content"),
    "attachments": _first_text("filename", "caption"),
    "funding_entries": _first_text("note"),
    "project_stage_changes": _first_text("note"),
}


def record_label(session: Session, table: str, row_id: str) -> str:
    """ "企业 · 华为技术有限公司": the table's name and the record's own name."""
    model = TABLE_BY_NAME.get(table)
    row = session.get(model, row_id) if model is not None else None
    if table == "conflicts":
        conflict = session.get(ConflictRow, row_id)
        if conflict is not None:
            return record_label(session, conflict.table_name, conflict.row_id)
    name = ""
    if row is not None and table in NAMERS:
        name = NAMERS[table](session, row)
    if not name:
        name = tr("记录 {id}", id=row_id[-8:])
    return tr("{table} · {name}", table=table_label(table), name=name)


def column(table: str, field: str) -> Column[Any] | None:
    model = TABLE_BY_NAME.get(table)
    if model is None:
        return None
    columns = model.__table__.columns  # type: ignore[attr-defined]
    return columns.get(field)  # type: ignore[no-any-return]


def is_long_text(table: str, field: str) -> bool:
    found = column(table, field)
    return found is not None and isinstance(found.type, Text)


def display_value(session: Session, table: str, field: str, value: JsonValue) -> str:
    """A stored value as the user reads it."""
    if value is None or value == "":
        return tr("（空）")
    if field == "deleted" and isinstance(value, bool):
        return tr("已删除") if value else tr("未删除")
    found = column(table, field)
    if found is None:
        return value if isinstance(value, str) else str(value)
    try:
        decoded = decode(found, value)
    except (TypeError, ValueError, ArithmeticError):
        return str(value)
    return _show(session, table, field, found, decoded)


def _show(session: Session, table: str, field: str, found: Column[Any], decoded: object) -> str:
    if isinstance(found.type, MoneyType) and isinstance(decoded, Money):
        return decoded.format()
    if isinstance(found.type, UTCDateTime) and isinstance(decoded, dt.datetime):
        return format_moment(decoded)
    if isinstance(found.type, Date) and isinstance(decoded, dt.date):
        return format_date(decoded)
    if isinstance(decoded, bool):
        return tr("是") if decoded else tr("否")
    vocabulary = ENUM_COLUMNS.get((table, field))
    if vocabulary is not None and isinstance(decoded, str):
        try:
            return str(vocabulary(decoded).label)  # type: ignore[attr-defined]
        except ValueError:
            return decoded
    if isinstance(decoded, str) and found.foreign_keys:
        target = next(iter(found.foreign_keys)).column.table.name
        return _referenced_name(session, target, decoded)
    return str(decoded)


def _referenced_name(session: Session, table: str, row_id: str) -> str:
    model = TABLE_BY_NAME.get(table)
    row = session.get(model, row_id) if model is not None else None
    if row is None:
        return row_id
    namer = NAMERS.get(table)
    name = namer(session, row) if namer is not None else ""
    return name or row_id


def member_name(session: Session, member_id: str | None) -> str:
    if not member_id:
        return ""
    row = session.get(MemberRow, member_id)
    return row.name if row is not None else ""
