"""Several enterprises for a pre-trip brief (出访前简报): pick each one by name, pinyin initials
or USCC (the visit form's picker), listed below in the order they were picked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.visit_views import EnterpriseChoice
from ui.task_runner import TaskRunner
from ui.visits.enterprise_picker import EnterprisePicker

if TYPE_CHECKING:
    from app.services.visit_choices import VisitChoices

_ID_ROLE = Qt.ItemDataRole.UserRole


class EnterpriseListPicker(QWidget):
    """``chosen_changed`` carries the enterprises now listed (a tuple of ``EnterpriseChoice``)."""

    chosen_changed = Signal(object)

    def __init__(
        self, choices: VisitChoices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._chosen: list[EnterpriseChoice] = []
        self.picker = EnterprisePicker(choices, runner, self)
        self.picker.setPlaceholderText(tr("输入企业名称、拼音首字母或信用代码，回车加入"))
        self.picker.enterprise_chosen.connect(self._on_picker_enterprise_chosen)
        self.picker.problem_found.connect(self._on_picker_problem_found)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        self.list = QListWidget(self)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.itemSelectionChanged.connect(self._on_list_selection_changed)
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self._on_remove_button_clicked)
        self.remove_button = QPushButton(tr("移除"), self)
        self.remove_button.setToolTip(tr("从简报中移除选中的企业（Delete）"))
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.clear_button = QPushButton(tr("清空"), self)
        self.clear_button.setEnabled(False)
        self.clear_button.clicked.connect(self._on_clear_button_clicked)

        buttons = QVBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        listed = QHBoxLayout()
        listed.addWidget(self.list, 1)
        listed.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.picker)
        layout.addWidget(self.problem)
        layout.addLayout(listed, 1)

    @property
    def chosen(self) -> tuple[EnterpriseChoice, ...]:
        return tuple(self._chosen)

    @property
    def enterprise_ids(self) -> tuple[str, ...]:
        return tuple(enterprise.id for enterprise in self._chosen)

    def add(self, enterprise: EnterpriseChoice) -> None:
        """List ``enterprise`` (once; picking it again selects it)."""
        for row, listed in enumerate(self._chosen):
            if listed.id == enterprise.id:
                self.list.setCurrentRow(row)
                return
        self._chosen.append(enterprise)
        item = QListWidgetItem(enterprise.name)
        item.setData(_ID_ROLE, enterprise.id)
        detail = "  ".join(part for part in (enterprise.region_name, enterprise.uscc) if part)
        item.setToolTip(detail)
        self.list.addItem(item)
        self._changed()

    def set_chosen(self, enterprises: tuple[EnterpriseChoice, ...]) -> None:
        self._chosen = []
        self.list.clear()
        for enterprise in enterprises:
            self.add(enterprise)
        self._changed()

    def _changed(self) -> None:
        self.clear_button.setEnabled(bool(self._chosen))
        self.chosen_changed.emit(self.chosen)

    # -- handlers --------------------------------------------------------------------------------

    def _on_picker_enterprise_chosen(self, enterprise: EnterpriseChoice) -> None:
        self.add(enterprise)
        self.picker.set_chosen(None)  # ready for the next name

    def _on_picker_problem_found(self, message: str) -> None:
        if message and not self.picker.text().strip():
            message = ""  # the box was emptied after a pick: nothing is wrong
        self.problem.setText(message)
        self.problem.setVisible(bool(message))

    def _on_list_selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))

    def _on_remove_button_clicked(self) -> None:
        rows = sorted((self.list.row(item) for item in self.list.selectedItems()), reverse=True)
        for row in rows:
            self.list.takeItem(row)
            del self._chosen[row]
        if rows:
            self._changed()

    def _on_clear_button_clicked(self) -> None:
        self.set_chosen(())
