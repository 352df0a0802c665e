"""Attaching files to records (bytes by SHA-256 in the data dir) and creating tasks."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import (
    AttachmentRow,
    EnterpriseRow,
    LocalSetting,
    MemberRow,
    OutboxEntry,
    SquadRow,
    TaskRow,
)
from app.domain.errors import NotFoundError, ValidationError
from app.domain.task import TaskDraft
from app.services.attachments import AttachmentService
from app.services.tasks import TaskService
from app.services.workspace import CURRENT_MEMBER, Workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    database = open_local_database(tmp_path / "data")
    with database.write(Actor(None)) as session:
        squad = SquadRow(id="s1", name="一分队")
        session.add(squad)
        session.add(MemberRow(id="m1", name="李明", squad_id="s1"))
        session.add(MemberRow(id="m2", name="王芳", squad_id="s1"))
        session.add(EnterpriseRow(id="e1", name="华为技术有限公司", name_key="华为技术有限公司"))
        session.add(LocalSetting(key=CURRENT_MEMBER, value="m1"))
    yield Workspace(database, tmp_path / "data")
    database.dispose()


def test_a_file_is_stored_by_its_hash_and_listed_with_its_record(
    workspace: Workspace, tmp_path: Path
) -> None:
    photo = tmp_path / "名片.jpg"
    photo.write_bytes(b"\xff\xd8\xff not really a jpeg" * 100)
    service = AttachmentService(workspace)

    view = service.add_file("enterprises", "e1", photo)

    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert view.sha256 == digest
    assert service.path_of(digest).read_bytes() == photo.read_bytes()
    assert view.kind == "photo" and view.filename == "名片.jpg" and view.available
    assert [v.id for v in service.list_for("enterprises", "e1")] == [view.id]
    with workspace.database.read() as session:
        queued = session.scalars(
            select(OutboxEntry).where(OutboxEntry.table_name == "attachments")
        ).all()
    assert [entry.row_id for entry in queued] == [view.id]


def test_removed_attachments_leave_the_list_and_come_back_on_restore(
    workspace: Workspace, tmp_path: Path
) -> None:
    document = tmp_path / "协议.pdf"
    document.write_bytes(b"%PDF-1.4 ...")
    service = AttachmentService(workspace)
    view = service.add_file("enterprises", "e1", document)
    assert view.kind == "document"

    service.remove(view.id)
    assert service.list_for("enterprises", "e1") == ()
    service.restore(view.id)
    assert [v.id for v in service.list_for("enterprises", "e1")] == [view.id]


def test_a_missing_file_or_record_is_refused_and_nothing_is_written(
    workspace: Workspace, tmp_path: Path
) -> None:
    service = AttachmentService(workspace)
    with pytest.raises(ValidationError, match="找不到文件"):
        service.add_file("enterprises", "e1", tmp_path / "nowhere.jpg")
    real = tmp_path / "a.png"
    real.write_bytes(b"png")
    with pytest.raises(NotFoundError):
        service.add_file("enterprises", "no-such-enterprise", real)
    with workspace.database.read() as session:
        assert session.scalars(select(AttachmentRow)).all() == []


def test_a_task_is_created_for_me_in_my_squad_unless_given_an_owner(
    workspace: Workspace,
) -> None:
    service = TaskService(workspace)
    mine = service.create(TaskDraft("  寄送  政策汇编 "), enterprise_id="e1")
    theirs = service.create(TaskDraft("约谈财务总监", owner_id="m2", due_on=dt.date(2026, 12, 1)))
    with workspace.database.read() as session:
        first = session.get(TaskRow, mine)
        second = session.get(TaskRow, theirs)
    assert first is not None and second is not None
    assert (first.title, first.owner_id, first.squad_id, first.enterprise_id) == (
        "寄送 政策汇编",
        "m1",
        "s1",
        "e1",
    )
    assert (second.owner_id, second.due_on, second.status) == ("m2", dt.date(2026, 12, 1), "open")


def test_a_task_without_a_title_or_with_a_missing_owner_is_refused(workspace: Workspace) -> None:
    service = TaskService(workspace)
    with pytest.raises(ValidationError) as empty:
        service.create(TaskDraft("   "))
    assert empty.value.field == "title"
    with pytest.raises(ValidationError) as owner:
        service.create(TaskDraft("回访", owner_id="nobody"))
    assert owner.value.field == "owner_id"
    with workspace.database.read() as session:
        assert session.scalars(select(TaskRow)).all() == []
