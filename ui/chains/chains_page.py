"""The industry-chain page (产业链): chains and their links with coverage, and the selected
link's target enterprises."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import mark, tr
from app.services.chains import RECENT_DAYS, ChainMap, LinkEnterprise, LinkView
from ui.chains.chain_tree_model import ChainTreeModel, Column
from ui.formatting import format_date
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordColumn, RecordTableModel

if TYPE_CHECKING:
    from app.services.chains import ChainService

_COLUMN_WIDTHS = {
    Column.NAME: 220,
    Column.LEADER: 200,
    Column.POSITION: 60,
    Column.KIND: 80,
    Column.TARGETS: 80,
    Column.VISITS: 80,
    Column.RECENT: 95,
    Column.PROJECTS: 60,
}
_MUTED = "color: #5f6b7a;"

TARGET_COLUMNS = (
    RecordColumn(mark("企业名称"), lambda e: e.name),
    RecordColumn(mark("地区"), lambda e: e.region_name),
    RecordColumn(mark("行业"), lambda e: e.industry_name),
    RecordColumn(mark("拜访次数"), lambda e: str(e.visit_count)),
    RecordColumn(mark("最近拜访"), lambda e: format_date(e.last_visit_on)),
    RecordColumn(mark("备注"), lambda e: e.note),
)


class ChainsPage(QWidget):
    """The chain map as a tree; picking a link lists its target enterprises below."""

    enterprise_activated = Signal(str)
    chains_loaded = Signal(int)
    targets_shown = Signal(str)

    def __init__(
        self, service: ChainService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._selected_link: str | None = None
        self._targets_generation = 0

        self._model = ChainTreeModel(self)
        self._targets_model = RecordTableModel(TARGET_COLUMNS, self)
        self.summary = QLabel(tr("正在载入…"), self)
        self.summary.setStyleSheet(_MUTED)
        self.tree = self._build_tree()
        self.targets_title = QLabel(tr("选择一个环节查看其目标企业"), self)
        self.targets_title.setStyleSheet("font-weight: 600; padding: 4px 0;")
        self.targets_table = self._build_targets_table()

        targets = QWidget(self)
        targets_layout = QVBoxLayout(targets)
        targets_layout.setContentsMargins(0, 4, 0, 0)
        targets_layout.addWidget(self.targets_title)
        targets_layout.addWidget(self.targets_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(targets)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

    # -- public ----------------------------------------------------------------------------------

    @property
    def model(self) -> ChainTreeModel:
        return self._model

    @property
    def targets_model(self) -> RecordTableModel:
        return self._targets_model

    def refresh(self) -> None:
        service = self._service
        self._submit(lambda _token: service.chain_map(), self._on_chain_map_loaded)

    def select_link(self, link_id: str) -> None:
        index = self._model.index_of_link(link_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)

    def selected_link(self) -> LinkView | None:
        return self._model.link_at(self.tree.currentIndex())

    # -- building --------------------------------------------------------------------------------

    def _build_tree(self) -> QTreeView:
        tree = QTreeView(self)
        tree.setModel(self._model)
        tree.setAlternatingRowColors(True)
        tree.setUniformRowHeights(True)
        tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setAllColumnsShowFocus(True)
        tree.setStyleSheet("QTreeView::item { padding: 3px 0; }")
        header = tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in _COLUMN_WIDTHS.items():
            tree.setColumnWidth(column, width)
        tree.selectionModel().selectionChanged.connect(self._on_tree_selection_changed)
        return tree

    def _build_targets_table(self) -> QTableView:
        table = list_table(self._targets_model, self, widths=(260, 170, 200, 80, 130))
        table.setToolTip(tr("双击打开企业档案"))
        table.doubleClicked.connect(self._on_targets_table_double_clicked)
        return table

    # -- handlers --------------------------------------------------------------------------------

    def _on_chain_map_loaded(self, chain_map: ChainMap) -> None:
        keep = self._selected_link
        self._model.set_map(chain_map)
        self.tree.expandAll()
        links = sum(len(chain.links) for chain in chain_map.chains)
        gaps = sum(chain.gap_count for chain in chain_map.chains)
        self.summary.setText(
            tr(
                "{chains} 条产业链 · {links} 个环节 · {gaps} 个缺口"
                "（没有目标企业，或近 {days} 天未拜访目标企业）",
                chains=len(chain_map.chains),
                links=links,
                gaps=gaps,
                days=RECENT_DAYS,
            )
        )
        if keep is not None and self._model.index_of_link(keep).isValid():
            self._selected_link = None  # reload the targets too: they may have changed
            self.select_link(keep)
        else:
            self._show_targets(None)
        self.chains_loaded.emit(len(chain_map.chains))

    def _on_tree_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        link = self.selected_link()
        if link is None or link.id != self._selected_link:
            self._show_targets(link)

    def _on_targets_table_double_clicked(self, index: QModelIndex) -> None:
        enterprise: LinkEnterprise = self._targets_model.row_at(index.row())
        self.enterprise_activated.emit(enterprise.enterprise_id)

    def _on_load_failed(self, error: AppError) -> None:
        self.targets_title.setText(error.message)

    # -- internals -------------------------------------------------------------------------------

    def _show_targets(self, link: LinkView | None) -> None:
        self._targets_generation += 1
        self._selected_link = link.id if link else None
        self._targets_model.set_rows(())
        if link is None:
            chain = self._model.chain_at(self.tree.currentIndex())
            self.targets_title.setText(
                tr("选择一个环节查看其目标企业")
                if chain is None or not chain.description
                else chain.description
            )
            return
        self.targets_title.setText(
            tr(
                "目标企业 — {link}（{kind} · {position}）",
                link=link.name,
                kind=link.kind.label,
                position=link.position.label,
            )
        )
        generation, service, link_id = self._targets_generation, self._service, link.id

        def on_targets(rows: tuple[LinkEnterprise, ...]) -> None:
            if generation == self._targets_generation:
                self._targets_model.set_rows(rows)
                if not rows:
                    self.targets_title.setText(
                        tr("目标企业 — {link}：还没有目标企业（缺口）", link=link.name)
                    )
                self.targets_shown.emit(link_id)

        self._submit(lambda _token: service.link_enterprises(link_id), on_targets)

    def _submit(self, work: Callable[[CancelToken], Any], done: Callable[[Any], None]) -> None:
        self._runner.submit(work, done, self._on_load_failed, owner=self)
