"""What the commitment and problem dialogs share: a form whose fields carry their own error line,
保存 / 取消, Ctrl+S and Esc, the save run on the task runner, the dialog kept open on a problem."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import tr
from app.services.follow_up_ledgers import FormChoices
from ui.ledger.form_fields import ERROR_STYLE, FieldErrors
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.form_keys import claims_form_key, is_escape_key, is_save_key

Loaded = TypeVar("Loaded")


class LedgerFormDialog(QDialog):
    """Subclasses add rows with ``add_row`` and give the save work in ``save_work``."""

    saved = Signal(str)
    """The record's id, once it is in the database."""
    form_loaded = Signal()

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._saving = False
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.errors = FieldErrors(self.error_label)
        self.cancel_button = QPushButton(tr("取消"), self)
        self.cancel_button.setToolTip(tr("取消（Esc）"))
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton(tr("保存"), self)
        self.save_button.setToolTip(tr("保存（Ctrl+S）"))
        self.save_button.clicked.connect(self.save)
        for button in (self.cancel_button, self.save_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

    def add_row(self, label: str, field: str, widget: QWidget) -> None:
        """A labelled row whose errors (``ValidationError.field == field``) show beneath it."""
        self.form.addRow(label, self.errors.wrap(field, widget, self))

    def save(self) -> None:
        if self._saving or not self.isEnabled():
            return
        try:
            work = self.save_work()
        except AppError as error:  # a check made in the form itself
            self.errors.show(error)
            return
        self._saving = True
        self.errors.clear()
        self._runner.submit(lambda _token: work(), self._on_saved, self.on_failed, owner=self)

    @abstractmethod
    def save_work(self) -> Callable[[], str]:
        """The database work of saving (run on the task runner); returns the record's id."""

    def on_failed(self, error: AppError) -> None:
        self._saving = False
        self.setEnabled(True)
        self.errors.show(error)

    def load(self, work: Callable[[CancelToken], Loaded], done: Callable[[Loaded], None]) -> None:
        """Read what the form shows; the form is disabled until it arrives."""
        self.setEnabled(False)

        def on_loaded(result: Loaded) -> None:
            done(result)
            self.setEnabled(True)
            self.form_loaded.emit()

        self._runner.submit(work, on_loaded, self.on_failed, owner=self)

    def event(self, event: QEvent) -> bool:
        if claims_form_key(event):
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_save_key(event):
            self.save()
            return
        if is_escape_key(event):
            self.reject()
            return
        super().keyPressEvent(event)

    def _on_saved(self, record_id: str) -> None:
        self._saving = False
        self.saved.emit(record_id)
        self.accept()


def fill_members(combo: QComboBox, choices: FormChoices, selected: str | None) -> None:
    """The squad's members, ``selected`` (else me) chosen."""
    combo.clear()
    for member in choices.members:
        combo.addItem(member.name, member.id)
    wanted = selected or choices.current_member_id
    combo.setCurrentIndex(max(combo.findData(wanted), 0) if wanted else 0)
