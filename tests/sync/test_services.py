"""The services the sync screens call: account, status, conflicts, rejected changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from app.database.tables import (
    ConflictRow,
    EnterpriseRow,
    OutboxEntry,
    RejectedChangeRow,
    VisitRow,
)
from app.domain.errors import AppError, ValidationError
from app.domain.money import Money
from app.services import sync_account
from app.services.conflicts import ConflictService
from app.services.rejected_changes import RejectedChangeService
from app.services.sync_account import SyncAccountService, normalise_server_url
from app.services.sync_status import SyncStatusService
from app.services.workspace import CURRENT_MEMBER, DEMO_DATA, Workspace
from app.sync import credentials, state
from app.sync.errors import SyncProblem

from .fake_server import MEMBER_A, MEMBER_B, SQUAD, FakeServer, FakeTransport
from .helpers import SERVER_ROWS, MakeWorkspace, MemoryKeyring, seed_squad

HUAWEI = "0190b6a0-0000-7000-8000-0000000000e1"
VISIT = "0190b6a0-0000-7000-8000-0000000000d1"
URL = "https://sync.example.gov.cn"
THEN = dt.datetime(2026, 11, 28, 2, 12, tzinfo=dt.UTC)


# -- account ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" https://sync.example.gov.cn/ ", "https://sync.example.gov.cn"),
        ("https://10.1.2.3:8443/squaddesk/", "https://10.1.2.3:8443/squaddesk"),
        ("http://localhost:8765", "http://localhost:8765"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://[::1]:8765", "http://[::1]:8765"),
    ],
)
def test_server_addresses_accepted(raw: str, expected: str) -> None:
    assert normalise_server_url(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "sync.example.gov.cn",
        "ftp://x.cn",
        "http://sync.example.gov.cn",
        "https://",
        "https://x.cn:port",
    ],
)
def test_server_addresses_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as raised:
        normalise_server_url(raw)
    assert raised.value.field == "server_url"


@pytest.fixture
def fake_login(monkeypatch: pytest.MonkeyPatch) -> FakeServer:
    server = FakeServer()
    monkeypatch.setattr(sync_account, "Transport", lambda _url: FakeTransport(server))
    monkeypatch.delenv(credentials.PASSWORD_ENV, raising=False)
    return server


def test_sign_in_remembers_account_member_and_password(
    make_workspace: MakeWorkspace, fake_login: FakeServer, memory_keyring: MemoryKeyring
) -> None:
    workspace = make_workspace("a")
    service = SyncAccountService(workspace)
    assert not service.settings().configured
    user = service.sign_in(URL + "/", " wang ", "secret", remember=True)
    assert user.member_id == MEMBER_A
    settings = service.settings()
    assert (settings.server_url, settings.username, settings.configured) == (URL, "wang", True)
    assert settings.password_saved and settings.keyring_available and not settings.offline_only
    assert workspace.setting(CURRENT_MEMBER) == MEMBER_A
    assert workspace.setting(state.SERVER_ID) == fake_login.server_id
    assert service.saved_password() == "secret"

    service.work_offline()
    assert service.settings().offline_only
    assert SyncStatusService(workspace).status().offline_only

    service.sign_out()
    settings = service.settings()
    assert (settings.username, settings.configured, settings.password_saved) == ("", False, False)
    assert memory_keyring.passwords == {}


def test_sign_in_without_remember_saves_no_password(
    make_workspace: MakeWorkspace, fake_login: FakeServer, memory_keyring: MemoryKeyring
) -> None:
    service = SyncAccountService(make_workspace("a"))
    service.sign_in(URL, "wang", "secret", remember=False)
    assert memory_keyring.passwords == {}
    assert not service.settings().password_saved


def test_sign_in_failures(
    make_workspace: MakeWorkspace, fake_login: FakeServer, memory_keyring: MemoryKeyring
) -> None:
    workspace = make_workspace("a")
    service = SyncAccountService(workspace)
    with pytest.raises(SyncProblem) as raised:
        service.sign_in(URL, "wang", "wrong", remember=True)
    assert raised.value.kind == "auth"
    with pytest.raises(ValidationError) as invalid:
        service.sign_in(URL, "", "secret", remember=True)
    assert invalid.value.field == "username"
    state.save(workspace.database, {state.SERVER_ID: "another-server"})
    with pytest.raises(SyncProblem) as other:
        service.sign_in(URL, "wang", "secret", remember=True)
    assert other.value.kind == "other_server"
    assert not service.settings().configured


def test_sign_in_refuses_a_demo_database(
    make_workspace: MakeWorkspace, fake_login: FakeServer
) -> None:
    workspace = make_workspace("a")
    state.save(workspace.database, {DEMO_DATA: "small:42"})
    with pytest.raises(SyncProblem) as raised:
        SyncAccountService(workspace).sign_in(URL, "wang", "secret", remember=False)
    assert raised.value.kind == "demo"


def test_the_environment_password_comes_first(
    make_workspace: MakeWorkspace, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = make_workspace("a")
    state.save(workspace.database, {state.SERVER_URL: URL, state.USERNAME: "wang"})
    credentials.save_password(URL, "wang", "kept")
    service = SyncAccountService(workspace)
    assert service.saved_password() == "kept"
    monkeypatch.setenv(credentials.PASSWORD_ENV, "env")
    assert service.saved_password() == "env"


# -- conflicts -------------------------------------------------------------------------------


def seeded(make_workspace: MakeWorkspace) -> Workspace:
    workspace = make_workspace("a")
    seed_squad(workspace, MEMBER_A)
    with workspace.database.write(SERVER_ROWS) as session:
        session.add(
            EnterpriseRow(
                id=HUAWEI,
                name="华为技术有限公司",
                name_key="华为技术",
                squad_id=SQUAD,
                registered_capital=Money.from_wan(4000),
                profile="第一段\n第二段\n第三段\n",
                row_version=3,
            )
        )
        session.flush()
        session.add(
            VisitRow(id=VISIT, enterprise_id=HUAWEI, visited_on=dt.date(2026, 11, 3), row_version=1)
        )
    return workspace


def add_conflict(workspace: Workspace, **values: Any) -> str:
    fields: dict[str, Any] = {
        "table_name": "enterprises",
        "row_id": HUAWEI,
        "kind": "field",
        "server_by": MEMBER_B,
        "server_at": THEN,
        "client_by": MEMBER_A,
        "client_at": THEN,
        "row_version": 1,
        "created_at": THEN,
    }
    fields.update(values)
    with workspace.database.write(SERVER_ROWS) as session:
        conflict = ConflictRow(**fields)
        session.add(conflict)
        session.flush()
        return conflict.id


def outbox(workspace: Workspace) -> list[OutboxEntry]:
    with workspace.database.read() as session:
        return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.device_seq)))


def enterprise(workspace: Workspace) -> EnterpriseRow:
    with workspace.database.read() as session:
        row = session.get(EnterpriseRow, HUAWEI)
        assert row is not None
        return row


def test_conflicts_are_listed_readably(make_workspace: MakeWorkspace) -> None:
    workspace = seeded(make_workspace)
    money = add_conflict(
        workspace,
        field="registered_capital",
        base_value=3_000_000_000,
        server_value=4_000_000_000,
        client_value=5_000_250_000,
    )
    add_conflict(
        workspace,
        table_name="visits",
        row_id=VISIT,
        field="place",
        server_value="厂区",
        client_value="会议室",
    )
    service = ConflictService(workspace)
    items = service.open_conflicts()
    assert [(i.record_label, i.field_label) for i in items] == [
        ("企业 · 华为技术有限公司", "注册资本"),
        ("拜访 · 2026年11月3日 华为技术有限公司", "地点"),
    ]
    detail = service.detail(money)
    assert (detail.base, detail.theirs, detail.mine) == ("3000万元", "4000万元", "5000.25万元")
    assert (detail.theirs_by, detail.mine_by) == ("赵强", "王芳")
    assert detail.theirs_at == THEN and not detail.is_text and detail.hunks == ()
    assert SyncStatusService(workspace).status().open_conflicts == 2


def test_keep_mine_writes_the_value_and_queues_both_edits(make_workspace: MakeWorkspace) -> None:
    workspace = seeded(make_workspace)
    conflict_id = add_conflict(
        workspace,
        field="founded_on",
        base_value=None,
        server_value="1987-09-15",
        client_value="1987-09-16",
    )
    service = ConflictService(workspace)
    assert service.detail(conflict_id).mine == "1987年9月16日"
    service.keep_mine(conflict_id)
    assert enterprise(workspace).founded_on == dt.date(1987, 9, 16)
    record, resolution = outbox(workspace)
    assert (record.table_name, record.fields) == ("enterprises", {"founded_on": "1987-09-16"})
    assert resolution.table_name == "conflicts" and resolution.row_id == conflict_id
    assert resolution.fields["status"] == "resolved"
    assert resolution.fields["resolution"] == "mine"
    assert resolution.fields["resolved_by"] == MEMBER_A
    assert resolution.base == {
        "row_version": 1,
        "fields": {"status": "open", "resolution": "", "resolved_by": None, "resolved_at": None},
    }
    assert service.open_conflicts() == []
    with pytest.raises(AppError):
        service.keep_theirs(conflict_id)


def test_keep_theirs_only_closes_the_conflict(make_workspace: MakeWorkspace) -> None:
    workspace = seeded(make_workspace)
    conflict_id = add_conflict(workspace, field="website", server_value="a", client_value="b")
    ConflictService(workspace).keep_theirs(conflict_id)
    (entry,) = outbox(workspace)
    assert entry.table_name == "conflicts" and entry.fields["resolution"] == "theirs"


def test_text_conflicts_come_in_hunks_and_take_the_merged_text(
    make_workspace: MakeWorkspace,
) -> None:
    workspace = seeded(make_workspace)
    conflict_id = add_conflict(
        workspace,
        field="profile",
        kind="text",
        base_value="第一段\n第二段\n第三段\n",
        server_value="第一段\n第二段（他）\n第三段\n",
        client_value="第一段\n第二段（我）\n第三段\n",
    )
    service = ConflictService(workspace)
    detail = service.detail(conflict_id)
    assert detail.is_text and detail.mine.startswith("第一段")
    assert [hunk.conflict for hunk in detail.hunks] == [False, True, False]
    service.use_merged(conflict_id, "第一段\n第二段（合）\n第三段\n")
    assert enterprise(workspace).profile == "第一段\n第二段（合）\n第三段"  # saved like the form
    assert outbox(workspace)[1].fields["resolution"] == "merged"


def test_a_merged_scalar_is_typed_as_shown_and_checked(make_workspace: MakeWorkspace) -> None:
    workspace = seeded(make_workspace)
    money = add_conflict(workspace, field="registered_capital", server_value=1, client_value=2)
    service = ConflictService(workspace)
    with pytest.raises(ValidationError):
        service.use_merged(money, "很多")
    service.use_merged(money, "4500万")
    assert enterprise(workspace).registered_capital == Money.from_wan(4500)
    day = add_conflict(workspace, field="founded_on", server_value=None, client_value=None)
    service.use_merged(day, "1987年9月15日")
    assert enterprise(workspace).founded_on == dt.date(1987, 9, 15)


def test_keep_mine_of_a_delete_conflict_restores_the_record(
    make_workspace: MakeWorkspace,
) -> None:
    workspace = seeded(make_workspace)
    with workspace.database.write(SERVER_ROWS) as session:
        row = session.get(EnterpriseRow, HUAWEI)
        assert row is not None
        row.deleted = True
    conflict_id = add_conflict(
        workspace, field="deleted", kind="delete", server_value=True, client_value=False
    )
    detail = ConflictService(workspace).detail(conflict_id)
    assert (detail.theirs, detail.mine) == ("已删除", "未删除")
    ConflictService(workspace).keep_mine(conflict_id)
    assert not enterprise(workspace).deleted
    assert outbox(workspace)[0].fields == {"deleted": False}


# -- rejected changes ------------------------------------------------------------------------


def reject(workspace: Workspace, op: str, fields: dict[str, Any], seq: int = 1) -> str:
    change_id = f"0190b6a0-0000-7000-8000-{seq:012d}"
    with workspace.database.write(SERVER_ROWS) as session:
        session.add(
            RejectedChangeRow(
                change_id=change_id,
                device_seq=seq,
                table_name="enterprises",
                row_id=HUAWEI,
                op=op,
                fields=fields,
                base={"row_version": 3, "fields": {}},
                code="invalid_value",
                reason="字段 website 太长",
            )
        )
    return change_id


def test_rejected_changes_are_listed_and_retried(make_workspace: MakeWorkspace) -> None:
    workspace = seeded(make_workspace)
    patch = reject(workspace, "patch", {"website": "https://huawei.com", "address": "坂田"})
    service = RejectedChangeService(workspace)
    (item,) = service.items()
    assert item.summary == "修改：网站、地址"
    assert item.record_label == "企业 · 华为技术有限公司"
    assert item.reason == "字段 website 太长"
    assert SyncStatusService(workspace).status().rejected_changes == 1
    service.retry(patch)
    (entry,) = outbox(workspace)
    assert entry.op == "patch"
    assert entry.fields == {"website": "https://huawei.com", "address": "坂田"}
    assert service.items() == []
    with pytest.raises(AppError):
        service.retry(patch)


def test_retrying_a_value_the_record_already_holds_still_queues_it(
    make_workspace: MakeWorkspace,
) -> None:
    workspace = seeded(make_workspace)
    reject(workspace, "patch", {"name": "华为技术有限公司"}, seq=1)
    reject(workspace, "delete", {"deleted": True}, seq=2)
    service = RejectedChangeService(workspace)
    assert [item.summary for item in service.items()] == ["修改：企业名称", "删除"]
    assert service.retry_all() == 2
    entries = outbox(workspace)
    assert [(e.op, e.fields) for e in entries] == [
        ("patch", {"name": "华为技术有限公司"}),
        ("delete", {"deleted": True}),
    ]
    assert entries[0].base == {"row_version": 3, "fields": {"name": "华为技术有限公司"}}
    assert enterprise(workspace).deleted
