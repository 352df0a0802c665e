"""KPI rates and milestone counts on hand-built projects with known answers.

The period is November 2026; the default rules take each rate over the projects signed from
1 January 2026 to 30 November 2026 (本年度截至期末). The cohort is P1, P2, P3, P4, P6, P9:

- P1 signed 2026-02-01, registered, started; 3,000 万元 received of 10,000 万元.
- P2 went 在谈 → 开工 on 2026-11-05 (signed, registered and started that day); 5,000 万元.
- P3 signed 2026-03-10, terminated 2026-06-01 before registering: 2,000 万元, nothing received.
- P4 signed, registered, started 2026-06-01, terminated 2026-09-01; 1,000 of 8,000 万元.
- P6 (squad B) signed 2026-11-20 with no contract amount.
- P9 signed 2026-07-01, on hold since 2026-08-01; 500 of 4,000 万元 received.
Outside it: P5 signed in 2025 and producing since 2026-11-10 (30,000 万元 = 3 亿元), P7 only a
lead, P8 tombstoned.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest
from project_history_builder import (
    COLLEAGUE,
    SQUAD_A,
    SQUAD_B,
    D,
    add_project,
    open_workspace,
    uid,
)

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.domain.bureau_rules import Cohort, KpiFormula, KpiKey
from app.domain.money import Money
from app.domain.period import Period, PeriodKind
from app.domain.vocabulary import ProjectStage as S
from app.services.bureau_settings import BureauSettingsService
from app.services.kpi import KpiService
from app.services.kpi_views import percent_text
from app.services.project_facts_cache import ProjectFactsSource
from app.services.workspace import Workspace

TODAY = D(2026, 11, 28)
NOVEMBER = Period.month(2026, 11)
P1, P2, P3, P4, P5, P6, P7, P8, P9 = (uid(100 + n) for n in range(1, 10))


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path)
    with workspace.database.write(Actor(None, source="import")) as s:
        add_project(s, P1, "一号项目",
                    [(S.NEGOTIATING, D(2026, 1, 10)), (S.SIGNED, D(2026, 2, 1)),
                     (S.REGISTERED, D(2026, 3, 1)), (S.STARTED, D(2026, 5, 1))],
                    contract_wan=10_000, funds=[(D(2026, 4, 1), 3_000)])  # fmt: skip
        add_project(s, P2, "二号项目",
                    [(S.NEGOTIATING, D(2026, 9, 1)), (S.STARTED, D(2026, 11, 5))],
                    contract_wan=5_000)  # fmt: skip
        add_project(s, P3, "三号项目",
                    [(S.SIGNED, D(2026, 3, 10)), (S.TERMINATED, D(2026, 6, 1))],
                    contract_wan=2_000)  # fmt: skip
        add_project(s, P4, "四号项目",
                    [(S.SIGNED, D(2026, 4, 1)), (S.REGISTERED, D(2026, 5, 1)),
                     (S.STARTED, D(2026, 6, 1)), (S.TERMINATED, D(2026, 9, 1))],
                    contract_wan=8_000, funds=[(D(2026, 5, 15), 1_000)])  # fmt: skip
        add_project(s, P5, "五号项目",
                    [(S.SIGNED, D(2025, 6, 1)), (S.STARTED, D(2025, 9, 1)),
                     (S.COMPLETED, D(2026, 8, 1)), (S.PRODUCING, D(2026, 11, 10))],
                    contract_wan=30_000, funds=[(D(2025, 10, 1), 20_000)])  # fmt: skip
        add_project(s, P6, "六号项目", [(S.SIGNED, D(2026, 11, 20))], squad=SQUAD_B,
                    responsible=COLLEAGUE)  # fmt: skip
        add_project(s, P7, "七号线索", [(S.LEAD, D(2026, 10, 1))], contract_wan=900)
        add_project(s, P8, "已删除项目", [(S.SIGNED, D(2026, 5, 1))], contract_wan=700,
                    deleted=True)  # fmt: skip
        add_project(s, P9, "九号项目",
                    [(S.SIGNED, D(2026, 7, 1)), (S.SUSPENDED, D(2026, 8, 1))],
                    contract_wan=4_000, funds=[(D(2026, 7, 15), 500)])  # fmt: skip
    yield workspace
    workspace.database.dispose()


@pytest.fixture
def service(workspace: Workspace) -> KpiService:
    return KpiService(workspace, lambda: TODAY)


def test_rates_follow_the_default_formulas(service: KpiService) -> None:
    dashboard = service.dashboard(NOVEMBER)

    fulfilment = dashboard.figure(KpiKey.FULFILMENT)
    assert (fulfilment.numerator, fulfilment.denominator) == (4, 6)  # P1, P2, P4, P9 (funded)
    assert fulfilment.rate == Fraction(2, 3)
    assert fulfilment.percent == "66.7%"
    start = dashboard.figure(KpiKey.START)
    assert (start.numerator, start.denominator, start.percent) == (3, 6, "50.0%")
    producing = dashboard.figure(KpiKey.PRODUCTION)
    assert (producing.numerator, producing.denominator, producing.percent) == (0, 6, "0.0%")


def test_funding_rate_is_exact_money_over_projects_with_a_contract_amount(
    service: KpiService,
) -> None:
    funding = service.dashboard(NOVEMBER).figure(KpiKey.FUNDING)

    # P6 has no contract amount: it is left out of both sides.
    assert funding.denominator == 5
    assert funding.numerator_amount == Money.from_wan(4_500)  # 3,000 + 1,000 + 500
    assert funding.denominator_amount == Money.from_wan(29_000)
    assert funding.denominator_amount.format() == "2.9亿元"
    assert funding.numerator_amount.format() == "4500万元"
    assert funding.rate == Fraction(45, 290)
    assert funding.percent == "15.5%"


def test_a_project_terminated_after_signing_stays_signed_but_counts_only_what_it_reached(
    service: KpiService,
) -> None:
    dashboard = service.dashboard(NOVEMBER)
    fulfilment, start = dashboard.figure(KpiKey.FULFILMENT), dashboard.figure(KpiKey.START)
    listed = {p.project_id: p for p in start.projects}

    assert {P3, P4} <= set(listed)  # both were signed this year
    assert listed[P3].terminated and listed[P3].stage_at_end is S.TERMINATED
    assert not fulfilment.is_counted(listed[P3]) and not start.is_counted(listed[P3])
    assert start.is_counted(listed[P4])  # it did start before it was terminated
    assert listed[P4].reached_on(S.STARTED) == D(2026, 6, 1)
    # Before its termination (May), P3 was simply signed and not yet fulfilling.
    may = service.dashboard(Period.month(2026, 5)).figure(KpiKey.START)
    assert not next(p for p in may.projects if p.project_id == P3).terminated


def test_skipping_from_negotiation_to_started_counts_as_signed_and_started(
    service: KpiService,
) -> None:
    dashboard = service.dashboard(NOVEMBER)

    signed = dashboard.milestone(S.SIGNED)
    assert [e.project_id for e in signed.projects] == [P2, P6]
    assert signed.count == 2
    assert signed.amount == Money.from_wan(5_000)  # P6 has no contract amount
    started = dashboard.milestone(S.STARTED)
    assert [(e.project_id, e.reached_on) for e in started.projects] == [(P2, D(2026, 11, 5))]
    assert started.amount.format() == "5000万元"
    producing = dashboard.milestone(S.PRODUCING)
    assert (producing.count, producing.amount.format()) == (1, "3亿元")
    assert dashboard.milestone(S.COMPLETED).count == 0


def test_an_empty_period_has_no_rate_and_shows_a_dash(service: KpiService) -> None:
    dashboard = service.dashboard(Period.month(2020, 1))

    for figure in dashboard.figures:
        assert figure.denominator == 0
        assert figure.rate is None
        assert figure.percent == "—"
    assert all(m.count == 0 and m.amount == Money.zero() for m in dashboard.milestones)
    assert dashboard.milestone(S.SIGNED).amount.format() == "0万元"


def test_one_squad_counts_only_its_projects(service: KpiService) -> None:
    dashboard = service.dashboard(NOVEMBER, SQUAD_B)

    assert dashboard.squad_name == "装备小分队"
    fulfilment = dashboard.figure(KpiKey.FULFILMENT)
    assert (fulfilment.numerator, fulfilment.denominator, fulfilment.percent) == (0, 1, "0.0%")
    assert fulfilment.projects[0].responsible_name == "王芳"
    assert dashboard.figure(KpiKey.FUNDING).percent == "—"  # P6 has no contract amount
    squad_a = service.dashboard(NOVEMBER, SQUAD_A).figure(KpiKey.FULFILMENT)
    assert (squad_a.numerator, squad_a.denominator) == (4, 5)


def test_a_formula_changed_in_the_bureau_rules_changes_the_figure(
    workspace: Workspace, service: KpiService
) -> None:
    settings = BureauSettingsService(workspace)
    formula = KpiFormula(KpiKey.START, cohort=Cohort.ALL, reached=S.STARTED,
                         exclude_terminated=True)  # fmt: skip
    settings.save(settings.rules().with_formula(formula))

    start = service.dashboard(NOVEMBER).figure(KpiKey.START)

    # Every project signed by 30 November (P5 from 2025 too), less P3 and P4 (terminated):
    # P1, P2, P5, P6, P9, of which P1, P2 and P5 started.
    assert {p.project_id for p in start.projects} == {P1, P2, P5, P6, P9}
    assert (start.numerator, start.denominator, start.percent) == (3, 5, "60.0%")
    assert start.formula == formula.describe()
    assert "截至期末累计签约的项目（不含期末前已解约的）" in start.formula


def test_period_cohort_takes_only_projects_signed_inside_the_period(
    workspace: Workspace, service: KpiService
) -> None:
    settings = BureauSettingsService(workspace)
    formula = KpiFormula(KpiKey.FULFILMENT, cohort=Cohort.PERIOD, reached=S.REGISTERED)
    settings.save(settings.rules().with_formula(formula))

    fulfilment = service.dashboard(NOVEMBER).figure(KpiKey.FULFILMENT)

    assert (fulfilment.numerator, fulfilment.denominator) == (1, 2)  # P2 of P2, P6
    assert fulfilment.formula.startswith("履约率 = 本期签约的项目中")


def test_trend_holds_the_same_figures_for_each_month(service: KpiService) -> None:
    dashboard = service.dashboard(NOVEMBER)

    assert len(dashboard.trend) == 12
    assert dashboard.trend[-1].period == NOVEMBER
    assert dashboard.trend[0].period == Period.month(2025, 12)
    for figure in dashboard.figures:
        assert dashboard.trend[-1].rate(figure.key) == figure.rate
    july = next(point for point in dashboard.trend if point.period == Period.month(2026, 7))
    assert july.count(S.SIGNED) == 1  # P9
    # July: P1, P3, P4, P9 signed this year by 31 July; P1 and P4 had started.
    assert july.rate(KpiKey.START) == Fraction(2, 4)
    # December 2025 counts 2025's signings: P5 alone, started in September 2025.
    assert dashboard.trend[0].rate(KpiKey.START) == Fraction(1)


def test_period_labels_and_navigation() -> None:
    assert NOVEMBER.label == "2026年11月"
    assert Period.quarter(2026, 4).label == "2026年第4季度"
    assert Period.year(2026).label == "2026年"
    assert NOVEMBER.previous() == Period.month(2026, 10)
    assert Period.month(2026, 1).previous() == Period.month(2025, 12)
    assert Period.quarter(2026, 1).previous() == Period.quarter(2025, 4)
    custom = Period.custom(D(2026, 11, 1), D(2026, 11, 10))
    assert custom.previous() == Period.custom(D(2026, 10, 22), D(2026, 10, 31))
    assert Period.containing(PeriodKind.QUARTER, TODAY) == Period.quarter(2026, 4)
    assert [p.label for p in Period.quarter(2026, 4).trend()][:2] == [
        "2025年第1季度",
        "2025年第2季度",
    ]


def test_percent_rounds_half_up_to_one_decimal() -> None:
    assert percent_text(Fraction(1, 3)) == "33.3%"
    assert percent_text(Fraction(2, 3)) == "66.7%"
    assert percent_text(Fraction(1, 2000)) == "0.1%"  # 0.05% rounds up
    assert percent_text(Fraction(3, 2)) == "150.0%"
    assert percent_text(None) == "—"


def test_today_decides_the_current_period(service: KpiService) -> None:
    assert service.current_period() == NOVEMBER
    assert service.current_period(PeriodKind.YEAR) == Period.year(2026)


def test_kept_facts_are_dropped_when_the_database_changes(
    workspace: Workspace, tmp_path: Path
) -> None:
    facts = ProjectFactsSource(workspace.database)
    service = KpiService(workspace, lambda: TODAY, facts)
    assert service.dashboard(NOVEMBER).milestone(S.SIGNED).count == 2
    with workspace.database.read() as session:  # unchanged: the same facts, not read again
        assert facts.facts(session, signed_only=True) is facts.facts(session, signed_only=True)

    with workspace.database.write(Actor(None, source="import")) as s:  # this process
        add_project(s, uid(150), "新增项目", [(S.SIGNED, D(2026, 11, 3))])
    assert service.dashboard(NOVEMBER).milestone(S.SIGNED).count == 3

    other = open_local_database(tmp_path, create=False)  # another program on the same file
    try:
        with other.write(Actor(None, source="import")) as s:
            add_project(s, uid(151), "别处新增", [(S.SIGNED, D(2026, 11, 4))])
    finally:
        other.dispose()
    assert service.dashboard(NOVEMBER).milestone(S.SIGNED).count == 4
