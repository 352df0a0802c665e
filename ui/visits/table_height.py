"""Small tables inside forms sized to their rows, so a section never shows empty space."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView


def fit_rows(table: QTableView, rows: int, most: int) -> None:
    """Make ``table`` exactly as tall as its header and ``rows`` rows (up to ``most``; more
    scroll), with no horizontal scroll bar (the last column stretches instead)."""
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    shown = max(1, min(rows, most))
    height = table.horizontalHeader().sizeHint().height()
    height += table.verticalHeader().defaultSectionSize() * shown + 2 * table.frameWidth()
    table.setFixedHeight(height)
