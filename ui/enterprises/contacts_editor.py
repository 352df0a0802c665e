"""The editor's contacts page: a list of contact people and a small form for one of them.

Enter in the form adds the contact (or updates the one selected); Delete in the list removes
the selected one. Nothing is written until the whole dossier is saved.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.contact import ContactDraft, validate_contact
from app.domain.errors import ValidationError
from app.i18n import mark, tr
from ui.enterprises.field_grid import ERROR_STYLE, FieldGrid
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordColumn, RecordTableModel

_COLUMNS = (
    RecordColumn(mark("姓名"), lambda c: c.name + (tr("（主要）") if c.is_primary else "")),
    RecordColumn(mark("职务"), lambda c: c.title),
    RecordColumn(mark("手机"), lambda c: c.mobile),
    RecordColumn(mark("电话"), lambda c: c.phone),
    RecordColumn(mark("邮箱"), lambda c: c.email),
    RecordColumn(mark("微信"), lambda c: c.wechat),
)
_TEXT_FIELDS = ("name", "title", "mobile", "phone", "email", "wechat", "notes")


class ContactsEditor(QWidget):
    changed = Signal()  # the list changed
    typed = Signal()  # the form was typed in (not yet added to the list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._contacts: list[ContactDraft] = []
        self._model = RecordTableModel(_COLUMNS, self)
        self._table = list_table(self._model, self, widths=(130, 130, 120, 130, 170))
        self._table.setToolTip(tr("选中一位联系人可修改；Delete 移除"))
        self._table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self._table)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self.remove_selected)
        self._list_error = QLabel(self)
        self._list_error.setStyleSheet(ERROR_STYLE)
        self._list_error.setWordWrap(True)
        self._list_error.hide()

        self._form = FieldGrid(2, self)
        self._inputs: dict[str, QLineEdit] = {}
        labels = {
            "name": tr("姓名"),
            "title": tr("职务"),
            "mobile": tr("手机"),
            "phone": tr("电话"),
            "email": tr("邮箱"),
            "wechat": tr("微信"),
            "notes": tr("备注"),
        }
        for number, field in enumerate(_TEXT_FIELDS):
            edit = QLineEdit(self)
            edit.returnPressed.connect(self.apply)
            edit.textEdited.connect(self.typed)
            self._inputs[field] = edit
            column = 0 if number in (0, 2, 4) else 1
            self._form.add_field(field, labels[field], edit, column=column, span=field == "notes")
        self._inputs["mobile"].setPlaceholderText(tr("如 138 0931 0000"))
        self._inputs["phone"].setPlaceholderText(tr("如 0931-8888888 转 123"))
        self._primary = QCheckBox(tr("主要联系人"), self)
        self._apply = QPushButton(tr("添加联系人"), self)
        self._apply.setToolTip(tr("在表单中按 Enter 也可以"))
        self._apply.clicked.connect(self.apply)
        self._new = QPushButton(tr("新联系人"), self)
        self._new.clicked.connect(self.start_new)
        self._remove = QPushButton(tr("移除联系人"), self)
        self._remove.setToolTip(tr("移除选中的联系人（Delete）"))
        self._remove.clicked.connect(self.remove_selected)

        buttons = QHBoxLayout()
        buttons.addWidget(self._primary)
        buttons.addStretch(1)
        buttons.addWidget(self._new)
        buttons.addWidget(self._remove)
        buttons.addWidget(self._apply)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._list_error)
        layout.addWidget(self._form)
        layout.addLayout(buttons)
        self._update_buttons()

    # -- public ----------------------------------------------------------------------------------

    @property
    def model(self) -> RecordTableModel:
        return self._model

    def input(self, field: str) -> QLineEdit:
        return self._inputs[field]

    def contacts(self) -> tuple[ContactDraft, ...]:
        return tuple(self._contacts)

    def set_contacts(self, contacts: tuple[ContactDraft, ...]) -> None:
        self._contacts = list(contacts)
        self._model.set_rows(self._contacts)
        self.start_new()

    def field_error(self, field: str) -> str:
        return self._form.error(field)

    def show_list_error(self, message: str) -> None:
        self._list_error.setText(message)
        self._list_error.show()

    def focus_first(self) -> None:
        self._inputs["name"].setFocus(Qt.FocusReason.OtherFocusReason)

    def has_pending(self) -> bool:
        """Typed in the form but not yet added (or a selected contact changed, not updated)."""
        draft = self._draft()
        row = self._selected_row()
        if row is None:
            return any(self._inputs[field].text().strip() for field in _TEXT_FIELDS)
        return draft != replace(self._contacts[row], id=None)

    def commit_pending(self) -> bool:
        """Add or update what the form holds; False (with the problem shown) if it is wrong."""
        return self.apply() if self.has_pending() else True

    def apply(self) -> bool:
        """Add the form as a new contact, or update the selected one."""
        self._form.clear_errors()
        try:
            draft = validate_contact(self._draft())
        except ValidationError as error:
            self._form.show_error(error.field, error.message)
            self._inputs[error.field].setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        row = self._selected_row()
        if row is None:
            self._contacts.append(draft)
        else:
            self._contacts[row] = replace(draft, id=self._contacts[row].id)
        if draft.is_primary:  # one primary contact: the one just marked
            marked = self._contacts[row if row is not None else len(self._contacts) - 1]
            self._contacts = [
                replace(c, is_primary=False) if c is not marked and c.is_primary else c
                for c in self._contacts
            ]
        self._list_error.hide()
        self._model.set_rows(self._contacts)
        self.start_new()
        self.changed.emit()
        return True

    def start_new(self) -> None:
        self._table.clearSelection()
        self._load_form(None)
        self._update_buttons()

    def remove_selected(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        del self._contacts[row]
        self._model.set_rows(self._contacts)
        self.start_new()
        self.changed.emit()

    def select_row(self, row: int) -> None:
        self._table.selectRow(row)

    # -- internals -------------------------------------------------------------------------------

    def _draft(self) -> ContactDraft:
        texts = {field: self._inputs[field].text() for field in _TEXT_FIELDS}
        return ContactDraft(is_primary=self._primary.isChecked(), **texts)

    def _selected_row(self) -> int | None:
        rows = self._table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _load_form(self, contact: ContactDraft | None) -> None:
        self._form.clear_errors()
        for field in _TEXT_FIELDS:
            self._inputs[field].setText(getattr(contact, field) if contact else "")
        self._primary.setChecked(contact.is_primary if contact else not self._contacts)

    def _update_buttons(self) -> None:
        selected = self._selected_row() is not None
        self._apply.setText(tr("更新联系人") if selected else tr("添加联系人"))
        self._remove.setEnabled(selected)

    def _on_table_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        row = self._selected_row()
        self._load_form(self._contacts[row] if row is not None else None)
        self._update_buttons()
