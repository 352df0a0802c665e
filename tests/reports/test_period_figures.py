"""The figures of a week, a month and a quarter on hand-built data with known answers
(``period_fixtures`` describes the data)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.database.change_tracking import Actor
from app.database.tables import SquadRow, VisitRow
from app.domain.money import Money
from app.domain.period import Period
from app.domain.vocabulary import ProjectStage as S
from app.services.bureau_settings import BureauSettingsService
from app.services.figure_definitions import figure_definitions, period_words, week_words
from app.services.period_figures import PeriodFiguresService, squad_figures
from app.services.weekly_figures import WeeklyFiguresService
from app.services.weekly_figures_views import Figure, IsoWeek, PeriodFigures, SquadOption
from app.services.workspace import Workspace

from .period_fixtures import (
    E3,
    SQUAD_A,
    SQUAD_B,
    SQUAD_C,
    SQUAD_D,
    SQUAD_NAMES,
    W48,
    d,
    open_period_workspace,
)

Q4 = Period.quarter(2026, 4)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_period_workspace(tmp_path)
    yield workspace
    workspace.database.dispose()


def milestones(figures: PeriodFigures) -> list[tuple[int, Money]]:
    return [(m.count, m.amount) for m in figures.milestones]


def wan(amount: int) -> Money:
    return Money.from_wan(amount)


def test_the_bureau_week_counts_every_figure_by_hand(workspace: Workspace) -> None:
    figures = PeriodFiguresService(workspace).figures(W48.first_day, W48.last_day)
    # 2 days of the Sunday–Tuesday trip, the one-day trip, 3 days of the Friday–Tuesday trip;
    # the deleted trip not at all
    assert (figures.trip_days, figures.trip_count) == (6, 3)
    # E1 twice, E2 by two squads, E5; the deleted visit not at all
    assert (figures.visit_count, figures.enterprises_visited) == (5, 3)
    assert milestones(figures) == [
        (3, wan(6_500)),  # 新材料基地 5,000 + 当周签约开工 1,200 + 导入项目 300
        (2, wan(21_200)),  # 智能装备园 20,000 + 当周签约开工 1,200
        (0, Money.zero()),
        (1, wan(30_000)),  # 投产项目
    ]
    assert [(p.stage, p.changed_on, p.project_name) for p in figures.projects] == [
        (S.SIGNED, d(11, 23), "当周签约开工"),
        (S.SIGNED, d(11, 24), "新材料基地"),
        (S.SIGNED, d(11, 26), "导入项目"),  # no stage history: read from its own dates
        (S.STARTED, d(11, 27), "当周签约开工"),
        (S.STARTED, d(11, 27), "智能装备园"),
        (S.PRODUCING, d(11, 28), "投产项目"),
    ]
    # back from 暂缓 on 11-25: signed in October, not again; the deleted project never
    names = {p.project_name for p in figures.projects}
    assert names.isdisjoint({"暂缓恢复项目", "已删除项目"})


def test_a_trip_across_the_week_boundary_counts_its_days_in_each_week(
    workspace: Workspace,
) -> None:
    service = PeriodFiguresService(workspace)
    w47 = W48.previous()
    assert service.figures(w47.first_day, w47.last_day, SQUAD_A).trip_days == 1  # Sunday 11-22
    assert service.figures(W48.first_day, W48.last_day, SQUAD_A).trip_days == 2 + 3
    w49 = W48.next()
    assert service.figures(w49.first_day, w49.last_day, SQUAD_A).trip_days == 2  # 11-30, 12-01


def test_one_squad_counts_only_its_own_records(workspace: Workspace) -> None:
    service = PeriodFiguresService(workspace)
    a = service.figures(W48.first_day, W48.last_day, SQUAD_A)
    assert (a.squad_name, a.trip_days, a.visit_count, a.enterprises_visited) == (
        "新材料小分队",
        5,
        3,
        2,
    )
    assert milestones(a)[:2] == [(3, wan(6_500)), (1, wan(1_200))]
    b = service.figures(W48.first_day, W48.last_day, SQUAD_B)
    assert (b.trip_days, b.visit_count, b.enterprises_visited) == (1, 1, 1)
    assert milestones(b) == [(0, Money.zero()), (1, wan(20_000)), (0, Money.zero()),
                             (1, wan(30_000))]  # fmt: skip


def test_split_by_squad_adds_up_to_the_bureau_with_a_line_for_no_squad(
    workspace: Workspace,
) -> None:
    activity = PeriodFiguresService(workspace).activity(W48.first_day, W48.last_day)
    squads = [SquadOption(key, name) for key, name in SQUAD_NAMES.items()]
    lines = squad_figures(activity, squads)
    bureau = activity.figures()
    assert [line.squad_id for line in lines] == [SQUAD_A, SQUAD_B, SQUAD_C, SQUAD_D, None]
    assert (lines[-1].visit_count, lines[-1].enterprises_visited) == (1, 1)  # E5, no squad
    assert sum(line.trip_days for line in lines) == bureau.trip_days
    assert sum(line.visit_count for line in lines) == bureau.visit_count
    for index, stage in enumerate(bureau.milestones):
        assert sum(line.milestones[index].count for line in lines) == stage.count
        assert sum((line.milestones[index].amount for line in lines), Money.zero()) == stage.amount
    # E2 was visited by A and by B: once for the bureau, once for each squad
    assert sum(line.enterprises_visited for line in lines) == bureau.enterprises_visited + 1


def test_a_friday_week_start_shifts_which_days_count(workspace: Workspace) -> None:
    settings = BureauSettingsService(workspace)
    settings.save(replace(settings.rules(), week_start=5))
    service = WeeklyFiguresService(workspace, lambda: d(11, 28))
    assert service.current_week() == IsoWeek(2026, 48, 5)
    figures = service.figures(W48)  # asked as an ISO week: laid out as the bureau's week
    assert (figures.week.first_day, figures.week.last_day) == (d(11, 27), d(12, 3))
    assert figures.trip_days == 5  # the Friday–Tuesday trip only
    assert (figures.visit_count, figures.enterprises_visited) == (4, 3)  # E5, E2, E4 twice
    assert [(m.count, m.amount) for m in figures.milestones] == [
        (0, Money.zero()),
        (2, wan(21_200)),
        (0, Money.zero()),
        (1, wan(30_000)),
    ]
    definitions = {item.figure: item.definition for item in service.definitions()}
    assert "本周（周五至下周四）" in definitions[Figure.TRIP_DAYS]
    assert "如周四出发、周六返回：上周计 1 天，本周计 2 天" in definitions[Figure.TRIP_DAYS]


def test_the_weekly_service_and_the_period_service_agree(workspace: Workspace) -> None:
    weekly = WeeklyFiguresService(workspace, lambda: d(11, 25)).figures(W48, SQUAD_A)
    period = PeriodFiguresService(workspace).figures(W48.first_day, W48.last_day, SQUAD_A)
    assert (weekly.trip_days, weekly.visit_count, weekly.enterprises_visited) == (
        period.trip_days,
        period.visit_count,
        period.enterprises_visited,
    )
    assert weekly.milestones == period.milestones
    assert weekly.projects == period.projects


def test_the_quarter_counts_the_same_way(workspace: Workspace) -> None:
    service = PeriodFiguresService(workspace)
    a = service.figures(Q4.start, Q4.end, SQUAD_A)
    assert (a.trip_days, a.visit_count, a.enterprises_visited) == (3 + 5, 3, 2)
    # 暂缓恢复项目 first signed on 10-05: inside the quarter, once
    assert milestones(a) == [(4, wan(7_300)), (1, wan(1_200)), (0, Money.zero()),
                             (0, Money.zero())]  # fmt: skip
    b = service.figures(Q4.start, Q4.end, SQUAD_B)
    assert (b.trip_days, b.visit_count, b.enterprises_visited) == (1, 2, 2)
    assert milestones(b) == [(0, Money.zero()), (1, wan(20_000)), (1, wan(30_000)),
                             (1, wan(30_000))]  # fmt: skip
    c = service.figures(Q4.start, Q4.end, SQUAD_C)
    assert (c.trip_days, c.visit_count, c.enterprises_visited) == (0, 2, 2)
    bureau = service.figures(Q4.start, Q4.end)
    assert (bureau.trip_days, bureau.visit_count, bureau.enterprises_visited) == (9, 8, 5)


def test_definitions_name_the_range_they_count() -> None:
    monday = {item.figure: item.definition for item in figure_definitions(week_words(1))}
    assert "本周（周一至周日）" in monday[Figure.TRIP_DAYS]
    assert "如周日出发、周二返回：上周计 1 天，本周计 2 天" in monday[Figure.TRIP_DAYS]
    sunday = figure_definitions(week_words(7))[0].definition
    assert "本周（周日至下周六）" in sunday
    month = {
        i.figure: i.definition for i in figure_definitions(period_words(Period.month(2026, 11)))
    }
    assert "本月（2026-11-01 至 2026-11-30）" in month[Figure.TRIP_DAYS]
    assert "跨月行程只计本月内的天数" in month[Figure.TRIP_DAYS]
    assert "在本月内首次到达“开工”" in month[Figure.STARTED]
    quarter = figure_definitions(period_words(Q4))
    assert [item.figure for item in quarter][-1] is Figure.SCOPE
    assert "拜访日期在本季度内" in quarter[2].definition


def test_records_of_a_deleted_squad_go_to_the_line_of_no_squad(workspace: Workspace) -> None:
    gone = "0190b6a0-0000-7000-8000-000000000099"
    with workspace.database.write(Actor(None, source="import")) as s:
        s.add(SquadRow(id=gone, name="已撤销小分队", deleted=True))
        s.flush()
        s.add(VisitRow(enterprise_id=E3, visited_on=d(11, 25), squad_id=gone))
    activity = PeriodFiguresService(workspace).activity(W48.first_day, W48.last_day)
    squads = [SquadOption(key, name) for key, name in SQUAD_NAMES.items()]
    lines = squad_figures(activity, squads)
    assert (lines[-1].squad_name, lines[-1].visit_count) == ("（未归属小分队）", 2)
    assert sum(line.visit_count for line in lines) == activity.figures().visit_count == 6
