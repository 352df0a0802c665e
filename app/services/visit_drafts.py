"""Visit drafts kept on this laptop: what was typed before the visit could be saved.

The visit row needs an enterprise and a date; a user may start typing before choosing the
enterprise, and a save may fail (a locked database). Until the database holds everything, the
form keeps its content here, one JSON file per form under ``<data dir>/drafts/``, written
atomically (temporary file, flush, fsync, rename, fsync of the directory) so a crash leaves the
old draft or the new one, never half of either. The next start offers the drafts back.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.database.types import utc_now
from app.domain.visit import AttendeeDraft, VisitContent

DRAFTS_DIR = "drafts"
_NAME = re.compile(r"^visit-([0-9a-f-]{36})\.json$")


@dataclass(frozen=True, slots=True)
class VisitDraft:
    """One form's unsaved content; ``visit_id`` is set once the visit row exists."""

    draft_id: str
    visit_id: str | None
    enterprise_name: str
    content: VisitContent
    saved_at: dt.datetime


class VisitDraftStore:
    """The drafts folder of one data dir."""

    def __init__(self, data_dir: Path) -> None:
        self._folder = data_dir / DRAFTS_DIR

    @property
    def folder(self) -> Path:
        return self._folder

    def save(self, draft: VisitDraft) -> None:
        """Write the draft durably, replacing an older one of the same form."""
        self._folder.mkdir(parents=True, exist_ok=True)
        target = self._path(draft.draft_id)
        temporary = target.with_suffix(".tmp")
        data = json.dumps(_encode(draft), ensure_ascii=False, indent=1).encode("utf-8")
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        _fsync_directory(self._folder)

    def discard(self, draft_id: str) -> None:
        """Forget the draft (its content is in the database now, or the user threw it away)."""
        try:
            self._path(draft_id).unlink()
        except FileNotFoundError:
            return
        _fsync_directory(self._folder)

    def load_all(self) -> tuple[VisitDraft, ...]:
        """Every readable draft, newest first. A file that cannot be read is left in place."""
        if not self._folder.is_dir():
            return ()
        drafts = []
        for path in self._folder.iterdir():
            if not _NAME.match(path.name):
                continue
            try:
                drafts.append(_decode(json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return tuple(sorted(drafts, key=lambda draft: draft.saved_at, reverse=True))

    def _path(self, draft_id: str) -> Path:
        path = self._folder / f"visit-{draft_id}.json"
        if not _NAME.match(path.name):
            raise ValueError(f"not a draft id: {draft_id!r}")
        return path


def new_draft(
    draft_id: str, visit_id: str | None, enterprise_name: str, content: VisitContent
) -> VisitDraft:
    return VisitDraft(draft_id, visit_id, enterprise_name, content, utc_now())


def _fsync_directory(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _encode(draft: VisitDraft) -> dict[str, Any]:
    content = draft.content
    return {
        "format": 1,
        "draft_id": draft.draft_id,
        "visit_id": draft.visit_id,
        "enterprise_name": draft.enterprise_name,
        "saved_at": draft.saved_at.isoformat(),
        "content": {
            **{
                field: value.isoformat() if isinstance(value, dt.date) else value
                for field, value in content.field_values().items()
            },
            "participant_ids": list(content.participant_ids),
            "attendees": [
                {"id": a.id, "name": a.name, "title": a.title, "contact_id": a.contact_id}
                for a in content.attendees
            ],
        },
    }


def _decode(raw: dict[str, Any]) -> VisitDraft:
    content = raw["content"]
    visited_on = content.get("visited_on")
    return VisitDraft(
        draft_id=str(raw["draft_id"]),
        visit_id=raw.get("visit_id"),
        enterprise_name=str(raw.get("enterprise_name", "")),
        content=VisitContent(
            enterprise_id=content.get("enterprise_id"),
            visited_on=dt.date.fromisoformat(visited_on) if visited_on else None,
            place=str(content.get("place", "")),
            trip_id=content.get("trip_id"),
            chain_link_id=content.get("chain_link_id"),
            purpose=str(content.get("purpose", "")),
            discussion=str(content.get("discussion", "")),
            outcomes=str(content.get("outcomes", "")),
            next_steps=str(content.get("next_steps", "")),
            participant_ids=tuple(str(m) for m in content.get("participant_ids", ())),
            attendees=tuple(
                AttendeeDraft(
                    name=str(a.get("name", "")),
                    title=str(a.get("title", "")),
                    contact_id=a.get("contact_id"),
                    id=a.get("id"),
                )
                for a in content.get("attendees", ())
            ),
        ),
        saved_at=dt.datetime.fromisoformat(raw["saved_at"]),
    )
