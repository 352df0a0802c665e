"""The overdue lists (督办清单) with a fixed today, 2026-11-28, and the default rules (签约 3 个月
未开工, 6 个月未履约, 开工 24 个月未投产)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from project_history_builder import (
    COLLEAGUE,
    E1,
    E2,
    ME,
    SQUAD_A,
    SQUAD_B,
    D,
    add_project,
    open_workspace,
    uid,
)

from app.database.change_tracking import Actor
from app.database.tables import CommitmentRow, ProblemRow, TaskRow
from app.domain.period import add_months
from app.domain.vocabulary import ProjectStage as S
from app.services.bureau_settings import BureauSettingsService
from app.services.overdue import OverdueService
from app.services.overdue_views import OverdueFilter, OverdueList, ThreeNot
from app.services.workspace import Workspace

TODAY = D(2026, 11, 28)
(DONE, SUSPENDED, TERMINATED, TODAY_DUE, MONTH_END, NO_CADRE, NOT_PRODUCING, TWO_NOTS,
 FRESH) = (uid(200 + n) for n in range(9))  # fmt: skip
C_OVERDUE, C_TODAY, C_HONOURED, C_NO_PROJECT, C_DELETED = (uid(300 + n) for n in range(5))
PR_OVERDUE, PR_RESOLVED, PR_NO_DEADLINE, PR_LATER = (uid(400 + n) for n in range(4))


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path)
    with workspace.database.write(Actor(None, source="import")) as s:
        add_project(s, DONE, "已开工项目", [(S.SIGNED, D(2026, 2, 1)), (S.STARTED, D(2026, 5, 1))])
        add_project(s, SUSPENDED, "暂缓项目",
                    [(S.SIGNED, D(2026, 7, 1)), (S.SUSPENDED, D(2026, 8, 1))],
                    funds=[(D(2026, 7, 15), 500)])  # fmt: skip
        add_project(
            s, TERMINATED, "解约项目", [(S.SIGNED, D(2026, 1, 5)), (S.TERMINATED, D(2026, 6, 1))]
        )
        add_project(s, TODAY_DUE, "今天满三个月", [(S.SIGNED, D(2026, 8, 28))])
        add_project(s, MONTH_END, "月末签约", [(S.SIGNED, D(2026, 8, 31))])
        add_project(s, NO_CADRE, "无人包抓", [(S.SIGNED, D(2026, 5, 31))], responsible=None)
        add_project(s, NOT_PRODUCING, "开工未投产",
                    [(S.SIGNED, D(2024, 1, 10)), (S.STARTED, D(2024, 6, 1))],
                    responsible=COLLEAGUE)  # fmt: skip
        add_project(
            s, TWO_NOTS, "双未项目", [(S.NEGOTIATING, D(2026, 2, 1)), (S.SIGNED, D(2026, 3, 1))]
        )
        add_project(s, FRESH, "新签项目", [(S.SIGNED, D(2026, 11, 20))], squad=SQUAD_B,
                    enterprise=E2, responsible=COLLEAGUE)  # fmt: skip
        for title, due, status in (("协调用地", D(2026, 12, 1), "open"),
                                   ("报送开工方案", D(2026, 12, 5), "open"),
                                   ("已办结的事", D(2026, 11, 1), "done")):  # fmt: skip
            s.add(TaskRow(title=title, owner_id=COLLEAGUE, due_on=due, status=status,
                          project_id=TWO_NOTS, enterprise_id=E1))  # fmt: skip
        s.add(TaskRow(title="回访乙装备", owner_id=COLLEAGUE, enterprise_id=E2))
        for cid, due, status, by, enterprise, project, deleted in (
            (C_OVERDUE, D(2026, 11, 20), "pending", ME, E1, TWO_NOTS, False),
            (C_TODAY, TODAY, "pending", ME, E1, None, False),
            (C_HONOURED, D(2026, 10, 1), "honoured", ME, E1, None, False),
            (C_NO_PROJECT, D(2026, 10, 1), "pending", COLLEAGUE, E2, None, False),
            (C_DELETED, D(2026, 10, 1), "pending", ME, E1, None, True),
        ):
            s.add(CommitmentRow(id=cid, enterprise_id=enterprise, project_id=project,
                                promised_by_id=by, content=f"承诺{cid[-3:]}", due_on=due,
                                status=status, deleted=deleted))  # fmt: skip
        for pid, deadline, status in ((PR_OVERDUE, D(2026, 11, 1), "open"),
                                      (PR_RESOLVED, D(2026, 10, 1), "resolved"),
                                      (PR_NO_DEADLINE, None, "open"),
                                      (PR_LATER, D(2026, 11, 30), "open")):  # fmt: skip
            s.add(ProblemRow(id=pid, enterprise_id=E1, owner_id=ME, title=f"诉求{pid[-3:]}",
                             raised_on=D(2026, 9, 1), deadline=deadline,
                             status=status))  # fmt: skip
    yield workspace
    workspace.database.dispose()


@pytest.fixture
def service(workspace: Workspace) -> OverdueService:
    return OverdueService(workspace, lambda: TODAY)


def test_months_are_calendar_months_clamped_to_the_month_end() -> None:
    assert add_months(D(2026, 8, 31), 3) == D(2026, 11, 30)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2026, 11, 28), -3) == D(2026, 8, 28)


def test_signed_three_months_and_not_started(service: OverdueService) -> None:
    rows = service.not_started()

    # MONTH_END (signed 08-31) falls due on 11-30; TERMINATED and DONE never do.
    assert [(r.id, r.since, r.overdue_days) for r in rows] == [
        (TWO_NOTS, D(2026, 6, 1), 180),
        (NO_CADRE, D(2026, 8, 31), 89),
        (SUSPENDED, D(2026, 10, 1), 58),  # on hold is still not started
        (TODAY_DUE, TODAY, 0),  # three months today: due today
    ]
    by_id = {r.id: r for r in rows}
    assert by_id[SUSPENDED].stage is S.SUSPENDED
    assert by_id[SUSPENDED].cadre_name == "李明"
    assert by_id[SUSPENDED].squad_name == "新材料小分队"
    assert by_id[SUSPENDED].enterprise_name == "甲材料有限公司"
    assert by_id[NO_CADRE].cadre_id is None and by_id[NO_CADRE].cadre_name == ""


def test_rows_are_longest_overdue_first(service: OverdueService) -> None:
    days = [row.overdue_days for row in service.not_started()]
    assert days == sorted(days, reverse=True) == [180, 89, 58, 0]


def test_the_next_action_is_the_earliest_open_task(service: OverdueService) -> None:
    row = next(r for r in service.not_started() if r.id == TWO_NOTS)

    assert row.next_action is not None
    assert (row.next_action.title, row.next_action.due_on) == ("协调用地", D(2026, 12, 1))
    assert row.next_action.owner_name == "王芳"
    assert next(r for r in service.not_started() if r.id == SUSPENDED).next_action is None


def test_three_nots_tag_each_condition_that_applies(service: OverdueService) -> None:
    rows = {row.id: row for row in service.three_nots()}

    assert set(rows) == {TWO_NOTS, SUSPENDED, NO_CADRE, TODAY_DUE, NOT_PRODUCING}
    assert rows[TWO_NOTS].tags == (ThreeNot.UNFULFILLED, ThreeNot.NOT_STARTED)
    assert rows[TWO_NOTS].since == D(2026, 6, 1)  # the older of its two deadlines
    assert rows[SUSPENDED].tags == (ThreeNot.NOT_STARTED,)  # funds received: fulfilling
    assert rows[NOT_PRODUCING].tags == (ThreeNot.NOT_PRODUCING,)
    assert (rows[NOT_PRODUCING].basis, rows[NOT_PRODUCING].since) == (D(2024, 6, 1), D(2026, 6, 1))
    assert rows[NOT_PRODUCING].cadre_name == "王芳"
    assert TERMINATED not in rows


def test_bureau_months_change_the_lists(workspace: Workspace, service: OverdueService) -> None:
    settings = BureauSettingsService(workspace)
    settings.save(replace(settings.rules(), not_started_months=6))

    assert {row.id for row in service.not_started()} == {TWO_NOTS}
    board = service.board()
    assert board.not_started_months == 6


def test_commitments_past_due_name_who_promised(service: OverdueService) -> None:
    rows = service.commitments()

    assert [(r.id, r.overdue_days) for r in rows] == [(C_NO_PROJECT, 58), (C_OVERDUE, 8)]
    overdue = rows[1]
    assert (overdue.cadre_name, overdue.project_name, overdue.squad_name) == (
        "李明", "双未项目", "新材料小分队",
    )  # fmt: skip
    assert overdue.next_action is not None and overdue.next_action.title == "协调用地"
    no_project = rows[0]
    assert (no_project.cadre_name, no_project.squad_id, no_project.project_id) == (
        "王芳", SQUAD_B, None,
    )  # fmt: skip
    assert no_project.next_action is not None and no_project.next_action.title == "回访乙装备"


def test_problems_open_past_their_deadline(service: OverdueService) -> None:
    rows = service.problems()

    assert [(r.id, r.overdue_days, r.cadre_name) for r in rows] == [(PR_OVERDUE, 27, "李明")]


def test_filters_by_squad_and_cadre(service: OverdueService) -> None:
    colleague = OverdueFilter(cadre_id=COLLEAGUE)
    assert [r.id for r in service.three_nots(colleague)] == [NOT_PRODUCING]
    assert [r.id for r in service.commitments(colleague)] == [C_NO_PROJECT]
    assert service.problems(colleague) == ()
    squad_b = OverdueFilter(squad_id=SQUAD_B)
    assert service.three_nots(squad_b) == ()
    assert [r.id for r in service.commitments(squad_b)] == [C_NO_PROJECT]
    squad_a = OverdueFilter(squad_id=SQUAD_A)
    assert [r.id for r in service.commitments(squad_a)] == [C_OVERDUE]


def test_by_cadre_says_who_must_do_what(service: OverdueService) -> None:
    loads = {load.cadre_name: load for load in service.by_cadre()}

    me = loads["李明"]
    assert (me.not_started, me.three_nots, me.commitments, me.problems) == (3, 3, 1, 1)
    assert me.total == 5
    assert me.longest_overdue_days == 180
    assert me.squad_name == "新材料小分队"
    colleague = loads["王芳"]
    assert (colleague.three_nots, colleague.commitments, colleague.total) == (1, 1, 2)
    nobody = loads["（未指定责任人）"]
    assert (nobody.cadre_id, nobody.not_started, nobody.three_nots) == (None, 1, 1)
    assert list(loads)[-1] == "（未指定责任人）"  # unassigned items last
    board = service.board()
    assert board.item_count == 5 + 2 + 1
    assert board.rows(OverdueList.PROBLEMS) == board.problems
