"""How dates, amounts and lists look on screen, in the current language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import QDate
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette

from app.domain.money import Money
from app.i18n import tr

EMPTY = "—"


def format_date(value: dt.date | None) -> str:
    """``2026年11月28日`` in Chinese; the English catalogue maps it to ``2026-11-28``.

    (English entry: ``"{year}年{month}月{day}日": "{year}-{month:02d}-{day:02d}"``.)
    """
    if value is None:
        return ""
    return tr("{year}年{month}月{day}日", year=value.year, month=value.month, day=value.day)


def qdate(day: dt.date) -> QDate:
    """A date for Qt's date widgets (built from its parts: not every PySide6 takes a ``date``)."""
    return QDate(day.year, day.month, day.day)


def format_money(value: Money | None) -> str:
    return "" if value is None else value.format()


def format_decimal(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


def join_names(names: Iterable[str]) -> str:
    """Names joined with the enumeration comma (、), blanks skipped."""
    return tr("、").join(name for name in names if name)


def or_empty(text: str | None) -> str:
    """The text, or a dash that says "nothing recorded"."""
    return text if text else EMPTY


def warning_brush() -> QBrush:
    """A calm red that reads on the current palette (darker on light themes, lighter on dark)."""
    base = QGuiApplication.palette().color(QPalette.ColorRole.Base)
    return QBrush(QColor("#f2b8b5") if base.lightness() < 128 else QColor("#b3261e"))


def muted_brush() -> QBrush:
    """Secondary text: the palette's placeholder colour."""
    return QBrush(QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText))


def linked_text(enterprise: str, project: str) -> str:
    if enterprise and project:
        return tr("{enterprise} · {project}", enterprise=enterprise, project=project)
    return enterprise or project
