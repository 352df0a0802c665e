"""What a 导入名单 did: how many rows were added and matched, and every rejected row with why."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.i18n import mark, tr
from app.services.honour_directory_views import ImportReport, RejectedRow
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordColumn, RecordTableModel

REJECTED_COLUMNS = (
    RecordColumn(mark("行号"), lambda r: str(r.row_number)),
    RecordColumn(mark("企业名称"), lambda r: r.name),
    RecordColumn(mark("统一社会信用代码"), lambda r: r.uscc),
    RecordColumn(mark("未导入的原因"), lambda r: r.reason),
)


def summary_text(report: ImportReport) -> str:
    text = tr(
        "已从“{file}”导入 {added} 家企业，其中 {matched} 家匹配到企业档案。",
        file=report.file_name,
        added=report.added,
        matched=report.matched,
    )
    if report.already_listed:
        text += tr("{count} 家已在名录中，未重复添加。", count=report.already_listed)
    if report.rejected:
        text += tr("{count} 行未导入，原因见下表。", count=len(report.rejected))
    return text


class ImportResultDialog(QDialog):
    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("导入结果"))
        self.resize(760, 420 if report.rejected else 160)
        self.summary = QLabel(summary_text(report), self)
        self.summary.setWordWrap(True)
        self.rejected_model = RecordTableModel(REJECTED_COLUMNS, self)
        self.rejected_model.set_rows(report.rejected)
        table = list_table(self.rejected_model, self, widths=(50, 170, 160))
        table.setVisible(bool(report.rejected))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(table, 1)
        layout.addWidget(buttons)

    def rejected_rows(self) -> tuple[RejectedRow, ...]:
        return tuple(self.rejected_model.row_at(n) for n in range(self.rejected_model.rowCount()))
