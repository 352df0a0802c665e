"""The rules a bureau sets for itself (单位设置): which evidence each project gate needs, when a
signed project counts as overdue, and how its KPI rates (履约率, 开工率, 资金到位率, 建成投产率) are
defined. Bureaus define these differently (research/domain.md §3), so none is hard-coded.

Pure values: ``app.services.bureau_settings`` reads and writes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from app.domain.errors import ValidationError
from app.domain.vocabulary import PIPELINE, AttachmentKind, ProjectStage
from app.i18n import mark, tr

EVIDENCE_KINDS: tuple[AttachmentKind, ...] = (
    AttachmentKind.AGREEMENT,
    AttachmentKind.BUSINESS_LICENCE,
    AttachmentKind.GROUNDBREAKING_PHOTO,
    AttachmentKind.FUNDS_PROOF,
)
"""The attachment kinds that count as evidence for a gate (协议, 营业执照, 开工照片, 到资凭证)."""

GATES: tuple[ProjectStage, ...] = PIPELINE[2:]
"""Stages that can demand evidence on entry: 签约 and everything after it."""


class KpiKey(StrEnum):
    FULFILMENT = "fulfilment"
    START = "start"
    FUNDING = "funding"
    PRODUCTION = "production"

    @property
    def label(self) -> str:
        return tr(_KPI_LABELS[self])


_KPI_LABELS = {
    KpiKey.FULFILMENT: mark("履约率"),
    KpiKey.START: mark("开工率"),
    KpiKey.FUNDING: mark("资金到位率"),
    KpiKey.PRODUCTION: mark("建成投产率"),
}


class Cohort(StrEnum):
    """Which signed projects a rate is taken over (its denominator)."""

    PERIOD = "period"
    """Signed inside the chosen period."""
    YEAR = "year"
    """Signed from 1 January of the period's last year to the period's end (年度累计)."""
    ALL = "all"
    """Every project signed up to the period's end (历年累计)."""

    @property
    def label(self) -> str:
        return tr(_COHORT_LABELS[self])


_COHORT_LABELS = {
    Cohort.PERIOD: mark("本期签约的项目"),
    Cohort.YEAR: mark("本年度截至期末签约的项目"),
    Cohort.ALL: mark("截至期末累计签约的项目"),
}


@dataclass(frozen=True, slots=True)
class KpiFormula:
    """One rate: among the cohort's signed projects, the share that reached ``reached`` by the
    period's end (or, for 资金到位率, funds received ÷ contract amounts)."""

    key: KpiKey
    cohort: Cohort = Cohort.YEAR
    reached: ProjectStage | None = None
    """Count rates: the stage a project must have reached by the period's end. None for
    资金到位率, which is an amount rate."""
    or_funded: bool = False
    """Count rates: a project that has received any funds by the period's end counts too."""
    exclude_terminated: bool = False
    """Leave projects terminated (解约) by the period's end out of the denominator."""

    @property
    def is_amount(self) -> bool:
        return self.reached is None

    def describe(self) -> str:
        """The formula as printed beside the figure (口径)."""
        cohort = self.cohort.label
        if self.exclude_terminated:
            cohort = tr("{cohort}（不含期末前已解约的）", cohort=cohort)
        if self.is_amount:
            return tr(
                "{name} = {cohort}截至期末的实际到资累计 ÷ 这些项目的合同投资额合计"
                "（只计填写了合同投资额的项目）",
                name=self.key.label,
                cohort=cohort,
            )
        assert self.reached is not None
        reached = tr("截至期末已到“{stage}”或之后阶段", stage=self.reached.label)
        if self.or_funded:
            reached = tr("{reached}或已有实际到资", reached=reached)
        return tr(
            "{name} = {cohort}中{reached}的项目数 ÷ {cohort}数",
            name=self.key.label,
            cohort=cohort,
            reached=reached,
        )


DEFAULT_FORMULAS: tuple[KpiFormula, ...] = (
    KpiFormula(KpiKey.FULFILMENT, reached=ProjectStage.REGISTERED, or_funded=True),
    KpiFormula(KpiKey.START, reached=ProjectStage.STARTED),
    KpiFormula(KpiKey.FUNDING),
    KpiFormula(KpiKey.PRODUCTION, reached=ProjectStage.PRODUCING),
)

DEFAULT_EVIDENCE: Mapping[ProjectStage, tuple[AttachmentKind, ...]] = {
    ProjectStage.SIGNED: (AttachmentKind.AGREEMENT,),
    ProjectStage.REGISTERED: (AttachmentKind.BUSINESS_LICENCE,),
    ProjectStage.STARTED: (AttachmentKind.GROUNDBREAKING_PHOTO,),
}


@dataclass(frozen=True, slots=True)
class MissingEvidence:
    gate: ProjectStage
    kind: AttachmentKind


BUREAU_NAME_MAX = 60


