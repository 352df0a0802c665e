"""The open workspace: the local database, its data dir, and who is working in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.tables import EnterpriseRow, LocalSetting, SquadRow
from app.database.unit_of_work import Database

CURRENT_MEMBER = "current_member_id"
DEMO_DATA = "demo_data"


@dataclass(frozen=True, slots=True)
class Workspace:
    """Everything a service needs: constructed once in ``ui/main.py`` or the CLI, passed in."""

    database: Database
    data_dir: Path

    def setting(self, key: str) -> str | None:
        with self.database.read() as session:
            row = session.get(LocalSetting, key)
            return None if row is None else row.value

    def current_member_id(self) -> str | None:
        return self.setting(CURRENT_MEMBER)

    def actor(self, source: str = "local") -> Actor:
        """The actor for a unit of work started by this user."""
        return Actor(member_id=self.current_member_id(), source=source)

    def is_empty(self) -> bool:
        """True when the database holds no squads and no enterprises (a first start)."""
        with self.database.read() as session:
            for table in (SquadRow, EnterpriseRow):
                if session.scalar(select(table.id).limit(1)) is not None:
                    return False
        return True

    def demo_label(self) -> str | None:
        """``"small:42"``-style description when this database was filled with demo data."""
        return self.setting(DEMO_DATA)
