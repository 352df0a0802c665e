"""The sync corner of the status bar: state, pending count, conflict and rejected badges.

States, one line each: "◐ 同步中… 上传修改 12/40" while running; "已同步 · 3 分钟前" (exact time
in the tooltip); a red "同步失败：…" (whole message in the tooltip); "离线，稍后自动重试";
"仅离线工作"; "未连接服务器" (a link to 账户与同步).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from app.i18n import tr
from ui.sync.controller import SyncController
from ui.sync.sync_times import exact_time, relative_time

if TYPE_CHECKING:
    from app.services.sync_status import SyncStatus

SPINNER = "◐◓◑◒"
SPINNER_MS = 200
CLOCK_MS = 30_000
STATE_MAX_WIDTH = 380
MUTED = "#5f6b7a"
ERROR = "#b3261e"
WAITING = "#8a5a00"
ACCOUNT_PROBLEMS = frozenset({"auth", "password_needed", "not_configured", "other_server"})
_BADGE = (
    "QToolButton {{ background: {background}; color: white; border: none; border-radius: 8px;"
    " padding: 1px 8px; margin: 1px 2px; }} QToolButton:hover {{ background: {hover}; }}"
)
_LINK = '<a href="account" style="color: {colour}; text-decoration: none;">{text}</a>'


class SyncStatusWidget(QWidget):
    """Follows ``controller``; badges ask for their pages by signal."""

    conflicts_clicked = Signal()
    rejected_clicked = Signal()
    account_clicked = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._status: SyncStatus | None = controller.status
        self._progress = ""
        self._frame = 0
        self._state_plain = ""
        self.state_label = QLabel(self)
        self.state_label.setTextFormat(Qt.TextFormat.RichText)
        self.state_label.linkActivated.connect(self._on_state_label_link_activated)
        self.pending_label = QLabel(self)
        self.pending_label.setStyleSheet(f"color: {MUTED};")
        self.conflicts_button = self._badge("#b3261e", "#8c1d18")
        self.conflicts_button.clicked.connect(self.conflicts_clicked)
        self.rejected_button = self._badge("#b26a00", "#8a5200")
        self.rejected_button.clicked.connect(self.rejected_clicked)
        self.sync_button = QToolButton(self)
        self.sync_button.setText("↻")
        self.sync_button.setAutoRaise(True)
        self.sync_button.setToolTip(tr("立即同步 (F5)"))
        self.sync_button.clicked.connect(controller.sync_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(8)
        for widget in (
            self.state_label,
            self.pending_label,
            self.conflicts_button,
            self.rejected_button,
            self.sync_button,
        ):
            layout.addWidget(widget)
        self._spinner = QTimer(self)
        self._spinner.setInterval(SPINNER_MS)
        self._spinner.timeout.connect(self._on_spinner_timeout)
        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_MS)
        self._clock.timeout.connect(self._update)
        self._clock.start()
        controller.status_changed.connect(self._on_controller_status_changed)
        controller.running_changed.connect(self._on_controller_running_changed)
        controller.sync_progressed.connect(self._on_controller_sync_progressed)
        controller.sync_failed.connect(self._on_controller_sync_failed)
        if controller.running:
            self._spinner.start()
        self._update()

    @property
    def state_text(self) -> str:
        """What the state label says, without markup."""
        return self._state_plain

    # -- handlers --------------------------------------------------------------------------------

    def _on_controller_status_changed(self, status: SyncStatus) -> None:
        self._status = status
        self._update()

    def _on_controller_running_changed(self, running: bool) -> None:
        self._progress = ""
        if running:
            self._spinner.start()
        else:
            self._spinner.stop()
        self._update()

    def _on_controller_sync_progressed(self, stage: str, done: int, total: int) -> None:
        self._progress = tr("{stage} {done}/{total}", stage=stage, done=done, total=total)
        if total <= 0:
            self._progress = stage
        self._update()

    def _on_controller_sync_failed(self, _kind: str, _message: str) -> None:
        self._update()

    def _on_spinner_timeout(self) -> None:
        self._frame = (self._frame + 1) % len(SPINNER)
        self._update()

    def _on_state_label_link_activated(self, _link: str) -> None:
        self.account_clicked.emit()

    # -- showing ---------------------------------------------------------------------------------

    def _update(self) -> None:
        status = self._status
        self._show_counts(status)
        self.sync_button.setEnabled(
            status is not None
            and status.configured
            and not status.offline_only
            and not self._controller.running
        )
        if self._controller.running:
            text = tr("同步中…")
            if self._progress:
                text = tr("{state} {progress}", state=text, progress=self._progress)
            self._set_state(f"{SPINNER[self._frame]} {text}", MUTED, text)
            return
        if status is None:
            self._set_state("", MUTED, "")
            return
        if status.offline_only:
            self._set_link(tr("仅离线工作"), tr("不与服务器同步。点击连接单位服务器"))
            return
        if not status.configured:
            self._set_link(tr("未连接服务器"), tr("点击设置同步账户（账户与同步）"))
            return
        failure = self._failure(status)
        if failure is not None:
            kind, message = failure
            text = tr("同步失败：{message}", message=message)
            if kind == "offline":
                self._set_state(tr("离线，稍后自动重试"), WAITING, message)
            elif kind in ACCOUNT_PROBLEMS:
                self._set_link(text, tr("{message}\n点击打开账户与同步", message=message), ERROR)
            else:
                self._set_state(text, ERROR, message)
            return
        if status.last_success_at is None:
            self._set_state(tr("尚未同步"), MUTED, tr("按 F5 立即同步"))
            return
        self._set_state(
            tr("已同步 · {when}", when=relative_time(status.last_success_at)),
            MUTED,
            tr("上次成功同步：{time}", time=exact_time(status.last_success_at)),
        )

    def _failure(self, status: SyncStatus) -> tuple[str, str] | None:
        """The controller's last failure, else an error recorded after the last success."""
        last = self._controller.last_failure
        if last is not None:
            return last[0], last[1]
        if status.last_error and _after(status.last_error_at, status.last_success_at):
            return "other", status.last_error
        return None

    def _show_counts(self, status: SyncStatus | None) -> None:
        pending = status.pending_changes if status is not None else 0
        self.pending_label.setVisible(status is not None and status.configured)
        self.pending_label.setText(tr("待同步 {count}", count=pending))
        self.pending_label.setToolTip(
            tr("本机有 {count} 条修改还没有上传到服务器", count=pending)
            if pending
            else tr("本机的修改都已上传")
        )
        conflicts = status.open_conflicts if status is not None else 0
        self.conflicts_button.setText(tr("冲突 {count}", count=conflicts))
        self.conflicts_button.setToolTip(
            tr("有 {count} 处修改与别人冲突，点击处理", count=conflicts)
        )
        self.conflicts_button.setVisible(conflicts > 0)
        rejected = status.rejected_changes if status is not None else 0
        self.rejected_button.setText(tr("被拒 {count}", count=rejected))
        self.rejected_button.setToolTip(tr("服务器拒绝了 {count} 条修改，点击查看", count=rejected))
        self.rejected_button.setVisible(rejected > 0)

    def _set_state(self, text: str, colour: str, tooltip: str) -> None:
        metrics = self.state_label.fontMetrics()
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, STATE_MAX_WIDTH)
        self._state_plain = shown
        self.state_label.setText(f'<span style="color: {colour};">{html.escape(shown)}</span>')
        self.state_label.setToolTip(tooltip)

    def _set_link(self, text: str, tooltip: str, colour: str = MUTED) -> None:
        metrics = self.state_label.fontMetrics()
        text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, STATE_MAX_WIDTH)
        self._state_plain = text
        self.state_label.setText(_LINK.format(colour=colour, text=html.escape(text)))
        self.state_label.setToolTip(tooltip)

    def _badge(self, background: str, hover: str) -> QToolButton:
        button = QToolButton(self)
        button.setStyleSheet(_BADGE.format(background=background, hover=hover))
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.hide()
        return button


def _after(first: dt.datetime | None, second: dt.datetime | None) -> bool:
    if first is None:
        return False
    if second is None:
        return True
    return _aware(first) > _aware(second)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
