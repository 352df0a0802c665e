"""Answered outbox entries, kept for a while in case the server is restored from a backup.

An entry leaves the outbox in the transaction that applies the server's answer
(``app.sync.push``). A server later restored from a backup taken before that answer has lost
the change, so the laptop sends it again with its own change id and device seq
(``app.sync.restore``): the server's change log ends up holding it exactly once. To be able to,
the same transaction keeps the entry here, in ``local_settings`` under
``sync.sent.<device seq, 12 digits>`` (JSON): keys sort by device seq, and ``local_settings``
already holds such keyed records (import and merge receipts), so no schema change is needed.

Retention: every entry answered in the last ``RETENTION`` (30 days by this laptop's clock) and,
whatever their age, the newest ``KEEP_LATEST`` entries (so a laptop that syncs rarely, or
whose clock jumped forward, still covers its latest work). Pruning removes entries from the
oldest end only, and only those outside both rules; a restore from a backup older than the
window can therefore cost only changes answered more than 30 days before it, and the sync
report counts them. Rejected entries are kept too: the server's log lost them as well.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, func, insert, select

from app.database.tables import LocalSetting, OutboxEntry
from app.sync.outbox import Pending
from app.sync.state import parse_time

PREFIX = "sync.sent."
_END = "sync.sent/"  # the next character after "." sorts every kept key below this
RETENTION = dt.timedelta(days=30)
KEEP_LATEST = 1000
_PRUNE_BATCH = 500

_settings = cast(Table, LocalSetting.__table__)
_outbox = cast(Table, OutboxEntry.__table__)


def key(device_seq: int) -> str:
    return f"{PREFIX}{device_seq:012d}"


def _seq_of(setting_key: str) -> int:
    return int(setting_key[len(PREFIX) :])


def _kept_range(after: int = 0) -> Any:
    return (_settings.c.key > key(after)) & (_settings.c.key < _END)


@dataclass(frozen=True, slots=True)
class TakenBack:
    """Entries put back into the outbox, by device seq."""

    seqs: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.seqs)


def keep(connection: Connection, entry: Pending, outcome: str, answered_at: dt.datetime) -> None:
    """Keep ``entry`` (just answered with ``outcome``) in the caller's transaction."""
    value = json.dumps(
        {
            "change_id": entry.change_id,
            "table": entry.table_name,
            "row_id": entry.row_id,
            "op": entry.op,
            "fields": entry.fields,
            "base": entry.base,
            "schema_version": entry.schema_version,
            "created_at": None if entry.created_at is None else entry.created_at.isoformat(),
            "outcome": outcome,
            "answered_at": answered_at.isoformat(),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    name = key(entry.device_seq)
    connection.execute(delete(_settings).where(_settings.c.key == name))
    connection.execute(insert(_settings).values(key=name, value=value))


def highest(connection: Connection) -> int:
    """The highest device seq kept (0 when none)."""
    found = connection.scalar(select(func.max(_settings.c.key)).where(_kept_range()))
    return _seq_of(found) if found else 0


def count(connection: Connection) -> int:
    return int(connection.scalar(select(func.count()).where(_kept_range())) or 0)


def take_back(connection: Connection, after: int, leave: Collection[int] = ()) -> TakenBack:
    """Move every kept entry with a device seq above ``after`` back into the outbox, with its
    change id and device seq, in the caller's transaction (they are pushed next). Entries
    whose seq is in ``leave`` (the server just answered them: it still has them) stay kept."""
    rows = connection.execute(
        select(_settings.c.key, _settings.c.value)
        .where(_kept_range(after))
        .order_by(_settings.c.key)
    ).all()
    busy_seqs = set(connection.scalars(select(_outbox.c.device_seq)))
    busy_ids = set(connection.scalars(select(_outbox.c.change_id)))
    seqs: list[int] = []
    taken: list[str] = []
    for name, text in rows:
        seq = _seq_of(name)
        if seq in leave:
            continue
        taken.append(name)
        entry = json.loads(text)
        if seq not in busy_seqs and entry["change_id"] not in busy_ids:
            connection.execute(
                insert(_outbox).values(
                    device_seq=seq,
                    change_id=entry["change_id"],
                    table_name=entry["table"],
                    row_id=entry["row_id"],
                    op=entry["op"],
                    fields=entry["fields"],
                    base=entry["base"],
                    schema_version=entry["schema_version"],
                    created_at=parse_time(entry.get("created_at")),
                )
            )
            seqs.append(seq)
    for chunk in range(0, len(taken), _PRUNE_BATCH):
        names = taken[chunk : chunk + _PRUNE_BATCH]
        connection.execute(delete(_settings).where(_settings.c.key.in_(names)))
    return TakenBack(tuple(seqs))


def prune(connection: Connection, now: dt.datetime) -> int:
    """Remove the oldest entries answered before ``now - RETENTION``, keeping the newest
    ``KEEP_LATEST`` whatever their age; returns how many went."""
    surplus = count(connection) - KEEP_LATEST
    if surplus <= 0:
        return 0
    cutoff = now - RETENTION
    removed = 0
    last = 0
    while removed < surplus:
        rows = connection.execute(
            select(_settings.c.key, _settings.c.value)
            .where(_kept_range(last))
            .order_by(_settings.c.key)
            .limit(min(_PRUNE_BATCH, surplus - removed))
        ).all()
        if not rows:
            break
        old = []
        for name, text in rows:
            answered = parse_time(json.loads(text).get("answered_at"))
            if answered is None or answered >= cutoff:
                break
            old.append(name)
        if old:
            connection.execute(delete(_settings).where(_settings.c.key.in_(old)))
            removed += len(old)
        if len(old) < len(rows):
            break  # reached an entry inside the window: everything after it is newer
        last = _seq_of(rows[-1][0])
    return removed


def forget(connection: Connection) -> None:
    """Drop every kept entry (a new device id: the old one's changes are not this laptop's
    to send again)."""
    connection.execute(delete(_settings).where(_kept_range()))
