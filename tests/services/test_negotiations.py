"""Negotiation rounds and the commitments ledger on hand-built data ("today" is 2026-11-25)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import (
    CommitmentRow,
    EnterpriseRow,
    HistoryEntry,
    LocalSetting,
    MemberRow,
    NegotiationNoteRow,
    OutboxEntry,
    ProjectRow,
    SquadRow,
)
from app.domain.errors import NotFoundError, ValidationError
from app.domain.ids import new_id
from app.domain.negotiation import CommitmentDraft, NoteDraft
from app.domain.vocabulary import CommitmentStatus
from app.services.negotiations import NegotiationService
from app.services.workspace import CURRENT_MEMBER, Workspace

TODAY = dt.date(2026, 11, 25)


def uid(n: int) -> str:
    return f"0190b6a0-0000-7000-8000-{n:012d}"


SQUAD, OTHER_SQUAD = uid(1), uid(2)
ME, COLLEAGUE, STRANGER = uid(11), uid(12), uid(13)
ENTERPRISE, OTHER_ENTERPRISE = uid(21), uid(22)
PROJECT, OTHER_PROJECT = uid(31), uid(32)


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
        for eid, name in ((ENTERPRISE, "甲材料有限公司"), (OTHER_ENTERPRISE, "乙电子有限公司")):
            s.add(EnterpriseRow(id=eid, name=name, name_key=name, squad_id=SQUAD))
        s.flush()
        s.add(
            ProjectRow(id=PROJECT, name="新材料基地", enterprise_id=ENTERPRISE, stage="negotiating")
        )
        s.add(ProjectRow(id=OTHER_PROJECT, name="别家项目", enterprise_id=OTHER_ENTERPRISE))
        s.flush()
        first_round = dt.date(2026, 10, 9)
        s.add(NegotiationNoteRow(enterprise_id=ENTERPRISE, project_id=PROJECT, round_no=1,
                                 held_on=first_round, their_asks="用地 200 亩"))  # fmt: skip
        s.add(LocalSetting(key=CURRENT_MEMBER, value=ME))
    yield Workspace(database, tmp_path)
    database.dispose()


@pytest.fixture
def service(workspace: Workspace) -> NegotiationService:
    return NegotiationService(workspace, lambda: TODAY)


def _draft(*commitments: CommitmentDraft, round_no: int = 2, **fields: object) -> NoteDraft:
    values: dict[str, object] = {
        "round_no": round_no,
        "held_on": dt.date(2026, 11, 20),
        "their_asks": "  希望三个月内完成土地挂牌  ",
        "our_offers": "协调用地指标；电价按园区标准",
        "sticking_points": "厂房代建比例",
        "next_round": "12 月初赴企业总部",
        "next_round_on": dt.date(2026, 12, 3),
        "project_id": PROJECT,
        "commitments": commitments,
    }
    values.update(fields)
    return NoteDraft(**values)  # type: ignore[arg-type]


def _ledger(workspace: Workspace, note_id: str) -> list[CommitmentRow]:
    with workspace.database.read() as session:
        return list(
            session.scalars(
                select(CommitmentRow)
                .where(CommitmentRow.negotiation_note_id == note_id)
                .order_by(CommitmentRow.content)
            )
        )


def test_form_proposes_the_next_free_round(service: NegotiationService) -> None:
    form = service.form(ENTERPRISE)
    assert form.enterprise_name == "甲材料有限公司"
    assert form.note is None
    assert form.next_round(PROJECT) == 2
    assert form.next_round(None) == 2  # without a project the enterprise's rounds count on
    assert [p.name for p in form.projects] == ["新材料基地"]
    assert [m.name for m in form.members] == sorted(["李明", "王芳"])  # my squad only
    assert form.current_member_id == ME
    assert form.latest_project_id == PROJECT  # a new round is likely about the same project
    assert service.form(OTHER_ENTERPRISE).next_round(None) == 1


def test_a_round_with_two_commitments_enters_the_ledger(
    service: NegotiationService, workspace: Workspace
) -> None:
    note_id, land, power = new_id(), new_id(), new_id()
    saved = service.save(
        ENTERPRISE,
        note_id,
        _draft(
            CommitmentDraft(land, "协调 200 亩用地指标", dt.date(2026, 12, 31)),
            CommitmentDraft(power, "电力增容  专线", dt.date(2027, 3, 1), COLLEAGUE),
        ),
    )
    assert (saved.note_id, saved.created) == (note_id, True)
    with workspace.database.read() as session:
        note = session.get_one(NegotiationNoteRow, note_id)
        assert (note.round_no, note.author_id, note.project_id) == (2, ME, PROJECT)
        assert note.their_asks == "希望三个月内完成土地挂牌"
        outbox = session.scalars(
            select(OutboxEntry.table_name).where(OutboxEntry.row_id.in_([note_id, land, power]))
        ).all()
    assert sorted(outbox) == ["commitments", "commitments", "negotiation_notes"]
    rows = _ledger(workspace, note_id)
    assert [(r.content, r.due_on, r.promised_by_id, r.status) for r in rows] == [
        ("协调 200 亩用地指标", dt.date(2026, 12, 31), ME, "pending"),  # promised by me
        ("电力增容 专线", dt.date(2027, 3, 1), COLLEAGUE, "pending"),
    ]
    assert {(r.enterprise_id, r.project_id) for r in rows} == {(ENTERPRISE, PROJECT)}
    rounds = service.rounds(ENTERPRISE)
    assert [(r.round_no, r.commitments, r.pending_commitments) for r in rounds] == [
        (2, 2, 2),
        (1, 0, 0),
    ]
    assert rounds[0].project_name == "新材料基地"
    assert service.form(ENTERPRISE).next_round(PROJECT) == 3


def test_editing_withdraws_a_commitment_with_its_reason(
    service: NegotiationService, workspace: Workspace
) -> None:
    note_id, land, power = new_id(), new_id(), new_id()
    first = CommitmentDraft(land, "协调用地指标", dt.date(2026, 12, 31))
    second = CommitmentDraft(power, "电力增容", dt.date(2027, 3, 1))
    service.save(ENTERPRISE, note_id, _draft(first, second))

    withdrawn = CommitmentDraft(
        power, "电力增容", dt.date(2027, 3, 1), withdrawn_reason="企业改选园区"
    )
    changed = CommitmentDraft(land, "协调用地指标（首期 120 亩）", dt.date(2027, 1, 15))
    saved = service.save(ENTERPRISE, note_id, _draft(changed, withdrawn))
    assert not saved.created
    rows = {r.id: r for r in _ledger(workspace, note_id)}
    assert (rows[power].status, rows[power].withdrawn_reason) == ("withdrawn", "企业改选园区")
    assert not rows[power].deleted  # withdrawn, never deleted
    assert (rows[land].content, rows[land].due_on) == (
        "协调用地指标（首期 120 亩）",
        dt.date(2027, 1, 15),
    )
    with workspace.database.read() as session:
        history = session.scalars(
            select(HistoryEntry).where(HistoryEntry.row_id == power, HistoryEntry.op == "patch")
        ).one()
    assert history.changes["status"] == ["pending", "withdrawn"]
    assert history.changes["withdrawn_reason"] == ["", "企业改选园区"]

    # A save that forgets a commitment leaves it in the ledger as it is.
    service.save(ENTERPRISE, note_id, _draft(changed))
    assert {r.id for r in _ledger(workspace, note_id)} == {land, power}
    # Reinstating clears the reason.
    service.save(ENTERPRISE, note_id, _draft(changed, second))
    rows = {r.id: r for r in _ledger(workspace, note_id)}
    assert (rows[power].status, rows[power].withdrawn_reason) == ("pending", "")
    detail = service.detail(note_id)
    assert [c.status for c in detail.commitments] == [CommitmentStatus.PENDING] * 2


def test_validation_names_the_field(service: NegotiationService) -> None:
    note_id = new_id()
    cases: list[tuple[NoteDraft, str, str]] = [
        (_draft(round_no=0), "round_no", "轮次"),
        (_draft(held_on=dt.date(2026, 11, 26)), "held_on", "不能晚于今天"),
        (_draft(next_round_on=dt.date(2026, 11, 20)), "next_round_on", "应晚于"),
        (_draft(CommitmentDraft(new_id(), "  ", dt.date(2027, 1, 1))), "commitments", "第 1 项"),
        (
            _draft(
                CommitmentDraft(new_id(), "协调用地", dt.date(2027, 1, 1)),
                CommitmentDraft(new_id(), "电力增容", None),
            ),
            "commitments",
            "第 2 项承诺请填写兑现期限",
        ),
        (_draft(round_no=1), "round_no", "第 1 轮已有洽谈记录"),
        (_draft(project_id=OTHER_PROJECT), "project_id", "不属于该企业"),
        (
            _draft(CommitmentDraft(new_id(), "协调用地", dt.date(2027, 1, 1), uid(999))),
            "commitments",
            "承诺人不存在",
        ),
    ]
    for draft, field, words in cases:
        with pytest.raises(ValidationError) as caught:
            service.save(ENTERPRISE, note_id, draft)
        assert caught.value.field == field
        assert words in caught.value.message
    assert service.rounds(ENTERPRISE)[0].round_no == 1  # nothing half-written
    with pytest.raises(NotFoundError):
        service.save(uid(998), note_id, _draft())


def test_autosave_keeps_half_typed_commitments_back(
    service: NegotiationService, workspace: Workspace
) -> None:
    note_id, ready, typing = new_id(), new_id(), new_id()
    draft = _draft(
        CommitmentDraft(ready, "协调用地", dt.date(2027, 1, 1)),
        CommitmentDraft(typing, "电力", None),
        round_no=1,  # taken: an autosave does not insist, the final save does
    )
    service.save(ENTERPRISE, note_id, draft, partial=True)
    assert [r.id for r in _ledger(workspace, note_id)] == [ready]
    with pytest.raises(ValidationError):
        service.save(ENTERPRISE, note_id, draft)


def test_discarding_is_only_for_what_nobody_has_seen(
    service: NegotiationService, workspace: Workspace
) -> None:
    note_id, mistake, kept = new_id(), new_id(), new_id()
    draft = _draft(
        CommitmentDraft(mistake, "打错的一条", dt.date(2027, 1, 1)),
        CommitmentDraft(kept, "协调用地", dt.date(2027, 1, 1)),
    )
    service.save(ENTERPRISE, note_id, draft)
    service.save(ENTERPRISE, note_id, _draft(draft.commitments[1]), discard=[mistake])
    assert [r.id for r in _ledger(workspace, note_id) if not r.deleted] == [kept]

    with workspace.database.write(Actor(ME, source="sync", record_changes=False)) as session:
        session.get_one(CommitmentRow, kept).row_version = 3  # the server has it now
    with pytest.raises(ValidationError, match="只能撤回"):
        service.save(ENTERPRISE, note_id, _draft(), discard=[kept])
    with pytest.raises(ValidationError, match="已同步"):
        service.discard_draft(note_id)

    fresh = new_id()
    one = CommitmentDraft(new_id(), "x", dt.date(2027, 1, 1))
    service.save(ENTERPRISE, fresh, _draft(one, round_no=3))
    service.discard_draft(fresh)
    assert fresh not in [r.id for r in service.rounds(ENTERPRISE)]
    assert all(r.deleted for r in _ledger(workspace, fresh))
