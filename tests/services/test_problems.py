"""Enterprise problems (企业诉求) on hand-built data; "today" is 2026-11-25."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import (
    EnterpriseRow,
    HistoryEntry,
    LocalSetting,
    MemberRow,
    OutboxEntry,
    ProblemRow,
    ProjectRow,
    SquadRow,
)
from app.domain.errors import NotFoundError, ValidationError
from app.domain.problem import ProblemDraft
from app.services.follow_up_ledgers import LedgerScope
from app.services.problem_views import ClosurePeriod, ProblemFilter, ProblemState
from app.services.problems import ProblemService
from app.services.workspace import CURRENT_MEMBER, Workspace

TODAY = dt.date(2026, 11, 25)


def uid(n: int) -> str:
    return f"0190b6a0-0000-7000-8000-{n:012d}"


SQUAD, OTHER_SQUAD = uid(1), uid(2)
ME, COLLEAGUE, STRANGER = uid(11), uid(12), uid(13)
ENTERPRISE, FAR_ENTERPRISE = uid(21), uid(22)
PROJECT, FAR_PROJECT = uid(31), uid(32)
# (id, enterprise, owner, title, raised, deadline, status, resolved_on)
SEEDED = (
    (uid(51), ENTERPRISE, ME, "施工用电增容", dt.date(2026, 11, 2), dt.date(2026, 11, 20),
     "open", None),
    (uid(52), ENTERPRISE, COLLEAGUE, "员工宿舍", dt.date(2026, 11, 10), None, "open", None),
    (uid(53), ENTERPRISE, COLLEAGUE, "融资难", dt.date(2026, 10, 8), dt.date(2026, 10, 30),
     "resolved", dt.date(2026, 10, 28)),
    (uid(54), ENTERPRISE, ME, "用地报批慢", dt.date(2026, 8, 3), dt.date(2026, 8, 31),
     "resolved", dt.date(2026, 9, 15)),
    (uid(55), FAR_ENTERPRISE, STRANGER, "铁路专用线", dt.date(2025, 12, 1), dt.date(2026, 1, 31),
     "open", None),
)  # fmt: skip


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    database = open_local_database(tmp_path)
    with database.write(Actor(None, source="import")) as s:
        s.add(SquadRow(id=SQUAD, name="新材料小分队"))
        s.add(SquadRow(id=OTHER_SQUAD, name="装备小分队"))
        s.flush()
        for mid, name, squad in ((ME, "李明", SQUAD), (COLLEAGUE, "王芳", SQUAD),
                                 (STRANGER, "赵强", OTHER_SQUAD)):  # fmt: skip
            s.add(MemberRow(id=mid, name=name, squad_id=squad))
        s.flush()
        s.add(
            EnterpriseRow(id=ENTERPRISE, name="甲材料有限公司", name_key="甲材料", squad_id=SQUAD)
        )
        s.add(EnterpriseRow(id=FAR_ENTERPRISE, name="丙装备有限公司", name_key="丙装备",
                            squad_id=OTHER_SQUAD))  # fmt: skip
        s.flush()
        s.add(ProjectRow(id=PROJECT, name="新材料基地", enterprise_id=ENTERPRISE))
        s.add(ProjectRow(id=FAR_PROJECT, name="装备产业园", enterprise_id=FAR_ENTERPRISE))
        s.flush()
        for pid, eid, owner, title, raised, deadline, status, resolved in SEEDED:
            s.add(
                ProblemRow(
                    id=pid,
                    enterprise_id=eid,
                    project_id=PROJECT if eid == ENTERPRISE else FAR_PROJECT,
                    owner_id=owner,
                    title=title,
                    raised_on=raised,
                    deadline=deadline,
                    status=status,
                    resolution="已协调解决" if status == "resolved" else "",
                    resolved_on=resolved,
                )
            )
        s.add(LocalSetting(key=CURRENT_MEMBER, value=ME))
    yield Workspace(database, tmp_path)
    database.dispose()


@pytest.fixture
def problems(workspace: Workspace) -> ProblemService:
    return ProblemService(workspace, lambda: TODAY)


def _all(**fields: object) -> ProblemFilter:
    return ProblemFilter(scope=LedgerScope.ALL, **fields)  # type: ignore[arg-type]


def _draft(**fields: object) -> ProblemDraft:
    values: dict[str, object] = {
        "enterprise_id": ENTERPRISE,
        "title": "  污水  处理配套 ",
        "detail": "日处理 2000 吨",
        "project_id": PROJECT,
    }
    values.update(fields)
    return ProblemDraft(**values)  # type: ignore[arg-type]


def _stored(workspace: Workspace, problem_id: str) -> ProblemRow:
    with workspace.database.read() as session:
        return session.get_one(ProblemRow, problem_id)


def _outbox_ops(workspace: Workspace, row_id: str) -> list[str]:
    with workspace.database.read() as session:
        return list(
            session.scalars(
                select(OutboxEntry.op)
                .where(OutboxEntry.row_id == row_id, OutboxEntry.table_name == "problems")
                .order_by(OutboxEntry.device_seq)
            )
        )


def test_overdue_is_open_past_its_deadline(problems: ProblemService) -> None:
    page = problems.page(_all(), ClosurePeriod.ALL)
    states = {row.title: (row.state, row.overdue_days) for row in page.rows}
    assert states == {
        "施工用电增容": (ProblemState.OVERDUE, 5),
        "员工宿舍": (ProblemState.OPEN, 0),  # no deadline: never overdue
        "融资难": (ProblemState.RESOLVED, 0),
        "用地报批慢": (ProblemState.RESOLVED, 0),  # closed late, but closed
        "铁路专用线": (ProblemState.OVERDUE, 298),
    }
    assert (page.counts.open, page.counts.overdue, page.counts.resolved) == (1, 2, 2)
    # open ones first by deadline (undated last), then resolved ones, latest closure first
    order = [r.title for r in page.rows]
    assert order == ["铁路专用线", "施工用电增容", "员工宿舍", "融资难", "用地报批慢"]
    overdue = problems.page(_all(state=ProblemState.OVERDUE))
    assert {r.title for r in overdue.rows} == {"施工用电增容", "铁路专用线"}
    assert problems.page(_all(state=ProblemState.OPEN)).total == 3
    assert problems.page(_all(state=ProblemState.RESOLVED)).total == 2


def test_closure_rates_over_a_period(problems: ProblemService) -> None:
    everything = problems.closure(None, None)
    assert (everything.raised, everything.resolved, everything.resolved_on_time) == (5, 2, 1)
    assert everything.closure_rate.text == "40.0%"
    assert everything.on_time_rate.text == "20.0%"  # 用地报批慢 closed after its deadline
    autumn = problems.closure(dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    assert (autumn.raised, autumn.resolved, autumn.resolved_on_time) == (3, 1, 1)
    assert autumn.closure_rate.value == pytest.approx(1 / 3)
    month = problems.page(_all(), ClosurePeriod.MONTH).closure  # raised 2026-11-01 … today
    assert (month.start, month.end, month.raised, month.resolved) == (
        dt.date(2026, 11, 1),
        TODAY,
        2,
        0,
    )
    assert month.closure_rate.text == "0.0%"
    year = problems.page(_all(), ClosurePeriod.YEAR).closure
    assert (year.start, year.raised) == (dt.date(2026, 1, 1), 4)


def test_an_empty_period_has_no_rate(problems: ProblemService) -> None:
    spring = problems.closure(dt.date(2026, 3, 1), dt.date(2026, 5, 31))
    assert (spring.raised, spring.resolved) == (0, 0)
    assert spring.closure_rate.value is None and spring.closure_rate.text == "—"
    assert spring.on_time_rate.text == "—"
    nobody = problems.page(_all(text="不存在的诉求"), ClosurePeriod.ALL)
    assert nobody.total == 0 and nobody.closure.closure_rate.text == "—"


def test_scope_mine_squad_and_all(problems: ProblemService) -> None:
    def titles(scope: LedgerScope) -> set[str]:
        return {row.title for row in problems.page(ProblemFilter(scope=scope)).rows}

    assert titles(LedgerScope.MINE) == {"施工用电增容", "用地报批慢"}
    assert titles(LedgerScope.SQUAD) == {"施工用电增容", "员工宿舍", "融资难", "用地报批慢"}
    assert len(titles(LedgerScope.ALL)) == 5
    mine = problems.page(ProblemFilter(scope=LedgerScope.MINE), ClosurePeriod.ALL)
    assert (mine.closure.raised, mine.closure.resolved_on_time) == (2, 0)  # rates follow scope
    assert {r.title for r in problems.page(_all(text="王芳")).rows} == {"员工宿舍", "融资难"}
    assert problems.page(_all(enterprise_id=FAR_ENTERPRISE)).total == 1
    assert problems.page(_all(project_id=PROJECT)).total == 4
    assert {r.title for r in problems.of_enterprise(FAR_ENTERPRISE).rows} == {"铁路专用线"}


def test_raising_a_problem_defaults_to_today_and_me(
    problems: ProblemService, workspace: Workspace
) -> None:
    problem_id = problems.add(_draft(deadline=dt.date(2026, 12, 25)))
    row = _stored(workspace, problem_id)
    assert (row.title, row.detail, row.raised_on, row.owner_id, row.status) == (
        "污水 处理配套",
        "日处理 2000 吨",
        TODAY,
        ME,
        "open",
    )
    assert _outbox_ops(workspace, problem_id) == ["insert"]
    entry = problems.entry(problem_id)
    assert (entry.enterprise_name, entry.project_name, entry.owner_name) == (
        "甲材料有限公司",
        "新材料基地",
        "李明",
    )
    open_ended = problems.add(_draft(project_id=None, owner_id=COLLEAGUE, deadline=None))
    assert (_stored(workspace, open_ended).deadline, _stored(workspace, open_ended).owner_id) == (
        None,
        COLLEAGUE,
    )


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"enterprise_id": None}, "enterprise_id", "请选择"),
        ({"title": "  "}, "title", "请填写诉求内容"),
        ({"raised_on": dt.date(2026, 11, 26)}, "raised_on", "不能晚于今天"),
        ({"raised_on": dt.date(2026, 11, 10), "deadline": dt.date(2026, 11, 9)}, "deadline",
         "不能早于提出日期"),
        ({"project_id": FAR_PROJECT}, "project_id", "不属于该企业"),
        ({"owner_id": uid(99)}, "owner_id", "不存在"),
    ],
)  # fmt: skip
def test_raising_names_the_bad_field(
    problems: ProblemService, fields: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        problems.add(_draft(**fields))
    assert caught.value.field == field
    assert words in caught.value.message
    assert problems.page(_all()).total == 5


def test_resolve_needs_a_resolution_and_a_sensible_day(
    problems: ProblemService, workspace: Workspace
) -> None:
    power = uid(51)
    with pytest.raises(ValidationError) as empty:
        problems.resolve(power, "   ")
    assert empty.value.field == "resolution"
    with pytest.raises(ValidationError) as early:
        problems.resolve(power, "已增容", dt.date(2026, 11, 1))
    assert early.value.field == "resolved_on"
    with pytest.raises(ValidationError) as future:
        problems.resolve(power, "已增容", dt.date(2026, 11, 26))
    assert future.value.field == "resolved_on"
    assert _stored(workspace, power).status == "open"
    problems.resolve(power, " 已协调供电公司完成增容 ", dt.date(2026, 11, 24))
    row = _stored(workspace, power)
    assert (row.status, row.resolution, row.resolved_on) == (
        "resolved",
        "已协调供电公司完成增容",
        dt.date(2026, 11, 24),
    )
    assert _outbox_ops(workspace, power)[-1] == "patch"
    after = problems.closure(None, None)
    assert (after.resolved, after.resolved_on_time) == (3, 1)  # four days past its deadline
    problems.reopen(power)
    row = _stored(workspace, power)
    assert (row.status, row.resolved_on) == ("open", None)
    assert row.resolution == "已协调供电公司完成增容"  # kept on record


def test_edit_and_assign_keep_history(problems: ProblemService, workspace: Workspace) -> None:
    dorm = uid(52)
    problems.edit(
        dorm,
        _draft(title="员工宿舍 150 人", raised_on=dt.date(2026, 11, 10),
               deadline=dt.date(2026, 12, 10), owner_id=COLLEAGUE),
    )  # fmt: skip
    row = _stored(workspace, dorm)
    assert (row.title, row.deadline, row.owner_id) == (
        "员工宿舍 150 人",
        dt.date(2026, 12, 10),
        COLLEAGUE,
    )
    problems.assign(dorm, ME)
    with workspace.database.read() as session:
        changes = [
            entry.changes
            for entry in session.scalars(
                select(HistoryEntry)
                .where(HistoryEntry.row_id == dorm, HistoryEntry.op == "patch")
                .order_by(HistoryEntry.id)
            )
        ]
    assert changes[-1]["owner_id"] == [COLLEAGUE, ME]
    with pytest.raises(ValidationError) as caught:
        problems.assign(dorm, uid(98))
    assert caught.value.field == "owner_id"
    with pytest.raises(ValidationError) as late:  # raised after it was closed
        problems.edit(uid(53), _draft(title="融资难", raised_on=dt.date(2026, 10, 29)))
    assert late.value.field == "raised_on"


def test_delete_is_a_tombstone_and_restore_brings_it_back(
    problems: ProblemService, workspace: Workspace
) -> None:
    dorm = uid(52)
    problems.delete(dorm)
    assert _stored(workspace, dorm).deleted
    assert dorm not in {r.id for r in problems.page(_all()).rows}
    assert problems.closure(None, None).raised == 4
    with pytest.raises(NotFoundError):
        problems.resolve(dorm, "已解决")
    problems.restore(dorm)
    assert not _stored(workspace, dorm).deleted
    assert problems.page(_all()).total == 5
    assert _outbox_ops(workspace, dorm)[-2:] == ["delete", "patch"]
