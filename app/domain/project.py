"""Projects: which stage moves are allowed (线索 → … → 投产, exits 解约 / 暂缓), what a project
and a funding entry must hold, and when a move is first a signing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from app.domain.bureau_rules import MissingEvidence
from app.domain.errors import ValidationError
from app.domain.money import Money, parse_wan
from app.domain.vocabulary import LAND_UNIT, PIPELINE, ProjectStage
from app.i18n import tr


def allowed_moves(current: ProjectStage) -> tuple[ProjectStage, ...]:
    """Forward along the pipeline (skipping is allowed: a signing may be reported late),
    out to 解约/暂缓 from any live stage, and from 暂缓 back to any stage up to where it was."""
    if current is ProjectStage.TERMINATED:
        return ()
    if current is ProjectStage.SUSPENDED:
        return (*PIPELINE, ProjectStage.TERMINATED)
    later = PIPELINE[current.order + 1 :]
    if current is ProjectStage.PRODUCING:
        return ()
    return (*later, ProjectStage.TERMINATED, ProjectStage.SUSPENDED)


def check_move(
    current: ProjectStage, target: ProjectStage, on: dt.date, last_change_on: dt.date | None
) -> None:
    """Raise ``ValidationError`` naming why ``current → target`` on ``on`` is not allowed."""
    if target not in allowed_moves(current):
        raise ValidationError(
            "stage",
            tr("项目不能从“{current}”转到“{target}”", current=current.label, target=target.label),
        )
    if last_change_on is not None and on < last_change_on:
        raise ValidationError(
            "changed_on",
            tr("阶段变更日期不能早于上一次变更（{date}）", date=last_change_on.isoformat()),
        )


STARTING_STAGES: tuple[ProjectStage, ...] = (ProjectStage.LEAD, ProjectStage.NEGOTIATING)
"""Where a new project may start: a lead (线索) or already under negotiation (在谈)."""

NAME_LIMIT = 200
SITE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class ProjectDraft:
    """A project as typed in the editor. Amounts are ``Money`` (entered in 万元), land in 亩."""

    name: str
    enterprise_id: str | None
    squad_id: str | None = None
    chain_link_id: str | None = None
    content: str = ""
    site: str = ""
    land_mu: Decimal | None = None
    contract_amount: Money | None = None
    phase1_amount: Money | None = None


def validate_project_draft(draft: ProjectDraft) -> ProjectDraft:
    """Trimmed copy of the draft; ``ValidationError`` naming the first bad field."""
    name = " ".join(draft.name.split())
    if not name:
        raise ValidationError("name", tr("请填写项目名称"))
    if len(name) > NAME_LIMIT:
        raise ValidationError("name", tr("项目名称不能超过 {limit} 个字", limit=NAME_LIMIT))
    if not draft.enterprise_id:
        raise ValidationError("enterprise_id", tr("请选择项目所属企业"))
    site = draft.site.strip()
    if len(site) > SITE_LIMIT:
        raise ValidationError("site", tr("项目选址不能超过 {limit} 个字", limit=SITE_LIMIT))
    land = draft.land_mu
    if land is not None:
        if not land.is_finite() or land < 0:
            raise ValidationError("land_mu", tr("用地面积不能为负数"))
        if land != land.quantize(Decimal("0.01")):
            raise ValidationError("land_mu", tr("用地面积最多保留两位小数"))
        if land >= Decimal("10000000000"):
            raise ValidationError("land_mu", tr("用地面积过大"))
    for field, amount in (
        ("contract_amount", draft.contract_amount),
        ("phase1_amount", draft.phase1_amount),
    ):
        if amount is not None and amount.fen < 0:
            raise ValidationError(field, tr("金额不能为负数"))
    contract, phase1 = draft.contract_amount, draft.phase1_amount
    if contract is not None and phase1 is not None and contract < phase1:
        raise ValidationError(
            "phase1_amount",
            tr(
                "一期投资（{phase1}）不能超过合同投资额（{contract}）",
                phase1=phase1.format(),
                contract=contract.format(),
            ),
        )
    return ProjectDraft(
        name=name,
        enterprise_id=draft.enterprise_id,
        squad_id=draft.squad_id or None,
        chain_link_id=draft.chain_link_id or None,
        content=draft.content.strip(),
        site=site,
        land_mu=land,
        contract_amount=contract,
        phase1_amount=phase1,
    )


def check_starting_stage(stage: ProjectStage) -> None:
    if stage not in STARTING_STAGES:
        raise ValidationError(
            "stage",
            tr(
                "新项目只能从“{lead}”或“{negotiating}”开始",
                lead=ProjectStage.LEAD.label,
                negotiating=ProjectStage.NEGOTIATING.label,
            ),
        )


def check_not_future(field: str, day: dt.date, today: dt.date, what: str) -> None:
    """``what`` (already translated, e.g. “阶段变更日期”) may not lie after today."""
    if day > today:
        raise ValidationError(field, tr("{what}不能晚于今天", what=what))


def check_exit_reason(target: ProjectStage, note: str) -> None:
    """解约 needs its reason written down."""
    if target is ProjectStage.TERMINATED and not note.strip():
        raise ValidationError("note", tr("解约需要填写原因"))


def highest_reached(stages: Iterable[ProjectStage | None]) -> ProjectStage | None:
    """The furthest pipeline stage among ``stages`` (exits ignored); None when there is none."""
    reached = [stage for stage in stages if stage is not None and stage in PIPELINE]
    return max(reached, key=lambda stage: stage.order) if reached else None


def first_signing(signed_on: dt.date | None, target: ProjectStage, on: dt.date) -> dt.date | None:
    """``signed_on`` after a move to ``target`` on ``on``: set when 签约 (or a later pipeline
    stage, a skip) is reached for the first time; kept once set."""
    if signed_on is not None:
        return signed_on
    if target in PIPELINE and target.order >= ProjectStage.SIGNED.order:
        return on
    return None


def check_funding(received_on: dt.date | None, amount: Money | None, today: dt.date) -> None:
    """A 实际到资 entry: a date not after today and an amount above zero."""
    if received_on is None:
        raise ValidationError("received_on", tr("请填写到资日期"))
    check_not_future("received_on", received_on, today, tr("到资日期"))
    if amount is None or amount.fen <= 0:
        raise ValidationError("amount", tr("到资金额应大于零"))


class MissingEvidenceError(ValidationError):
    """A stage move refused because evidence is missing; ``missing`` lists what, per gate."""

    def __init__(self, message: str, missing: tuple[MissingEvidence, ...]) -> None:
        super().__init__("evidence", message)
        self.missing = missing


def parse_mu(raw: str, field: str = "land_mu") -> Decimal | None:
    """Land in 亩 as typed (blank: not known); ``ValidationError`` naming ``field`` otherwise."""
    text = raw.strip().replace(",", "").replace("，", "").removesuffix(LAND_UNIT).strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except ArithmeticError:
        raise ValidationError(field, tr("用地面积“{raw}”不是数字", raw=raw)) from None
    if not value.is_finite():
        raise ValidationError(field, tr("用地面积“{raw}”不是数字", raw=raw))
    return value


def parse_optional_wan(raw: str, field: str) -> Money | None:
    """An amount in 万元 as typed, or None when left blank."""
    return parse_wan(raw, field) if raw.strip() else None
