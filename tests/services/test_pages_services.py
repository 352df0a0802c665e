"""Workbench, projects, chains, tasks and weekly figures on hand-built data with known answers.

"Today" is Wednesday 2026-11-25, in ISO week 2026-W48 (Monday 11-23 to Sunday 11-29).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import (
    ChainLinkRow,
    CommitmentRow,
    EnterpriseLinkRow,
    EnterpriseRow,
    FundingEntryRow,
    IndustryChainRow,
    LocalSetting,
    MemberRow,
    OutboxEntry,
    ProblemRow,
    ProjectRow,
    SquadRow,
    StageChangeRow,
    TaskRow,
    TripRow,
    VisitRow,
)
from app.domain.errors import NotFoundError
from app.domain.money import Money
from app.domain.period import add_months
from app.domain.trip import days_within
from app.domain.vocabulary import ProjectStage, TaskStatus
from app.services.chains import ChainService, LinkGap
from app.services.projects import ProjectService
from app.services.tasks import TaskFilter, TaskScope, TaskService, TaskState
from app.services.weekly_figures import WeeklyFiguresService
from app.services.weekly_figures_views import IsoWeek
from app.services.workbench import WorkbenchService
from app.services.workbench_views import AttentionKind, TaskBucket
from app.services.workspace import CURRENT_MEMBER, Workspace

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
W48 = IsoWeek(2026, 48)


def uid(n: int) -> str:
    return f"0190b6a0-0000-7000-8000-{n:012d}"


SQUAD_A, SQUAD_B = uid(1), uid(2)
ME, COLLEAGUE, OTHER = uid(11), uid(12), uid(13)
E1, E2, E3, E4 = uid(21), uid(22), uid(23), uid(24)
P_SIGNED_IN, P_SIGNED_BEFORE, P_STARTED, P_BOTH, P_DELETED = (uid(n) for n in range(31, 36))
P_OLD_SIGNED, P_REGISTERED, P_HISTORY_ONLY = uid(37), uid(38), uid(39)
CHAIN, L_OK, L_EMPTY, L_STALE, L_NEVER = uid(41), uid(42), uid(43), uid(44), uid(45)
SQUAD_A_E1 = {"squad_id": SQUAD_A, "enterprise_id": E1}


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    database = open_local_database(tmp_path)
    with database.write(Actor(None, source="import")) as s:
        s.add(SquadRow(id=SQUAD_A, name="新材料小分队"))
        s.flush()  # the first flush alone creates the device sequence setting
        s.add(SquadRow(id=SQUAD_B, name="装备小分队"))
        s.flush()
        for mid, name, squad in ((ME, "李明", SQUAD_A), (COLLEAGUE, "王芳", SQUAD_A),
                                 (OTHER, "赵强", SQUAD_B)):  # fmt: skip
            s.add(MemberRow(id=mid, name=name, squad_id=squad))
        s.flush()
        for eid, name, squad in (
            (E1, "甲材料有限公司", SQUAD_A),
            (E2, "乙电子有限公司", SQUAD_A),
            (E3, "丙装备有限公司", SQUAD_B),
            (E4, "丁能源有限公司", SQUAD_B),
        ):
            s.add(EnterpriseRow(id=eid, name=name, name_key=name, squad_id=squad))
        s.flush()
        _chains(s)
        s.flush()
        _fieldwork(s)
        _projects(s)
        s.add(LocalSetting(key=CURRENT_MEMBER, value=ME))
    yield Workspace(database, tmp_path)
    database.dispose()


def _fieldwork(s: Session) -> None:
    add = s.add
    # trips: Sunday→Tuesday across W47/W48; a one-day trip of squad B; a deleted trip
    add(TripRow(title="赴深圳", squad_id=SQUAD_A, start_on=d(11, 22), end_on=d(11, 24)))
    add(TripRow(title="赴西安", squad_id=SQUAD_B, start_on=d(11, 25), end_on=d(11, 25)))
    add(TripRow(title="作废", squad_id=SQUAD_A, start_on=d(11, 23), end_on=d(11, 27), deleted=True))
    # visits: E1 twice and E2 once in W48, E3 next week, one deleted, older ones
    for e, day, squad, gone in (
        (E1, d(11, 23), SQUAD_A, False), (E1, d(11, 26), SQUAD_A, False),
        (E2, d(11, 29), SQUAD_B, False), (E3, d(11, 30), SQUAD_B, False),
        (E4, d(11, 24), SQUAD_A, True), (E2, d(11, 12), SQUAD_A, False),
        (E2, d(11, 20), SQUAD_B, False), (E2, d(11, 11), SQUAD_A, False),
        (E1, d(8, 1), SQUAD_A, False), (E3, d(8, 10), SQUAD_B, False),
    ):  # fmt: skip
        add(VisitRow(enterprise_id=e, visited_on=day, squad_id=squad, author_id=ME, deleted=gone))
    # tasks of mine: overdue, today, in 7 days, in 8 days, done, undated; one of a colleague
    for title, due, status, owner in (
        ("催办协议", d(11, 20), "open", ME), ("报送周报", TODAY, "open", ME),
        ("回访甲材料", d(12, 2), "open", ME), ("准备季度评比", d(12, 3), "open", ME),
        ("已办事项", d(11, 1), "done", ME), ("长期跟踪", None, "open", ME),
        ("同事任务", d(11, 21), "open", COLLEAGUE),
    ):  # fmt: skip
        add(TaskRow(title=title, due_on=due, status=status, owner_id=owner, **SQUAD_A_E1))
    s.flush()
    add(CommitmentRow(enterprise_id=E1, content="协调用地指标", due_on=d(11, 24)))
    add(CommitmentRow(enterprise_id=E1, content="今日到期", due_on=TODAY))
    add(CommitmentRow(enterprise_id=E2, content="已兑现", due_on=d(10, 1), status="honoured"))
    add(CommitmentRow(enterprise_id=E3, content="别队承诺", due_on=d(10, 1)))
    add(ProblemRow(enterprise_id=E2, title="用电增容", raised_on=d(10, 1), deadline=d(11, 15)))
    add(ProblemRow(enterprise_id=E2, title="已办结", raised_on=d(10, 1), deadline=d(11, 1),
                   status="resolved"))  # fmt: skip


def _project(
    s: Session,
    pid: str,
    name: str,
    stage: str,
    contract: int | None,
    signed_on: dt.date | None,
    deleted: bool = False,
    link: str | None = None,
) -> None:
    amount = Money.from_wan(contract) if contract else None
    s.add(ProjectRow(id=pid, name=name, responsible_id=ME, stage=stage, contract_amount=amount,
                     signed_on=signed_on, stage_on=signed_on, deleted=deleted,
                     chain_link_id=link, **SQUAD_A_E1))  # fmt: skip


def _move(s: Session, pid: str, to: str, on: dt.date, src: str) -> None:
    s.add(StageChangeRow(project_id=pid, from_stage=src, to_stage=to, changed_on=on,
                         changed_by_id=ME))  # fmt: skip


def _projects(s: Session) -> None:
    _project(s, P_SIGNED_IN, "新材料基地", "signed", 5000, d(11, 24), link=L_OK)
    _project(s, P_SIGNED_BEFORE, "上周签约", "signed", 800, d(11, 20), link=L_OK)
    _project(s, P_STARTED, "智能装备园", "started", 20000, None)
    _project(s, P_BOTH, "当周签约开工", "started", 1200, d(11, 23))
    _project(s, P_DELETED, "已删除项目", "signed", 9999, d(11, 24), deleted=True)
    _project(s, P_OLD_SIGNED, "三个月整", "signed", 100, add_months(TODAY, -3), link=L_STALE)
    _project(s, P_REGISTERED, "注册未开工", "registered", 100, d(5, 1))
    _project(s, P_HISTORY_ONLY, "只有阶段记录", "terminated", None, None, link=L_OK)
    s.flush()
    _move(s, P_SIGNED_IN, "negotiating", d(10, 1), "lead")
    _move(s, P_SIGNED_IN, "signed", d(11, 24), "negotiating")
    _move(s, P_SIGNED_BEFORE, "signed", d(11, 20), "negotiating")
    _move(s, P_STARTED, "signed", d(6, 2), "negotiating")
    _move(s, P_STARTED, "registered", d(7, 1), "signed")
    _move(s, P_STARTED, "started", d(11, 29), "registered")
    _move(s, P_BOTH, "signed", d(11, 23), "negotiating")
    _move(s, P_BOTH, "started", d(11, 27), "signed")
    _move(s, P_DELETED, "signed", d(11, 24), "negotiating")
    _move(s, P_HISTORY_ONLY, "signed", d(6, 1), "negotiating")
    s.flush()
    for amount, gone in ((300, False), (200, False), (1000, True)):
        s.add(FundingEntryRow(project_id=P_SIGNED_IN, received_on=d(11, 1),
                              amount=Money.from_wan(amount), deleted=gone))  # fmt: skip


def _chains(s: Session) -> None:
    add = s.add
    add(IndustryChainRow(id=CHAIN, name="新材料产业链", leader_name="张华", leader_title="副市长"))
    s.flush()
    links = (
        (L_OK, "高纯材料"),
        (L_EMPTY, "回收利用"),
        (L_STALE, "装备配套"),
        (L_NEVER, "储能电池"),
    )
    for n, (lid, name) in enumerate(links):
        add(ChainLinkRow(id=lid, chain_id=CHAIN, name=name, position="upstream", sort_order=n))
    s.flush()
    for enterprise, link, deleted in (
        (E1, L_OK, False),
        (E2, L_OK, False),
        (E1, L_OK, False),
        (E3, L_STALE, False),
        (E4, L_NEVER, False),
        (E1, L_EMPTY, True),
    ):
        add(EnterpriseLinkRow(enterprise_id=enterprise, link_id=link, deleted=deleted))


# -- 一周一快报 -------------------------------------------------------------------------------


def test_trip_days_are_clipped_to_the_week() -> None:
    assert days_within(d(11, 22), d(11, 24), d(11, 16), d(11, 22)) == 1
    assert days_within(d(11, 22), d(11, 24), d(11, 23), d(11, 29)) == 2
    assert days_within(d(11, 1), d(12, 31), d(11, 23), d(11, 29)) == 7
    assert days_within(d(12, 1), d(12, 2), d(11, 23), d(11, 29)) == 0


def test_weekly_figures_for_the_bureau(workspace: Workspace) -> None:
    figures = WeeklyFiguresService(workspace, lambda: TODAY).figures(W48)
    assert figures.trip_days == 3  # 2 days of the Sunday–Tuesday trip + 1-day trip
    assert figures.visit_count == 3
    assert figures.enterprises_visited == 2  # E1 twice counts once
    signed = figures.milestone(ProjectStage.SIGNED)
    assert signed.count == 2  # in the week: 新材料基地, 当周签约开工; not 上周签约, not deleted
    assert signed.amount == Money.from_wan(6200)
    started = figures.milestone(ProjectStage.STARTED)
    assert (started.count, started.amount) == (2, Money.from_wan(21200))
    assert figures.milestone(ProjectStage.PRODUCING).count == 0
    assert [(p.stage, p.project_name) for p in figures.projects] == [
        (ProjectStage.SIGNED, "当周签约开工"),
        (ProjectStage.SIGNED, "新材料基地"),
        (ProjectStage.STARTED, "当周签约开工"),
        (ProjectStage.STARTED, "智能装备园"),
    ]


def test_a_move_that_skips_signing_counts_as_signed_and_started_that_week(
    workspace: Workspace,
) -> None:
    skipped = "0190b6a0-0000-7000-8000-000000000999"
    with workspace.database.write(Actor(ME)) as s:
        _project(s, skipped, "跳过签约", "started", 300, None)
        s.flush()
        _move(s, skipped, "negotiating", d(10, 1), "lead")
        _move(s, skipped, "started", d(11, 25), "negotiating")
    figures = WeeklyFiguresService(workspace, lambda: TODAY).figures(W48)
    assert "跳过签约" in {
        p.project_name for p in figures.projects if p.stage is ProjectStage.SIGNED
    }
    assert figures.milestone(ProjectStage.SIGNED).count == 3
    assert figures.milestone(ProjectStage.STARTED).count == 3


def test_weekly_figures_previous_week_and_squad(workspace: Workspace) -> None:
    service = WeeklyFiguresService(workspace, lambda: TODAY)
    assert service.current_week() == W48
    before = service.figures(W48.previous())
    assert before.trip_days == 1  # the Sunday of the Sunday–Tuesday trip
    assert before.milestone(ProjectStage.SIGNED).count == 1
    squad_b = service.figures(W48, SQUAD_B)
    assert (squad_b.squad_name, squad_b.trip_days, squad_b.visit_count) == ("装备小分队", 1, 1)
    assert squad_b.projects == ()
    assert [s.name for s in service.squads()] == sorted(["新材料小分队", "装备小分队"])


def test_iso_weeks_step_across_years() -> None:
    assert IsoWeek.parse("2026-W48") == W48
    assert (W48.first_day, W48.last_day) == (d(11, 23), d(11, 29))
    assert IsoWeek(2026, 53).next() == IsoWeek(2027, 1)
    assert IsoWeek(2027, 1).previous() == IsoWeek(2026, 53)
    with pytest.raises(ValueError):
        IsoWeek(2025, 53)


# -- 工作台 -----------------------------------------------------------------------------------


def test_workbench_buckets_my_open_tasks(workspace: Workspace) -> None:
    overview = WorkbenchService(workspace, lambda: TODAY).overview()
    assert (overview.member_name, overview.squad_name) == ("李明", "新材料小分队")
    assert [(t.title, t.bucket) for t in overview.tasks] == [
        ("催办协议", TaskBucket.OVERDUE),
        ("报送周报", TaskBucket.TODAY),
        ("回访甲材料", TaskBucket.UPCOMING),
    ]
    assert overview.count(TaskBucket.OVERDUE) == 1
    assert overview.tasks[0].enterprise_id == E1


def test_workbench_recent_visits_of_my_squad(workspace: Workspace) -> None:
    overview = WorkbenchService(workspace, lambda: TODAY).overview()
    # squad A, 11-12..11-25: 11-23 and 11-12 (not 11-11, not squad B, not the deleted one)
    assert [v.visited_on for v in overview.recent_visits] == [d(11, 23), d(11, 12)]


def test_workbench_attention_list(workspace: Workspace) -> None:
    overview = WorkbenchService(workspace, lambda: TODAY).overview()
    items = [(a.kind, a.title, a.days) for a in overview.attention]
    assert items == [
        (AttentionKind.COMMITMENT_OVERDUE, "协调用地指标", 1),
        (AttentionKind.PROBLEM_OVERDUE, "用电增容", 10),
        (AttentionKind.SIGNED_NOT_STARTED, "注册未开工", (TODAY - d(5, 1)).days),
        (AttentionKind.SIGNED_NOT_STARTED, "三个月整", (TODAY - d(8, 25)).days),
    ]


def test_workbench_follows_the_bureaus_not_started_months(workspace: Workspace) -> None:
    from dataclasses import replace

    from app.domain.bureau_rules import BureauRules
    from app.services.bureau_settings import BureauSettingsService

    with workspace.database.write(Actor(None)) as session:
        session.get_one(LocalSetting, CURRENT_MEMBER).value = ""  # a laptop with no account
    BureauSettingsService(workspace).save(replace(BureauRules(), not_started_months=4))
    overview = WorkbenchService(workspace, lambda: TODAY).overview()
    titles = [a.title for a in overview.attention if a.kind is AttentionKind.SIGNED_NOT_STARTED]
    assert "三个月整" not in titles  # signed 3 months ago: not yet overdue under a 4-month rule
    assert "注册未开工" in titles


def test_workbench_without_a_member_shows_everything(workspace: Workspace) -> None:
    with workspace.database.write(Actor(None)) as session:
        session.get_one(LocalSetting, CURRENT_MEMBER).value = ""
    overview = WorkbenchService(workspace, lambda: TODAY).overview()
    assert "同事任务" in [t.title for t in overview.tasks]
    assert [v.visited_on for v in overview.recent_visits] == [d(11, 23), d(11, 20), d(11, 12)]
    assert "别队承诺" in [a.title for a in overview.attention]


# -- 项目 -------------------------------------------------------------------------------------


def test_project_list_sums_funding_and_counts_stages(workspace: Workspace) -> None:
    listing = ProjectService(workspace).list_projects()
    by_id = {row.id: row for row in listing.rows}
    assert P_DELETED not in by_id
    assert by_id[P_SIGNED_IN].funded_total == Money.from_wan(500)
    assert by_id[P_STARTED].funded_total == Money.zero()
    assert by_id[P_SIGNED_IN].responsible_name == "李明"
    counts = dict(listing.stage_counts)
    assert counts[ProjectStage.SIGNED] == 3
    assert counts[ProjectStage.STARTED] == 2
    assert counts[ProjectStage.LEAD] == 0
    assert sum(counts.values()) == len(listing.rows) == 7


def test_stage_history_is_dated_and_signed(workspace: Workspace) -> None:
    history = ProjectService(workspace).stage_history(P_SIGNED_IN)
    assert [(h.from_stage, h.to_stage, h.changed_on, h.changed_by_name) for h in history] == [
        (ProjectStage.LEAD, ProjectStage.NEGOTIATING, d(10, 1), "李明"),
        (ProjectStage.NEGOTIATING, ProjectStage.SIGNED, d(11, 24), "李明"),
    ]
    with pytest.raises(NotFoundError):
        ProjectService(workspace).stage_history(P_DELETED)


# -- 产业链 -----------------------------------------------------------------------------------


def test_chain_links_count_targets_visits_projects_and_flag_gaps(workspace: Workspace) -> None:
    chain_map = ChainService(workspace, lambda: TODAY).chain_map()
    (chain,) = chain_map.chains
    assert (chain.leader_name, chain.leader_title) == ("张华", "副市长")
    links = {link.name: link for link in chain.links}
    ok = links["高纯材料"]
    # E1 + E2: E1's visits 11-23, 08-01; E2's 11-20, 11-12, 11-11 (11-26, 11-29 are after today)
    assert (ok.target_count, ok.visit_count, ok.recent_visit_count) == (2, 5, 4)
    assert ok.project_count == 2  # the terminated project is left out
    assert ok.gap is None
    assert links["回收利用"].gap is LinkGap.NO_TARGETS  # its only placement is deleted
    stale = links["装备配套"]
    assert (stale.visit_count, stale.last_visit_on, stale.gap) == (
        1,
        d(8, 10),
        LinkGap.NO_RECENT_VISIT,
    )
    assert links["储能电池"].gap is LinkGap.NO_RECENT_VISIT
    assert chain.gap_count == 3


def test_link_enterprises_lists_each_target_once(workspace: Workspace) -> None:
    rows = ChainService(workspace, lambda: TODAY).link_enterprises(L_OK)
    assert [(r.enterprise_id, r.visit_count) for r in rows] == [
        (E2, 3),
        (E1, 2),
    ]  # by name: 乙 sorts before 甲


# -- 任务 -------------------------------------------------------------------------------------


def test_task_filters_and_due_order(workspace: Workspace) -> None:
    service = TaskService(workspace, lambda: TODAY)
    mine = service.page(TaskFilter(TaskScope.MINE, TaskState.OPEN))
    assert [r.title for r in mine.rows] == [
        "催办协议",
        "报送周报",
        "回访甲材料",
        "准备季度评比",
        "长期跟踪",
    ]
    assert [r.overdue for r in mine.rows] == [True, False, False, False, False]
    squad = service.page(TaskFilter(TaskScope.SQUAD, TaskState.ALL))
    assert squad.total == 7
    assert service.page(TaskFilter(TaskScope.MINE, TaskState.DONE)).total == 1
    assert service.page(TaskFilter(TaskScope.ALL, TaskState.OPEN), limit=2).total == 6


def test_completing_a_task_writes_status_time_and_outbox(workspace: Workspace) -> None:
    service = TaskService(workspace, lambda: TODAY, lambda: NOW)
    task = service.page().rows[0]
    service.complete(task.id)
    with workspace.database.read() as session:
        row = session.get_one(TaskRow, task.id)
        assert (row.status, row.completed_at) == (TaskStatus.DONE.value, NOW)
        entry = session.scalars(select(OutboxEntry).order_by(OutboxEntry.device_seq.desc())).first()
    assert entry is not None
    assert (entry.table_name, entry.row_id, entry.op) == ("tasks", task.id, "patch")
    assert entry.fields["status"] == "done"
    assert entry.fields["completed_at"] is not None
    service.reopen(task.id)
    with workspace.database.read() as session:
        row = session.get_one(TaskRow, task.id)
        assert (row.status, row.completed_at) == ("open", None)
    with pytest.raises(NotFoundError):
        service.complete(uid(999))
