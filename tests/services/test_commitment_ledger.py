"""The commitments ledger (政策兑现台账) on hand-built data; "today" is 2026-11-25."""

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
from app.domain.negotiation import CommitmentDraft
from app.domain.vocabulary import CommitmentStatus
from app.services.commitment_ledger import CommitmentLedgerService
from app.services.commitment_ledger_views import LedgerDraft, LedgerFilter, LedgerStatus
from app.services.follow_up_ledgers import LedgerScope
from app.services.workspace import CURRENT_MEMBER, Workspace

TODAY = dt.date(2026, 11, 25)
YESTERDAY, TOMORROW = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)


def uid(n: int) -> str:
    return f"0190b6a0-0000-7000-8000-{n:012d}"


SQUAD, OTHER_SQUAD = uid(1), uid(2)
ME, COLLEAGUE, STRANGER = uid(11), uid(12), uid(13)
ENTERPRISE, OTHER_ENTERPRISE, FAR_ENTERPRISE = uid(21), uid(22), uid(23)
PROJECT, OTHER_PROJECT = uid(31), uid(32)
NOTE = uid(41)
# The ledger as the fixture leaves it: (id, enterprise, promiser, content, due, status, honoured)
SEEDED = (
    (uid(51), ENTERPRISE, ME, "协调 200 亩用地指标", YESTERDAY, "pending", None),
    (uid(52), ENTERPRISE, COLLEAGUE, "电力增容专线", TODAY, "pending", None),
    (uid(53), OTHER_ENTERPRISE, COLLEAGUE, "人才公寓 50 套", dt.date(2026, 10, 1), "honoured",
     dt.date(2026, 9, 20)),
    (uid(54), FAR_ENTERPRISE, STRANGER, "物流园用地", dt.date(2026, 6, 1), "pending", None),
    (uid(55), FAR_ENTERPRISE, STRANGER, "设备补助", dt.date(2026, 6, 1), "withdrawn", None),
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
        enterprises: list[tuple[str, str, str | None]] = [
            (ENTERPRISE, "甲材料有限公司", SQUAD),
            (OTHER_ENTERPRISE, "乙电子有限公司", None),  # no squad: counted by its promiser
            (FAR_ENTERPRISE, "丙装备有限公司", OTHER_SQUAD),
        ]
        for eid, name, owner_squad in enterprises:
            s.add(EnterpriseRow(id=eid, name=name, name_key=name, squad_id=owner_squad))
        s.flush()
        s.add(ProjectRow(id=PROJECT, name="新材料基地", enterprise_id=ENTERPRISE))
        s.add(ProjectRow(id=OTHER_PROJECT, name="别家项目", enterprise_id=OTHER_ENTERPRISE))
        s.add(NegotiationNoteRow(id=NOTE, enterprise_id=ENTERPRISE, project_id=PROJECT,
                                 round_no=3, held_on=dt.date(2026, 10, 9)))  # fmt: skip
        s.flush()
        for cid, eid, promiser, content, due, status, honoured in SEEDED:
            s.add(
                CommitmentRow(
                    id=cid,
                    enterprise_id=eid,
                    project_id=PROJECT if eid == ENTERPRISE else None,
                    negotiation_note_id=NOTE if eid == ENTERPRISE else None,
                    promised_by_id=promiser,
                    content=content,
                    due_on=due,
                    status=status,
                    honoured_on=honoured,
                    withdrawn_reason="企业取消计划" if status == "withdrawn" else "",
                )
            )
        s.add(LocalSetting(key=CURRENT_MEMBER, value=ME))
    yield Workspace(database, tmp_path)
    database.dispose()


@pytest.fixture
def ledger(workspace: Workspace) -> CommitmentLedgerService:
    return CommitmentLedgerService(workspace, lambda: TODAY)


def _all(**fields: object) -> LedgerFilter:
    return LedgerFilter(scope=LedgerScope.ALL, **fields)  # type: ignore[arg-type]


def _draft(
    content: str = "协调厂房代建", due: dt.date | None = TOMORROW, **fields: object
) -> LedgerDraft:
    promiser = fields.pop("promised_by_id", None)
    values: dict[str, object] = {"enterprise_id": ENTERPRISE, "project_id": PROJECT}
    values.update(fields)
    commitment = CommitmentDraft(new_id(), content, due, promiser)  # type: ignore[arg-type]
    return LedgerDraft(commitment=commitment, **values)  # type: ignore[arg-type]


def _stored(workspace: Workspace, commitment_id: str) -> CommitmentRow:
    with workspace.database.read() as session:
        return session.get_one(CommitmentRow, commitment_id)


def _outbox(workspace: Workspace, row_id: str) -> list[tuple[str, dict[str, object]]]:
    with workspace.database.read() as session:
        entries = session.scalars(
            select(OutboxEntry).where(OutboxEntry.row_id == row_id).order_by(OutboxEntry.device_seq)
        )
        return [(entry.op, entry.fields) for entry in entries]


def test_overdue_is_pending_and_due_before_today(ledger: CommitmentLedgerService) -> None:
    page = ledger.page(_all())
    states = {row.content: (row.state, row.overdue_days) for row in page.rows}
    assert states == {
        "协调 200 亩用地指标": (LedgerStatus.OVERDUE, 1),
        "电力增容专线": (LedgerStatus.PENDING, 0),  # due today is not late yet
        "人才公寓 50 套": (LedgerStatus.HONOURED, 0),  # past its date but kept
        "物流园用地": (LedgerStatus.OVERDUE, 177),
        "设备补助": (LedgerStatus.WITHDRAWN, 0),
    }
    counts = page.counts
    assert (counts.pending, counts.overdue, counts.honoured, counts.withdrawn) == (1, 2, 1, 1)
    # 兑现率 = honoured / (honoured + overdue); withdrawn and not-yet-due ones stay out
    assert counts.honour_rate.value == pytest.approx(1 / 3)
    assert counts.honour_rate.text == "33.3%"
    assert "已兑现 ÷（已兑现 + 已逾期未兑现）" in page.rate_definition
    # pending ones first, by due date, overdue at the top
    first = [row.content for row in page.rows[:3]]
    assert first == ["物流园用地", "协调 200 亩用地指标", "电力增容专线"]


def test_the_status_filter_keeps_the_counts_of_every_status(
    ledger: CommitmentLedgerService,
) -> None:
    overdue = ledger.page(_all(status=LedgerStatus.OVERDUE))
    assert {row.content for row in overdue.rows} == {"协调 200 亩用地指标", "物流园用地"}
    assert overdue.total == 2
    assert overdue.counts.total == 5  # the summary still counts every status
    pending = ledger.page(_all(status=LedgerStatus.PENDING))
    assert pending.total == 3  # 待兑现 includes the overdue ones
    withdrawn = ledger.page(_all(status=LedgerStatus.WITHDRAWN))
    assert [(r.content, r.withdrawn_reason) for r in withdrawn.rows] == [
        ("设备补助", "企业取消计划")
    ]


def test_an_empty_ledger_has_no_rate(ledger: CommitmentLedgerService) -> None:
    page = ledger.page(_all(text="没有这样的承诺"))
    assert (page.rows, page.total) == ((), 0)
    assert page.counts.honour_rate.value is None
    assert page.counts.honour_rate.text == "—"
    only_future = ledger.page(_all(text="电力增容"))  # pending, not yet due: nothing to rate
    assert only_future.counts.honour_rate.text == "—"


def test_scope_mine_squad_and_all(ledger: CommitmentLedgerService) -> None:
    def contents(scope: LedgerScope) -> set[str]:
        return {row.content for row in ledger.page(LedgerFilter(scope=scope)).rows}

    assert contents(LedgerScope.MINE) == {"协调 200 亩用地指标"}
    # my squad: promised by a squad member, or the enterprise / project is the squad's
    assert contents(LedgerScope.SQUAD) == {"协调 200 亩用地指标", "电力增容专线", "人才公寓 50 套"}
    assert len(contents(LedgerScope.ALL)) == 5


def test_rows_name_enterprise_project_promiser_and_source(
    ledger: CommitmentLedgerService,
) -> None:
    rows = {row.content: row for row in ledger.page(_all()).rows}
    land = rows["协调 200 亩用地指标"]
    assert (land.enterprise_name, land.project_name, land.promised_by_name) == (
        "甲材料有限公司",
        "新材料基地",
        "李明",
    )
    assert (land.source, land.held_on) == ("洽谈第 3 轮", dt.date(2026, 10, 9))
    assert rows["人才公寓 50 套"].source == "直接录入"
    assert rows["人才公寓 50 套"].honoured_on == dt.date(2026, 9, 20)
    assert {r.content for r in ledger.page(_all(text="王芳")).rows} == {
        "电力增容专线",
        "人才公寓 50 套",
    }
    assert {r.content for r in ledger.page(_all(text="乙电子")).rows} == {"人才公寓 50 套"}
    assert ledger.page(_all(project_id=PROJECT)).total == 2
    dossier = ledger.of_enterprise(FAR_ENTERPRISE)
    assert {r.content for r in dossier.rows} == {"物流园用地", "设备补助"}


def test_direct_entry_is_pending_promised_by_me_and_syncs(
    ledger: CommitmentLedgerService, workspace: Workspace
) -> None:
    commitment_id = ledger.add(_draft("  协调   厂房代建 ", due=dt.date(2027, 1, 31)))
    row = _stored(workspace, commitment_id)
    assert (row.content, row.due_on, row.status, row.promised_by_id) == (
        "协调 厂房代建",
        dt.date(2027, 1, 31),
        "pending",
        ME,
    )
    assert (row.enterprise_id, row.project_id, row.negotiation_note_id) == (
        ENTERPRISE,
        PROJECT,
        None,
    )
    [(op, fields)] = _outbox(workspace, commitment_id)
    assert op == "insert" and fields["content"] == "协调 厂房代建"
    entry = ledger.entry(commitment_id)
    assert (entry.source, entry.promised_by_name) == ("直接录入", "李明")
    # a colleague may be named as the one who promised; no project is fine too
    other = ledger.add(_draft(promised_by_id=COLLEAGUE, project_id=None))
    assert (_stored(workspace, other).promised_by_id, _stored(workspace, other).project_id) == (
        COLLEAGUE,
        None,
    )


@pytest.mark.parametrize(
    ("draft", "field", "words"),
    [
        (_draft(enterprise_id=None), "enterprise_id", "请选择企业"),
        (_draft(enterprise_id=uid(99)), "enterprise_id", "找不到该企业"),
        (_draft(project_id=OTHER_PROJECT), "project_id", "不属于该企业"),
        (_draft("   "), "content", "请填写承诺内容"),
        (_draft(due=None), "due_on", "兑现期限"),
        (_draft("很" * 501), "content", "不能超过 500 个字"),
        (_draft(promised_by_id=uid(98)), "promised_by_id", "不存在"),
    ],
)
def test_direct_entry_names_the_bad_field(
    ledger: CommitmentLedgerService,
    workspace: Workspace,
    draft: LedgerDraft,
    field: str,
    words: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        ledger.add(draft)
    assert caught.value.field == field
    assert words in caught.value.message
    assert ledger.page(_all()).total == 5  # nothing half-written


def test_mark_honoured_records_the_day(
    ledger: CommitmentLedgerService, workspace: Workspace
) -> None:
    land = uid(51)
    ledger.mark_honoured(land, dt.date(2026, 11, 20))
    row = _stored(workspace, land)
    assert (row.status, row.honoured_on) == ("honoured", dt.date(2026, 11, 20))
    op, fields = _outbox(workspace, land)[-1]
    assert op == "patch" and fields["status"] == "honoured" and "honoured_on" in fields
    page = ledger.page(_all())
    assert (page.counts.overdue, page.counts.honoured) == (1, 2)
    assert page.counts.honour_rate.text == "66.7%"
    with pytest.raises(ValidationError) as caught:
        ledger.mark_honoured(uid(52), TOMORROW)
    assert caught.value.field == "honoured_on"
    ledger.mark_honoured(uid(52))  # today by default
    assert _stored(workspace, uid(52)).honoured_on == TODAY
    with pytest.raises(ValidationError) as withdrawn:
        ledger.mark_honoured(uid(55))
    assert "已撤回" in withdrawn.value.message


def test_withdraw_needs_a_reason_and_keeps_the_commitment(
    ledger: CommitmentLedgerService, workspace: Workspace
) -> None:
    land = uid(51)
    with pytest.raises(ValidationError) as caught:
        ledger.withdraw(land, "   ")
    assert caught.value.field == "withdrawn_reason"
    assert _stored(workspace, land).status == "pending"
    ledger.withdraw(land, " 企业改选 园区 ")
    row = _stored(workspace, land)
    assert (row.status, row.withdrawn_reason, row.deleted) == ("withdrawn", "企业改选 园区", False)
    with workspace.database.read() as session:
        history = session.scalars(
            select(HistoryEntry).where(HistoryEntry.row_id == land, HistoryEntry.op == "patch")
        ).one()
    assert history.changes["status"] == ["pending", "withdrawn"]
    assert history.actor_id == ME
    page = ledger.page(_all())
    assert (page.counts.overdue, page.counts.withdrawn) == (1, 2)  # out of the rate
    with pytest.raises(ValidationError) as honoured:
        ledger.withdraw(uid(53), "不需要了")
    assert "已兑现" in honoured.value.message


def test_reopen_puts_it_back_to_pending(
    ledger: CommitmentLedgerService, workspace: Workspace
) -> None:
    ledger.reopen(uid(53))
    row = _stored(workspace, uid(53))
    assert (row.status, row.honoured_on) == ("pending", None)
    ledger.reopen(uid(55))
    assert (_stored(workspace, uid(55)).status, _stored(workspace, uid(55)).withdrawn_reason) == (
        "pending",
        "",
    )
    before = len(_outbox(workspace, uid(52)))
    ledger.reopen(uid(52))  # already pending: nothing to write
    assert len(_outbox(workspace, uid(52))) == before
    with pytest.raises(NotFoundError):
        ledger.reopen(uid(97))


def test_edit_changes_what_and_when_but_a_rounds_place_stays(
    ledger: CommitmentLedgerService, workspace: Workspace
) -> None:
    land = uid(51)
    ledger.edit(
        land, _draft("协调 120 亩首期用地", due=dt.date(2027, 2, 1), promised_by_id=COLLEAGUE)
    )
    row = _stored(workspace, land)
    assert (row.content, row.due_on, row.promised_by_id) == (
        "协调 120 亩首期用地",
        dt.date(2027, 2, 1),
        COLLEAGUE,
    )
    assert ledger.entry(land).state is LedgerStatus.PENDING  # no longer overdue
    with pytest.raises(ValidationError) as caught:
        ledger.edit(land, _draft(enterprise_id=OTHER_ENTERPRISE, project_id=None))
    assert caught.value.field == "enterprise_id"
    direct = uid(53)
    ledger.edit(direct, _draft("人才公寓 60 套", enterprise_id=ENTERPRISE, project_id=PROJECT))
    moved = _stored(workspace, direct)
    assert (moved.enterprise_id, moved.project_id, moved.status) == (
        ENTERPRISE,
        PROJECT,
        CommitmentStatus.HONOURED.value,
    )


def test_form_choices_offer_my_squad(ledger: CommitmentLedgerService) -> None:
    choices = ledger.form_choices()
    assert [m.name for m in choices.members] == sorted(["李明", "王芳"])
    assert choices.current_member_id == ME
    assert [m.name for m in ledger.form_choices(uid(54)).members] == sorted(
        ["李明", "王芳", "赵强"]
    )
    assert [p.name for p in ledger.projects_of(ENTERPRISE)] == ["新材料基地"]
    assert ledger.projects_of(FAR_ENTERPRISE) == ()
