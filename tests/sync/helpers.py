"""Helpers the sync tests share: the keyring stand-in, a seeded squad, a laptop on the fake."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.tables import EnterpriseRow, LocalSetting, MemberRow, OutboxEntry, SquadRow
from app.services.enterprises import EnterpriseService
from app.services.workspace import CURRENT_MEMBER, Workspace
from app.sync.engine import SyncEngine, SyncReport

from .fake_server import MEMBER_A, MEMBER_B, SQUAD, FakeTransport

MakeWorkspace = Callable[[str], Workspace]
SERVER_ROWS = Actor(None, source="sync", record_changes=False)
"""Writes as a pull makes them: no outbox entries."""


class MemoryKeyring(KeyringBackend):
    """An OS keyring stand-in (the one fake the house style allows)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


def seed_squad(workspace: Workspace, member_id: str = MEMBER_A) -> None:
    """The squad and both members as a first pull would have left them (no outbox entries)."""
    with workspace.database.write(SERVER_ROWS) as session:
        session.add(SquadRow(id=SQUAD, name="新材料招商小分队", row_version=1))
        session.flush()
        for member, name in ((MEMBER_A, "王芳"), (MEMBER_B, "赵强")):
            session.add(
                MemberRow(id=member, name=name, squad_id=SQUAD, role="member", row_version=1)
            )
        session.add(LocalSetting(key=CURRENT_MEMBER, value=member_id))


URL = "https://fake.invalid"


@dataclass
class Laptop:
    workspace: Workspace
    transport: FakeTransport
    username: str

    def sync(self, **options: Any) -> SyncReport:
        engine = SyncEngine(
            self.workspace,
            password="secret",
            transport=self.transport,
            server_url=URL,
            username=self.username,
        )
        return engine.run(**options)

    @property
    def enterprises(self) -> EnterpriseService:
        return EnterpriseService(self.workspace)

    def enterprise(self, row_id: str) -> EnterpriseRow:
        with self.workspace.database.read() as session:
            row = session.get(EnterpriseRow, row_id)
            assert row is not None
            return row

    def outbox(self) -> list[OutboxEntry]:
        with self.workspace.database.read() as session:
            return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.device_seq)))

    def setting(self, key: str) -> str | None:
        return self.workspace.setting(key)
