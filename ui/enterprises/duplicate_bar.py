"""An inline warning naming enterprises that look like the one being typed, with 打开 / 合并….

Shown above the editor's fields (and in the dossier); saving stays allowed after the warning.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QWidget

from app.i18n import tr
from app.services.enterprise_views import DuplicateCandidate

MAX_SHOWN = 3


def reason_text(candidate: DuplicateCandidate) -> str:
    if candidate.reason == "uscc":
        return tr("统一社会信用代码相同")
    return tr("名称相同（忽略全角半角、括号、空格和“有限责任公司/有限公司”）")


class DuplicateBar(QFrame):
    """Lists up to three candidates; ``open_requested`` / ``merge_requested`` carry an id."""

    open_requested = Signal(str)
    merge_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicateBar")
        self.setStyleSheet(
            "#duplicateBar { background: #fff4e5; border: 1px solid #f0c27b; border-radius: 4px; }"
        )
        self._candidates: tuple[DuplicateCandidate, ...] = ()
        self._can_merge = False
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(10, 6, 6, 6)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(2)
        self._title = QLabel(self)
        font = self._title.font()
        font.setBold(True)
        self._title.setFont(font)
        self._title.setStyleSheet("color: #8a5300;")
        self._grid.addWidget(self._title, 0, 0, 1, 4)
        self._rows: list[tuple[QLabel, QPushButton, QPushButton]] = []
        for number in range(MAX_SHOWN):
            text = QLabel(self)
            text.setWordWrap(True)
            open_button = QPushButton(tr("打开"), self)
            open_button.setToolTip(tr("打开已有的这家企业"))
            open_button.clicked.connect(lambda _=False, n=number: self._on_open_clicked(n))
            merge = QPushButton(tr("合并…"), self)
            merge.setToolTip(tr("把两份档案合并为一份，合并后可以撤销"))
            merge.clicked.connect(lambda _=False, n=number: self._on_merge_clicked(n))
            self._grid.addWidget(text, number + 1, 0)
            self._grid.addWidget(open_button, number + 1, 1)
            self._grid.addWidget(merge, number + 1, 2)
            self._rows.append((text, open_button, merge))
        self._grid.setColumnStretch(0, 1)
        self.hide()

    @property
    def candidates(self) -> tuple[DuplicateCandidate, ...]:
        return self._candidates

    @property
    def text(self) -> str:
        """Everything the bar says, for a reader (and a test) to check."""
        shown = [row[0].text() for row in self._rows if not row[0].isHidden()]
        return "\n".join([self._title.text(), *shown])

    def show_candidates(
        self, candidates: tuple[DuplicateCandidate, ...], *, can_merge: bool
    ) -> None:
        self._candidates = candidates[:MAX_SHOWN]
        self._can_merge = can_merge
        if not candidates:
            self.hide()
            return
        self._title.setText(
            tr("可能已有这家企业（{count} 家相似），请先核对：", count=len(candidates))
        )
        for number, (text, open_button, merge) in enumerate(self._rows):
            shown = number < len(self._candidates)
            for widget in (text, open_button):
                widget.setVisible(shown)
            merge.setVisible(shown and can_merge)
            if shown:
                candidate = self._candidates[number]
                text.setText(
                    tr(
                        "“{name}”{uscc} — {reason}",
                        name=candidate.name,
                        uscc=f"（{candidate.uscc}）" if candidate.uscc else "",
                        reason=reason_text(candidate),
                    )
                )
        self.show()

    def click_open(self, number: int = 0) -> None:
        self._rows[number][1].click()

    def click_merge(self, number: int = 0) -> None:
        self._rows[number][2].click()

    def _on_open_clicked(self, number: int) -> None:
        if number < len(self._candidates):
            self.open_requested.emit(self._candidates[number].id)

    def _on_merge_clicked(self, number: int) -> None:
        if number < len(self._candidates):
            self.merge_requested.emit(self._candidates[number].id)
