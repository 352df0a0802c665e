"""对应列: for each column of the file, its header, a sample value and the field it goes to.

Choosing a field already taken by another column moves it (that column becomes 不导入).
``mapping`` is the plain ``ColumnMapping`` value the service takes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.importers.columns import IMPORT_FIELDS, NOT_IMPORTED, ColumnMapping, field_label
from app.services.enterprise_import_views import ImportPreview

_SAMPLES = 3


class MappingEditor(QWidget):
    mapping_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mapping = ColumnMapping(())
        self._combos: list[QComboBox] = []
        self._inner = QWidget()
        self._grid = QGridLayout(self._inner)
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(6)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        scroll.setWidget(self._inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    @property
    def mapping(self) -> ColumnMapping:
        return self._mapping

    def combo(self, column: int) -> QComboBox:
        return self._combos[column]

    def set_preview(self, preview: ImportPreview) -> None:
        """Rebuild the rows for ``preview``'s file, set to its mapping."""
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._combos = []
        self._mapping = preview.mapping
        for column, title in enumerate((tr("文件中的列"), tr("示例内容"), tr("导入为"))):
            heading = QLabel(title, self._inner)
            heading.setStyleSheet("color: #2b4a6f; font-weight: bold;")
            self._grid.addWidget(heading, 0, column)
        for column, header in enumerate(preview.headers):
            name = QLabel(header or tr("第 {number} 列", number=column + 1), self._inner)
            samples = [row.cells[column] for row in preview.rows if column < len(row.cells)]
            shown = tr("、").join([text for text in samples if text][:_SAMPLES]) or "—"
            sample = QLabel(shown, self._inner)
            sample.setStyleSheet("color: #5f6b7a;")
            sample.setMaximumWidth(320)
            sample.setToolTip(shown)
            combo = QComboBox(self._inner)
            combo.addItem(field_label(NOT_IMPORTED), NOT_IMPORTED)
            for field in IMPORT_FIELDS:
                combo.addItem(field_label(field), field)
            combo.setCurrentIndex(max(combo.findData(preview.mapping.field_of(column)), 0))
            combo.currentIndexChanged.connect(lambda _index, c=column: self._on_combo_changed(c))
            self._combos.append(combo)
            row = column + 1
            self._grid.addWidget(name, row, 0)
            self._grid.addWidget(sample, row, 1)
            self._grid.addWidget(combo, row, 2)
        self._grid.setColumnStretch(1, 1)
        self._grid.setRowStretch(len(preview.headers) + 1, 1)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop)

    def _on_combo_changed(self, column: int) -> None:
        field = self._combos[column].currentData()
        self._mapping = self._mapping.with_field(column, str(field or NOT_IMPORTED))
        for other, combo in enumerate(self._combos):  # a field moved here left its old column
            wanted = combo.findData(self._mapping.field_of(other))
            if combo.currentIndex() != wanted:
                combo.blockSignals(True)
                combo.setCurrentIndex(max(wanted, 0))
                combo.blockSignals(False)
        self.mapping_changed.emit()
