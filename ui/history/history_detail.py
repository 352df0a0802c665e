"""The detail pane: every field of one history entry, old beside new, long text compared."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QWidget

from app.i18n import tr
from app.services.history import FieldChange, HistoryItem, HistoryOp
from ui.history.history_model import empty_value
from ui.history.text_diff import compare
from ui.sync.sync_times import short_time

MUTED = "#5f6b7a"
HEADING = "#2b4a6f"
HEADER_BACKGROUND = "#eef1f5"
ROW_BACKGROUND = "#f8f9fb"


class HistoryDetailView(QTextBrowser):
    """Read-only, selectable, scrolls; ``show_item(None)`` shows ``placeholder``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setReadOnly(True)
        self.document().setDocumentMargin(12)
        self._placeholder = ""
        self._item: HistoryItem | None = None

    @property
    def item(self) -> HistoryItem | None:
        return self._item

    def set_placeholder(self, text: str) -> None:
        """What the pane says while nothing is selected."""
        self._placeholder = text
        if self._item is None:
            self.show_item(None)

    def show_item(self, item: HistoryItem | None) -> None:
        self._item = item
        if item is None:
            self.setHtml(f'<p style="color: {MUTED};">{html.escape(self._placeholder)}</p>')
            return
        self.setHtml(item_html(item))


def item_html(item: HistoryItem) -> str:
    parts = [
        f'<p style="font-size: large; font-weight: bold; color: {HEADING}; margin-bottom: 2px;">'
        f"{html.escape(tr('{what} · {when}', what=item.what, when=short_time(item.changed_at)))}"
        "</p>",
        f'<p style="color: {MUTED}; margin-top: 0px;">{html.escape(_byline(item))}</p>',
    ]
    if item.child:
        parts.append(f"<p>{html.escape(item.subject)}</p>")
    if item.op in (HistoryOp.DELETED, HistoryOp.RESTORED) and not item.changes:
        text = tr("删除了这条记录") if item.op is HistoryOp.DELETED else tr("恢复了这条记录")
        if not item.child:
            parts.append(f"<p>{html.escape(text)}</p>")
        return "".join(parts)
    if not item.changes:
        return "".join(parts)
    created = item.op is HistoryOp.CREATED
    parts.append(_table(item.changes, created=created))
    return "".join(parts)


def _byline(item: HistoryItem) -> str:
    if item.saves > 1:
        return tr(
            "{who} · {start} 起连续保存 {count} 次",
            who=item.who,
            start=short_time(item.first_changed_at),
            count=item.saves,
        )
    return item.who


def _table(changes: tuple[FieldChange, ...], *, created: bool) -> str:
    if created:
        header = [_th(tr("字段"), 18), _th(tr("内容"), 82)]
    else:
        header = [_th(tr("字段"), 18), _th(tr("修改前"), 41), _th(tr("修改后"), 41)]
    rows = [f'<tr style="background-color: {HEADER_BACKGROUND};">{"".join(header)}</tr>']
    for number, change in enumerate(changes):
        background = f' style="background-color: {ROW_BACKGROUND};"' if number % 2 else ""
        rows.append(f"<tr{background}>{_cells(change, created=created)}</tr>")
    return (
        '<table width="100%" cellspacing="0" cellpadding="6" border="0">'
        + "".join(rows)
        + "</table>"
    )


def _cells(change: FieldChange, *, created: bool) -> str:
    label = html.escape(change.label)
    if created:
        return _td(label, muted=True) + _td(_value(change.new))
    if change.long_text and change.old and change.new:
        marked = compare(change.old, change.new)
        note = tr("删去 {removed} 字，新增 {added} 字", removed=marked.removed, added=marked.added)
        label += f'<br/><span style="color: {MUTED}; font-size: small;">{html.escape(note)}</span>'
        return _td(label, muted=True) + _td(marked.old_html) + _td(marked.new_html)
    return _td(label, muted=True) + _td(_value(change.old)) + _td(_value(change.new))


def _value(text: str) -> str:
    if not text:
        return f'<span style="color: {MUTED};">{html.escape(empty_value())}</span>'
    return html.escape(text).replace("\n", "<br/>")


def _th(text: str, percent: int) -> str:
    return (
        f'<th align="left" width="{percent}%" style="color: {MUTED}; font-weight: bold;">'
        f"{html.escape(text)}</th>"
    )


def _td(content: str, *, muted: bool = False) -> str:
    style = f' style="color: {MUTED};"' if muted else ""
    return f'<td valign="top"{style}>{content}</td>'
