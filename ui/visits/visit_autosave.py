"""Autosave for the visit form: what was typed reaches the database at most ~2 s later.

Timing: a save starts ``DEBOUNCE_MS`` after the last keystroke, and — so that continuous typing
is saved too — at the latest ``CAP_MS`` after the first unsaved one; leaving a field or Ctrl+S
saves at once. Each save is one unit of work on the task runner holding only the fields that
changed since the last save was queued (saves queue behind each other in order, so closing the
form or quitting the app never waits for a callback to send what is left).

Before the visit row can exist (no enterprise chosen yet) and whenever a save fails, the form's
whole content goes to a durable local draft (``VisitDraftStore``); a failed save is retried every
``RETRY_MS`` and the text stays in the form. The draft is dropped once the database holds
everything.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.domain.errors import AppError, ValidationError
from app.domain.ids import new_id
from app.domain.visit import AttendeeDraft, VisitContent, validate_attendees, validate_visit_changes
from app.services.visit_drafts import new_draft
from ui.task_runner import TaskRunner
from ui.visits.visit_services import VisitServices

DEBOUNCE_MS = 600
CAP_MS = 1200
RETRY_MS = 3000

SAVING, SAVED, FAILED = "saving", "saved", "failed"
DRAFT = "draft"  # only on ``state``: kept on this laptop, waiting for an enterprise


@dataclasses.dataclass(frozen=True)
class _Save:
    """One queued save: the row's changed fields and, when they changed, the two lists."""

    changes: Mapping[str, Any]
    participant_ids: tuple[str, ...] | None
    attendees: tuple[AttendeeDraft, ...] | None

    def applied_to(self, content: VisitContent) -> VisitContent:
        updated = dataclasses.replace(content, **self.changes)
        if self.participant_ids is not None:
            updated = dataclasses.replace(updated, participant_ids=self.participant_ids)
        if self.attendees is not None:
            updated = dataclasses.replace(updated, attendees=self.attendees)
        return updated


