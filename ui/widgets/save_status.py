"""The save corner of the status bar: 正在保存… / 已保存 10:32 / 保存失败：….

Editors and pages emit ``save_state_changed(state, message)``; the main window connects them to
``SaveStatusLabel.show_state``. It stays calm while someone types: "正在保存…" appears only
when a save takes longer than ``saving_delay_ms`` (autosave every two seconds would otherwise
flicker), "已保存 10:32" settles to a quieter "已保存" after ``settle_ms`` (the exact time stays
in the tooltip), and a failure stays, in red, until a later save succeeds.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QLabel, QWidget

from app.i18n import tr
from ui.formatting import format_date

SAVING = "saving"
SAVED = "saved"
FAILED = "failed"

SAVING_DELAY_MS = 400
SETTLE_MS = 60_000
MAX_WIDTH = 360
MUTED = "#5f6b7a"
SETTLED = "#8a94a0"
ERROR = "#b3261e"


class SaveStatusLabel(QLabel):
    """Says whether what was typed is safely on disk."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        saving_delay_ms: int = SAVING_DELAY_MS,
        settle_ms: int = SETTLE_MS,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self._now = now or (lambda: dt.datetime.now().astimezone())
        self._state = ""
        self._plain = ""
        self._saved_at: dt.datetime | None = None
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setContentsMargins(6, 0, 8, 0)
        self._saving_timer = QTimer(self)
        self._saving_timer.setSingleShot(True)
        self._saving_timer.setInterval(saving_delay_ms)
        self._saving_timer.timeout.connect(self._on_saving_timer_timeout)
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(settle_ms)
        self._settle_timer.timeout.connect(self._on_settle_timer_timeout)

    @property
    def state(self) -> str:
        """The last state shown or pending: "", "saving", "saved" or "failed"."""
        return self._state

    @property
    def plain_text(self) -> str:
        """What the label says, without markup."""
        return self._plain

    @Slot(str, str)
    def show_state(self, state: str, message: str = "") -> None:
        """Connected to every ``save_state_changed(state, message)``."""
        self._state = state
        if state == SAVING:
            self._settle_timer.stop()
            if not self._saving_timer.isActive():
                self._saving_timer.start()  # a quick save never shows "正在保存…"
        elif state == SAVED:
            self._saving_timer.stop()
            self._saved_at = self._now()
            time = self._saved_at.strftime("%H:%M")
            self._set(tr("已保存 {time}", time=time), MUTED, self._saved_tooltip())
            self._settle_timer.start()
        elif state == FAILED:
            self._saving_timer.stop()
            self._settle_timer.stop()
            reason = message or tr("未知原因")
            text = tr("保存失败：{message}", message=reason)
            self._set(text, ERROR, text)

    # -- handlers --------------------------------------------------------------------------------

    def _on_saving_timer_timeout(self) -> None:
        if self._state == SAVING:
            self._show_saving()

    def _on_settle_timer_timeout(self) -> None:
        if self._state == SAVED:
            self._set(tr("已保存"), SETTLED, self._saved_tooltip())

    # -- showing ---------------------------------------------------------------------------------

    def _show_saving(self) -> None:
        self._set(tr("正在保存…"), MUTED, tr("正在把输入的内容写入本机数据库"))

    def _saved_tooltip(self) -> str:
        if self._saved_at is None:
            return ""
        moment = self._saved_at
        return tr(
            "上次保存：{date} {time}",
            date=format_date(moment.date()),
            time=moment.strftime("%H:%M:%S"),
        )

    def _set(self, text: str, colour: str, tooltip: str) -> None:
        shown = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, MAX_WIDTH)
        self._plain = shown
        self.setText(f'<span style="color: {colour};">{html.escape(shown)}</span>')
        self.setToolTip(tooltip)
