"""The 产业链环节 field of the visit form (and of any form tagging a record with a chain link):
every link as “链 · 环节”, grouped by chain, or none.

The form hands in the choices (loaded with the rest of the form); until the user picks, the
field follows the enterprise: a new record of an enterprise that is the target of exactly one
link is tagged with that link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from app.i18n import tr
from app.services.chain_views import LinkChoice
from ui.task_runner import CancelToken, TaskRunner

if TYPE_CHECKING:
    from app.services.chains import ChainService


class LinkField(QComboBox):
    """``link_chosen`` when the user picks a link, or when the enterprise's own link is filled
    in for them; ``link_id()`` is the link shown."""

    link_chosen = Signal()

    def __init__(self, chains: ChainService, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self._chains = chains
        self._runner = runner
        self._token: CancelToken | None = None
        self.touched = False
        """The user chose (or the record already had) a link: the enterprise no longer decides."""
        self.setMinimumContentsLength(16)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setToolTip(tr("这条记录属于哪个产业链环节（用于产业链图谱的统计）"))
        self.activated.connect(self._on_self_activated)

    def link_id(self) -> str | None:
        value = self.currentData()
        return value if isinstance(value, str) else None

    def follow_enterprise(self, enterprise_id: str) -> None:
        """A (new) enterprise was chosen: tag with its only link, unless the user chose."""
        if self.touched:
            return
        if self._token is not None:
            self._token.cancel()
        chains = self._chains
        self._token = self._runner.submit(
            lambda _token: chains.enterprise_link_ids(enterprise_id),
            on_success=self._on_enterprise_links_loaded,
            owner=self,
        )

    def show_choices(self, choices: tuple[LinkChoice, ...], selected: str | None) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItem(tr("不标注产业链环节"), None)
        chain_id: str | None = None
        for choice in choices:
            if choice.chain_id != chain_id:
                self.insertSeparator(self.count())
                chain_id = choice.chain_id
            self.addItem(choice.label, choice.id)
        if selected and self.findData(selected) < 0:  # the record's link was deleted meanwhile
            self.addItem(tr("（已删除的环节）"), selected)
        index = self.findData(selected) if selected else 0
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)

    # -- handlers --------------------------------------------------------------------------------

    def _on_enterprise_links_loaded(self, link_ids: tuple[str, ...]) -> None:
        if self.touched:
            return
        wanted = link_ids[0] if len(link_ids) == 1 else None
        index = self.findData(wanted) if wanted else 0
        if index >= 0 and index != self.currentIndex():
            self.setCurrentIndex(index)
            self.link_chosen.emit()

    def _on_self_activated(self, _index: int) -> None:
        self.touched = True
        self.link_chosen.emit()
