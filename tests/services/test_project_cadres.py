"""The project's responsible cadre (包抓责任人) and its line from the change history, the
责任清单 through the task service, and the commitments and problems the detail panel lists."""

from __future__ import annotations

import datetime as dt

import project_fixtures
import pytest
from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.tables import CommitmentRow, HistoryEntry, ProblemRow, ProjectRow
from app.domain.errors import ValidationError
from app.domain.task import TaskDraft
from app.domain.vocabulary import TaskStatus
from app.services.project_detail import ProjectDetailService
from app.services.project_editing import ProjectEditingService
from app.services.tasks import TaskService
from app.services.workspace import Workspace

uid = project_fixtures.uid
draft = project_fixtures.draft
make_file = project_fixtures.make_file
count_rows = project_fixtures.count_rows
negotiating = project_fixtures.negotiating
workspace = project_fixtures.workspace
editing = project_fixtures.editing
pipeline = project_fixtures.pipeline
funding = project_fixtures.funding
detail = project_fixtures.detail
TODAY = project_fixtures.TODAY
ME, COLLEAGUE, STRANGER = project_fixtures.ME, project_fixtures.COLLEAGUE, project_fixtures.STRANGER
ENTERPRISE, LINK = project_fixtures.ENTERPRISE, project_fixtures.LINK


# -- responsible cadre and 责任清单 -------------------------------------------------------------


def test_responsible_changes_show_who_and_when(
    workspace: Workspace, editing: ProjectEditingService, detail: ProjectDetailService
) -> None:
    project_id = negotiating(editing)
    editing.change_responsible(project_id, COLLEAGUE, "李明调任")
    with pytest.raises(ValidationError) as raised:
        editing.change_responsible(project_id, COLLEAGUE)
    assert raised.value.field == "responsible_id"
    spells = editing.responsible_history(project_id)
    assert [(s.member_name, s.changed_by_name) for s in spells] == [
        ("李明", "李明"),
        ("王芳", "李明"),
    ]
    assert spells[0].until == spells[1].since and spells[1].until is None
    assert spells[1].since is not None and spells[1].since.date() >= TODAY - dt.timedelta(days=1)
    shown = detail.detail(project_id)
    assert shown.responsible_name == "王芳"
    handover = [t for t in shown.tasks if "交接" in t.title]
    assert handover and handover[0].detail == "李明调任" and handover[0].status is TaskStatus.DONE
    with workspace.database.read() as s:
        entries = s.scalars(select(HistoryEntry).where(HistoryEntry.row_id == project_id)).all()
    assert any("responsible_id" in (e.changes or {}) and e.op == "patch" for e in entries)


def test_a_change_pulled_by_sync_shows_its_author(
    workspace: Workspace, editing: ProjectEditingService
) -> None:
    with workspace.database.write(Actor(None, source="import")) as s:
        s.add(ProjectRow(id=uid(60), name="老项目", enterprise_id=ENTERPRISE, responsible_id=ME))
    with workspace.database.write(Actor(STRANGER, source="sync")) as s:
        project = s.get(ProjectRow, uid(60))
        assert project is not None
        project.responsible_id = COLLEAGUE
    spells = editing.responsible_history(uid(60))
    assert [(s.member_name, s.changed_by_name, s.source) for s in spells] == [
        ("李明", "", "本机导入"),
        ("王芳", "赵强", "同步"),
    ]


def test_responsibility_list_uses_the_task_service(
    workspace: Workspace, editing: ProjectEditingService, detail: ProjectDetailService
) -> None:
    project_id = negotiating(editing)
    tasks = TaskService(workspace, lambda: TODAY)
    task_id = tasks.create(
        TaskDraft("办理环评", COLLEAGUE, dt.date(2026, 11, 20), "对接生态环境局"),
        project_id=project_id,
    )
    line = detail.detail(project_id).tasks[0]
    assert (line.title, line.owner_name, line.detail, line.due_on, line.overdue_days) == (
        "办理环评", "王芳", "对接生态环境局", dt.date(2026, 11, 20), 5,
    )  # fmt: skip
    tasks.complete(task_id)
    assert detail.detail(project_id).tasks[0].status is TaskStatus.DONE


def test_detail_lists_the_commitments_and_problems_of_the_project(
    workspace: Workspace, editing: ProjectEditingService, detail: ProjectDetailService
) -> None:
    project_id = negotiating(editing)
    with workspace.database.write(Actor(ME)) as s:
        s.add(CommitmentRow(enterprise_id=ENTERPRISE, project_id=project_id, content="三年免租",
                            promised_by_id=ME, due_on=dt.date(2026, 11, 1)))  # fmt: skip
        s.add(ProblemRow(enterprise_id=ENTERPRISE, project_id=project_id, title="用电增容",
                         owner_id=COLLEAGUE, raised_on=dt.date(2026, 10, 1)))  # fmt: skip
        s.add(ProblemRow(enterprise_id=ENTERPRISE, title="别的项目的诉求",
                         raised_on=dt.date(2026, 10, 1)))  # fmt: skip
    shown = detail.detail(project_id)
    assert [(c.content, c.promised_by_name, c.overdue) for c in shown.commitments] == [
        ("三年免租", "李明", True)
    ]
    assert [(p.title, p.owner_name) for p in shown.problems] == [("用电增容", "王芳")]
