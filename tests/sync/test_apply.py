"""Writing server records into a laptop's database: versions, rebasing, history, safety nets."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, func, select

from app.database.tables import (
    ContactRow,
    EnterpriseRow,
    HistoryEntry,
    LocalSetting,
    OutboxEntry,
)
from app.domain.money import Money
from app.services.workspace import Workspace
from app.sync import outbox, state
from app.sync.apply import apply_records
from app.sync.errors import SyncProblem
from app.sync.local_tx import server_data_transaction
from app.sync.protocol import RecordState

from .fake_server import MEMBER_A, MEMBER_B, SQUAD
from .helpers import MakeWorkspace, seed_squad

HUAWEI = "0190b6a0-0000-7000-8000-0000000000e1"
STAMP = "2026-11-03T08:00:00+00:00"


def enterprise(row_id: str = HUAWEI, version: int = 1, **fields: Any) -> RecordState:
    values: dict[str, Any] = {
        "name": "华为技术有限公司",
        "name_key": "华为技术",
        "name_initials": "hwjs",
        "legal_representative": "",
        "headquarters": "深圳",
        "address": "",
        "website": "",
        "profile": "",
        "investment_intent": "",
        "intent_level": "unknown",
        "water_need": "",
        "power_need": "",
        "site_preference": "",
        "tags": "",
        "squad_id": SQUAD,
        "registered_capital": 4_000_000_000,
    }
    values.update(fields)
    deleted = bool(values.pop("deleted", False))
    return RecordState(
        table="enterprises",
        id=row_id,
        row_version=version,
        seq=version,
        deleted=deleted,
        created_at=STAMP,
        updated_at=STAMP,
        updated_by=MEMBER_B,
        fields=values,
    )


def write(workspace: Workspace, records: list[RecordState], **options: Any) -> Any:
    with server_data_transaction(workspace.database) as connection:
        return apply_records(connection, records, **options)


def load(workspace: Workspace, row_id: str = HUAWEI) -> EnterpriseRow:
    with workspace.database.read() as session:
        row = session.get(EnterpriseRow, row_id)
        assert row is not None
        return row


def count(workspace: Workspace, model: Any) -> int:
    with workspace.database.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_new_records_are_inserted_without_history_or_outbox(
    make_workspace: MakeWorkspace,
) -> None:
    laptop = make_workspace("a")
    stats = write(laptop, [enterprise()])
    row = load(laptop)
    assert (row.name, row.row_version, row.registered_capital) == (
        "华为技术有限公司",
        1,
        Money(4_000_000_000),
    )
    assert row.updated_by == MEMBER_B
    assert stats.inserted == 1
    assert count(laptop, OutboxEntry) == count(laptop, HistoryEntry) == 0


def test_a_child_may_arrive_before_its_parent(make_workspace: MakeWorkspace) -> None:
    laptop = make_workspace("a")
    contact = RecordState(
        table="contacts",
        id="0190b6a0-0000-7000-8000-0000000000f1",
        row_version=1,
        seq=1,
        deleted=False,
        fields={"enterprise_id": HUAWEI, "name": "王经理"},
    )
    write(laptop, [contact])  # enterprise not here yet: foreign keys are off for the page
    write(laptop, [enterprise()])
    with laptop.database.read() as session:
        found = session.get(ContactRow, contact.id)
        assert found is not None and found.enterprise_id == HUAWEI
    with laptop.database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_same_version_is_skipped_and_a_new_one_writes_history(
    make_workspace: MakeWorkspace,
) -> None:
    laptop = make_workspace("a")
    write(laptop, [enterprise()])
    assert write(laptop, [enterprise()]).skipped == 1
    write(laptop, [enterprise(version=2, headquarters="东莞")])
    assert load(laptop).headquarters == "东莞"
    with laptop.database.read() as session:
        (entry,) = session.scalars(select(HistoryEntry))
    assert entry.source == "sync"
    assert entry.actor_id == MEMBER_B
    assert entry.changes == {"headquarters": ["深圳", "东莞"]}


def test_unknown_tables_and_fields_are_ignored_never_nulled(
    make_workspace: MakeWorkspace,
) -> None:
    laptop = make_workspace("a")
    write(laptop, [enterprise(founded_on="1987-09-15")])
    newer = enterprise(version=2, satellite_office="上海")  # no founded_on: kept here
    alien = RecordState(table="spaceships", id="x", row_version=1, seq=9, deleted=False, fields={})
    stats = write(laptop, [newer, alien])
    assert stats.unknown == 1
    assert str(load(laptop).founded_on) == "1987-09-15"


def test_pending_local_fields_are_rebased_over_the_server_state(
    make_workspace: MakeWorkspace,
) -> None:
    laptop = make_workspace("a")
    seed_squad(laptop)
    write(laptop, [enterprise()])
    with laptop.database.write(laptop.actor()) as session:
        row = session.get(EnterpriseRow, HUAWEI)
        assert row is not None
        row.address = "坂田基地"
    write(laptop, [enterprise(version=2, headquarters="东莞")])
    row = load(laptop)
    assert (row.headquarters, row.address, row.row_version) == ("东莞", "坂田基地", 2)
    with laptop.database.engine.connect() as connection:
        (pending,) = outbox.pending(connection)
    assert pending.fields == {"address": "坂田基地"}
    assert pending.base["row_version"] == 1  # pushed against what the edit was made on


def test_mass_deletion_waits_for_confirmation(make_workspace: MakeWorkspace) -> None:
    laptop = make_workspace("a")
    ids = [f"0190b6a0-0000-7000-8000-{n:012d}" for n in range(60)]
    write(laptop, [enterprise(row_id, name=f"企业{n}") for n, row_id in enumerate(ids)])
    tombstones = [enterprise(row_id, version=2, deleted=True) for row_id in ids]
    with pytest.raises(SyncProblem) as raised:
        write(laptop, tombstones, confirm_mass_delete=False)
    assert raised.value.kind == "mass_delete"
    assert raised.value.count == 60 and raised.value.table == "enterprises"
    assert "60" in str(raised.value)
    assert not load(laptop, ids[0]).deleted  # nothing of the page was written
    write(laptop, tombstones, confirm_mass_delete=True)
    assert load(laptop, ids[0]).deleted


def test_a_few_deletions_need_no_confirmation(make_workspace: MakeWorkspace) -> None:
    laptop = make_workspace("a")
    ids = [f"0190b6a0-0000-7000-8000-{n:012d}" for n in range(60)]
    write(laptop, [enterprise(row_id) for row_id in ids])
    write(laptop, [enterprise(ids[0], version=2, deleted=True)], confirm_mass_delete=False)
    assert load(laptop, ids[0]).deleted


def test_renumbering_keeps_order_and_continues_the_counter(
    make_workspace: MakeWorkspace,
) -> None:
    laptop = make_workspace("a")
    seed_squad(laptop)
    write(laptop, [enterprise()])
    for address in ("一", "二", "三"):
        with laptop.database.write(laptop.actor()) as session:
            row = session.get(EnterpriseRow, HUAWEI)
            assert row is not None
            row.address = address
    with server_data_transaction(laptop.database) as connection:
        connection.execute(delete(OutboxEntry).where(OutboxEntry.device_seq == 1))
        assert outbox.renumber(connection, 1) == 3
    with laptop.database.write(laptop.actor()) as session:
        row = session.get(EnterpriseRow, HUAWEI)
        assert row is not None
        row.address = "四"
    with laptop.database.engine.connect() as connection:
        entries = outbox.pending(connection)
        assert state.get(connection, state.NEXT_DEVICE_SEQ) == "4"
    assert [(e.device_seq, e.fields["address"]) for e in entries] == [
        (1, "二"),
        (2, "三"),
        (3, "四"),
    ]
    with laptop.database.read() as session:
        setting = session.get(LocalSetting, state.NEXT_DEVICE_SEQ)
        assert setting is not None and setting.value == "4"


def test_member_ids_are_kept_as_given(make_workspace: MakeWorkspace) -> None:
    laptop = make_workspace("a")
    write(laptop, [enterprise(owner_id=MEMBER_A)])
    assert load(laptop).owner_id == MEMBER_A


def _stored(workspace: Workspace, table: str) -> list[tuple[object, ...]]:
    with workspace.database.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id").all()
        return [tuple(row) for row in rows]


def test_the_fast_insert_stores_exactly_what_the_orm_types_store(
    make_workspace: MakeWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [
        enterprise(founded_on="1987-09-15", land_mu="120.50", workforce_need=300),
        enterprise(
            "0190b6a0-0000-7000-8000-0000000000e2",
            land_mu="7",
            founded_on="not a date",  # a value that does not decode: the column default
            headquarters=None,  # a null where the column cannot hold one: the default
            registered_capital=None,
        ),
        RecordState(
            table="tasks",
            id="0190b6a0-0000-7000-8000-0000000000a9",
            row_version=4,
            seq=9,
            deleted=True,
            created_at="2026-11-03T16:00:00+08:00",
            updated_at="2026-11-04T08:30:15.123456+00:00",
            fields={"title": "寄送用地资料", "completed_at": "2026-11-04T16:30:15.5+08:00"},
        ),
        RecordState(
            table="contacts",
            id="0190b6a0-0000-7000-8000-0000000000c9",
            row_version=1,
            seq=10,
            deleted=False,
            created_at=STAMP,
            updated_at=STAMP,
            fields={"enterprise_id": HUAWEI, "name": "王经理", "is_primary": True},
        ),
    ]
    fast = make_workspace("fast")
    write(fast, records)
    monkeypatch.setattr("app.sync.apply.RawInserter.usable", lambda _table, _connection: False)
    core = make_workspace("core")
    write(core, records)
    for table in ("enterprises", "tasks", "contacts"):
        assert _stored(fast, table) == _stored(core, table)
    task = _stored(fast, "tasks")[0]
    assert "2026-11-04 08:30:15.500000" in task
