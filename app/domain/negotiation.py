"""Negotiation rounds (洽谈记录) and the commitments made in them: what a user writes, the rules.

A draft is the whole round as the editor holds it, commitments included. Commitments describe the
state wanted: a new one (an id the ledger does not hold yet) is added as pending; an existing one
takes the draft's content, promiser and due date; ``withdrawn_reason`` set withdraws it, cleared
reinstates it. A commitment the draft does not mention is left as it is: nothing a round promised
disappears because an editor forgot it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from app.domain.errors import ValidationError
from app.i18n import mark, tr

FIELD_LABELS: Mapping[str, str] = {
    "round_no": mark("轮次"),
    "held_on": mark("洽谈日期"),
    "project_id": mark("关联项目"),
    "their_asks": mark("对方诉求"),
    "our_offers": mark("我方条件"),
    "sticking_points": mark("分歧点"),
    "next_round": mark("下一轮安排"),
    "next_round_on": mark("下一轮日期"),
    "commitments": mark("承诺事项"),
}
TEXT_FIELDS = ("their_asks", "our_offers", "sticking_points", "next_round")
ROUND_LIMIT = 999
TEXT_LIMIT = 20_000
COMMITMENT_LIMIT = 500
REASON_LIMIT = 500


@dataclass(frozen=True, slots=True)
class CommitmentDraft:
    """One promise made in the round (承诺事项), as typed."""

    id: str
    """The ledger entry's id: made by the editor for a new one, so saving twice adds it once."""
    content: str
    due_on: dt.date | None
    promised_by_id: str | None = None
    withdrawn_reason: str = ""
    """Non-empty: the commitment is withdrawn, for this reason."""

    @property
    def withdrawn(self) -> bool:
        return bool(self.withdrawn_reason.strip())

    @property
    def complete(self) -> bool:
        """Has what the ledger needs (content and a due date); autosave skips the others."""
        return bool(self.content.strip()) and self.due_on is not None


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """One negotiation round as typed in the editor."""

    round_no: int
    held_on: dt.date
    their_asks: str = ""
    our_offers: str = ""
    sticking_points: str = ""
    next_round: str = ""
    next_round_on: dt.date | None = None
    project_id: str | None = None
    commitments: tuple[CommitmentDraft, ...] = ()


def label(field: str) -> str:
    return tr(FIELD_LABELS.get(field, field))


def validate_note_draft(draft: NoteDraft, *, today: dt.date) -> NoteDraft:
    """A trimmed copy of the draft; ``ValidationError`` naming the first bad field.

    Every commitment must be complete here; an autosave drops incomplete ones first
    (``without_incomplete_commitments``) so half-typed rows wait in the editor.
    """
    if not isinstance(draft.round_no, int) or not 1 <= draft.round_no <= ROUND_LIMIT:
        raise ValidationError(
            "round_no", tr("轮次必须是 1 到 {limit} 之间的整数", limit=ROUND_LIMIT)
        )
    if not isinstance(draft.held_on, dt.date):
        raise ValidationError("held_on", tr("请填写{field}", field=label("held_on")))
    if draft.held_on > today:
        raise ValidationError("held_on", tr("{field}不能晚于今天", field=label("held_on")))
    texts: dict[str, str] = {}
    for field in TEXT_FIELDS:
        text = getattr(draft, field)
        if not isinstance(text, str):
            raise ValidationError(field, tr("{field}必须是文字", field=label(field)))
        if len(text) > TEXT_LIMIT:
            raise ValidationError(
                field, tr("{field}不能超过 {limit} 个字", field=label(field), limit=TEXT_LIMIT)
            )
        texts[field] = text.strip()
    if draft.next_round_on is not None and draft.next_round_on <= draft.held_on:
        raise ValidationError("next_round_on", tr("下一轮日期应晚于本轮洽谈日期"))
    commitments = tuple(
        _commitment(number, commitment)
        for number, commitment in enumerate(draft.commitments, start=1)
    )
    ids = [commitment.id for commitment in commitments]
    if len(set(ids)) != len(ids):
        raise ValueError("commitment ids repeat")
    return replace(
        draft,
        their_asks=texts["their_asks"],
        our_offers=texts["our_offers"],
        sticking_points=texts["sticking_points"],
        next_round=texts["next_round"],
        project_id=draft.project_id or None,
        commitments=commitments,
    )


def without_incomplete_commitments(draft: NoteDraft) -> NoteDraft:
    """The draft with only the commitments complete enough to enter the ledger."""
    return replace(draft, commitments=tuple(c for c in draft.commitments if c.complete))


def _commitment(number: int, commitment: CommitmentDraft) -> CommitmentDraft:
    content = " ".join(commitment.content.split())
    if not content:
        raise ValidationError("commitments", tr("第 {number} 项承诺缺少内容", number=number))
    if len(content) > COMMITMENT_LIMIT:
        raise ValidationError(
            "commitments",
            tr("第 {number} 项承诺不能超过 {limit} 个字", number=number, limit=COMMITMENT_LIMIT),
        )
    if not isinstance(commitment.due_on, dt.date):
        raise ValidationError("commitments", tr("第 {number} 项承诺请填写兑现期限", number=number))
    reason = commitment.withdrawn_reason.strip()
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            "commitments",
            tr(
                "第 {number} 项承诺的撤回原因不能超过 {limit} 个字",
                number=number,
                limit=REASON_LIMIT,
            ),
        )
    return replace(
        commitment,
        content=content,
        promised_by_id=commitment.promised_by_id or None,
        withdrawn_reason=reason,
    )
