"""Feed epochs: how a laptop notices that its server was restored from an older backup.

A restore rolls the feed counter back: seqs a laptop already pulled are handed out again, to
other records. The feed counter alone cannot show this once new writes have passed the laptop's
cursor, so each server process, before its first write or pull, starts a new *epoch*: a random
id and the feed head at that moment, kept in ``server_info`` (``feed_epoch`` = ``"<id>:<seq>"``).
Every pull page carries the current epoch, its starting seq and the head (``PullResponse``).

A laptop that stored another epoch learns that the server restarted since it last pulled. Up to
the epoch's starting seq the feed is the one it knew: a plain restart starts the epoch at the
head, never below a seq anyone pulled. A laptop whose cursor is above the starting seq (or above
the head) has pulled changes this database never had: the server was restored, and the laptop
recovers (``app.sync.restore``). Several workers on one database each start an epoch; each
starts at the head of its time, so any of them is a safe reference.

A restore must therefore be followed by a server start (``squaddesk-server restore`` into a new
database, then ``serve`` on it); a database restored under running workers (``--force``) keeps
the backup's epoch and is noticed only by a cursor above the head.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select

from app.domain.ids import new_id
from server.database.engine import ServerDatabase
from server.database.tables import FEED_COUNTER, counters, server_info

EPOCH_KEY = "feed_epoch"

_started: weakref.WeakSet[ServerDatabase] = weakref.WeakSet()
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Feed:
    """What a pull page says about the feed beside its records."""

    epoch: str | None
    epoch_seq: int | None
    head: int


def ensure_epoch(database: ServerDatabase) -> None:
    """Start this process's epoch on ``database``, once, before it writes or serves a pull."""
    if database in _started:
        return
    with _lock:
        if database in _started:
            return
        start_epoch(database)
        _started.add(database)


def start_epoch(database: ServerDatabase) -> str:
    """A new epoch starting at the current head (the counter row locked while it is read)."""
    epoch = new_id()
    with database.write() as connection:
        query = select(counters.c.value).where(counters.c.name == FEED_COUNTER)
        if database.is_postgres:
            query = query.with_for_update()
        head = int(connection.scalar(query) or 0)
        connection.execute(delete(server_info).where(server_info.c.key == EPOCH_KEY))
        connection.execute(insert(server_info).values(key=EPOCH_KEY, value=f"{epoch}:{head}"))
    return epoch


def read_feed(connection: Connection) -> Feed:
    """The epoch and head, read after the page's records (so the head is at least their seq)."""
    text = connection.scalar(select(server_info.c.value).where(server_info.c.key == EPOCH_KEY))
    head = int(
        connection.scalar(select(counters.c.value).where(counters.c.name == FEED_COUNTER)) or 0
    )
    epoch, _, since = (text or "").partition(":")
    if not epoch or not since.isdigit():
        return Feed(None, None, head)
    return Feed(epoch, int(since), head)
