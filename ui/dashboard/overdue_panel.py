"""督办清单: the four overdue lists and the per-cadre summary, each a sortable table, filtered
by responsible cadre and by text. Double-clicking a row opens its project (or, without one,
its enterprise); the context menu offers both."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.overdue_views import CadreLoad, OverdueBoard, OverdueList, OverdueRow
from ui.dashboard.dashboard_columns import (
    CADRE_CELLS,
    OVERDUE_CELLS,
    CadreColumn,
    OverdueColumn,
)
from ui.dashboard.dashboard_models import (
    ENTERPRISE_ROLE,
    PROJECT_ROLE,
    ROW_ROLE,
    RowsModel,
    SortedRows,
)
from ui.formatting import format_date
from ui.widgets.filter_line_edit import FilterLineEdit
from ui.widgets.list_table import list_table

ALL_CADRES = "*"
NO_CADRE = ""
_WIDTHS = (70, 220, 130, 200, 80, 110, 120, 70, 260)
_CADRE_WIDTHS = (100, 130, 90, 80, 80, 80, 80, 90)
_HIDDEN = {
    OverdueList.NOT_STARTED: (OverdueColumn.TAGS,),
    OverdueList.THREE_NOTS: (),
    OverdueList.COMMITMENTS: (OverdueColumn.TAGS,),
    OverdueList.PROBLEMS: (OverdueColumn.TAGS,),
}


class OverduePanel(QWidget):
    project_activated = Signal(str)
    enterprise_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cadre_combo = QComboBox(self)
        self.cadre_combo.addItem(tr("全部责任人"), ALL_CADRES)
        self.cadre_combo.setMinimumContentsLength(10)
        self.cadre_combo.currentIndexChanged.connect(self._on_filters_changed)
        self.filter_edit = FilterLineEdit(tr("筛选：项目、企业、事项或责任人"), self)
        self.filter_edit.text_settled.connect(self._on_filters_changed)
        self.summary = QLabel(tr("正在计算…"), self)
        self.summary.setWordWrap(True)  # a long English summary must not widen the window
        self.summary.setStyleSheet("color: #5f6b7a;")
        self.tabs = QTabWidget(self)
        self.models: dict[OverdueList, RowsModel[OverdueRow]] = {}
        self.proxies: dict[OverdueList, SortedRows] = {}
        self.tables: dict[OverdueList, QTableView] = {}
        for which in OverdueList:
            model: RowsModel[OverdueRow] = RowsModel(
                OverdueColumn, OVERDUE_CELLS, (_project_of, _enterprise_of), self
            )
            proxy = SortedRows(self)
            proxy.setSourceModel(model)
            table = list_table(proxy, self, widths=_WIDTHS)
            table.setSortingEnabled(True)
            table.sortByColumn(OverdueColumn.DAYS, Qt.SortOrder.DescendingOrder)
            for column in _HIDDEN[which]:
                table.setColumnHidden(column, True)
            table.doubleClicked.connect(self._on_table_double_clicked)
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            table.customContextMenuRequested.connect(self._context_menu_for(table))
            self.models[which], self.proxies[which], self.tables[which] = model, proxy, table
            self.tabs.addTab(table, "")
        self.cadre_model: RowsModel[CadreLoad] = RowsModel(
            CadreColumn, CADRE_CELLS, (lambda _r: None, lambda _r: None), self
        )
        cadre_proxy = SortedRows(self)
        cadre_proxy.setSourceModel(self.cadre_model)
        self.cadre_table = list_table(cadre_proxy, self, widths=_CADRE_WIDTHS, stretch_last=False)
        self.cadre_table.setSortingEnabled(True)
        self.cadre_table.sortByColumn(CadreColumn.TOTAL, Qt.SortOrder.DescendingOrder)
        self.cadre_table.setToolTip(tr("双击某位责任人，只看他（她）的事项"))
        self.cadre_table.doubleClicked.connect(self._on_cadre_table_double_clicked)
        self.tabs.addTab(self.cadre_table, tr("按责任人"))
        self._set_tab_titles(None)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(tr("责任人"), self))
        filters.addWidget(self.cadre_combo)
        filters.addWidget(self.filter_edit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

    def show_board(self, board: OverdueBoard) -> None:
        for which, model in self.models.items():
            model.set_rows(board.rows(which))
        self.cadre_model.set_rows(board.by_cadre)
        keep = self.cadre_combo.currentData()
        self.cadre_combo.blockSignals(True)
        while self.cadre_combo.count() > 1:
            self.cadre_combo.removeItem(1)
        for load in board.by_cadre:
            self.cadre_combo.addItem(load.cadre_name, load.cadre_id or NO_CADRE)
        self.cadre_combo.setCurrentIndex(max(0, self.cadre_combo.findData(keep)))
        self.cadre_combo.blockSignals(False)
        self._set_tab_titles(board)
        self._apply_filters()
        self.summary.setText(
            tr(
                "截至{today}：共 {total} 项需督办（签约满 {n} 个月未开工 {a} 个项目、"
                "三未项目 {b} 个、承诺逾期 {c} 项、诉求超期 {d} 项），涉及 {people} 位责任人。"
                "双击一行打开项目或企业。",
                today=format_date(board.today),
                total=board.item_count,
                n=board.not_started_months,
                a=len(board.not_started),
                b=len(board.three_nots),
                c=len(board.commitments),
                d=len(board.problems),
                people=sum(1 for load in board.by_cadre if load.cadre_id),
            )
        )

    def select_cadre(self, cadre_id: str | None) -> None:
        """Show only this cadre's items (None: items nobody answers for)."""
        self.cadre_combo.setCurrentIndex(max(0, self.cadre_combo.findData(cadre_id or NO_CADRE)))

    # -- handlers --------------------------------------------------------------------------------

    def _on_filters_changed(self, *_args: Any) -> None:
        self._apply_filters()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        project_id = index.data(PROJECT_ROLE)
        if project_id:
            self.project_activated.emit(project_id)
        elif index.data(ENTERPRISE_ROLE):
            self.enterprise_activated.emit(index.data(ENTERPRISE_ROLE))

    def _on_cadre_table_double_clicked(self, index: QModelIndex) -> None:
        load = index.data(ROW_ROLE)
        if isinstance(load, CadreLoad):
            self.select_cadre(load.cadre_id)
            self.tabs.setCurrentIndex(list(OverdueList).index(OverdueList.THREE_NOTS))

    def _context_menu_for(self, table: QTableView) -> Callable[[QPoint], None]:
        def show(point: QPoint) -> None:
            index = table.indexAt(point)
            if not index.isValid():
                return
            menu = QMenu(table)
            project_id, enterprise_id = index.data(PROJECT_ROLE), index.data(ENTERPRISE_ROLE)
            if project_id:
                menu.addAction(tr("打开项目"), lambda: self.project_activated.emit(project_id))
            if enterprise_id:
                menu.addAction(
                    tr("打开企业"), lambda: self.enterprise_activated.emit(enterprise_id)
                )
            menu.exec(table.viewport().mapToGlobal(point))

        return show

    # -- internals -------------------------------------------------------------------------------

    def _apply_filters(self) -> None:
        cadre = self.cadre_combo.currentData()
        text = self.filter_edit.text().strip().casefold()

        def accept(row: Any) -> bool:
            if not isinstance(row, OverdueRow):
                return True
            if cadre != ALL_CADRES and (row.cadre_id or NO_CADRE) != cadre:
                return False
            if not text:
                return True
            fields = (row.title, row.project_name, row.enterprise_name, row.cadre_name)
            return any(text in field.casefold() for field in fields)

        for proxy in self.proxies.values():
            proxy.set_accept(accept)
        self._update_counts()

    def _set_tab_titles(self, board: OverdueBoard | None) -> None:
        months = board.not_started_months if board else 3
        self._titles = {
            OverdueList.NOT_STARTED: tr("签约{n}个月未开工", n=months),
            OverdueList.THREE_NOTS: tr("三未项目"),
            OverdueList.COMMITMENTS: tr("承诺逾期"),
            OverdueList.PROBLEMS: tr("诉求超期"),
        }
        self._update_counts()

    def _update_counts(self) -> None:
        for index, which in enumerate(OverdueList):
            shown, total = self.proxies[which].rowCount(), self.models[which].rowCount()
            count = str(total) if shown == total else f"{shown}/{total}"
            self.tabs.setTabText(
                index, tr("{title}（{count}）", title=self._titles[which], count=count)
            )


def _project_of(row: OverdueRow) -> str | None:
    return row.project_id


def _enterprise_of(row: OverdueRow) -> str | None:
    return row.enterprise_id
