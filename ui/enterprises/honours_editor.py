"""The editor's page of honours by year and industry-chain links: two lists with an add row each.

Honours: pick the kind (世界500强, 专精特新“小巨人”…), the year and the batch, then Enter.
Links: type part of a chain or link name, choose, Enter. Delete in a list removes the selection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.enterprise import FIRST_HONOUR_YEAR, HonourDraft, validate_honour
from app.domain.errors import ValidationError
from app.domain.vocabulary import HonourKind, LinkKind
from app.i18n import mark, tr
from app.services.enterprise_views import ChainLinkView
from ui.enterprises.dossier_sections import vocabulary_label
from ui.enterprises.field_grid import ERROR_STYLE
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordColumn, RecordTableModel

ItemT = TypeVar("ItemT")

_HONOUR_COLUMNS = (
    RecordColumn(mark("年份"), lambda h: str(h.year)),
    RecordColumn(mark("荣誉"), lambda h: vocabulary_label(HonourKind, h.kind)),
    RecordColumn(mark("批次"), lambda h: h.batch),
)
_LINK_COLUMNS = (
    RecordColumn(mark("产业链"), lambda link: link.chain_name),
    RecordColumn(mark("环节"), lambda link: link.link_name),
    RecordColumn(mark("类型"), lambda link: vocabulary_label(LinkKind, link.kind)),
)


def link_text(link: ChainLinkView) -> str:
    return tr(
        "{chain} · {link}（{kind}）",
        chain=link.chain_name,
        link=link.link_name,
        kind=vocabulary_label(LinkKind, link.kind),
    )


class _ListEditor(QGroupBox, Generic[ItemT]):
    """A titled list of items with an add row under it; Delete or 移除 takes the selection out."""

    changed = Signal()

    def __init__(
        self,
        title: str,
        columns: tuple[RecordColumn, ...],
        widths: tuple[int, ...],
        remove_tip: str,
        parent: QWidget | None,
    ) -> None:
        super().__init__(title, parent)
        self._items: list[ItemT] = []
        self._model = RecordTableModel(columns, self)
        self._table = list_table(self._model, self, widths=widths)
        self._table.setToolTip(remove_tip)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self._table)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.remove_selected)
        self._error = QLabel(self)
        self._error.setStyleSheet(ERROR_STYLE)
        self._error.setWordWrap(True)
        self._error.hide()

    @property
    def model(self) -> RecordTableModel:
        return self._model

    @property
    def table(self) -> QTableView:
        return self._table

    def show_error(self, message: str) -> None:
        self._error.setText(message)
        self._error.show()

    def remove_selected(self) -> None:
        rows = self._table.selectionModel().selectedRows()
        if rows:
            del self._items[rows[0].row()]
            self._items_changed()

    def _set_items(self, items: tuple[ItemT, ...]) -> None:
        self._items = list(items)
        self._model.set_rows(self._items)
        self._error.hide()

    def _items_changed(self) -> None:
        self._model.set_rows(self._items)
        self._error.hide()
        self.changed.emit()

    def _lay_out(
        self, add_row: list[tuple[QWidget, int]], add_text: str, on_add: Callable[[], None]
    ) -> None:
        """The list, its message, and the add row: the given fields, then 添加… and 移除."""
        add = QPushButton(add_text, self)
        add.clicked.connect(on_add)
        remove = QPushButton(tr("移除"), self)
        remove.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        for widget, stretch in add_row:
            row.addWidget(widget, stretch)
        row.addWidget(add)
        row.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._error)
        layout.addLayout(row)


class HonoursEditor(_ListEditor[HonourDraft]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            tr("荣誉（按年份）"), _HONOUR_COLUMNS, (70, 200), tr("Delete 移除选中的荣誉"), parent
        )
        self.kind = QComboBox(self)
        for kind in HonourKind:
            self.kind.addItem(kind.label, kind.value)
        self.year = QSpinBox(self)
        self.year.setRange(FIRST_HONOUR_YEAR, dt.date.today().year + 1)
        self.year.setValue(dt.date.today().year)
        self.batch = QLineEdit(self)
        self.batch.setPlaceholderText(tr("批次，如 第六批（可不填）"))
        self.batch.returnPressed.connect(self.add)
        self._lay_out([(self.kind, 2), (self.year, 0), (self.batch, 2)], tr("添加荣誉"), self.add)

    def honours(self) -> tuple[HonourDraft, ...]:
        return tuple(self._items)

    def set_honours(self, honours: tuple[HonourDraft, ...]) -> None:
        self._set_items(honours)

    def add(self) -> None:
        draft = HonourDraft(str(self.kind.currentData()), self.year.value(), self.batch.text())
        try:
            draft = validate_honour(draft)
        except ValidationError as error:
            self.show_error(error.message)
            return
        if (draft.kind, draft.year, draft.batch) in {
            (h.kind, h.year, h.batch) for h in self._items
        }:
            self.show_error(tr("已有这项荣誉"))
            return
        self._items.append(draft)
        self._items.sort(key=lambda h: (-h.year, h.kind))
        self.batch.clear()
        self._items_changed()


class LinksEditor(_ListEditor[ChainLinkView]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            tr("产业链环节"), _LINK_COLUMNS, (150, 150), tr("Delete 移除选中的环节"), parent
        )
        self._choices: tuple[ChainLinkView, ...] = ()
        self.picker = QComboBox(self)
        self.picker.setEditable(True)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.picker_text = QLineEdit(self.picker)
        self.picker_text.setPlaceholderText(tr("输入产业链或环节名称，如 电池"))
        self.picker.setLineEdit(self.picker_text)
        completer = QCompleter(self.picker.model(), self.picker)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.picker.setCompleter(completer)
        self.picker_text.returnPressed.connect(self.add)
        self._lay_out([(self.picker, 1)], tr("添加环节"), self.add)

    def set_choices(self, choices: tuple[ChainLinkView, ...]) -> None:
        self._choices = choices
        self.picker.clear()
        for link in choices:
            self.picker.addItem(link_text(link), link.link_id)
        self.picker.setCurrentIndex(-1)
        self.picker.clearEditText()

    def link_ids(self) -> tuple[str, ...]:
        return tuple(link.link_id for link in self._items)

    def set_links(self, links: tuple[ChainLinkView, ...]) -> None:
        self._set_items(links)

    def add(self) -> None:
        index = self.picker.findText(self.picker.currentText().strip())
        if index < 0:
            self.show_error(tr("请从列表中选择一个产业链环节"))
            return
        link = self._choices[index]
        self.picker.setCurrentIndex(-1)
        self.picker.clearEditText()
        if link.link_id in self.link_ids():
            self._error.hide()
            return
        self._items.append(link)
        self._items_changed()
