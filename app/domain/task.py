"""Tasks (任务): what a user writes when creating one, and the rules for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.errors import ValidationError
from app.i18n import tr

TITLE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class TaskDraft:
    """A task as typed: title, who owns it, when it is due, more detail."""

    title: str
    owner_id: str | None = None
    due_on: dt.date | None = None
    detail: str = ""


def validate_task_draft(draft: TaskDraft) -> TaskDraft:
    """Trimmed copy of the draft; ``ValidationError`` naming the first bad field."""
    title = " ".join(draft.title.split())
    if not title:
        raise ValidationError("title", tr("请填写任务内容"))
    if len(title) > TITLE_LIMIT:
        raise ValidationError("title", tr("任务内容不能超过 {limit} 个字", limit=TITLE_LIMIT))
    if draft.due_on is not None and not isinstance(draft.due_on, dt.date):
        raise ValidationError("due_on", tr("截止日期无效"))
    return TaskDraft(title, draft.owner_id or None, draft.due_on, draft.detail.strip())
