"""The selected link's target enterprises (目标企业): name, region, visits, last visit, projects
and note, with 添加目标企业… and 移除; double-clicking one asks to open its dossier."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from app.i18n import mark, tr
from app.services.chain_views import LinkEnterprise, LinkView
from ui.formatting import format_date
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordColumn, RecordTableModel

TARGET_COLUMNS = (
    RecordColumn(mark("企业名称"), lambda e: e.name),
    RecordColumn(mark("地区"), lambda e: e.region_name),
    RecordColumn(mark("行业"), lambda e: e.industry_name),
    RecordColumn(mark("拜访次数"), lambda e: str(e.visit_count)),
    RecordColumn(mark("最近拜访"), lambda e: format_date(e.last_visit_on)),
    RecordColumn(mark("项目"), lambda e: str(e.project_count)),
    RecordColumn(mark("备注"), lambda e: e.note),
)


class TargetsPanel(QWidget):
    """``add_requested``, ``remove_requested(enterprise_id)``, ``enterprise_activated(id)``."""

    add_requested = Signal()
    remove_requested = Signal(str)
    enterprise_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editable = False
        self._link: LinkView | None = None
        self.model = RecordTableModel(TARGET_COLUMNS, self)
        self.title = QLabel(tr("选择一个环节查看其目标企业"), self)
        self.title.setStyleSheet("font-weight: 600; padding: 4px 0;")
        self.title.setWordWrap(True)
        self.add_button = QPushButton(tr("添加目标企业…"), self)
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button = QPushButton(tr("移除"), self)
        self.remove_button.setToolTip(tr("把选中的企业从该环节的目标企业中移除"))
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.table = self._build_table()
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.add_button)
        header.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self.add_button.setVisible(editable)
        self.remove_button.setVisible(editable)
        self._update_buttons()

    def show_link(self, link: LinkView | None, hint: str = "") -> None:
        """Empty the list for ``link`` (its rows come with ``show_targets``), or for none."""
        self._link = link
        self.model.set_rows(())
        if link is None:
            self.title.setText(hint or tr("选择一个环节查看其目标企业"))
        else:
            self.title.setText(
                tr(
                    "目标企业 — {link}（{kind} · {position}）",
                    link=link.name,
                    kind=link.kind.label,
                    position=link.position.label,
                )
            )
        self._update_buttons()

    def show_targets(self, rows: tuple[LinkEnterprise, ...]) -> None:
        self.model.set_rows(rows)
        if not rows and self._link is not None:
            self.title.setText(
                tr("目标企业 — {link}：还没有目标企业（缺口）", link=self._link.name)
            )
        self._update_buttons()

    def show_problem(self, message: str) -> None:
        self.title.setText(message)

    def selected_target(self) -> LinkEnterprise | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        target: LinkEnterprise = self.model.row_at(index.row())
        return target

    def _build_table(self) -> QTableView:
        table = list_table(self.model, self, widths=(260, 150, 190, 70, 100, 50))
        table.setToolTip(tr("双击打开企业档案"))
        table.doubleClicked.connect(self._on_table_double_clicked)
        table.selectionModel().selectionChanged.connect(self._update_buttons)
        return table

    def _update_buttons(self, *_args: object) -> None:
        self.add_button.setEnabled(self._editable and self._link is not None)
        self.remove_button.setEnabled(self._editable and self.selected_target() is not None)

    def _on_remove_clicked(self) -> None:
        target = self.selected_target()
        if target is not None:
            self.remove_requested.emit(target.enterprise_id)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        target: LinkEnterprise = self.model.row_at(index.row())
        self.enterprise_activated.emit(target.enterprise_id)
