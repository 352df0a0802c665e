"""A record's history as people read it: who, when, what happened, each field old → new."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from app.database import change_tracking
from app.database.change_tracking import Actor
from app.database.codec import encode
from app.database.opening import open_local_database
from app.database.tables import (
    SYNC_COLUMNS,
    ContactRow,
    EnterpriseRow,
    LocalSetting,
    MemberRow,
    SquadRow,
)
from app.domain.money import Money
from app.domain.visit import AttendeeDraft
from app.i18n import DEFAULT_LANGUAGE, set_language
from app.services.enterprises import EnterpriseService
from app.services.history import HistoryItem, HistoryOp, HistoryService, HistorySource
from app.services.visits import VisitService
from app.services.workspace import CURRENT_MEMBER, Workspace
from app.sync.apply import apply_records
from app.sync.local_tx import server_data_transaction
from app.sync.protocol import RecordState

SQUAD, ME, COLLEAGUE = (f"0190b6a0-0000-7000-8000-{n:012d}" for n in (1, 11, 12))
SERVER_ROWS = Actor(None, source="sync", record_changes=False)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    set_language(DEFAULT_LANGUAGE)
    database = open_local_database(tmp_path)
    with database.write(SERVER_ROWS) as session:
        session.add(SquadRow(id=SQUAD, name="新材料招商小分队", row_version=1))
        session.flush()
        for member, name in ((ME, "王芳"), (COLLEAGUE, "赵强")):
            session.add(MemberRow(id=member, name=name, squad_id=SQUAD, row_version=1))
        session.add(LocalSetting(key=CURRENT_MEMBER, value=ME))
    yield Workspace(database, tmp_path)
    database.dispose()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """The time edits are stamped with; tests move it forward by appending."""
    moments = [dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)]
    monkeypatch.setattr(change_tracking, "utc_now", lambda: moments[-1])
    return moments


def later(clock: list[dt.datetime], minutes: float) -> None:
    clock.append(clock[-1] + dt.timedelta(minutes=minutes))


def history(workspace: Workspace, table: str, row_id: str) -> tuple[HistoryItem, ...]:
    return HistoryService(workspace).for_record(table, row_id)


def changes_of(item: HistoryItem) -> dict[str, tuple[str, str]]:
    return {change.label: (change.old, change.new) for change in item.changes}


def test_create_edit_delete_restore_reads_newest_first(
    workspace: Workspace, clock: list[dt.datetime]
) -> None:
    service = EnterpriseService(workspace)
    enterprise_id = service.create(
        {"name": "合肥晶合集成电路股份有限公司", "registered_capital": Money.from_wan(5000)}
    )
    later(clock, 10)
    service.update(
        enterprise_id, {"registered_capital": Money.from_wan(25_000), "owner_id": COLLEAGUE}
    )
    later(clock, 10)
    service.delete(enterprise_id)
    later(clock, 10)
    service.restore(enterprise_id)

    items = history(workspace, "enterprises", enterprise_id)

    assert [item.op for item in items] == [
        HistoryOp.RESTORED,
        HistoryOp.DELETED,
        HistoryOp.EDITED,
        HistoryOp.CREATED,
    ]
    assert [item.what for item in items] == ["恢复", "删除", "修改", "新建"]
    assert [item.changed_at for item in items] == sorted(clock[:4], reverse=True)
    assert {item.who for item in items} == {"王芳"}
    assert changes_of(items[2]) == {
        "注册资本": ("5000万元", "2.5亿元"),
        "包抓责任人": ("", "赵强"),
    }
    created = changes_of(items[3])
    assert created["企业名称"] == ("", "合肥晶合集成电路股份有限公司")
    assert created["注册资本"] == ("", "5000万元")
    assert not any("name_key" in change.field for change in items[3].changes)
    assert items[0].changes == () and items[1].changes == ()


def test_values_read_as_a_person_reads_them(workspace: Workspace) -> None:
    service = EnterpriseService(workspace)
    enterprise_id = service.create({"name": "安徽天万智能装备技术股份有限公司"})
    service.update(
        enterprise_id,
        {
            "region_code": "340102",
            "founded_on": dt.date(2009, 3, 16),
            "intent_level": "strong",
            "land_mu": Decimal("120.5"),
            "squad_id": SQUAD,
        },
    )
    with workspace.database.write(workspace.actor()) as session:
        session.add(ContactRow(enterprise_id=enterprise_id, name="李四", is_primary=True))

    edited = changes_of(history(workspace, "enterprises", enterprise_id)[1])
    assert edited["行政区划"] == ("", "安徽省合肥市瑶海区")
    assert edited["成立日期"] == ("", "2009年3月16日")
    assert edited["意向强度"] == ("未知", "强")
    assert edited["用地需求（亩）"] == ("", "120.5")
    assert edited["所属小分队"] == ("", "新材料招商小分队")
    contact = history(workspace, "enterprises", enterprise_id)[0]
    assert contact.child and contact.what == "新建 · 联系人" and contact.subject == "李四"
    assert changes_of(contact)["主要联系人"] == ("", "是")
    assert "企业" not in changes_of(contact)  # the parent itself is not news in its history


def test_a_visit_shows_its_attendees_and_participants(workspace: Workspace) -> None:
    enterprise_id = EnterpriseService(workspace).create({"name": "科大讯飞股份有限公司"})
    visits = VisitService(workspace)
    visit_id = visits.create(
        {"enterprise_id": enterprise_id, "visited_on": dt.date(2026, 11, 20), "place": "合肥"},
        participant_ids=[ME, COLLEAGUE],
        attendees=[AttendeeDraft("李四", "总经理")],
    )
    visits.set_participants(visit_id, [ME])

    items = history(workspace, "visits", visit_id)

    whats = sorted((item.what, item.subject) for item in items)
    assert whats == [
        ("删除 · 我方参加人", "赵强"),
        ("新建", ""),
        ("新建 · 对方参会人", "李四（总经理）"),
        ("新建 · 我方参加人", "王芳"),
        ("新建 · 我方参加人", "赵强"),
    ]
    attendee = next(item for item in items if item.table_name == "visit_attendees")
    assert changes_of(attendee) == {"姓名": ("", "李四"), "职务": ("", "总经理")}
    visit = next(item for item in items if not item.child)
    assert changes_of(visit)["拜访企业"] == ("", "科大讯飞股份有限公司")
    assert changes_of(visit)["拜访日期"] == ("", "2026年11月20日")
    # the enterprise's own history does not fill up with its visits
    assert [item.op for item in history(workspace, "enterprises", enterprise_id)] == [
        HistoryOp.CREATED
    ]


def test_autosave_bursts_read_as_one_edit_with_the_full_long_text(
    workspace: Workspace, clock: list[dt.datetime]
) -> None:
    enterprise_id = EnterpriseService(workspace).create({"name": "科大讯飞股份有限公司"})
    visits = VisitService(workspace)
    first = "双方介绍了各自情况。\n对方计划在长三角新建生产基地，用地约150亩。"
    visit_id = visits.create(
        {"enterprise_id": enterprise_id, "visited_on": dt.date(2026, 11, 20), "discussion": first}
    )
    typed = first
    for more in ("\n我方介绍了园区政策。", "\n对方希望年底前看地。", "\n下周回访。"):
        later(clock, 0.05)  # an autosave every few seconds while typing
        typed += more
        visits.update(visit_id, {"discussion": typed})
    later(clock, 30)
    visits.update(visit_id, {"place": "三楼会议室"})

    items = history(workspace, "visits", visit_id)

    assert [item.op for item in items] == [HistoryOp.EDITED, HistoryOp.EDITED, HistoryOp.CREATED]
    place, typing, _created = items
    assert changes_of(place) == {"地点": ("", "三楼会议室")}
    assert typing.saves == 3
    assert typing.first_changed_at < typing.changed_at
    (discussion,) = typing.changes
    assert (discussion.label, discussion.old, discussion.new) == ("洽谈内容", first, typed)
    assert discussion.long_text


def test_typing_then_taking_it_back_leaves_nothing_to_show(
    workspace: Workspace, clock: list[dt.datetime]
) -> None:
    enterprise_id = EnterpriseService(workspace).create({"name": "科大讯飞股份有限公司"})
    service = EnterpriseService(workspace)
    later(clock, 10)
    service.update(enterprise_id, {"website": "https://www.iflytek.co"})
    later(clock, 0.05)
    service.update(enterprise_id, {"website": ""})

    assert [item.op for item in history(workspace, "enterprises", enterprise_id)] == [
        HistoryOp.CREATED
    ]


def test_imported_and_synced_edits_say_where_they_came_from(workspace: Workspace) -> None:
    enterprise_id = EnterpriseService(workspace).create({"name": "科大讯飞股份有限公司"})
    with workspace.database.write(workspace.actor("import")) as session:
        row = session.get(EnterpriseRow, enterprise_id)
        assert row is not None
        row.website = "https://www.iflytek.com"
    _pull(workspace, enterprise_id, by=COLLEAGUE, headquarters="安徽省合肥市")

    synced, imported, created = history(workspace, "enterprises", enterprise_id)

    assert synced.source is HistorySource.SYNC and synced.who == "赵强（同步）"
    assert changes_of(synced) == {"总部所在地": ("", "安徽省合肥市")}
    assert imported.source is HistorySource.IMPORT and imported.who == "王芳（本机导入）"
    assert created.source is HistorySource.LOCAL and created.who == "王芳"


def test_a_delete_that_arrives_by_sync_reads_as_a_delete(workspace: Workspace) -> None:
    enterprise_id = EnterpriseService(workspace).create({"name": "科大讯飞股份有限公司"})
    _pull(workspace, enterprise_id, by=COLLEAGUE, deleted=True)

    deleted = history(workspace, "enterprises", enterprise_id)[0]

    assert (deleted.op, deleted.who) == (HistoryOp.DELETED, "赵强（同步）")


def _pull(workspace: Workspace, enterprise_id: str, *, by: str, **changed: object) -> None:
    """The server's newer state of the enterprise arrives by a pull (the real apply path)."""
    with workspace.database.read() as session:
        row = session.get(EnterpriseRow, enterprise_id)
        assert row is not None
        fields = {
            column.key: encode(getattr(row, column.key))
            for column in EnterpriseRow.__table__.columns
            if column.key not in SYNC_COLUMNS
        }
        version, deleted = row.row_version, row.deleted
    deleted = bool(changed.pop("deleted", deleted))
    fields.update({name: encode(value) for name, value in changed.items()})
    record = RecordState(
        table="enterprises",
        id=enterprise_id,
        row_version=version + 5,
        seq=100,
        deleted=deleted,
        updated_at=dt.datetime.now(dt.UTC).isoformat(),
        updated_by=by,
        fields=fields,
    )
    with server_data_transaction(workspace.database) as connection:
        apply_records(connection, [record])
