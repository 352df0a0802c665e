"""The editor's question before dropping changes, asked in a bar rather than a modal box."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.i18n import tr


class DiscardBar(QFrame):
    """ "有未保存的修改" with 继续编辑 (hides the bar) and 放弃修改 (``discard_clicked``)."""

    discard_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("discardBar")
        self.setStyleSheet(
            "#discardBar { background: #fff8e1; border: 1px solid #f0d58c; border-radius: 4px; }"
        )
        text = QLabel(tr("有未保存的修改。再按 Esc 放弃修改，按 Ctrl+S 保存。"), self)
        discard = QPushButton(tr("放弃修改"), self)
        discard.clicked.connect(self.discard_clicked)
        keep = QPushButton(tr("继续编辑"), self)
        keep.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 4, 4)
        row.addWidget(text, 1)
        row.addWidget(keep)
        row.addWidget(discard)
        self.hide()
