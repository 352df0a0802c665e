"""The negotiation note editor (洽谈记录): one round with an enterprise, optionally about a project.

Keyboard-first: the round number (the next free one is proposed) and today's date are filled
in, the cursor starts in 对方诉求, Tab walks every field down to the commitments, Ctrl+S saves and
closes, Esc closes (asking only when something changed). What is typed is saved as a draft at most
a second or two behind, so a crash loses almost nothing: the note row is created by the first
autosave. Commitments made in the round go to the commitments ledger, linked to the note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError, ValidationError
from app.domain.ids import new_id
from app.domain.negotiation import NoteDraft
from app.i18n import tr
from app.services.negotiation_views import NoteForm, SavedNote
from app.services.negotiations import NegotiationService
from ui.negotiations.draft_autosave import FAILED, SAVED, SAVING, DraftAutosave
from ui.negotiations.note_fields import NoteFields
from ui.task_runner import CancelToken, TaskRunner

_Snapshot = tuple[NoteDraft, tuple[str, ...]]
_ERROR = "color: #b3261e;"
_MUTED = "color: #5f6b7a;"


class NegotiationNoteDialog(QDialog):
    """Create (``note_id`` None) or edit one negotiation round of ``enterprise_id``."""

    save_state_changed = Signal(str, str)
    history_requested = Signal(str, str)
    note_changed = Signal(str)
    """The note was written (saved, autosaved or taken back): lists showing it should reload."""
    form_loaded = Signal()

    def __init__(
        self,
        service: NegotiationService,
        runner: TaskRunner,
        enterprise_id: str,
        note_id: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._enterprise_id = enterprise_id
        self._note_id = note_id or new_id()
        self._existed = note_id is not None
        self._exists = self._existed
        self._form: NoteForm | None = None
        self._original: NoteDraft | None = None
        self._wrote = False
        self._finishing = False
        self.close_prompt: QMessageBox | None = None
        self.setWindowTitle(tr("洽谈记录"))
        self.resize(1000, 700)

        self.heading = QLabel(tr("正在载入…"), self)
        self.heading.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.fields = NoteFields(self)
        self.fields.changed.connect(self._on_fields_changed)
        self.fields.commitments.problem_found.connect(self._on_commitments_problem_found)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet(_ERROR)
        self.error_label.setWordWrap(True)
        self.status_label = QLabel(tr("边写边自动保存 · Ctrl+S 保存并关闭 · Esc 关闭"), self)
        self.status_label.setStyleSheet(_MUTED)
        self.history_button = QPushButton(tr("历史"), self)
        self.history_button.setToolTip(tr("查看这份洽谈记录的修改历史（Ctrl+H）"))
        self.history_button.setEnabled(self._exists)
        self.history_button.clicked.connect(self._on_history_button_clicked)
        self.cancel_button = QPushButton(tr("关闭"), self)
        self.cancel_button.setToolTip(tr("关闭（Esc）；有修改时会先询问"))
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton(tr("保存并关闭"), self)
        self.save_button.setToolTip(tr("保存并关闭（Ctrl+S）"))
        self.save_button.clicked.connect(self.save_and_close)
        for button in (self.history_button, self.cancel_button, self.save_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.fields, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.setTabOrder(self.fields.last_widget, self.history_button)
        self.setTabOrder(self.history_button, self.cancel_button)
        self.setTabOrder(self.cancel_button, self.save_button)

        self._autosave = DraftAutosave(runner, self._snapshot, self._autosave_work, self)
        self._autosave.save_state_changed.connect(self._on_autosave_state_changed)
        self._autosave.saved.connect(self._on_autosave_saved)
        self.fields.focus_left.connect(self._autosave.save_now)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save_and_close)
        QShortcut(QKeySequence("Ctrl+H"), self, self._on_history_button_clicked)
        self.setEnabled(False)
        runner.submit(
            lambda _token: service.form(enterprise_id, note_id),
            self._on_form_loaded,
            self._on_form_failed,
            owner=self,
        )

    # -- public ----------------------------------------------------------------------------------

    @property
    def note_id(self) -> str:
        return self._note_id

    @property
    def loaded(self) -> bool:
        return self._form is not None

    def save_and_close(self) -> None:
        """Ctrl+S: add a commitment still in the typing row, save strictly, close when saved."""
        commitments = self.fields.commitments
        if self._form is None or self._finishing:
            return
        if commitments.has_typed_entry() and not commitments.commit_typed_entry():
            return
        self._autosave.stop()
        snapshot = self._snapshot()
        draft, discarded = snapshot
        service, enterprise_id, note_id = self._service, self._enterprise_id, self._note_id
        self._finishing = True
        self._on_autosave_state_changed(SAVING, "")

        def on_success(saved: SavedNote) -> None:
            self._autosave.mark_saved(snapshot)
            self._wrote = True
            self._on_autosave_state_changed(SAVED, "")
            self.note_changed.emit(saved.note_id)
            self.accept()

        def on_failure(error: AppError) -> None:
            self._finishing = False
            self._on_autosave_state_changed(FAILED, error.message)
            self._point_at(error)
            self._autosave.resume()

        self._runner.submit(
            lambda _token: service.save(enterprise_id, note_id, draft, discard=discarded),
            on_success,
            on_failure,
            owner=self,
        )

    # -- loading and saving ----------------------------------------------------------------------

    def _on_form_loaded(self, form: NoteForm) -> None:
        self._form = form
        self.setWindowTitle(tr("洽谈记录 · {enterprise}", enterprise=form.enterprise_name))
        self.fields.load(form)
        self._original = self.fields.draft()
        self._update_heading()
        self._autosave.start((self._original, ()) if self._exists else None)
        self.setEnabled(True)
        self.fields.asks_edit.setFocus()
        self.form_loaded.emit()

    def _on_form_failed(self, error: AppError) -> None:
        self.heading.setText(error.message)
        self.setEnabled(True)
        self.fields.setEnabled(False)
        for widget in (self.save_button, self.history_button):
            widget.setEnabled(False)

    def _snapshot(self) -> _Snapshot:
        return (self.fields.draft(), self.fields.commitments.discarded())

    def _autosave_work(self, snapshot: _Snapshot) -> Callable[[CancelToken], SavedNote]:
        draft, discarded = snapshot
        service, enterprise_id, note_id = self._service, self._enterprise_id, self._note_id

        def work(_token: CancelToken) -> SavedNote:
            return service.save(enterprise_id, note_id, draft, partial=True, discard=discarded)

        return work

    def _on_fields_changed(self) -> None:
        self.error_label.clear()
        self._update_heading()
        self._autosave.changed()

    def _on_autosave_state_changed(self, state: str, message: str) -> None:
        if state == SAVING:
            self.status_label.setText(tr("正在保存…"))
            self.status_label.setStyleSheet(_MUTED)
        elif state == SAVED:
            time = dt.datetime.now().strftime("%H:%M:%S")
            self.status_label.setText(tr("已自动保存（{time}）", time=time))
            self.status_label.setStyleSheet(_MUTED)
        else:
            self.status_label.setText(tr("未能保存：{message}", message=message))
            self.status_label.setStyleSheet(_ERROR)
        self.save_state_changed.emit(state, message)

    def _on_autosave_saved(self, saved: SavedNote) -> None:
        self._wrote = True
        if saved.created:
            self._exists = True
            self.history_button.setEnabled(True)

    def _on_history_button_clicked(self) -> None:
        if self._exists:
            self.history_requested.emit("negotiation_notes", self._note_id)

    def _update_heading(self) -> None:
        if self._form is not None:
            self.heading.setText(
                tr(
                    "{enterprise} · 第 {round} 轮洽谈",
                    enterprise=self._form.enterprise_name,
                    round=self.fields.round_spin.value(),
                )
            )

    def _on_commitments_problem_found(self, message: str) -> None:
        self.error_label.setText(message)

    def _point_at(self, error: AppError) -> None:
        self.error_label.setText(error.message)
        if isinstance(error, ValidationError):
            widget = self.fields.widget_for(error.field)
            if widget is not None:
                widget.setFocus()

    # -- closing ---------------------------------------------------------------------------------

    def reject(self) -> None:
        """Esc: close at once when nothing changed, else ask keep / discard / go on editing."""
        if self._form is None:
            super().reject()
            return
        if self._finishing or self.close_prompt is not None:
            return
        if self.fields.draft() == self._original and not self.fields.commitments.discarded():
            self._revert_and_close()
            return
        prompt = QMessageBox(self)
        prompt.setIcon(QMessageBox.Icon.Question)
        prompt.setWindowTitle(tr("关闭洽谈记录"))
        prompt.setText(tr("本次修改已自动保存为草稿。保存并关闭，还是放弃本次修改？"))
        keep = prompt.addButton(tr("保存并关闭"), QMessageBox.ButtonRole.AcceptRole)
        drop = prompt.addButton(tr("放弃修改"), QMessageBox.ButtonRole.DestructiveRole)
        stay = prompt.addButton(tr("继续编辑"), QMessageBox.ButtonRole.RejectRole)
        prompt.setDefaultButton(keep)
        prompt.setEscapeButton(stay)

        def on_clicked(button: object) -> None:
            self.close_prompt = None
            if button is keep:
                self.save_and_close()
            elif button is drop:
                self._revert_and_close()

        prompt.buttonClicked.connect(on_clicked)
        self.close_prompt = prompt
        prompt.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._finishing or self._form is None:
            super().closeEvent(event)
            return
        event.ignore()
        self.reject()

    def done(self, result: int) -> None:
        self._autosave.stop()
        super().done(result)

    def _revert_and_close(self) -> None:
        """Put back what was there when the editor opened (nothing, for a new round), then close."""
        self._autosave.stop()
        self._finishing = True
        service, enterprise_id, note_id = self._service, self._enterprise_id, self._note_id
        original, existed = self._original, self._existed
        commitments = self.fields.commitments
        fresh = tuple(line.id for line in commitments.lines() if line.fresh)
        discard = (*commitments.discarded(), *fresh)
        wrote = self._wrote or self._autosave.busy

        def work(_token: CancelToken) -> None:
            if not existed:
                service.discard_draft(note_id)
            elif original is not None and wrote:
                service.save(enterprise_id, note_id, original, partial=True, discard=discard)

        def on_success(_result: None) -> None:
            if wrote:
                self.note_changed.emit(note_id)
            QDialog.reject(self)

        def on_failure(error: AppError) -> None:
            self._finishing = False
            self._on_autosave_state_changed(FAILED, error.message)
            self._point_at(error)

        if not wrote:
            QDialog.reject(self)
            return
        self._runner.submit(work, on_success, on_failure, owner=self)
