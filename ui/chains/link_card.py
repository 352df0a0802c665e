"""One link of the chain map as a tile: its name and kind badge (建链/补链/强链/延链), its
targets, visits and projects, and — in the warning colour — why it is a gap."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.domain.vocabulary import LinkKind
from app.i18n import tr
from app.services.chain_views import LinkView
from ui.formatting import format_date

KIND_COLOURS = {
    LinkKind.BUILD: "#6a3fb5",
    LinkKind.FILL: "#c25e00",
    LinkKind.STRENGTHEN: "#1e6fd9",
    LinkKind.EXTEND: "#1b8a5a",
}
"""Badge colour of each kind (white text on it)."""
GAP_COLOUR = "#b3261e"
GAP_FILL = "#fdecea"
CARD_FILL = "#ffffff"
SELECTED_BORDER = "#1e6fd9"


def kind_badge(kind: LinkKind, parent: QWidget | None = None) -> QLabel:
    badge = QLabel(kind.label, parent)
    badge.setStyleSheet(
        f"background: {KIND_COLOURS[kind]}; color: white; border-radius: 3px;"
        " padding: 1px 6px; font-weight: 600;"
    )
    badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return badge


def gap_text(link: LinkView, quiet_days: int) -> str:
    """“缺口：无目标企业；近90天无拜访” — empty when the link is covered."""
    if not link.gaps:
        return ""
    reasons = tr("；").join(gap.label(quiet_days) for gap in link.gaps)
    return tr("缺口：{reasons}", reasons=reasons)


class LinkCard(QFrame):
    """``clicked(link_id)`` on a press, ``activated(link_id)`` on a double-click."""

    clicked = Signal(str)
    activated = Signal(str)

    def __init__(self, link: LinkView, quiet_days: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self.setObjectName("linkCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.name = QLabel(link.name, self)
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.name.setWordWrap(True)
        self.badge = kind_badge(link.kind, self)
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.name, 1)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        self.counts = QLabel(
            tr(
                "目标 {targets} · 拜访 {visits}（近{days}天 {recent}）· 项目 {projects}"
                "（签约及以后 {signed}）",
                targets=link.target_count,
                visits=link.visit_count,
                days=quiet_days,
                recent=link.recent_visit_count,
                projects=link.project_count,
                signed=link.signed_project_count,
            ),
            self,
        )
        self.counts.setWordWrap(True)
        self.counts.setStyleSheet("color: #3c4654;")
        self.gap = QLabel(gap_text(link, quiet_days), self)
        self.gap.setStyleSheet(f"color: {GAP_COLOUR}; font-weight: 600;")
        self.gap.setVisible(bool(link.gaps))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 5, 9, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(self.gap)
        self.setToolTip(self._tooltip(quiet_days))
        self.set_selected(False)

    @property
    def is_gap(self) -> bool:
        return bool(self.link.gaps)

    def set_selected(self, selected: bool) -> None:
        fill = GAP_FILL if self.is_gap else CARD_FILL
        border = SELECTED_BORDER if selected else (GAP_COLOUR if self.is_gap else "#c9d1dc")
        width = 2 if selected or self.is_gap else 1
        style = "dashed" if self.is_gap and not selected else "solid"
        self.setStyleSheet(
            f"#linkCard {{ background: {fill}; border: {width}px {style} {border};"
            " border-radius: 6px; }"
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.link.id)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit(self.link.id)
        super().mouseDoubleClickEvent(event)

    def _tooltip(self, quiet_days: int) -> str:
        link = self.link
        lines = [
            tr(
                "{name}（{position} · {kind}）",
                name=link.name,
                position=link.position.label,
                kind=link.kind.label,
            )
        ]
        if link.description:
            lines.append(link.description)
        lines.append(
            tr("最近拜访：{day}", day=format_date(link.last_visit_on))
            if link.last_visit_on
            else tr("还没有拜访记录")
        )
        if link.gaps:
            lines.append(gap_text(link, quiet_days))
        return "\n".join(lines)
