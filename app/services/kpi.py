"""The KPI dashboard (一月一调度 / 一季一评比 figures): 履约率, 开工率, 资金到位率, 建成投产率 for
a period and a squad or the whole bureau, each computed exactly as the bureau's rules define it
(``BureauRules.formulas``; the text shown beside a figure is ``KpiFormula.describe()``), with
the projects behind it, the period's 新签约 / 新开工 / 新竣工 / 新投产, and a trend.

Definitions (every date from the stage history; see ``app.services.project_facts``):

- A project is **signed** on the day it first reached 签约 — a change into 签约 or any later
  pipeline stage (在谈 → 开工 directly signs it that day).
- **Cohort** (the denominator): projects signed from the cohort's first day to the period's end
  inclusive — the period's start (本期), 1 January of the period's end year (本年度), or ever
  (累计). With ``exclude_terminated``, projects whose stage at the period's end is 解约 leave it.
- **Count rates**: a cohort project is in the numerator when it reached the formula's stage on or
  before the period's end, or (``or_funded``) has received any funds by then.
- **资金到位率**: over the cohort's projects with a contract amount (合同投资额), funds received by
  the period's end ÷ the sum of their contract amounts. Funds are not capped at the contract
  amount, so the rate can pass 100%.
- **A project that regresses** (解约 after 签约) stays in the cohort — it was signed — unless the
  formula excludes terminated projects. It is in a numerator only for a stage it reached before
  the period's end (so, in practice, before it was terminated): a project started and then
  terminated still counts as started; one terminated before starting never does.
- **Empty cohort**: the rate is None and is shown as ``—``; nothing is divided by zero.
- **新签约 / 新开工 / 新竣工 / 新投产**: projects that first reached 签约 / 开工 / 竣工 / 投产 (or
  a later stage) on a day inside the period — each project once per milestone — with the sum of
  their contract amounts.

Tombstoned records never count. With a squad chosen, only projects recorded for that squad.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction

from app.database.tables import SquadRow
from app.domain.bureau_rules import BureauRules, Cohort, KpiFormula, KpiKey
from app.domain.money import Money
from app.domain.period import Period, PeriodKind
from app.domain.vocabulary import ProjectStage
from app.i18n import tr
from app.services.bureau_settings import load_rules
from app.services.kpi_views import (
    KpiDashboard,
    KpiFigure,
    KpiProject,
    MilestoneCount,
    MilestoneEntry,
    TrendPoint,
)
from app.services.lookups import squad_options
from app.services.project_facts import (
    ProjectFacts,
    ProjectLabels,
    load_labels,
)
from app.services.project_facts_cache import ProjectFactsSource
from app.services.weekly_figures_views import SquadOption
from app.services.workspace import Workspace

MILESTONES: tuple[ProjectStage, ...] = (
    ProjectStage.SIGNED,
    ProjectStage.STARTED,
    ProjectStage.COMPLETED,
    ProjectStage.PRODUCING,
)


def milestone_name(stage: ProjectStage) -> str:
    names = {
        ProjectStage.SIGNED: tr("新签约"),
        ProjectStage.STARTED: tr("新开工"),
        ProjectStage.COMPLETED: tr("新竣工"),
        ProjectStage.PRODUCING: tr("新投产"),
    }
    return names.get(stage, stage.label)


def milestone_definition(stage: ProjectStage) -> str:
    return tr(
        "本期内首次到达“{stage}”或之后阶段的项目个数（跳过的阶段也算到达；每个项目计 1 次）"
        "及其合同投资额合计。",
        stage=stage.label,
    )


def scope_note() -> str:
    return tr(
        "签约日期、到达各阶段的日期均取自阶段记录（跳过的阶段按跳过当日计）；已删除的记录不计入；"
        "选择小分队时只计记在该小分队名下的项目。签约后解约的项目仍计入签约项目（口径注明"
        "“不含已解约”的除外），只有期末前已到达相应阶段的才计入分子。分母为 0 时显示“—”。"
    )


class KpiFacts:
    """Signed projects sorted by signing date, for computing any period quickly."""

    def __init__(self, facts: Sequence[ProjectFacts]) -> None:
        signed = [fact for fact in facts if fact.signed_on is not None]
        signed.sort(key=lambda fact: (fact.signed_on, fact.project_id))
        self.signed = signed
        self.signed_dates = [fact.signed_on or dt.date.min for fact in signed]
        self._reached: dict[ProjectStage, list[tuple[dt.date, int]]] = {
            stage: sorted(
                (on, index)
                for index, fact in enumerate(signed)
                if (on := fact.reached_on(stage)) is not None
            )
            for stage in MILESTONES
        }
        self._numerator_dates: dict[KpiFormula, list[dt.date]] = {}

    def _bounds(self, formula: KpiFormula, period: Period) -> tuple[int, int]:
        end = period.end
        match formula.cohort:
            case Cohort.PERIOD:
                first = period.start
            case Cohort.YEAR:
                first = dt.date(end.year, 1, 1)
            case _:
                first = dt.date.min
        return bisect_left(self.signed_dates, first), bisect_right(self.signed_dates, end)

    def members(self, formula: KpiFormula, period: Period) -> list[int]:
        """Indexes (into ``signed``) of the cohort's projects."""
        low, high = self._bounds(formula, period)
        members = range(low, high)
        if not formula.exclude_terminated:
            return list(members)
        end = period.end
        return [i for i in members if not self.signed[i].is_terminated(end)]

    def cohort(self, formula: KpiFormula, period: Period) -> list[ProjectFacts]:
        """The formula's denominator projects for the period (before 资金到位率 keeps only
        those with a contract amount)."""
        return [self.signed[i] for i in self.members(formula, period)]

    def numerator_dates(self, formula: KpiFormula) -> list[dt.date]:
        """Per signed project, the first day it counts in the formula's numerator (or
        ``date.max``): when it reached the stage, or (``or_funded``) first received funds."""
        found = self._numerator_dates.get(formula)
        if found is None:
            found = self._numerator_dates[formula] = [
                numerator_date(formula, fact) or dt.date.max for fact in self.signed
            ]
        return found

    def reaching(self, stage: ProjectStage, period: Period) -> list[ProjectFacts]:
        """The projects that first reached ``stage`` inside the period."""
        dates = self._reached[stage]
        low = bisect_left(dates, (period.start, -1))
        high = bisect_right(dates, (period.end, len(self.signed)))
        return [self.signed[index] for _on, index in dates[low:high]]

    def count(self, stage: ProjectStage, period: Period) -> int:
        dates = self._reached[stage]
        return bisect_right(dates, (period.end, len(self.signed))) - bisect_left(
            dates, (period.start, -1)
        )

    def rate(self, formula: KpiFormula, period: Period) -> Fraction | None:
        """The rate alone (for the trend): exact, None when the denominator is zero."""
        end = period.end
        members = self.members(formula, period)
        if formula.is_amount:
            contract = funded = 0
            for index in members:
                fact = self.signed[index]
                if fact.contract_amount is not None:
                    contract += fact.contract_amount.fen
                    if fact.funding_dates:
                        funded += fact.funded_by(end).fen
            return Fraction(funded, contract) if contract else None
        if not members:
            return None
        dates = self.numerator_dates(formula)
        return Fraction(sum(1 for index in members if dates[index] <= end), len(members))


