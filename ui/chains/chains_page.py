"""The industry-chain page (产业链, 链长制): pick a chain and see its map — the links by position
with their targets, visits, projects and gaps — or all chains as a table; the selected link's
target enterprises below. Squad leaders and admins (or a laptop not signed in) manage chains,
links and targets here; a plain member sees it read-only, with a line saying why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.domain.vocabulary import ChainPosition
from app.i18n import tr
from app.services.chain_views import ChainMap, ChainView, LinkEnterprise, LinkView
from app.services.chains import link_text
from ui.chains.chain_dialogs import ChainDialog, LinkDialog
from ui.chains.chain_map_view import ChainMapView, summary_text
from ui.chains.chain_services import ChainServices
from ui.chains.chain_tree import build_chain_tree
from ui.chains.chain_tree_model import ChainTreeModel
from ui.chains.target_dialog import AddTargetDialog
from ui.chains.targets_panel import TargetsPanel
from ui.task_runner import CancelToken, TaskRunner

_MUTED = "color: #5f6b7a;"
_PROBLEM = "color: #b3261e;"
_READ_ONLY = "background: #eef2f7; color: #3c4654; padding: 4px 8px; border-radius: 4px;"


class ChainsPage(QWidget):
    """``enterprise_activated(id)`` on a double-clicked target, ``list_loaded(chains)`` each
    time the map is (re)loaded, ``targets_shown(link_id)`` once a link's targets are listed."""

    enterprise_activated = Signal(str)
    list_loaded = Signal(int)
    targets_shown = Signal(str)

    def __init__(
        self, services: ChainServices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._map: ChainMap | None = None
        self._editable = False
        self._chain_id: str | None = None
        self._targets_generation = 0
        self._pending_link: str | None = None
        """A link just created or edited: selected once the map is reloaded."""
        self.dialog: QDialog | None = None
        """The chain, link, target or confirmation dialog open now (tests drive it)."""

        self.chain_box = QComboBox(self)
        self.chain_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.chain_box.currentIndexChanged.connect(self._on_chain_box_changed)
        self.leader = QLabel(self)
        self.leader.setStyleSheet("font-weight: 600;")
        self.summary = QLabel(tr("正在载入…"), self)
        self.summary.setStyleSheet(_MUTED)
        self.message = QLabel(self)
        self.message.setStyleSheet(_PROBLEM)
        self.message.setWordWrap(True)
        self.message.hide()
        self.read_only_note = QLabel(
            tr(
                "只读：产业链、环节和目标企业由小分队队长或单位管理员维护，你可以查看图谱和目标企业。"
            ),
            self,
        )
        self.read_only_note.setStyleSheet(_READ_ONLY)
        self.read_only_note.hide()
        self.new_chain = self._button(tr("新建产业链…"), self._on_new_chain_clicked)
        self.edit_chain = self._button(tr("编辑…"), self._on_edit_chain_clicked)
        self.edit_chain.setToolTip(tr("修改产业链名称、链长和说明"))
        self.delete_chain = self._button(tr("删除产业链"), self._on_delete_chain_clicked)
        self.new_link = self._button(tr("新建环节…"), self._on_new_link_clicked)
        self.edit_link = self._button(tr("编辑环节…"), self._on_edit_link_clicked)
        self.move_up = self._button(tr("上移"), lambda: self._move_link(-1))
        self.move_down = self._button(tr("下移"), lambda: self._move_link(1))
        self.delete_link = self._button(tr("删除环节"), self._on_delete_link_clicked)

        self.map = ChainMapView(self)
        self.map.link_selected.connect(self._on_map_link_selected)
        self.map.link_activated.connect(self._on_map_link_activated)
        self.tree_model = ChainTreeModel(self)
        self.tree = build_chain_tree(self.tree_model, self)
        self.tree.selectionModel().selectionChanged.connect(self._on_tree_selection_changed)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._map_tab(), tr("链图"))
        self.tabs.addTab(self.tree, tr("全部产业链一览"))
        self.tabs.setCornerWidget(self.map.legend)  # the legend beside the tabs saves a row
        self.targets = TargetsPanel(self)
        self.targets.add_requested.connect(self._on_targets_add_requested)
        self.targets.remove_requested.connect(self._on_targets_remove_requested)
        self.targets.enterprise_activated.connect(self.enterprise_activated)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.targets)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([650, 330])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(6)
        layout.addLayout(self._header())
        layout.addWidget(self.summary)
        layout.addWidget(self.read_only_note)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self._set_editable(False)

    # -- public ----------------------------------------------------------------------------------

    @property
    def chain_map(self) -> ChainMap | None:
        return self._map

    @property
    def editable(self) -> bool:
        return self._editable

    def refresh(self) -> None:
        services = self._services

        def load(_token: CancelToken) -> tuple[ChainMap, bool]:
            return services.chains.chain_map(), services.editing.can_edit()

        self._submit(load, self._on_loaded)

    def current_chain(self) -> ChainView | None:
        if self._map is None or self._chain_id is None:
            return None
        return self._map.chain(self._chain_id)

    def selected_link(self) -> LinkView | None:
        chain, link_id = self.current_chain(), self.map.selected_link_id()
        return next((link for link in chain.links if link.id == link_id), None) if chain else None

    def select_link(self, link_id: str) -> None:
        """Show the link's chain and select the link on the map."""
        for chain in self._map.chains if self._map else ():
            if any(link.id == link_id for link in chain.links):
                self._show_chain(chain.id)
                self.map.select(link_id)
                return

    # -- building --------------------------------------------------------------------------------

    def _button(self, text: str, handler: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(handler)
        return button

    def _header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        caption = QLabel(tr("产业链"), self)
        caption.setStyleSheet(_MUTED)
        header.addWidget(caption)
        header.addWidget(self.chain_box)
        header.addSpacing(8)
        header.addWidget(self.leader, 1)
        for button in (self.new_chain, self.edit_chain, self.delete_chain):
            header.addWidget(button)
        return header

    def _map_tab(self) -> QWidget:
        tab = QWidget(self)
        buttons = QHBoxLayout()
        for button in (self.new_link, self.edit_link, self.move_up, self.move_down):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_link)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(buttons)
        layout.addWidget(self.map, 1)
        return tab

    # -- showing ---------------------------------------------------------------------------------

    def _on_loaded(self, loaded: tuple[ChainMap, bool]) -> None:
        chain_map, editable = loaded
        self._map = chain_map
        self._set_editable(editable)
        self.tree_model.set_map(chain_map)
        self.tree.expandAll()
        keep = self._chain_id if chain_map.chain(self._chain_id or "") else None
        chains = chain_map.chains
        self.chain_box.blockSignals(True)
        self.chain_box.clear()
        for chain in chains:
            label = chain.name
            if chain.gap_count:
                label = tr("{chain}（{gaps} 个缺口）", chain=chain.name, gaps=chain.gap_count)
            self.chain_box.addItem(label, chain.id)
        self.chain_box.blockSignals(False)
        self._show_chain(keep or (chains[0].id if chains else None), reload_targets=True)
        if self._pending_link is not None:
            self.select_link(self._pending_link)
            self._pending_link = None
        self.list_loaded.emit(len(chains))

    def _show_chain(self, chain_id: str | None, *, reload_targets: bool = False) -> None:
        chain_map = self._map
        if chain_map is None:
            return
        changed = chain_id != self._chain_id
        self._chain_id = chain_id
        chain = self.current_chain()
        index = self.chain_box.findData(chain_id) if chain_id else -1
        if index >= 0 and index != self.chain_box.currentIndex():
            self.chain_box.blockSignals(True)
            self.chain_box.setCurrentIndex(index)
            self.chain_box.blockSignals(False)
        self.leader.setText(
            tr("链长：{leader}", leader=chain.leader or tr("（未设）")) if chain else ""
        )
        self.summary.setText(summary_text(chain_map, chain))
        keep = None if changed else self.map.selected_link_id()
        self.map.blockSignals(True)
        self.map.show_chain(chain, chain_map.quiet_days)
        if changed:
            self.map.select(None)
        self.map.blockSignals(False)
        if reload_targets or changed or self.map.selected_link_id() != keep:
            self._show_targets(self.selected_link())
        self._update_buttons()

    def _show_targets(self, link: LinkView | None) -> None:
        self._targets_generation += 1
        chain = self.current_chain()
        self.targets.show_link(link, chain.description if chain and link is None else "")
        if link is None:
            return
        generation, chains, link_id = self._targets_generation, self._services.chains, link.id

        def on_targets(rows: tuple[LinkEnterprise, ...]) -> None:
            if generation == self._targets_generation:
                self.targets.show_targets(rows)
                self.targets_shown.emit(link_id)

        self._submit(lambda _token: chains.link_enterprises(link_id), on_targets)

    def _set_editable(self, editable: bool) -> None:
        self._editable = editable
        self.read_only_note.setVisible(self._map is not None and not editable)
        for button in self._edit_buttons():
            button.setVisible(editable)
        self.targets.set_editable(editable)
        self._update_buttons()

    def _edit_buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.new_chain,
            self.edit_chain,
            self.delete_chain,
            self.new_link,
            self.edit_link,
            self.move_up,
            self.move_down,
            self.delete_link,
        )

    def _update_buttons(self) -> None:
        has_chain = self.current_chain() is not None
        has_link = self.selected_link() is not None
        for button in (self.edit_chain, self.delete_chain, self.new_link):
            button.setEnabled(has_chain)
        for button in (self.edit_link, self.move_up, self.move_down, self.delete_link):
            button.setEnabled(has_link)

    # -- handlers: choosing ----------------------------------------------------------------------

    def _on_chain_box_changed(self, _index: int) -> None:
        chain_id = self.chain_box.currentData()
        self._show_chain(chain_id if isinstance(chain_id, str) else None)

    def _on_map_link_selected(self, _link_id: str) -> None:
        self._show_targets(self.selected_link())
        self._update_buttons()

    def _on_map_link_activated(self, _link_id: str) -> None:
        if self._editable:
            self._on_edit_link_clicked()

    def _on_tree_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        index = self.tree.currentIndex()
        link = self.tree_model.link_at(index)
        if link is not None:
            self.select_link(link.id)
            return
        chain = self.tree_model.chain_at(index)
        if chain is not None and chain.id != self._chain_id:
            self._show_chain(chain.id)

    # -- handlers: editing -----------------------------------------------------------------------

    def _on_new_chain_clicked(self) -> None:
        editing = self._services.editing
        self._open(
            ChainDialog(self._runner, editing.create_chain, None, self), self._on_chain_saved
        )

    def _on_edit_chain_clicked(self) -> None:
        chain = self.current_chain()
        if chain is None:
            return
        editing, chain_id = self._services.editing, chain.id

        def save(draft: Any) -> str:
            editing.update_chain(chain_id, draft)
            return chain_id

        self._open(ChainDialog(self._runner, save, chain, self), self._on_chain_saved)

    def _on_delete_chain_clicked(self) -> None:
        chain = self.current_chain()
        if chain is None:
            return
        editing, chain_id = self._services.editing, chain.id
        self._confirm(
            tr("删除产业链“{chain}”及其环节？", chain=chain.name),
            lambda: self._write(lambda _token: editing.delete_chain(chain_id)),
        )

    def _on_new_link_clicked(self) -> None:
        chain = self.current_chain()
        if chain is None:
            return
        editing, chain_id = self._services.editing, chain.id
        selected = self.selected_link()
        position = selected.position if selected else ChainPosition.MIDSTREAM

        def save(draft: Any) -> str:
            return editing.create_link(chain_id, draft)

        dialog = LinkDialog(self._runner, save, chain.name, None, position, self)
        self._open(dialog, self._on_link_saved)

    def _on_edit_link_clicked(self) -> None:
        chain, link = self.current_chain(), self.selected_link()
        if chain is None or link is None:
            return
        editing, link_id = self._services.editing, link.id

        def save(draft: Any) -> str:
            editing.update_link(link_id, draft)
            return link_id

        dialog = LinkDialog(self._runner, save, chain.name, link, link.position, self)
        self._open(dialog, self._on_link_saved)

    def _move_link(self, offset: int) -> None:
        link = self.selected_link()
        if link is not None:
            editing, link_id = self._services.editing, link.id
            self._write(lambda _token: editing.move_link(link_id, offset))

    def _on_delete_link_clicked(self) -> None:
        link = self.selected_link()
        if link is None:
            return
        editing, link_id = self._services.editing, link.id
        self._confirm(
            tr("删除环节“{link}”？", link=link.name),
            lambda: self._write(lambda _token: editing.delete_link(link_id)),
        )

    def _on_targets_add_requested(self) -> None:
        chain, link = self.current_chain(), self.selected_link()
        if chain is None or link is None:
            return
        label = link_text(chain.name, link.name)
        dialog = AddTargetDialog(self._services, self._runner, link.id, label, self)
        self._open(dialog, lambda _enterprise_id: self.refresh())

    def _on_targets_remove_requested(self, enterprise_id: str) -> None:
        link = self.selected_link()
        if link is not None:
            editing, link_id = self._services.editing, link.id
            self._write(lambda _token: editing.remove_target(link_id, enterprise_id))

    def _on_chain_saved(self, chain_id: str) -> None:
        self._chain_id = chain_id or self._chain_id
        self.refresh()

    def _on_link_saved(self, link_id: str) -> None:
        self._pending_link = link_id
        self.refresh()

    # -- internals -------------------------------------------------------------------------------

    def _open(self, dialog: Any, on_saved: Callable[[str], None]) -> None:
        self.message.hide()
        dialog.saved.connect(on_saved)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def _confirm(self, question: str, then: Callable[[], None]) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, tr("请确认"), question, parent=self)
        yes = box.addButton(tr("删除"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: then() if button is yes else None)
        self.dialog = box
        box.open()

    def _write(self, work: Callable[[CancelToken], object]) -> None:
        self.message.hide()
        self._runner.submit(work, lambda _result: self.refresh(), self._on_failed, owner=self)

    def _on_failed(self, error: AppError) -> None:
        self.message.setText(error.message)
        self.message.show()

    def _submit(self, work: Callable[[CancelToken], Any], done: Callable[[Any], None]) -> None:
        self._runner.submit(work, done, self._on_failed, owner=self)
