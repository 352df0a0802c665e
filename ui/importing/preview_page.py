"""预览: the counts, what to know (merged cells …), the first rows with problems marked, and
the choice for rows naming enterprises already in the library."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.enterprise_import_views import ImportPreview, OnDuplicate
from ui.importing.preview_model import ImportPreviewModel
from ui.widgets.list_table import list_table

MAX_COLUMN_WIDTH = 260


class PreviewPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(
            "background: #eef3f9; border-radius: 4px; padding: 8px; color: #1f3b5b;"
        )
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #8a5a00;")
        self.model = ImportPreviewModel(self)
        self.table = list_table(self.model, self, widths=(56, 72), show_grid=True)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.skip_radio = QRadioButton(tr("跳过重复企业（已有的企业保持不变）"), self)
        self.update_radio = QRadioButton(tr("更新已有企业（用表中非空的值覆盖，标签合并）"), self)
        self.skip_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.skip_radio)
        group.addButton(self.update_radio)
        choice = QHBoxLayout()
        choice.addWidget(QLabel(tr("表中已有的企业："), self))
        choice.addWidget(self.skip_radio)
        choice.addWidget(self.update_radio)
        choice.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.table, 1)
        layout.addLayout(choice)

    @property
    def on_duplicate(self) -> OnDuplicate:
        return OnDuplicate.UPDATE if self.update_radio.isChecked() else OnDuplicate.SKIP

    def set_on_duplicate(self, choice: OnDuplicate) -> None:
        (self.update_radio if choice is OnDuplicate.UPDATE else self.skip_radio).setChecked(True)

    def set_preview(self, preview: ImportPreview) -> None:
        self.model.set_preview(preview)
        counts = preview.counts
        self.summary.setText(
            tr(
                "共 {rows} 行：可新增 {new} 家，已有企业 {existing} 家，"
                "不能导入 {rejected} 行（红色单元格，指针停留可看原因）；"
                "空行 {empty} 行已跳过。下表显示前 {shown} 行。",
                rows=f"{counts.rows:,}",
                new=f"{counts.new:,}",
                existing=f"{counts.existing:,}",
                rejected=f"{counts.rejected:,}",
                empty=f"{counts.empty:,}",
                shown=len(preview.rows),
            )
        )
        self.notes.setText("\n".join(preview.notes))
        self.notes.setVisible(bool(preview.notes))
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            width = min(self.table.columnWidth(column), MAX_COLUMN_WIDTH)
            self.table.setColumnWidth(column, width)
