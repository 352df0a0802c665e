"""A slim bar above a list: "已删除 X · 撤销", hiding itself after a while."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from app.i18n import tr

SHOWN_MS = 15_000


class UndoMessageBar(QFrame):
    """Shows one message with an undo button; ``undo_clicked`` carries the message's key."""

    undo_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoMessageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#undoMessageBar { background: #fff8e1; border: 1px solid #f0d58c;"
            " border-radius: 4px; }"
        )
        self._key = ""
        self._label = QLabel(self)
        self._undo = QPushButton(tr("撤销"), self)
        self._undo.clicked.connect(self._on_undo_clicked)
        self._close = QToolButton(self)
        self._close.setText("×")
        self._close.setAutoRaise(True)
        self._close.setToolTip(tr("关闭"))
        self._close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._undo)
        layout.addWidget(self._close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SHOWN_MS)
        self._timer.timeout.connect(self.hide)
        self.hide()

    @property
    def text(self) -> str:
        return self._label.text()

    def show_undo(self, message: str, key: str) -> None:
        """Show ``message`` with an undo button for the record ``key``."""
        self._key = key
        self._label.setText(message)
        self._undo.show()
        self.show()
        self._timer.start()

    def show_message(self, message: str) -> None:
        """Show ``message`` alone (e.g. "已恢复")."""
        self._key = ""
        self._label.setText(message)
        self._undo.hide()
        self.show()
        self._timer.start()

    def click_undo(self) -> None:
        self._undo.click()

    def _on_undo_clicked(self) -> None:
        key = self._key
        self.hide()
        if key:
            self.undo_clicked.emit(key)
