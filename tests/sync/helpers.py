"""Helpers the sync tests share: the keyring stand-in and a seeded squad."""

from __future__ import annotations

from collections.abc import Callable

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from app.database.change_tracking import Actor
from app.database.tables import LocalSetting, MemberRow, SquadRow
from app.services.workspace import CURRENT_MEMBER, Workspace

from .fake_server import MEMBER_A, MEMBER_B, SQUAD

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