class VisitAutosaver(QObject):
    """Saves what ``read_content`` returns. Emits ``save_state_changed`` ("saving" | "saved" |
    "failed", message), ``visit_created`` once the row exists, ``field_problem`` (field,
    message; empty message when fixed)."""

    save_state_changed = Signal(str, str)
    visit_created = Signal(str)
    field_problem = Signal(str, str)

    def __init__(
        self,
        services: VisitServices,
        runner: TaskRunner,
        read_content: Callable[[], VisitContent],
        *,
        create_fields: Mapping[str, Any],
        visit_id: str | None = None,
        saved: VisitContent | None = None,
        draft_id: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._read = read_content
        self._create_fields = dict(create_fields)
        self._exists = visit_id is not None
        self._visit_id = visit_id or new_id()
        self._confirmed = saved or VisitContent()
        self._submitted = self._confirmed
        self._create_queued = self._exists
        self._draft_id = draft_id or new_id()
        self._draft_written = draft_id is not None
        self._pending = 0
        self._failed = False
        self._problems: dict[str, str] = {}
        self._state = SAVED
        self._enterprise_name = ""
        self._debounce = self._timer(DEBOUNCE_MS)
        self._cap = self._timer(CAP_MS)
        self._retry = self._timer(RETRY_MS)

    # -- public ----------------------------------------------------------------------------------

    @property
    def visit_id(self) -> str | None:
        """The visit's id once its row exists (or its create is queued)."""
        return self._visit_id if self._create_queued else None

    @property
    def draft_id(self) -> str:
        """The name of this form's draft file (written only when needed)."""
        return self._draft_id

    @property
    def exists(self) -> bool:
        return self._exists

    @property
    def state(self) -> str:
        return self._state

    @property
    def idle(self) -> bool:
        """Nothing queued and nothing typed since the last save."""
        return self._pending == 0 and not self._dirty(self._read())

    def set_enterprise_name(self, name: str) -> None:
        """Shown with a draft offered back after a crash."""
        self._enterprise_name = name

    def content_changed(self) -> None:
        """Something was typed: save soon."""
        self._debounce.start()
        if not self._cap.isActive():
            self._cap.start()

    def save_now(self) -> None:
        """Leaving a field, Ctrl+S, closing the form: save what is there without waiting."""
        self._debounce.stop()
        self._cap.stop()
        self._retry.stop()
        self._save()

    # -- saving ----------------------------------------------------------------------------------

    def _timer(self, interval: int) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval)
        timer.timeout.connect(self.save_now)
        return timer

    def _dirty(self, content: VisitContent) -> bool:
        if not self._create_queued:
            return content.has_text or content.enterprise_id is not None
        return self._save_of(content, self._submitted, validate=False) is not None

    def _save(self) -> None:
        content = self._read()
        if not self._create_queued:
            if content.enterprise_id and content.visited_on:
                self._queue_create(content)
            elif content.has_text:
                self._write_draft(content)
                self._set_state(DRAFT)
            return
        save = self._save_of(content, self._submitted, validate=True)
        if save is None:
            if self._pending == 0 and not self._failed:
                self._all_saved()
            return
        self._submitted = save.applied_to(self._submitted)
        visits, visit_id = self._services.visits, self._visit_id
        self._submit(
            lambda _token: visits.save(
                visit_id, save.changes, save.participant_ids, save.attendees
            ),
            lambda _result: self._on_saved(save),
        )

    def _queue_create(self, content: VisitContent) -> None:
        changes = {**self._create_fields, **content.field_values()}
        problems = self._problems_in(changes)
        for field in problems:
            if field in ("enterprise_id", "visited_on"):
                return
            changes[field] = getattr(self._confirmed, field)
        attendees = content.typed_attendees()
        if self._attendee_problem(attendees):
            attendees = ()
        sent = dataclasses.replace(
            content,
            **{field: changes[field] for field in content.field_values()},
            attendees=attendees,
        )
        self._create_queued = True
        self._submitted = sent
        visits, visit_id = self._services.visits, self._visit_id
        participants = content.participant_ids
        self._submit(
            lambda _token: visits.create(changes, participants, attendees, visit_id=visit_id),
            lambda _result: self._on_created(sent),
        )

    def _save_of(
        self, content: VisitContent, base: VisitContent, *, validate: bool
    ) -> _Save | None:
        """What differs from ``base``; with ``validate``, minus (and reporting) refused values."""
        changes = content.changed_fields(base)
        if validate:
            for field in self._problems_in(changes):
                del changes[field]
        participants = content.participant_ids
        typed = content.typed_attendees()
        attendees = typed if typed != base.typed_attendees() else None
        if attendees is not None and validate and self._attendee_problem(attendees):
            attendees = None
        save = _Save(
            changes,
            participants if participants != base.participant_ids else None,
            attendees,
        )
        if not changes and save.participant_ids is None and save.attendees is None:
            return None
        return save

    def _problems_in(self, changes: Mapping[str, Any]) -> list[str]:
        """Fields whose value the domain refuses; each reported (and cleared when fixed)."""
        bad = []
        for field, value in changes.items():
            try:
                validate_visit_changes({field: value}, creating=False)
            except ValidationError as error:
                bad.append(field)
                self._report(field, error.message)
            else:
                self._report(field, "")
        return bad

    def _attendee_problem(self, attendees: tuple[AttendeeDraft, ...]) -> bool:
        try:
            validate_attendees(attendees)
        except ValidationError as error:
            self._report("attendees", error.message)
            return True
        self._report("attendees", "")
        return False

    def _report(self, field: str, message: str) -> None:
        if self._problems.get(field, "") != message:
            self._problems[field] = message
            self.field_problem.emit(field, message)

    def _submit(self, work: Callable[[object], object], done: Callable[[object], None]) -> None:
        self._pending += 1
        self._set_state(SAVING)
        self._runner.submit(work, done, self._on_failed, owner=self)

    def _on_created(self, sent: VisitContent) -> None:
        self._pending -= 1
        self._exists = True
        self._confirmed = sent
        self.visit_created.emit(self._visit_id)
        self._after_success()

    def _on_saved(self, save: _Save) -> None:
        self._pending -= 1
        self._confirmed = save.applied_to(self._confirmed)
        self._after_success()

    def _after_success(self) -> None:
        self._failed = False
        if self._pending:
            return
        if self._dirty(self._read()):
            self.content_changed()
            return
        self._all_saved()

    def _all_saved(self) -> None:
        if self._draft_written:
            store, draft_id = self._services.drafts, self._draft_id
            self._runner.submit(lambda _token: store.discard(draft_id), owner=self)
            self._draft_written = False
        self._set_state(SAVED)

    def _on_failed(self, error: AppError) -> None:
        self._pending -= 1
        self._failed = True
        self._submitted = self._confirmed  # resend everything not confirmed
        if not self._exists:
            self._create_queued = False
        self._write_draft(self._read())
        self._set_state(FAILED, error.message)
        if isinstance(error, ValidationError):
            # Retrying cannot help (e.g. the enterprise was deleted meanwhile): say which field
            # and save again once the user changes something.
            self._report(error.field, error.message)
        else:
            self._retry.start()

    def _write_draft(self, content: VisitContent) -> None:
        store = self._services.drafts
        draft = new_draft(
            self._draft_id,
            self._visit_id if self._exists else None,
            self._enterprise_name,
            content,
        )
        self._draft_written = True
        self._runner.submit(lambda _token: store.save(draft), owner=self)

    def _set_state(self, state: str, message: str = "") -> None:
        if state == self._state == SAVED:
            return  # nothing new to say (a save with nothing to save)
        self._state = state
        self.save_state_changed.emit(SAVED if state == DRAFT else state, message)
