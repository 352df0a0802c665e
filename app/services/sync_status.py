"""The sync status line: pending changes, open conflicts, rejected changes, last sync."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from app.database.tables import ConflictRow, OutboxEntry, RejectedChangeRow
from app.services.workspace import Workspace
from app.sync import state


@dataclass(frozen=True, slots=True)
class SyncStatus:
    configured: bool
    offline_only: bool
    pending_changes: int
    open_conflicts: int
    rejected_changes: int
    last_success_at: dt.datetime | None
    last_error: str | None
    last_error_at: dt.datetime | None
    server_url: str
    username: str


class SyncStatusService:
    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def status(self) -> SyncStatus:
        database = self._workspace.database
        saved = state.load(database)
        with database.read() as session:
            pending = session.scalar(select(func.count()).select_from(OutboxEntry))
            conflicts = session.scalar(
                select(func.count())
                .select_from(ConflictRow)
                .where(ConflictRow.status == "open", ConflictRow.deleted.is_(False))
            )
            rejected = session.scalar(
                select(func.count())
                .select_from(RejectedChangeRow)
                .where(RejectedChangeRow.status == "open")
            )
        return SyncStatus(
            configured=saved.configured,
            offline_only=saved.offline_only,
            pending_changes=int(pending or 0),
            open_conflicts=int(conflicts or 0),
            rejected_changes=int(rejected or 0),
            last_success_at=saved.last_sync_at,
            last_error=saved.last_sync_error,
            last_error_at=saved.last_sync_error_at,
            server_url=saved.server_url,
            username=saved.username,
        )
