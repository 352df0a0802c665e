"""How a search result looks: the kind's heading, or a hit on one or two lines.

A hit shows its title with the query's words in bold and, right-aligned and muted, what
tells it apart (a contact's job and enterprise, a visit's day); below, when there is one, the
stretch of text where the query matched, after the name of its field.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.domain import contact, enterprise, negotiation, visit
from app.i18n import mark, tr
from app.search.results import SearchHit, SearchKind, Span
from ui.formatting import format_date
from ui.search.search_results_model import KIND_LABELS, ROW_ROLE, ResultRow

AnyIndex = QModelIndex | QPersistentModelIndex
PADDING = 12
GAP = 24
TITLE_SHARE = 0.55
"""A title keeps at least this share of the row (or all it needs) beside its details."""
SEPARATOR = " · "

_EXTRA_LABELS = {
    "name_initials": mark("拼音首字母"),
    "content": mark("建设内容"),
    "site": mark("项目选址"),
}


def field_label(kind: SearchKind, field: str) -> str:
    """The translated name of the field a snippet comes from."""
    if field in _EXTRA_LABELS:
        return tr(_EXTRA_LABELS[field])
    labels = {
        SearchKind.ENTERPRISE: enterprise.FIELD_LABELS,
        SearchKind.CONTACT: contact.CONTACT_LABELS,
        SearchKind.VISIT: visit.FIELD_LABELS,
        SearchKind.NOTE: negotiation.FIELD_LABELS,
    }.get(kind, {})
    return tr(labels.get(field, field))


def meta_text(hit: SearchHit) -> str:
    """What tells a hit apart from others of its kind, shown beside its title."""
    day = format_date(hit.on)
    parts = {
        SearchKind.ENTERPRISE: (hit.detail,),
        SearchKind.CONTACT: (hit.detail, hit.enterprise_name),
        SearchKind.VISIT: (day,),
        SearchKind.NOTE: (hit.detail, day),
        SearchKind.PROJECT: (hit.detail, hit.enterprise_name),
    }[hit.kind]
    return SEPARATOR.join(part for part in parts if part)


def second_line(hit: SearchHit) -> tuple[str, str, tuple[Span, ...]]:
    """``(label, text, marks)`` of the line under the title (all empty: one line only)."""
    if hit.snippet:
        return field_label(hit.kind, hit.snippet_field), hit.snippet, hit.snippet_marks
    if hit.kind is SearchKind.VISIT and hit.detail:
        return field_label(hit.kind, "place"), hit.detail, ()
    return "", "", ()


class SearchResultDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        row: ResultRow | None = index.data(ROW_ROLE)
        metrics = QFontMetrics(option.font)
        if row is None or row.hit is None:
            return QSize(200, metrics.height() + 14)
        lines = 2 if second_line(row.hit)[1] else 1
        return QSize(200, lines * metrics.lineSpacing() + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        row: ResultRow | None = index.data(ROW_ROLE)
        if row is None:
            return
        painter.save()
        try:
            if row.hit is None:
                self._paint_heading(painter, option, row)
            else:
                self._paint_hit(painter, option, index, row.hit)
        finally:
            painter.restore()

    def _paint_heading(
        self, painter: QPainter, option: QStyleOptionViewItem, row: ResultRow
    ) -> None:
        rect: QRect = option.rect.adjusted(PADDING, 6, -PADDING, 0)
        palette: QPalette = option.palette
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(_muted(palette, selected=False))
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(rect, align, tr(KIND_LABELS[row.kind]))
        if row.has_more:
            painter.setFont(option.font)
            more = tr("前 {count} 条", count=row.shown)
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(rect, right, more)

    def _paint_hit(
        self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex, hit: SearchHit
    ) -> None:
        style_option = QStyleOptionViewItem(option)
        self.initStyleOption(style_option, index)
        style_option.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, style_option, painter, widget
            )
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        text_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = _muted(palette, selected)
        font = QFont(option.font)
        metrics = QFontMetrics(font)
        area: QRect = option.rect.adjusted(PADDING + 8, 7, -PADDING, -7)
        line = QRect(area.left(), area.top(), area.width(), metrics.lineSpacing())

        meta = meta_text(hit)
        bold = QFont(font)
        bold.setBold(True)
        title_needed = QFontMetrics(bold).horizontalAdvance(hit.title)
        title_floor = min(title_needed, int(area.width() * TITLE_SHARE))
        meta_width = 0
        if meta:
            meta_width = min(metrics.horizontalAdvance(meta) + 2, area.width() - title_floor - GAP)
            painter.setFont(font)
            painter.setPen(muted)
            elided = metrics.elidedText(meta, Qt.TextElideMode.ElideRight, meta_width)
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(line, right, elided)
        title_width = area.width() - (meta_width + GAP if meta else 0)
        draw_marked(painter, line, title_width, hit.title, hit.title_marks, font, text_color)

        label, text, marks = second_line(hit)
        if text:
            below = line.translated(0, metrics.lineSpacing())
            prefix = tr("{label}：", label=label) if label else ""
            painter.setFont(font)
            painter.setPen(muted)
            painter.drawText(
                below, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, prefix
            )
            shift = metrics.horizontalAdvance(prefix)
            rest = below.adjusted(shift, 0, 0, 0)
            draw_marked(painter, rest, rest.width(), text, marks, font, muted, strong=text_color)


def _muted(palette: QPalette, selected: bool) -> QColor:
    if selected:
        color = QColor(palette.color(QPalette.ColorRole.HighlightedText))
        color.setAlphaF(0.8)
        return color
    return palette.color(QPalette.ColorRole.PlaceholderText)


def draw_marked(
    painter: QPainter,
    rect: QRect,
    width: int,
    text: str,
    marks: Sequence[Span],
    font: QFont,
    color: QColor,
    *,
    strong: QColor | None = None,
) -> None:
    """Draw ``text`` on one line from the left of ``rect``, its ``marks`` in bold (and in
    ``strong`` colour when given), elided at ``width``."""
    bold = QFont(font)
    bold.setBold(True)
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in marks:
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    x = rect.left()
    limit = rect.left() + width
    align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    for piece, marked in pieces:
        piece_font = bold if marked else font
        metrics = QFontMetrics(piece_font)
        painter.setFont(piece_font)
        painter.setPen(strong if marked and strong is not None else color)
        advance = metrics.horizontalAdvance(piece)
        if x + advance > limit:
            piece = metrics.elidedText(piece, Qt.TextElideMode.ElideRight, max(0, limit - x))
            painter.drawText(QRect(x, rect.top(), max(0, limit - x), rect.height()), align, piece)
            return
        painter.drawText(QRect(x, rect.top(), advance, rect.height()), align, piece)
        x += advance
