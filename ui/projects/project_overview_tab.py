"""概况: the project's fields, amounts and 到位率, and the line of its 包抓责任人."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.i18n import mark, tr
from app.services.project_views import ProjectDetail
from ui.formatting import format_date, format_decimal, format_money
from ui.projects.project_tables import RESPONSIBLE_COLUMNS, detail_table
from ui.widgets.key_value_form import KeyValueForm
from ui.widgets.record_table_model import RecordTableModel

_FIELDS = (
    ("enterprise", mark("企业")),
    ("stage", mark("当前阶段")),
    ("signed_on", mark("签约日期")),
    ("responsible", mark("包抓责任人")),
    ("squad", mark("小分队")),
    ("link", mark("产业链环节")),
    ("site", mark("项目选址")),
    ("land", mark("用地")),
    ("contract", mark("合同投资额")),
    ("phase1", mark("一期投资")),
    ("funded", mark("实际到资累计")),
)

_HEADING = "font-weight: 600; color: #2b4a6f; padding-top: 6px;"


def format_rate(rate: Decimal | None) -> str:
    """资金到位率 as a percentage with one decimal ("—" without a contract amount)."""
    if rate is None:
        return "—"
    return tr("{percent}%", percent=f"{rate * 100:.1f}")


class ProjectOverviewTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = KeyValueForm(self)
        for key, label in _FIELDS:
            self.form.add_row(key, tr(label))
        self.responsible_model = RecordTableModel(RESPONSIBLE_COLUMNS, self)
        self.responsible_table = detail_table(self.responsible_model, self, (110, 130, 130))
        content_heading = QLabel(tr("建设内容"), self)
        content_heading.setStyleSheet(_HEADING)
        self.content_label = QLabel(self)
        self.content_label.setWordWrap(True)
        self.content_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.content_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        heading = QLabel(tr("包抓责任人变更记录"), self)
        heading.setStyleSheet(_HEADING)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.form)
        layout.addWidget(content_heading)
        layout.addWidget(self.content_label)
        layout.addWidget(heading)
        layout.addWidget(self.responsible_table, 1)

    def show_detail(self, detail: ProjectDetail) -> None:
        form = self.form
        form.set_value("enterprise", detail.enterprise_name)
        stage = detail.stage.label
        if detail.stage_on is not None:
            stage = tr("{stage}（{date}）", stage=stage, date=format_date(detail.stage_on))
        form.set_value("stage", stage)
        form.set_value("signed_on", format_date(detail.signed_on))
        form.set_value("responsible", detail.responsible_name)
        form.set_value("squad", detail.squad_name)
        form.set_value("link", detail.chain_link_name)
        form.set_value("site", detail.site)
        land = format_decimal(detail.land_mu)
        form.set_value("land", tr("{mu} 亩", mu=land) if land else "")
        form.set_value("contract", format_money(detail.contract_amount))
        form.set_value("phase1", format_money(detail.phase1_amount))
        funded = format_money(detail.funded_total) if detail.funding else ""
        if funded and detail.funding_rate is not None:
            funded = tr(
                "{amount}（到位率 {rate}）", amount=funded, rate=format_rate(detail.funding_rate)
            )
        form.set_value("funded", funded)
        self.content_label.setText(detail.content or tr("（未填写）"))
        self.responsible_model.set_rows(detail.responsible_history)
