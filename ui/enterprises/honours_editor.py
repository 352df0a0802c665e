"""The editor's page of honours by year and industry-chain links: two lists with an add row each.

Honours: pick the kind (世界500强, 专精特新“小巨人”…), the year and the batch, then Enter.
Links: type part of a chain or link name, choose, Enter. Delete in a list removes the selection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

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


def _message_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def _removable(table: QTableView, remove: Callable[[], None]) -> None:
    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), table)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    shortcut.activated.connect(remove)


class HonoursEditor(QGroupBox):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("荣誉（按年份）"), parent)
        self._honours: list[HonourDraft] = []
        self._model = RecordTableModel(_HONOUR_COLUMNS, self)
        self._table = list_table(self._model, self, widths=(70, 200))
        self._table.setToolTip(tr("Delete 移除选中的荣誉"))
        _removable(self._table, self.remove_selected)
        self.kind = QComboBox(self)
        for kind in HonourKind:
            self.kind.addItem(kind.label, kind.value)
        self.year = QSpinBox(self)
        self.year.setRange(FIRST_HONOUR_YEAR, dt.date.today().year + 1)
        self.year.setValue(dt.date.today().year)
        self.batch = QLineEdit(self)
        self.batch.setPlaceholderText(tr("批次，如 第六批（可不填）"))
        self.batch.returnPressed.connect(self.add)
        add = QPushButton(tr("添加荣誉"), self)
        add.clicked.connect(self.add)
        remove = QPushButton(tr("移除"), self)
        remove.clicked.connect(self.remove_selected)
        self._error = _message_label(self)
        row = QHBoxLayout()
        row.addWidget(self.kind, 2)
        row.addWidget(self.year)
        row.addWidget(self.batch, 2)
        row.addWidget(add)
        row.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._error)
        layout.addLayout(row)

    @property
    def model(self) -> RecordTableModel:
        return self._model

    @property
    def table(self) -> QTableView:
        return self._table

    def honours(self) -> tuple[HonourDraft, ...]:
        return tuple(self._honours)

    def set_honours(self, honours: tuple[HonourDraft, ...]) -> None:
        self._honours = list(honours)
        self._model.set_rows(self._honours)
        self._error.hide()

    def show_error(self, message: str) -> None:
        self._error.setText(message)
        self._error.show()

    def add(self) -> None:
        draft = HonourDraft(str(self.kind.currentData()), self.year.value(), self.batch.text())
        try:
            draft = validate_honour(draft)
        except ValidationError as error:
            self.show_error(error.message)
            return
        same = [(h.kind, h.year, h.batch) for h in self._honours]
        if (draft.kind, draft.year, draft.batch) in same:
            self.show_error(tr("已有这项荣誉"))
            return
        self._honours.append(draft)
        self._honours.sort(key=lambda h: (-h.year, h.kind))
        self._model.set_rows(self._honours)
        self.batch.clear()
        self._error.hide()
        self.changed.emit()

    def remove_selected(self) -> None:
        rows = self._table.selectionModel().selectedRows()
        if rows:
            del self._honours[rows[0].row()]
            self._model.set_rows(self._honours)
            self.changed.emit()


class LinksEditor(QGroupBox):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("产业链环节"), parent)
        self._choices: tuple[ChainLinkView, ...] = ()
        self._links: list[ChainLinkView] = []
        self._model = RecordTableModel(_LINK_COLUMNS, self)
        self._table = list_table(self._model, self, widths=(150, 150))
        self._table.setToolTip(tr("Delete 移除选中的环节"))
        _removable(self._table, self.remove_selected)
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
        add = QPushButton(tr("添加环节"), self)
        add.clicked.connect(self.add)
        remove = QPushButton(tr("移除"), self)
        remove.clicked.connect(self.remove_selected)
        self._error = _message_label(self)
        row = QHBoxLayout()
        row.addWidget(self.picker, 1)
        row.addWidget(add)
        row.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._error)
        layout.addLayout(row)

    @property
    def model(self) -> RecordTableModel:
        return self._model

    @property
    def table(self) -> QTableView:
        return self._table

    def set_choices(self, choices: tuple[ChainLinkView, ...]) -> None:
        self._choices = choices
        self.picker.clear()
        for link in choices:
            self.picker.addItem(link_text(link), link.link_id)
        self.picker.setCurrentIndex(-1)
        self.picker.clearEditText()

    def link_ids(self) -> tuple[str, ...]:
        return tuple(link.link_id for link in self._links)

    def set_links(self, links: tuple[ChainLinkView, ...]) -> None:
        self._links = list(links)
        self._model.set_rows(self._links)
        self._error.hide()

    def show_error(self, message: str) -> None:
        self._error.setText(message)
        self._error.show()

    def add(self) -> None:
        text = self.picker.currentText().strip()
        index = self.picker.findText(text)
        if index < 0:
            self.show_error(tr("请从列表中选择一个产业链环节"))
            return
        link = self._choices[index]
        if link.link_id not in self.link_ids():
            self._links.append(link)
            self._model.set_rows(self._links)
            self.changed.emit()
        self.picker.setCurrentIndex(-1)
        self.picker.clearEditText()
        self._error.hide()

    def remove_selected(self) -> None:
        rows = self._table.selectionModel().selectedRows()
        if rows:
            del self._links[rows[0].row()]
            self._model.set_rows(self._links)
            self.changed.emit()