def numerator_date(formula: KpiFormula, fact: ProjectFacts) -> dt.date | None:
    """The first day ``fact`` counts in the formula's numerator (None: never so far)."""
    days = []
    if formula.reached is not None and (reached := fact.reached_on(formula.reached)):
        days.append(reached)
    if (formula.or_funded or formula.is_amount) and (funded := fact.funded_from):
        days.append(funded)
    return min(days) if days else None


def counted(formula: KpiFormula, fact: ProjectFacts, end: dt.date) -> bool:
    """Is this cohort project in the formula's numerator at ``end``?"""
    day = numerator_date(formula, fact)
    return day is not None and day <= end


def rate_of(formula: KpiFormula, facts: KpiFacts, period: Period) -> Fraction | None:
    return facts.rate(formula, period)


def kpi_projects(
    facts: Iterable[ProjectFacts], end: dt.date, labels: Mapping[str, ProjectLabels]
) -> dict[str, KpiProject]:
    """Each listed project as it stood at ``end`` (built once, shared by the four rates)."""
    return {
        fact.project_id: KpiProject(
            project_id=fact.project_id,
            project_name=fact.name,
            enterprise_id=fact.enterprise_id,
            enterprise_name=labels[fact.project_id].enterprise_name,
            squad_name=labels[fact.project_id].squad_name,
            responsible_name=labels[fact.project_id].responsible_name,
            signed_on=fact.signed_on or end,
            stage_at_end=fact.stage_at(end),
            reached=fact.reached,
            funded=fact.funded_by(end),
            contract_amount=fact.contract_amount,
            terminated=fact.is_terminated(end),
        )
        for fact in facts
    }


