"""The dashboard's cards: a rate with its parts and formula, and a milestone count with its
amount. Clicking a card asks for the projects behind it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from app.domain.money import Money
from app.i18n import tr
from app.services.kpi_views import EMPTY_RATE, KpiFigure, MilestoneCount

_CARD = (
    "#dashboardCard {{ background: {background}; border: 1px solid {border}; border-radius: 6px; }}"
)
_MUTED = "color: #5f6b7a;"


def format_amount(amount: Money | None) -> str:
    """万元 below one 亿, 亿元 from there (exact, trailing zeros dropped)."""
    return "" if amount is None else amount.format()


class _Card(QFrame):
    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.set_selected(False)

    def set_selected(self, selected: bool) -> None:
        colours = ("#eaf1fb", "#4a7bc0") if selected else ("#f6f8fb", "#dde2e8")
        self.setStyleSheet(_CARD.format(background=colours[0], border=colours[1]))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class KpiCard(_Card):
    """履约率 66.7% · 4 / 6 个项目 · the formula (also as the tooltip)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(name, self)
        self.caption.setStyleSheet("font-weight: 600;")
        self.value = QLabel(EMPTY_RATE, self)
        self.value.setStyleSheet("font-size: 26px; font-weight: 600; color: #2b4a6f;")
        self.parts = QLabel("", self)
        self.parts.setStyleSheet(_MUTED)
        self.formula = QLabel("", self)
        self.formula.setWordWrap(True)
        self.formula.setStyleSheet("color: #4a5563; font-size: 11px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.parts)
        layout.addWidget(self.formula, 1, Qt.AlignmentFlag.AlignTop)

    def show_figure(self, figure: KpiFigure) -> None:
        self.value.setText(figure.percent)
        if figure.is_amount:
            parts = tr(
                "到资 {funded} / 合同 {contract}（{n} 个项目）",
                funded=format_amount(figure.numerator_amount),
                contract=format_amount(figure.denominator_amount),
                n=figure.denominator,
            )
        else:
            parts = tr(
                "{numerator} / {denominator} 个项目",
                numerator=figure.numerator,
                denominator=figure.denominator,
            )
        if figure.rate is None:
            parts = tr("{parts}：分母为 0，无法计算", parts=parts)
        self.parts.setText(parts)
        self.formula.setText(tr("口径：{formula}", formula=figure.formula))
        self.setToolTip(tr("{formula}\n点击查看计入的项目。", formula=figure.formula))


class MilestoneTile(_Card):
    """新签约 3 个 · 合同投资额 2.9亿元."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        caption = QLabel(name, self)
        caption.setStyleSheet(_MUTED)
        self.value = QLabel("–", self)
        self.value.setStyleSheet("font-size: 20px; font-weight: 600; color: #2b4a6f;")
        self.amount = QLabel("", self)
        self.amount.setStyleSheet(_MUTED)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 6, 14, 6)
        layout.setSpacing(2)
        layout.addWidget(caption)
        layout.addWidget(self.value)
        layout.addWidget(self.amount)

    def show_count(self, count: MilestoneCount) -> None:
        self.value.setText(tr("{n} 个", n=count.count))
        self.amount.setText(tr("合同投资额 {amount}", amount=format_amount(count.amount)))
        self.setToolTip(tr("{definition}\n点击查看这些项目。", definition=count.definition))
