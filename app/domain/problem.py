"""Enterprise problems (诉求): what a user writes when raising or closing one, and the rules.

A problem is something an enterprise asked the bureau to solve: it is raised on a day, has one
responsible member (负责人) and a deadline (办结时限, none for an open-ended one), and is closed
(办结) with a written resolution on a day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.errors import ValidationError
from app.i18n import tr

TITLE_LIMIT = 200
TEXT_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class ProblemDraft:
    """A problem as typed in its form."""

    enterprise_id: str | None
    title: str
    detail: str = ""
    project_id: str | None = None
    raised_on: dt.date | None = None
    """None: raised today."""
    owner_id: str | None = None
    deadline: dt.date | None = None
    """None: no deadline (无期限)."""


@dataclass(frozen=True, slots=True)
class Resolution:
    """How a problem was closed: what was done, and the day."""

    text: str
    resolved_on: dt.date


def validate_problem_draft(draft: ProblemDraft, *, today: dt.date) -> ProblemDraft:
    """A trimmed copy with ``raised_on`` filled in; ``ValidationError`` naming the first bad
    field."""
    if not draft.enterprise_id:
        raise ValidationError("enterprise_id", tr("请选择提出诉求的企业"))
    title = " ".join(draft.title.split())
    if not title:
        raise ValidationError("title", tr("请填写诉求内容"))
    if len(title) > TITLE_LIMIT:
        raise ValidationError("title", tr("诉求内容不能超过 {limit} 个字", limit=TITLE_LIMIT))
    detail = draft.detail.strip()
    if len(detail) > TEXT_LIMIT:
        raise ValidationError("detail", tr("详细情况不能超过 {limit} 个字", limit=TEXT_LIMIT))
    raised_on = draft.raised_on or today
    if raised_on > today:
        raise ValidationError("raised_on", tr("提出日期不能晚于今天"))
    if draft.deadline is not None and draft.deadline < raised_on:
        raise ValidationError("deadline", tr("办结时限不能早于提出日期"))
    return ProblemDraft(
        enterprise_id=draft.enterprise_id,
        title=title,
        detail=detail,
        project_id=draft.project_id or None,
        raised_on=raised_on,
        owner_id=draft.owner_id or None,
        deadline=draft.deadline,
    )


def validate_resolution(
    text: str, resolved_on: dt.date | None, *, raised_on: dt.date, today: dt.date
) -> Resolution:
    """The resolution trimmed, dated today when no day is given; it needs words, and a day
    between the day the problem was raised and today."""
    clean = text.strip()
    if not clean:
        raise ValidationError("resolution", tr("请填写办结情况：怎么解决的、结果如何"))
    if len(clean) > TEXT_LIMIT:
        raise ValidationError("resolution", tr("办结情况不能超过 {limit} 个字", limit=TEXT_LIMIT))
    day = resolved_on or today
    if day > today:
        raise ValidationError("resolved_on", tr("办结日期不能晚于今天"))
    if day < raised_on:
        raise ValidationError("resolved_on", tr("办结日期不能早于提出日期"))
    return Resolution(clean, day)