def figure_of(
    formula: KpiFormula, facts: KpiFacts, period: Period, projects: Mapping[str, KpiProject]
) -> KpiFigure:
    """The rate with its parts and its projects (from ``projects``, which holds the cohort)."""
    end = period.end
    members = facts.members(formula, period)
    signed = facts.signed
    if formula.is_amount:
        members = [i for i in members if signed[i].contract_amount is not None]
    dates = facts.numerator_dates(formula)
    counted_ids = frozenset(signed[i].project_id for i in members if dates[i] <= end)
    listed = tuple(projects[signed[i].project_id] for i in members)
    numerator_amount = denominator_amount = None
    if formula.is_amount:
        numerator_amount = Money(sum(p.funded.fen for p in listed))
        denominator_amount = Money(sum(p.contract_amount.fen for p in listed if p.contract_amount))
    return KpiFigure(
        key=formula.key,
        name=formula.key.label,
        formula=formula.describe(),
        is_amount=formula.is_amount,
        reached_stage=formula.reached,
        numerator=len(counted_ids),
        denominator=len(listed),
        numerator_amount=numerator_amount,
        denominator_amount=denominator_amount,
        projects=listed,
        counted_ids=counted_ids,
    )


def milestone_of(
    stage: ProjectStage, facts: KpiFacts, period: Period, labels: Mapping[str, ProjectLabels]
) -> MilestoneCount:
    entries = sorted(
        (
            MilestoneEntry(
                project_id=fact.project_id,
                project_name=fact.name,
                enterprise_id=fact.enterprise_id,
                enterprise_name=labels[fact.project_id].enterprise_name,
                squad_name=labels[fact.project_id].squad_name,
                responsible_name=labels[fact.project_id].responsible_name,
                reached_on=on,
                contract_amount=fact.contract_amount,
            )
            for fact in facts.reaching(stage, period)
            if (on := fact.reached_on(stage)) is not None
        ),
        key=lambda entry: (entry.reached_on, entry.project_name, entry.project_id),
    )
    return MilestoneCount(
        stage=stage,
        name=milestone_name(stage),
        definition=milestone_definition(stage),
        count=len(entries),
        amount=sum((e.contract_amount or Money.zero() for e in entries), Money.zero()),
        projects=tuple(entries),
    )


def trend_of(
    rules: BureauRules, facts: KpiFacts, periods: Sequence[Period]
) -> tuple[TrendPoint, ...]:
    return tuple(
        TrendPoint(
            period=period,
            rates=tuple((key, rate_of(rules.formula(key), facts, period)) for key in KpiKey),
            counts=tuple((stage, facts.count(stage, period)) for stage in MILESTONES),
        )
        for period in periods
    )


class KpiService:
    """Computes the dashboard from the stage history, funding entries and the bureau's rules."""

    def __init__(
        self,
        workspace: Workspace,
        today: Callable[[], dt.date] = dt.date.today,
        facts: ProjectFactsSource | None = None,
    ) -> None:
        self._database = workspace.database
        self._today = today
        self._facts = facts or ProjectFactsSource(workspace.database)

    def today(self) -> dt.date:
        return self._today()

    def current_period(self, kind: PeriodKind = PeriodKind.MONTH) -> Period:
        return Period.containing(kind, self._today())

    def squads(self) -> tuple[SquadOption, ...]:
        with self._database.read() as session:
            return squad_options(session)

    def dashboard(
        self, period: Period, squad_id: str | None = None, trend_length: int | None = None
    ) -> KpiDashboard:
        """Every rate and milestone of ``period`` (one squad, or the bureau when None), and the
        trend over the ``trend_length`` periods ending with it (``Period.trend`` default)."""
        with self._database.read() as session:
            rules = load_rules(session)
            squad = session.get(SquadRow, squad_id) if squad_id else None
            facts = KpiFacts(self._facts.facts(session, squad_id=squad_id, signed_only=True))
            shown = {
                fact.project_id: fact
                for listed in (
                    *(facts.cohort(rules.formula(key), period) for key in KpiKey),
                    *(facts.reaching(stage, period) for stage in MILESTONES),
                )
                for fact in listed
            }
            labels = load_labels(session, shown.values())
        projects = kpi_projects(shown.values(), period.end, labels)
        return KpiDashboard(
            period=period,
            squad_id=squad_id,
            squad_name=squad.name if squad is not None else "",
            figures=tuple(figure_of(rules.formula(key), facts, period, projects) for key in KpiKey),
            milestones=tuple(milestone_of(stage, facts, period, labels) for stage in MILESTONES),
            trend=trend_of(rules, facts, period.trend(trend_length)),
            scope_note=scope_note(),
        )
