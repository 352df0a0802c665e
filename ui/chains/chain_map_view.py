"""The chain map (产业链图谱) of one chain: its links as tiles in three columns, 上游 | 中游 |
下游, each tile with its counts and, in the warning colour, its gap; a legend above."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.vocabulary import ChainPosition, LinkKind
from app.i18n import tr
from app.services.chain_views import ChainMap, ChainView
from ui.chains.link_card import GAP_COLOUR, GAP_FILL, LinkCard, kind_badge

COLUMN_MIN_WIDTH = 250
ARROW = "→"


class ChainMapView(QWidget):
    """``link_selected(id)`` when a tile is clicked (or "" when the selection goes),
    ``link_activated(id)`` when one is double-clicked."""

    link_selected = Signal(str)
    link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards: dict[str, LinkCard] = {}
        self._selected: str | None = None
        self.legend = self._build_legend()
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #5f6b7a; padding: 24px;")
        self.empty.setWordWrap(True)
        self._columns: dict[ChainPosition, QVBoxLayout] = {}
        self._column_titles: dict[ChainPosition, QLabel] = {}
        board = QWidget(self)
        board_layout = QHBoxLayout(board)
        board_layout.setContentsMargins(0, 0, 0, 0)
        board_layout.setSpacing(6)
        for number, position in enumerate(ChainPosition):
            if number:
                arrow = QLabel(ARROW, board)
                arrow.setStyleSheet("color: #8a94a3; font-size: 18px;")
                arrow.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
                arrow.setContentsMargins(0, 2, 0, 0)
                board_layout.addWidget(arrow)
            board_layout.addWidget(self._build_column(position, board), 1)
        self.board_scroll = QScrollArea(self)
        self.board_scroll.setWidgetResizable(True)
        self.board_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.board_scroll.setWidget(board)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.legend)
        layout.addWidget(self.empty)
        layout.addWidget(self.board_scroll, 1)
        self.empty.hide()

    # -- public ----------------------------------------------------------------------------------

    def cards(self) -> tuple[LinkCard, ...]:
        return tuple(self._cards.values())

    def card(self, link_id: str) -> LinkCard | None:
        return self._cards.get(link_id)

    def selected_link_id(self) -> str | None:
        return self._selected

    def show_chain(self, chain: ChainView | None, quiet_days: int) -> None:
        """Lay out the chain's links (keeping the selected one selected when it is still
        there)."""
        self._cards.clear()
        self._update_legend(quiet_days)
        links = chain.links if chain else ()
        for position, column in self._columns.items():
            mine = [link for link in links if link.position is position]
            gaps = sum(1 for link in mine if link.gaps)
            title = tr("{position}（{count}）", position=position.label, count=len(mine))
            if gaps:
                title = tr("{title} · {gaps} 个缺口", title=title, gaps=gaps)
            self._column_titles[position].setText(title)
            while column.count() > 1:  # the stretch at the end stays
                item = column.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.hide()
                    widget.deleteLater()
            for link in mine:
                card = LinkCard(link, quiet_days, column.parentWidget())
                card.clicked.connect(self._on_card_clicked)
                card.activated.connect(self.link_activated)
                column.insertWidget(column.count() - 1, card)
                self._cards[link.id] = card
            if not mine:
                none = QLabel(tr("（无环节）"), column.parentWidget())
                none.setStyleSheet("color: #8a94a3; padding: 8px;")
                column.insertWidget(0, none)
        self.empty.setVisible(chain is not None and not links)
        self.empty.setText(
            tr(
                "“{chain}”还没有环节。点“新建环节…”按上游、中游、下游列出要招引的环节。",
                chain=chain.name,
            )
            if chain is not None
            else ""
        )
        keep = self._selected if self._selected in self._cards else None
        self._selected = None
        self.select(keep)

    def select(self, link_id: str | None) -> None:
        if link_id == self._selected:
            return
        for card_id, card in self._cards.items():
            card.set_selected(card_id == link_id)
        self._selected = link_id if link_id in self._cards else None
        if self._selected is not None:
            self.board_scroll.ensureWidgetVisible(self._cards[self._selected])
        self.link_selected.emit(self._selected or "")

    # -- building --------------------------------------------------------------------------------

    def _build_column(self, position: ChainPosition, parent: QWidget) -> QWidget:
        column = QFrame(parent)
        column.setObjectName("chainColumn")
        column.setStyleSheet(
            "#chainColumn { background: #f3f5f8; border: 1px solid #dde2e9; border-radius: 6px; }"
        )
        column.setMinimumWidth(COLUMN_MIN_WIDTH)
        title = QLabel(position.label, column)
        title.setStyleSheet("font-weight: 700; color: #2a3340; padding: 2px 2px 4px 2px;")
        cards = QVBoxLayout()
        cards.setSpacing(5)
        cards.addStretch(1)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(2)
        layout.addWidget(title)
        layout.addLayout(cards, 1)
        self._columns[position] = cards
        self._column_titles[position] = title
        return column

    def _build_legend(self) -> QWidget:
        legend = QWidget(self)
        layout = QHBoxLayout(legend)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        caption = QLabel(tr("图例："), legend)
        caption.setStyleSheet("color: #5f6b7a;")
        layout.addWidget(caption)
        for kind in LinkKind:
            layout.addWidget(kind_badge(kind, legend))
        layout.addSpacing(12)
        swatch = QLabel(tr("缺口"), legend)
        swatch.setStyleSheet(
            f"background: {GAP_FILL}; color: {GAP_COLOUR}; border: 2px dashed {GAP_COLOUR};"
            " border-radius: 4px; padding: 0 6px; font-weight: 600;"
        )
        layout.addWidget(swatch)
        self._gap_rule = QLabel(legend)
        self._gap_rule.setStyleSheet("color: #5f6b7a;")
        layout.addWidget(self._gap_rule, 1)
        return legend

    def _update_legend(self, quiet_days: int) -> None:
        self._gap_rule.setText(tr("＝ 无目标企业，或近{days}天无拜访", days=quiet_days))
        self.legend.setToolTip(
            tr(
                "环节没有目标企业，或近 {days} 天没有拜访时标为缺口；天数在单位设置中修改",
                days=quiet_days,
            )
        )

    # -- handlers --------------------------------------------------------------------------------

    def _on_card_clicked(self, link_id: str) -> None:
        self.select(link_id)


def summary_text(chain_map: ChainMap, chain: ChainView | None) -> str:
    """The line above the map: the chain's links, gaps and totals."""
    if not chain_map.chains:
        return tr("还没有产业链。点“新建产业链…”，写下链长和要招引的环节。")
    if chain is None:
        return ""
    return tr(
        "{links} 个环节 · {gaps} 个缺口 · 目标企业 {targets} 家 · 拜访 {visits} 次"
        "（近{days}天 {recent} 次）· 项目 {projects} 个（签约及以后 {signed} 个）",
        links=len(chain.links),
        gaps=chain.gap_count,
        targets=chain.target_count,
        visits=chain.visit_count,
        days=chain_map.quiet_days,
        recent=chain.recent_visit_count,
        projects=chain.project_count,
        signed=chain.signed_project_count,
    )
