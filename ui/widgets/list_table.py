"""The one way lists look in the app: read-only, whole rows selected one at a time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

_Column = TypeVar("_Column", bound=int)  # plain column numbers or a page's Column enum


def list_table(
    model: QAbstractItemModel,
    parent: QWidget | None = None,
    *,
    widths: Mapping[_Column, int] | Sequence[int] = (),
    show_grid: bool = False,
    stretch_last: bool = True,
) -> QTableView:
    """A table over ``model`` with our list conventions; ``widths`` by column number."""
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(show_grid)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(stretch_last)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    pairs = widths.items() if isinstance(widths, Mapping) else enumerate(widths)
    for column, width in pairs:
        header.resizeSection(int(column), width)
    return table
