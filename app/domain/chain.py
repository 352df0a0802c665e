"""Industry chains (链长制): what a chain leader writes about a chain and its links, and the rules
for it. Pure values: ``app.services.chain_editing`` stores them."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.errors import ValidationError
from app.domain.vocabulary import ChainPosition, LinkKind
from app.i18n import mark, tr

CHAIN_NAME_LIMIT = 100
LEADER_NAME_LIMIT = 50
LEADER_TITLE_LIMIT = 100
LINK_NAME_LIMIT = 100
DESCRIPTION_LIMIT = 2000
NOTE_LIMIT = 500

_LABELS = {
    "name": mark("名称"),
    "leader_name": mark("链长姓名"),
    "leader_title": mark("链长职务"),
    "description": mark("说明"),
    "note": mark("备注"),
}


@dataclass(frozen=True, slots=True)
class ChainDraft:
    """A chain as its form holds it: the chain's name and its leader (链长)."""

    name: str
    leader_name: str = ""
    leader_title: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class LinkDraft:
    """A link (环节) of a chain: where it sits and what the bureau wants to do with it."""

    name: str
    position: ChainPosition = ChainPosition.MIDSTREAM
    kind: LinkKind = LinkKind.STRENGTHEN
    description: str = ""


def validate_chain_draft(draft: ChainDraft) -> ChainDraft:
    """The draft with its text trimmed; ``ValidationError`` naming the first bad field."""
    return ChainDraft(
        name=_required("name", draft.name, CHAIN_NAME_LIMIT),
        leader_name=_text("leader_name", draft.leader_name, LEADER_NAME_LIMIT),
        leader_title=_text("leader_title", draft.leader_title, LEADER_TITLE_LIMIT),
        description=_text("description", draft.description, DESCRIPTION_LIMIT),
    )


def validate_link_draft(draft: LinkDraft) -> LinkDraft:
    try:
        position = ChainPosition(draft.position)
    except ValueError:
        raise ValidationError("position", tr("请选择环节位置（上游、中游或下游）")) from None
    try:
        kind = LinkKind(draft.kind)
    except ValueError:
        raise ValidationError("kind", tr("请选择环节类别（建链、补链、强链或延链）")) from None
    return LinkDraft(
        name=_required("name", draft.name, LINK_NAME_LIMIT),
        position=position,
        kind=kind,
        description=_text("description", draft.description, DESCRIPTION_LIMIT),
    )


def validate_note(note: str) -> str:
    return _text("note", note, NOTE_LIMIT)


def _required(field: str, value: str, limit: int) -> str:
    text = _text(field, value, limit)
    if not text:
        raise ValidationError(field, tr("请填写{field}", field=tr(_LABELS[field])))
    return text


def _text(field: str, value: str, limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(
            field, tr("{field}不能超过 {limit} 个字", field=tr(_LABELS[field]), limit=limit)
        )
    return text
