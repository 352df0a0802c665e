"""Reading and writing generic records inside a write transaction that owns the feed counter.

Every write of a record (insert, update, re-scope) takes the next ``seq`` from the ``counters``
row, which the transaction locked first (``FOR UPDATE`` on PostgreSQL; SQLite holds its one
write lock from ``BEGIN IMMEDIATE``). Writers are therefore serialised, and a reader of the feed
sees seq values appear in order: a pull cursor can never pass a row that commits later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from app.database.codec import encode
from app.database.types import utc_now
from app.sync.protocol import RecordState
from server.database.engine import ServerDatabase
from server.database.tables import FEED_COUNTER, counters, records
from server.sync.epoch import ensure_epoch
from server.sync.tables import ATTACHMENTS

INSERT_META = "*"
"""``field_meta`` key for what the insert wrote, for fields not changed since."""


@dataclass(frozen=True, slots=True)
class Stamp:
    """Who writes, when (server time) and from which device."""

    member_id: str | None
    device_id: str | None
    at: dt.datetime = field(default_factory=utc_now)

    @property
    def iso(self) -> str:
        return str(encode(self.at))

    def meta(self, version: int) -> dict[str, Any]:
        return {"by": self.member_id, "at": self.iso, "v": version, "device": self.device_id}


@dataclass(slots=True)
class StoredRecord:
    id: str
    table: str
    scope: str
    parent_id: str | None
    data: dict[str, Any]
    meta: dict[str, Any]
    row_version: int
    deleted: bool
    seq: int
    created_at: str | None
    updated_at: str | None
    updated_by: str | None

    def field_meta(self, name: str) -> dict[str, Any]:
        """Who last changed ``name``, when, at which version, from which device."""
        found = self.meta.get(name) or self.meta.get(INSERT_META)
        if isinstance(found, dict):
            return found
        return {"by": None, "at": self.created_at, "v": 1, "device": None}

    def state(self) -> RecordState:
        return RecordState(
            table=self.table,
            id=self.id,
            row_version=self.row_version,
            seq=self.seq,
            deleted=self.deleted,
            created_at=self.created_at,
            updated_at=self.updated_at,
            updated_by=self.updated_by,
            fields=self.data,
        )


COLUMNS = (
    records.c.id,
    records.c.table_name,
    records.c.scope,
    records.c.parent_id,
    records.c.data,
    records.c.field_meta,
    records.c.row_version,
    records.c.deleted,
    records.c.seq,
    records.c.created_at,
    records.c.updated_at,
    records.c.updated_by,
)


_INSERT = records.insert()
_UPDATE = records.update().where(records.c.id == bindparam("record_id"))
"""Built once: SQLAlchemy caches their compiled form; the values come with each execution."""


def _stored(row: Any) -> StoredRecord:
    return StoredRecord(
        id=row.id,
        table=row.table_name,
        scope=row.scope,
        parent_id=row.parent_id,
        data=dict(row.data),
        meta=dict(row.field_meta),
        row_version=row.row_version,
        deleted=bool(row.deleted),
        seq=row.seq,
        created_at=row.created_at,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


_BY_IDS = select(*COLUMNS).where(records.c.id.in_(bindparam("ids", expanding=True)))


def read_records(connection: Connection, ids: Iterable[str]) -> dict[str, StoredRecord]:
    wanted = sorted(set(ids))
    found: dict[str, StoredRecord] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for row in connection.execute(_BY_IDS, {"ids": chunk}):
            found[row.id] = _stored(row)
    return found


def _blob_of(table: str, data: Mapping[str, Any]) -> str | None:
    value = data.get("sha256") if table == ATTACHMENTS else None
    return value if isinstance(value, str) else None


class RecordWriter:
    """Record access for one write transaction; ``finish`` stores the feed counter."""

    def __init__(self, connection: Connection, *, lock_for_update: bool) -> None:
        self.connection = connection
        query = select(counters.c.value).where(counters.c.name == FEED_COUNTER)
        if lock_for_update:
            query = query.with_for_update()
        value = connection.scalar(query)
        if value is None:
            raise RuntimeError("the feed counter is missing")
        self._first = self._last = int(value)
        self._cache: dict[str, StoredRecord | None] = {}

    def next_seq(self) -> int:
        self._last += 1
        return self._last

    def reserve(self, count: int) -> int:
        """Hand out ``count`` seqs at once (bulk import); returns the first."""
        first = self._last + 1
        self._last += count
        return first

    def finish(self) -> None:
        if self._last != self._first:
            self.connection.execute(
                update(counters).where(counters.c.name == FEED_COUNTER).values(value=self._last)
            )
            self._first = self._last

    def get(self, record_id: str) -> StoredRecord | None:
        if record_id not in self._cache:
            self._cache[record_id] = read_records(self.connection, [record_id]).get(record_id)
        return self._cache[record_id]

    def get_many(self, ids: Iterable[str]) -> dict[str, StoredRecord]:
        missing = [record_id for record_id in set(ids) if record_id not in self._cache]
        if missing:
            found = read_records(self.connection, missing)
            for record_id in missing:
                self._cache[record_id] = found.get(record_id)
        return {
            record_id: record
            for record_id in set(ids)
            if (record := self._cache.get(record_id)) is not None
        }

    def insert(
        self,
        *,
        table: str,
        record_id: str,
        scope: str,
        parent_id: str | None,
        data: dict[str, Any],
        deleted: bool,
        stamp: Stamp,
        created_at: str | None = None,
    ) -> StoredRecord:
        record = StoredRecord(
            id=record_id,
            table=table,
            scope=scope,
            parent_id=parent_id,
            data=data,
            meta={INSERT_META: stamp.meta(1)},
            row_version=1,
            deleted=deleted,
            seq=self.next_seq(),
            created_at=created_at or stamp.iso,
            updated_at=stamp.iso,
            updated_by=stamp.member_id,
        )
        self.connection.execute(
            _INSERT,
            {
                "id": record.id,
                "table_name": record.table,
                "scope": record.scope,
                "parent_id": record.parent_id,
                "data": record.data,
                "field_meta": record.meta,
                "row_version": record.row_version,
                "deleted": record.deleted,
                "seq": record.seq,
                "created_at": record.created_at,
                "updated_at": record.updated_at,
                "updated_by": record.updated_by,
                "blob_sha256": _blob_of(table, data),
            },
        )
        self._cache[record.id] = record
        return record

    def update(
        self,
        record: StoredRecord,
        *,
        writes: Mapping[str, Any],
        deleted: bool,
        stamp: Stamp,
        scope: str | None = None,
        parent_id: str | None = None,
    ) -> StoredRecord:
        """Write ``writes`` (and the tombstone flag) as the record's next version."""
        version = record.row_version + 1
        record.data.update(writes)
        for name in writes:
            record.meta[name] = stamp.meta(version)
        if deleted != record.deleted:
            record.meta["deleted"] = stamp.meta(version)
        record.deleted = deleted
        record.row_version = version
        record.seq = self.next_seq()
        record.updated_at = stamp.iso
        record.updated_by = stamp.member_id
        if scope is not None:
            record.scope = scope
            record.parent_id = parent_id
        self.connection.execute(
            _UPDATE,
            {
                "record_id": record.id,
                "scope": record.scope,
                "parent_id": record.parent_id,
                "data": record.data,
                "field_meta": record.meta,
                "row_version": record.row_version,
                "deleted": record.deleted,
                "seq": record.seq,
                "updated_at": record.updated_at,
                "updated_by": record.updated_by,
                "blob_sha256": _blob_of(record.table, record.data),
            },
        )
        return record

    def rescope_below(self, root_id: str, scope: str) -> int:
        """Move every record under ``root_id`` (children, their children …) to ``scope``, each
        with a new seq so readers of the new scope pull them. Returns how many moved."""
        moved = 0
        seen = {root_id}
        frontier = [root_id]
        while frontier:
            children: list[str] = []
            for start in range(0, len(frontier), 500):
                query = select(records.c.id).where(
                    records.c.parent_id.in_(frontier[start : start + 500])
                )
                children.extend(i for i in self.connection.scalars(query) if i not in seen)
            seen.update(children)
            for child_id in children:
                self.connection.execute(
                    update(records)
                    .where(records.c.id == child_id)
                    .values(scope=scope, seq=self.next_seq())
                )
                self._cache.pop(child_id, None)
            moved += len(children)
            frontier = children
        return moved


@contextmanager
def feed_transaction(database: ServerDatabase) -> Iterator[RecordWriter]:
    """A write transaction holding the feed counter; commits on success. The process's feed
    epoch is started before its first one (``server.sync.epoch``)."""
    ensure_epoch(database)
    with database.write() as connection:
        writer = RecordWriter(connection, lock_for_update=database.is_postgres)
        yield writer
        writer.finish()
