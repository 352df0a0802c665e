"""Frozen views of the KPI dashboard: each rate with its formula and projects, the period's
新签约 / 新开工 / 新竣工 / 新投产, and the trend."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from app.domain.bureau_rules import KpiKey
from app.domain.money import Money
from app.domain.period import Period
from app.domain.vocabulary import PIPELINE, ProjectStage
from app.i18n import tr

EMPTY_RATE = "—"


def percent_text(rate: Fraction | None) -> str:
    """``66.7%`` (one decimal, half up, exact); ``—`` when there is nothing to divide by."""
    if rate is None:
        return EMPTY_RATE
    tenths = rate * 1000
    rounded = (tenths.numerator * 2 + tenths.denominator) // (tenths.denominator * 2)
    whole, tenth = divmod(rounded, 10)
    return tr("{percent}%", percent=f"{whole}.{tenth}")


@dataclass(frozen=True, slots=True)
class KpiProject:
    """One project of a rate's denominator, as it stood at the period's end (shared by every
    rate that lists it; ``KpiFigure.counted_ids`` says which numerators it is in)."""

    project_id: str
    project_name: str
    enterprise_id: str
    enterprise_name: str
    squad_name: str
    responsible_name: str
    signed_on: dt.date
    stage_at_end: ProjectStage | None
    """Its stage at the period's end."""
    reached: tuple[dt.date | None, ...]
    """When it first reached each pipeline stage (by pipeline order; None: not yet)."""
    funded: Money
    """实际到资 received by the period's end."""
    contract_amount: Money | None
    terminated: bool
    """Terminated (解约) by the period's end."""

    def reached_on(self, stage: ProjectStage | None) -> dt.date | None:
        return self.reached[PIPELINE.index(stage)] if stage in PIPELINE else None


@dataclass(frozen=True, slots=True)
class KpiFigure:
    """One rate. Count rates: ``numerator`` of ``denominator`` projects. 资金到位率:
    ``numerator_amount`` ÷ ``denominator_amount``; ``denominator`` is the number of projects
    whose contract amounts are summed and ``numerator`` how many of them received funds."""

    key: KpiKey
    name: str
    formula: str
    is_amount: bool
    reached_stage: ProjectStage | None
    """The stage the numerator asks for (None for 资金到位率)."""
    numerator: int
    denominator: int
    numerator_amount: Money | None
    denominator_amount: Money | None
    projects: tuple[KpiProject, ...]
    """The denominator's projects, oldest signing first."""
    counted_ids: frozenset[str]
    """The ids of those in the numerator."""

    def is_counted(self, project: KpiProject) -> bool:
        return project.project_id in self.counted_ids

    @property
    def rate(self) -> Fraction | None:
        """Exact; None when the denominator is zero (shown as ``—``)."""
        if self.is_amount:
            assert self.numerator_amount is not None and self.denominator_amount is not None
            if not self.denominator_amount:
                return None
            return Fraction(self.numerator_amount.fen, self.denominator_amount.fen)
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    @property
    def percent(self) -> str:
        return percent_text(self.rate)


@dataclass(frozen=True, slots=True)
class MilestoneEntry:
    """A project that reached the milestone inside the period."""

    project_id: str
    project_name: str
    enterprise_id: str
    enterprise_name: str
    squad_name: str
    responsible_name: str
    reached_on: dt.date
    contract_amount: Money | None


@dataclass(frozen=True, slots=True)
class MilestoneCount:
    """新签约 / 新开工 / 新竣工 / 新投产: projects that first reached ``stage`` in the period."""

    stage: ProjectStage
    name: str
    definition: str
    count: int
    amount: Money
    """Sum of their contract amounts (合同投资额; projects without one add nothing)."""
    projects: tuple[MilestoneEntry, ...]


@dataclass(frozen=True, slots=True)
class TrendPoint:
    period: Period
    rates: tuple[tuple[KpiKey, Fraction | None], ...]
    counts: tuple[tuple[ProjectStage, int], ...]

    def rate(self, key: KpiKey) -> Fraction | None:
        return dict(self.rates)[key]

    def count(self, stage: ProjectStage) -> int:
        return dict(self.counts)[stage]


@dataclass(frozen=True, slots=True)
class KpiDashboard:
    period: Period
    squad_id: str | None
    squad_name: str
    """Empty for the whole bureau (全局)."""
    figures: tuple[KpiFigure, ...]
    milestones: tuple[MilestoneCount, ...]
    trend: tuple[TrendPoint, ...]
    """The chosen period and those before it, oldest first."""
    scope_note: str
    """What counts at all (tombstones, squad, how a regression counts) — shown under the cards."""

    def figure(self, key: KpiKey) -> KpiFigure:
        return next(figure for figure in self.figures if figure.key is key)

    def milestone(self, stage: ProjectStage) -> MilestoneCount:
        return next(count for count in self.milestones if count.stage is stage)