@dataclass(frozen=True, slots=True)
class BureauRules:
    evidence: Mapping[ProjectStage, tuple[AttachmentKind, ...]] = field(
        default_factory=lambda: dict(DEFAULT_EVIDENCE)
    )
    """Gate → the evidence kinds a project must carry to enter it."""
    not_started_months: int = 3
    """签约N个月未开工: signed at least this many months ago and not started."""
    unfulfilled_months: int = 6
    """三未 · 未履约: signed at least this many months ago and not yet fulfilling (履约)."""
    not_producing_months: int = 24
    """三未 · 未建成投产: started at least this many months ago and not producing."""
    link_quiet_days: int = 90
    """Chain map: a link with no visit in this many days is a gap."""
    week_start: int = 1
    """First day of a reporting week, ISO weekday (1 = Monday, ISO weeks)."""
    bureau_name: str = ""
    """The bureau's name as printed at the head of its reports (“江淮市投资促进局”)."""
    formulas: tuple[KpiFormula, ...] = DEFAULT_FORMULAS

    def formula(self, key: KpiKey) -> KpiFormula:
        for formula in self.formulas:
            if formula.key is key:
                return formula
        return next(formula for formula in DEFAULT_FORMULAS if formula.key is key)

    def with_formula(self, formula: KpiFormula) -> BureauRules:
        others = tuple(f for f in self.formulas if f.key is not formula.key)
        ordered = sorted((*others, formula), key=lambda f: list(KpiKey).index(f.key))
        return replace(self, formulas=tuple(ordered))

    def required_evidence(self, gates: Iterable[ProjectStage]) -> tuple[MissingEvidence, ...]:
        """Every (gate, kind) the given gates demand, in pipeline order."""
        wanted = sorted(set(gates), key=lambda stage: stage.order)
        return tuple(
            MissingEvidence(gate, kind) for gate in wanted for kind in self.evidence.get(gate, ())
        )

    def missing_evidence(
        self, gates: Iterable[ProjectStage], present: Iterable[AttachmentKind]
    ) -> tuple[MissingEvidence, ...]:
        """What the gates demand that ``present`` lacks."""
        have = set(present)
        return tuple(need for need in self.required_evidence(gates) if need.kind not in have)


def gates_crossed(
    highest_reached: ProjectStage | None, target: ProjectStage
) -> tuple[ProjectStage, ...]:
    """The gates a move to ``target`` enters for the first time, given the furthest pipeline
    stage the project has reached before (skipping 签约 to report 开工 crosses both gates)."""
    if target not in PIPELINE:
        return ()
    start = highest_reached.order + 1 if highest_reached is not None else 0
    return tuple(stage for stage in PIPELINE[start : target.order + 1] if stage in GATES)


def missing_evidence_message(missing: Iterable[MissingEvidence]) -> str:
    """“进入“签约”需要：协议；进入“开工”需要：开工照片” — what a refused move lacks."""
    by_gate: dict[ProjectStage, list[str]] = {}
    for need in missing:
        by_gate.setdefault(need.gate, []).append(need.kind.label)
    parts = [
        tr("进入“{stage}”需要：{kinds}", stage=gate.label, kinds=tr("、").join(kinds))
        for gate, kinds in by_gate.items()
    ]
    return tr("缺少证据材料，请先上传：{parts}", parts=tr("；").join(parts))


def check_rules(rules: BureauRules) -> BureauRules:
    """Raise ``ValidationError`` naming the first out-of-range setting."""
    bounds = (
        ("not_started_months", rules.not_started_months, 1, 60, mark("签约后未开工的月数")),
        ("unfulfilled_months", rules.unfulfilled_months, 1, 60, mark("签约后未履约的月数")),
        ("not_producing_months", rules.not_producing_months, 1, 120, mark("开工后未投产的月数")),
        ("link_quiet_days", rules.link_quiet_days, 1, 3650, mark("产业链环节无拜访的天数")),
        ("week_start", rules.week_start, 1, 7, mark("每周起始日")),
    )
    for name, value, low, high, label in bounds:
        if not low <= value <= high:
            raise ValidationError(
                name, tr("{label}应在 {low} 到 {high} 之间", label=tr(label), low=low, high=high)
            )
    if len(rules.bureau_name) > BUREAU_NAME_MAX:
        raise ValidationError(
            "bureau_name", tr("单位名称不能超过 {count} 个字", count=BUREAU_NAME_MAX)
        )
    for gate, kinds in rules.evidence.items():
        if gate not in GATES or any(kind not in EVIDENCE_KINDS for kind in kinds):
            raise ValidationError("evidence", tr("证据要求只能设在签约及之后的阶段"))
    for formula in rules.formulas:
        if formula.key is KpiKey.FUNDING and not formula.is_amount:
            raise ValidationError("formulas", tr("资金到位率按金额计算，不能设为按阶段计数"))
        if formula.key is not KpiKey.FUNDING and formula.is_amount:
            raise ValidationError(
                "formulas", tr("{name}需要选择计入分子的阶段", name=formula.key.label)
            )
        if formula.reached is not None and formula.reached not in PIPELINE[3:]:
            raise ValidationError("formulas", tr("计入分子的阶段应在签约之后"))
    return rules
