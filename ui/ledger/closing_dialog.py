"""The small dialogs that close or withdraw an entry: 标记兑现 (the day), 撤回 (the reason),
办结 (what was done, and the day).

The dialog only asks; its owner runs the change and calls ``finish`` or ``show_error`` (the
dialog stays open, the problem named under its field, until the change is in).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import tr
from ui.formatting import qdate
from ui.ledger.form_fields import ERROR_STYLE, FieldErrors
from ui.negotiations.typed_date_edit import TypedDateEdit
from ui.widgets.form_keys import claims_form_key, is_escape_key, is_save_key


@dataclass(frozen=True)
class Ask:
    """What the dialog asks: a text (its label and ``ValidationError`` field), a day, or both."""

    title: str
    caption: str
    confirm: str
    text_label: str = ""
    text_field: str = ""
    text_placeholder: str = ""
    date_label: str = ""
    date_field: str = ""


class ClosingDialog(QDialog):
    """``submitted(text, day)`` when the user confirms (day None when none was asked)."""

    submitted = Signal(str, object)

    def __init__(
        self,
        ask: Ask,
        today: dt.date,
        parent: QWidget | None = None,
        *,
        earliest: dt.date | None = None,
        text: str = "",
    ) -> None:
        super().__init__(parent)
        self._ask = ask
        self._busy = False
        self.setWindowTitle(ask.title)
        self.resize(460, 260 if ask.text_label else 150)
        caption = QLabel(ask.caption, self)
        caption.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.errors = FieldErrors(self.error_label)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlaceholderText(ask.text_placeholder)
        self.text_edit.setPlainText(text)
        self.date_edit = TypedDateEdit(self)
        self.date_edit.setDate(qdate(today))
        self.date_edit.setMaximumDate(qdate(today))
        self.date_edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        if earliest is not None and earliest <= today:
            self.date_edit.setMinimumDate(qdate(earliest))
        form = QFormLayout()
        if ask.text_label:
            form.addRow(ask.text_label, self.errors.wrap(ask.text_field, self.text_edit, self))
        else:
            self.text_edit.hide()
        if ask.date_label:
            form.addRow(ask.date_label, self.errors.wrap(ask.date_field, self.date_edit, self))
        else:
            self.date_edit.hide()
        self.cancel_button = QPushButton(tr("取消"), self)
        self.cancel_button.clicked.connect(self.reject)
        self.confirm_button = QPushButton(ask.confirm, self)
        self.confirm_button.setToolTip(tr("{action}（Ctrl+S）", action=ask.confirm))
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button.setAutoDefault(False)
        self.confirm_button.setDefault(True)  # Enter in the date confirms
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addLayout(form, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        (self.text_edit if ask.text_label else self.date_edit).setFocus()

    def confirm(self) -> None:
        if self._busy:
            return
        self._busy = True
        self.errors.clear()
        day = self.date_edit.date().toPython() if self._ask.date_label else None
        assert day is None or isinstance(day, dt.date)
        self.submitted.emit(self.text_edit.toPlainText(), day)

    def finish(self) -> None:
        """The change is in: close."""
        self._busy = False
        self.accept()

    def show_error(self, error: AppError) -> None:
        self._busy = False
        self.errors.show(error)

    def event(self, event: QEvent) -> bool:
        if claims_form_key(event):
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_save_key(event):
            self.confirm()
            return
        if is_escape_key(event):
            self.reject()
            return
        super().keyPressEvent(event)
