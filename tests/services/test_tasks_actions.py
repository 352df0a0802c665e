"""What a user does to a task: complete, reassign, snooze, edit, delete; groups by due date.

"Today" is Wednesday 2026-11-25.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import HistoryEntry, LocalSetting, MemberRow, SquadRow, TaskRow
from app.domain.errors import ValidationError
from app.domain.task import TaskDraft
from app.services.tasks import TaskFilter, TaskGroup, TaskScope, TaskService, TaskState
from app.services.workspace import CURRENT_MEMBER, Workspace

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)


def uid(n: int) -> str:
    return f"0190b6a0-0000-7000-8000-{n:012d}"


SQUAD, OTHER_SQUAD = uid(1), uid(2)
ME, COLLEAGUE, STRANGER = uid(11), uid(12), uid(13)
OVERDUE, DUE_TODAY, LATER, UNDATED, DONE = (uid(n) for n in range(21, 26))


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    database = open_local_database(tmp_path)
    with database.write(Actor(None, source="import")) as s:
        s.add(SquadRow(id=SQUAD, name="新材料小分队"))
        s.flush()
        s.add(SquadRow(id=OTHER_SQUAD, name="装备小分队"))
        s.flush()
        for mid, name, squad in ((ME, "李明", SQUAD), (COLLEAGUE, "王芳", SQUAD),
                                 (STRANGER, "赵强", OTHER_SQUAD)):  # fmt: skip
            s.add(MemberRow(id=mid, name=name, squad_id=squad))
        s.flush()
        for tid, title, due, status in (
            (OVERDUE, "催办协议", dt.date(2026, 11, 20), "open"),
            (DUE_TODAY, "报送周报", TODAY, "open"),
            (LATER, "回访甲材料", dt.date(2026, 12, 2), "open"),
            (UNDATED, "长期跟踪", None, "open"),
            (DONE, "已办事项", dt.date(2026, 11, 1), "done"),
        ):
            s.add(TaskRow(id=tid, title=title, due_on=due, status=status, owner_id=ME,
                          squad_id=SQUAD))  # fmt: skip
        s.add(LocalSetting(key=CURRENT_MEMBER, value=ME))
    yield Workspace(database, tmp_path)
    database.dispose()


@pytest.fixture
def service(workspace: Workspace) -> TaskService:
    return TaskService(workspace, lambda: TODAY, lambda: NOW)


def _task(workspace: Workspace, task_id: str) -> TaskRow:
    with workspace.database.read() as session:
        return session.get_one(TaskRow, task_id)


def _history(workspace: Workspace, task_id: str) -> list[dict[str, object]]:
    with workspace.database.read() as session:
        return [
            entry.changes
            for entry in session.scalars(
                select(HistoryEntry)
                .where(HistoryEntry.row_id == task_id, HistoryEntry.op == "patch")
                .order_by(HistoryEntry.id)
            )
        ]


def test_tasks_are_grouped_by_when_they_are_due(service: TaskService) -> None:
    page = service.page(TaskFilter(TaskScope.MINE, TaskState.ALL))
    assert [(r.title, r.group) for r in page.rows] == [
        ("催办协议", TaskGroup.OVERDUE),
        ("报送周报", TaskGroup.TODAY),
        ("回访甲材料", TaskGroup.UPCOMING),
        ("长期跟踪", TaskGroup.UNDATED),
        ("已办事项", TaskGroup.DONE),  # done ones after every open one
    ]
    small = service.page(TaskFilter(TaskScope.MINE, TaskState.ALL), limit=2)
    assert small.total == 5 and len(small.rows) == 2
    assert small.count(TaskGroup.UPCOMING) == 1 and small.count(TaskGroup.DONE) == 1


def test_complete_writes_status_and_history(service: TaskService, workspace: Workspace) -> None:
    service.complete(OVERDUE)
    task = _task(workspace, OVERDUE)
    assert (task.status, task.completed_at) == ("done", NOW)
    assert _history(workspace, OVERDUE)[-1]["status"] == ["open", "done"]
    service.reopen(OVERDUE)
    assert _task(workspace, OVERDUE).status == "open"


def test_reassign_within_the_squad_is_in_history(
    service: TaskService, workspace: Workspace
) -> None:
    assert [m.name for m in service.assignable_members(OVERDUE)] == sorted(["李明", "王芳"])
    service.reassign(OVERDUE, COLLEAGUE)
    assert _task(workspace, OVERDUE).owner_id == COLLEAGUE
    assert _history(workspace, OVERDUE)[-1]["owner_id"] == [ME, COLLEAGUE]
    mine = service.page(TaskFilter(TaskScope.MINE, TaskState.OPEN))
    assert OVERDUE not in [r.id for r in mine.rows]
    with pytest.raises(ValidationError, match="赵强不在该小分队") as caught:
        service.reassign(OVERDUE, STRANGER)
    assert caught.value.field == "owner_id"
    assert _task(workspace, OVERDUE).owner_id == COLLEAGUE


def test_snooze_counts_from_today_for_a_task_already_due(
    service: TaskService, workspace: Workspace
) -> None:
    assert service.snooze(OVERDUE, 1) == dt.date(2026, 11, 26)  # overdue: tomorrow
    assert service.snooze(LATER, 7) == dt.date(2026, 12, 9)  # not yet due: a week after its date
    assert service.snooze(UNDATED, 1) == dt.date(2026, 11, 26)
    assert _history(workspace, OVERDUE)[-1]["due_on"] == ["2026-11-20", "2026-11-26"]
    service.reschedule(DUE_TODAY, dt.date(2027, 1, 4))
    assert _task(workspace, DUE_TODAY).due_on == dt.date(2027, 1, 4)
    with pytest.raises(ValidationError, match="不能早于今天"):
        service.reschedule(DUE_TODAY, dt.date(2026, 11, 24))
    with pytest.raises(ValidationError, match="已完成"):
        service.snooze(DONE, 1)


def test_edit_title_detail_due_and_owner(service: TaskService, workspace: Workspace) -> None:
    service.update(LATER, TaskDraft("  回访甲材料  带协议文本 ", COLLEAGUE, None, " 见附件 "))
    task = _task(workspace, LATER)
    assert (task.title, task.detail, task.due_on, task.owner_id) == (
        "回访甲材料 带协议文本",
        "见附件",
        None,
        COLLEAGUE,
    )
    detail = service.detail(LATER)
    assert (detail.owner_name, detail.due_on) == ("王芳", None)
    with pytest.raises(ValidationError) as caught:
        service.update(LATER, TaskDraft("   "))
    assert caught.value.field == "title"


def test_delete_and_restore(service: TaskService, workspace: Workspace) -> None:
    service.delete(DUE_TODAY)
    assert DUE_TODAY not in [r.id for r in service.page().rows]
    assert _task(workspace, DUE_TODAY).deleted
    service.restore(DUE_TODAY)
    assert DUE_TODAY in [r.id for r in service.page().rows]
