"""Unsaved typing in the dossier editor, kept at most two seconds behind the keyboard.

The editor saves only on Ctrl+S, but a crash or a closed laptop must not lose what was typed:
while something is changed, a snapshot of the editor goes to the local database (a local note
in ``local_settings``, never synced) at most ``KEEP_MS`` after the change. A successful save
removes it in the same unit of work; a cancel removes it too. Opening the editor again on the
same enterprise offers the kept typing back in a bar.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.i18n import tr
from ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from app.services.enterprises import EnterpriseService

KEEP_MS = 2_000


class DraftKeeper(QObject):
    """Writes ``snapshot()`` (a JSON-able dict, None when nothing changed) on the task runner."""

    def __init__(
        self,
        service: EnterpriseService,
        runner: TaskRunner,
        snapshot: Callable[[], dict[str, Any] | None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._snapshot = snapshot
        self._enterprise_id: str | None = None
        self._active = False
        self._stored = False  # something may be kept in the database for this enterprise
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(KEEP_MS)
        self._timer.timeout.connect(self.keep_now)

    def start(self, enterprise_id: str | None, *, stored: bool = False) -> None:
        """Keep typing for this enterprise from now on; ``stored``: a draft is already kept."""
        self._enterprise_id = enterprise_id
        self._active = True
        self._stored = self._stored or stored

    def touch(self) -> None:
        """Something was typed: keep it within ``KEEP_MS`` (not postponed by more typing)."""
        if self._active and not self._timer.isActive():
            self._timer.start()

    def keep_now(self) -> None:
        self._timer.stop()
        if not self._active:
            return
        snapshot = self._snapshot()
        if snapshot is None:
            return
        snapshot["kept_at"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        self._stored = True
        self._write(json.dumps(snapshot, ensure_ascii=False))

    def stop(self) -> None:
        """Stop keeping (a save is on its way and removes the kept typing itself)."""
        self._timer.stop()
        self._active = False

    def discard(self) -> None:
        """Forget the kept typing (the user cancelled on purpose)."""
        self.stop()
        if self._stored:
            self._stored = False
            self._write(None)

    def _write(self, text: str | None) -> None:
        service, enterprise_id = self._service, self._enterprise_id
        self._runner.submit(
            lambda _token: service.keep_draft(enterprise_id, text),
            on_failure=lambda _error: None,  # best effort: the form itself still holds it
        )


def parse_draft(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


class DraftBar(QFrame):
    """ "上次有未保存的修改" with 恢复 (``restore_clicked``) and 丢弃 (``discard_clicked``)."""

    restore_clicked = Signal()
    discard_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftBar")
        self.setStyleSheet(
            "#draftBar { background: #e8f1fb; border: 1px solid #9cc1ea; border-radius: 4px; }"
        )
        self._text = QLabel(self)
        restore = QPushButton(tr("恢复"), self)
        restore.setToolTip(tr("把上次没保存的内容填回表单，核对后按 Ctrl+S 保存"))
        restore.clicked.connect(self._on_restore_clicked)
        discard = QPushButton(tr("丢弃"), self)
        discard.clicked.connect(self._on_discard_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 4, 4)
        row.addWidget(self._text, 1)
        row.addWidget(discard)
        row.addWidget(restore)
        self.hide()

    @property
    def text(self) -> str:
        return self._text.text()

    def offer(self, kept_at: str) -> None:
        when = kept_at.replace("T", " ")[:16]
        self._text.setText(tr("上次编辑时有未保存的修改（{when}），要恢复吗？", when=when))
        self.show()

    def click_restore(self) -> None:
        self._on_restore_clicked()

    def _on_restore_clicked(self) -> None:
        self.hide()
        self.restore_clicked.emit()

    def _on_discard_clicked(self) -> None:
        self.hide()
        self.discard_clicked.emit()
