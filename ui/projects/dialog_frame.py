"""What every project dialog shares: a form, a red line naming the problem, 取消 / 保存, Ctrl+S
and Esc, and saving on the task runner with the dialog kept open when a save is refused."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError, ValidationError
from app.i18n import tr
from ui.task_runner import CancelToken, TaskRunner


class FormDialog(QDialog):
    """A dialog around a ``QFormLayout``; subclasses add rows and call ``submit``."""

    def __init__(
        self, runner: TaskRunner, title: str, parent: QWidget | None = None, *, save: str = ""
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._saving = False
        self._field_widgets: dict[str, QWidget] = {}
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setVerticalSpacing(8)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.cancel_button = QPushButton(tr("取消"), self)
        self.cancel_button.setToolTip(tr("取消（Esc）"))
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton(save or tr("保存"), self)
        self.save_button.setToolTip(tr("保存（Ctrl+S）"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.setAutoDefault(False)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.cancel_button)
        self.buttons.addWidget(self.save_button)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)
        self.body.addWidget(self.error_label)
        self.body.addLayout(self.buttons)

    def name_field(self, field: str, widget: QWidget) -> None:
        """The widget a ``ValidationError`` about ``field`` points at."""
        self._field_widgets[field] = widget

    @abstractmethod
    def save(self) -> None:
        """Check the form and submit its database work (each dialog its own)."""

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def submit(self, work: Callable[[CancelToken], Any], done: Callable[[Any], None]) -> None:
        """Run ``work`` on the task runner; ``done`` with its result, or the problem shown."""
        if self._saving:
            return
        self._saving = True
        self.save_button.setEnabled(False)

        def on_success(result: Any) -> None:
            self._saving = False
            self.save_button.setEnabled(True)
            done(result)

        self._runner.submit(work, on_success, self.on_failed, owner=self)

    def on_failed(self, error: AppError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.show_error(error.message)
        if isinstance(error, ValidationError):
            widget = self._field_widgets.get(error.field)
            if widget is not None:
                widget.setFocus()
