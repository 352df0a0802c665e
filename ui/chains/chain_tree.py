"""The table view of every chain and its links (全部产业链一览), over ``ChainTreeModel``."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from ui.chains.chain_tree_model import ChainTreeModel, Column

COLUMN_WIDTHS = {
    Column.NAME: 220,
    Column.LEADER: 170,
    Column.POSITION: 60,
    Column.KIND: 80,
    Column.TARGETS: 80,
    Column.VISITS: 80,
    Column.RECENT: 95,
    Column.PROJECTS: 60,
}


def build_chain_tree(model: ChainTreeModel, parent: QWidget) -> QTreeView:
    tree = QTreeView(parent)
    tree.setModel(model)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setAllColumnsShowFocus(True)
    tree.setStyleSheet("QTreeView::item { padding: 3px 0; }")
    header = tree.header()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in COLUMN_WIDTHS.items():
        tree.setColumnWidth(column, width)
    return tree
