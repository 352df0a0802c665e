"""The bar that offers back visit drafts left by a crash: 恢复 opens one, 丢弃 asks twice."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.i18n import tr
from app.services.visit_drafts import VisitDraft


class DraftBar(QFrame):
    """Shows the newest draft; ``recover_clicked`` / ``discard_confirmed`` carry it."""

    recover_clicked = Signal(object)  # VisitDraft
    discard_confirmed = Signal(object)  # VisitDraft

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftBar")
        self.setStyleSheet(
            "#draftBar { background: #e8f1fb; border: 1px solid #b7cfe9; border-radius: 4px; }"
        )
        self._drafts: tuple[VisitDraft, ...] = ()
        self._label = QLabel(self)
        self._label.setWordWrap(True)
        self._recover = QPushButton(tr("恢复"), self)
        self._recover.clicked.connect(self._on_recover_clicked)
        self._discard = QPushButton(tr("丢弃"), self)
        self._discard.clicked.connect(self._on_discard_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._recover)
        layout.addWidget(self._discard)
        self.hide()

    @property
    def text(self) -> str:
        return self._label.text()

    @property
    def drafts(self) -> tuple[VisitDraft, ...]:
        return self._drafts

    def show_drafts(self, drafts: Sequence[VisitDraft], open_ids: set[str]) -> None:
        """Offer the drafts no open form is working on (newest first)."""
        self._drafts = tuple(d for d in drafts if d.draft_id not in open_ids)
        self._discard.setText(tr("丢弃"))
        if not self._drafts:
            self.hide()
            return
        newest = self._drafts[0]
        name = newest.enterprise_name or tr("未选企业")
        when = newest.saved_at.astimezone().strftime("%m-%d %H:%M")
        if len(self._drafts) == 1:
            text = tr("有一份未存完的拜访记录草稿（{name}，{time}）。", name=name, time=when)
        else:
            text = tr(
                "有 {count} 份未存完的拜访记录草稿，最新一份：{name}（{time}）。",
                count=len(self._drafts),
                name=name,
                time=when,
            )
        self._label.setText(text)
        self.show()

    def click_recover(self) -> None:
        self._recover.click()

    def _on_recover_clicked(self) -> None:
        if self._drafts:
            self.recover_clicked.emit(self._drafts[0])

    def _on_discard_clicked(self) -> None:
        if not self._drafts:
            return
        if self._discard.text() == tr("丢弃"):
            self._discard.setText(tr("确定丢弃？"))
            return
        self._discard.setText(tr("丢弃"))
        self.discard_confirmed.emit(self._drafts[0])
