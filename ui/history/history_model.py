"""The history list: one row per thing that happened — when, who, what, and a short summary."""

from __future__ import annotations

import html
from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.i18n import mark, tr
from app.services.history import FieldChange, HistoryItem, HistoryOp, HistorySource
from ui.formatting import muted_brush, warning_brush
from ui.sync.sync_times import short_time

AnyIndex = QModelIndex | QPersistentModelIndex
SUMMARY_CHARS = 18
"""A long value in the list is cut to this many characters (the tooltip has it all)."""
TOOLTIP_CHARS = 600
"""Beyond this a tooltip says "…" and the detail pane has the rest."""


class Column(IntEnum):
    WHEN = 0
    WHO = 1
    WHAT = 2
    CHANGES = 3

    @property
    def title(self) -> str:
        return tr(_TITLES[self])


_TITLES = {
    Column.WHEN: mark("时间"),
    Column.WHO: mark("操作人"),
    Column.WHAT: mark("操作"),
    Column.CHANGES: mark("内容"),
}


def empty_value() -> str:
    return tr("（空）")


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    """One line, at most ``limit`` characters, "…" when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def change_summary(change: FieldChange, *, created: bool, limit: int = SUMMARY_CHARS) -> str:
    """ "地点：会议室 → 三楼会议室"; "拜访日期：2026年11月20日" on a new record."""
    new = shorten(change.new, limit) if change.new else empty_value()
    if created:
        return tr("{field}：{value}", field=change.label, value=new)
    old = shorten(change.old, limit) if change.old else empty_value()
    return tr("{field}：{old} → {new}", field=change.label, old=old, new=new)


def item_summary(item: HistoryItem, limit: int = SUMMARY_CHARS) -> str:
    """What the 内容 column says about one entry."""
    created = item.op is HistoryOp.CREATED
    fields = tr("；").join(change_summary(c, created=created, limit=limit) for c in item.changes)
    if item.child:
        if item.op is HistoryOp.EDITED and fields:
            return tr("{subject}：{changes}", subject=item.subject, changes=fields)
        return item.subject
    if item.op is HistoryOp.DELETED:
        return tr("删除了这条记录")
    if item.op is HistoryOp.RESTORED:
        return tr("恢复了这条记录")
    return fields


def item_tooltip(item: HistoryItem) -> str:
    """Every field in full (long ones up to ``TOOLTIP_CHARS``), as wrapping rich text."""
    created = item.op is HistoryOp.CREATED
    lines = [html.escape(item_summary(item, TOOLTIP_CHARS))] if item.child else []
    lines += [
        html.escape(change_summary(change, created=created, limit=TOOLTIP_CHARS))
        for change in item.changes
    ]
    if not lines:
        lines = [html.escape(item_summary(item))]
    return "<qt>" + "<br/>".join(lines) + "</qt>"


class HistoryTableModel(QAbstractTableModel):
    """Read-only rows over ``HistoryItem``s, newest first as the service returns them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: tuple[HistoryItem, ...] = ()

    def set_items(self, items: Sequence[HistoryItem]) -> None:
        self.beginResetModel()
        self._items = tuple(items)
        self.endResetModel()

    def item_at(self, row: int) -> HistoryItem:
        return self._items[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._items)):
            return None
        item = self._items[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item_tooltip(item) if column is Column.CHANGES else self._text(item, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(item, column)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(Column)
        ):
            return Column(section).title
        return None

    @staticmethod
    def _text(item: HistoryItem, column: Column) -> str:
        if column is Column.WHEN:
            return short_time(item.changed_at)
        if column is Column.WHO:
            return item.who
        if column is Column.WHAT:
            return item.what
        return item_summary(item)

    @staticmethod
    def _foreground(item: HistoryItem, column: Column) -> Any:
        if column is Column.WHAT and item.op is HistoryOp.DELETED:
            return warning_brush()
        if column is Column.WHO and item.source is not HistorySource.LOCAL:
            return muted_brush()
        return None
