"""The first rows of a list file as they would be imported: status, then the file's columns.

A cell the row was rejected for is painted red with the problem as its tooltip; rows matching
an enterprise already in the library are marked 已有.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.i18n import mark, tr
from app.importers.columns import field_label
from app.services.enterprise_import_views import ImportPreview, PreviewRow, RowStatus
from ui.formatting import muted_brush

AnyIndex = QModelIndex | QPersistentModelIndex
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 2


class Column(IntEnum):
    """The fixed columns; the file's own columns follow."""

    ROW = 0
    STATUS = 1


FIXED_TITLES = (mark("行号"), mark("导入结果"))
STATUS_LABELS = {
    RowStatus.NEW: mark("新增"),
    RowStatus.EXISTING: mark("已有"),
    RowStatus.REJECTED: mark("不导入"),
}
_PROBLEM_FILL = QColor("#fde2e1")
_EXISTING_FILL = QColor("#fff4d6")


class ImportPreviewModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._preview: ImportPreview | None = None

    def set_preview(self, preview: ImportPreview | None) -> None:
        self.beginResetModel()
        self._preview = preview
        self.endResetModel()

    def row_at(self, row: int) -> PreviewRow:
        assert self._preview is not None
        return self._preview.rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if parent.isValid() or self._preview is None:
            return 0
        return len(self._preview.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if parent.isValid() or self._preview is None:
            return 0
        return len(Column) + len(self._preview.headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._preview is None or not index.isValid():
            return None
        if not 0 <= index.row() < len(self._preview.rows):
            return None
        row = self._preview.rows[index.row()]
        column = index.column()
        file_column = column - len(Column)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Column.ROW:
                return str(row.number)
            if column == Column.STATUS:
                return tr(STATUS_LABELS[row.status])
            return row.cells[file_column] if file_column < len(row.cells) else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == Column.STATUS:
                return row.reason or None
            problem = row.problem_in(file_column) if file_column >= 0 else ""
            return problem or None
        if role == PROBLEM_ROLE:
            return row.problem_in(file_column) if file_column >= 0 else row.reason
        if role == Qt.ItemDataRole.BackgroundRole:
            if file_column >= 0 and row.problem_in(file_column):
                return QBrush(_PROBLEM_FILL)
            if column == Column.STATUS and row.status is RowStatus.REJECTED:
                return QBrush(_PROBLEM_FILL)
            if column == Column.STATUS and row.status is RowStatus.EXISTING:
                return QBrush(_EXISTING_FILL)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if file_column >= 0 and not self._preview.mapping.field_of(file_column):
                return muted_brush()  # a column that is not imported
            if file_column >= 0 and row.problem_in(file_column):
                return QBrush(QColor("#8c1d18"))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or self._preview is None:
            return None
        file_column = section - len(Column)
        if role == Qt.ItemDataRole.DisplayRole:
            if file_column < 0:
                return tr(FIXED_TITLES[section])
            header = self._preview.headers[file_column] or tr("第 {number} 列", number=section - 1)
            field = self._preview.mapping.field_of(file_column)
            return f"{header}\n→ {field_label(field)}"
        if role == Qt.ItemDataRole.ToolTipRole and file_column >= 0:
            return tr(
                "导入为：{field}", field=field_label(self._preview.mapping.field_of(file_column))
            )
        return None
