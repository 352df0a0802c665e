"""What this laptop remembers about sync, kept in ``local_settings`` beside the data.

Keeping it in the database (not a side file) means the pull cursor is saved in the same
transaction as the page it follows, and a copied data dir carries its state along.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Connection, Table, delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.database.change_tracking import NEXT_DEVICE_SEQ as NEXT_DEVICE_SEQ
from app.database.tables import LocalSetting
from app.database.types import utc_now
from app.database.unit_of_work import Database, reporting_locks
from app.domain.ids import new_id

DEVICE_ID = "device_id"
PULL_CURSOR = "pull_cursor"
SERVER_ID = "server_id"
SERVER_URL = "server_url"
USERNAME = "username"
OFFLINE_ONLY = "offline_only"
LAST_SYNC_AT = "last_sync_at"
LAST_SYNC_ERROR = "last_sync_error"
LAST_SYNC_ERROR_AT = "last_sync_error_at"
SUMMARY_CHECKED_AT = "summary_checked_at"
SERVER_DEVICE_SEQ = "server_device_seq"
"""The last ``last_device_seq`` the server reported for this device (``app.sync.restore``)."""
FEED_EPOCH = "feed_epoch"
"""The server's feed epoch this laptop last pulled under (``server.sync.epoch``)."""


_settings = cast(Table, LocalSetting.__table__)


@dataclass(frozen=True, slots=True)
class SyncState:
    """Every sync setting at once, parsed."""

    device_id: str | None
    pull_cursor: int
    server_id: str | None
    server_url: str
    username: str
    offline_only: bool
    last_sync_at: dt.datetime | None
    last_sync_error: str | None
    last_sync_error_at: dt.datetime | None

    @property
    def configured(self) -> bool:
        return bool(self.server_url and self.username)


def get(connection: Connection, key: str) -> str | None:
    return connection.scalar(select(_settings.c.value).where(_settings.c.key == key))


def put(connection: Connection, key: str, value: str | None) -> None:
    """Set ``key`` (``None`` removes it) inside the caller's transaction."""
    if value is None:
        connection.execute(delete(_settings).where(_settings.c.key == key))
        return
    statement = sqlite_insert(_settings).values(key=key, value=value)
    connection.execute(
        statement.on_conflict_do_update(index_elements=["key"], set_={"value": value})
    )


def ensure_device_id(connection: Connection) -> str:
    device = get(connection, DEVICE_ID)
    if device is None:
        device = new_id()
        put(connection, DEVICE_ID, device)
    return device


_LOADED = (
    DEVICE_ID,
    PULL_CURSOR,
    SERVER_ID,
    SERVER_URL,
    USERNAME,
    OFFLINE_ONLY,
    LAST_SYNC_AT,
    LAST_SYNC_ERROR,
    LAST_SYNC_ERROR_AT,
)


def load(database: Database) -> SyncState:
    """Only the keys ``SyncState`` holds: ``local_settings`` also keeps receipts and the
    answered outbox entries (``app.sync.sent``), far too many to read for a status line."""
    query = select(_settings.c.key, _settings.c.value).where(_settings.c.key.in_(_LOADED))
    with database.engine.connect() as connection:
        rows = connection.execute(query).all()
    values: dict[str, str] = {key: value for key, value in rows}
    return SyncState(
        device_id=values.get(DEVICE_ID),
        pull_cursor=_int(values.get(PULL_CURSOR)),
        server_id=values.get(SERVER_ID),
        server_url=values.get(SERVER_URL, ""),
        username=values.get(USERNAME, ""),
        offline_only=values.get(OFFLINE_ONLY) == "1",
        last_sync_at=parse_time(values.get(LAST_SYNC_AT)),
        last_sync_error=values.get(LAST_SYNC_ERROR) or None,
        last_sync_error_at=parse_time(values.get(LAST_SYNC_ERROR_AT)),
    )


def save(database: Database, values: Mapping[str, str | None]) -> None:
    """Write several settings in one short transaction of their own."""
    with reporting_locks(), database.engine.execution_options(immediate=True).begin() as connection:
        for key, value in values.items():
            put(connection, key, value)


def now_text() -> str:
    return utc_now().isoformat()


def parse_time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _int(text: str | None) -> int:
    try:
        return int(text) if text else 0
    except ValueError:
        return 0
