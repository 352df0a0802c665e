"""Bare PySide6 + sqlite3: a window with a table of every enterprise, no app code at all.

Prints ``ready`` once the first rows have been painted, then quits.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

COLUMNS = ("name", "uscc", "region_code", "industry_code")


class RowsModel(QAbstractTableModel):
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self._rows = rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        return None


def main() -> None:
    database = sys.argv[1]
    app = QApplication(sys.argv[:1])
    connection = sqlite3.connect(database)
    rows = connection.execute(
        f"SELECT {', '.join(COLUMNS)} FROM enterprises WHERE deleted = 0 ORDER BY name_key"
    ).fetchall()
    window = QMainWindow()
    view = QTableView()
    view.setModel(RowsModel(rows))
    window.setCentralWidget(view)
    window.resize(1366, 768)
    window.show()

    def painted() -> None:
        view.viewport().repaint()
        print("ready", flush=True)
        app.quit()

    QTimer.singleShot(0, painted)
    app.exec()


if __name__ == "__main__":
    main()
