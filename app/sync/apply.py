"""Write server record states into the local database, fast, keeping pending local edits.

Pulled pages and push results arrive as ``RecordState``s. They are written with SQLAlchemy Core
bulk statements grouped per table (no ORM object per row): one ``SELECT`` of the local
``row_version``s, then ``executemany`` inserts and updates. A record is written only when its
``row_version`` differs from the local one (for push results: unless it is older, so a
replayed old answer never rolls a row back, while an unchanged version still replaces a local
value the server refused or kept out by a conflict; after a server restore, always:
``app.sync.restore``). A row with entries still in the outbox is
rebased: the server state is stored, then the pending fields are written back over it (they are
pushed next, against the base they were made on). Unknown tables and fields are ignored,
never nulled.

History: a pulled change to a row that already existed locally writes one ``history`` row
(source ``sync``, the server's author and time) naming the fields that changed; rows that arrive
for the first time write none (the initial download of a million records would double in cost).
The caller owns the transaction (``app.sync.local_tx``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sqlalchemy import Column, Connection, Date, Numeric, Table, bindparam, func, select

from app.database.codec import JsonValue, decode, encode
from app.database.tables import SYNC_COLUMNS, TABLE_BY_NAME, ConflictRow, HistoryEntry, OutboxEntry
from app.database.types import MoneyType, UTCDateTime, utc_now
from app.i18n import tr
from app.sync.errors import SyncProblem
from app.sync.fast_insert import RawInserter
from app.sync.labels import table_label
from app.sync.protocol import RecordState
from app.sync.state import parse_time

CHUNK = 500
LOOKUP_CHUNK = 5000  # SQLite since 3.32 takes 32766 parameters
MASS_DELETE_MINIMUM = 50
ATTACHMENTS = "attachments"
CONFLICTS = "conflicts"
_T = TypeVar("_T")

Decoder = Callable[[JsonValue], object]


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A local table records can be written into, with a decoder per field column."""

    name: str
    table: Table
    decoders: Mapping[str, Decoder]
    required: frozenset[str]

    def decode_fields(self, fields: Mapping[str, Any]) -> dict[str, object]:
        """Known fields only, as Python values; a value that does not decode is left out, and
        so is a null for a column that cannot hold one (the local value or default stays)."""
        values: dict[str, object] = {}
        for name, raw in fields.items():
            decoder = self.decoders.get(name)
            if decoder is None or (raw is None and name in self.required):
                continue
            try:
                values[name] = decoder(raw)
            except (TypeError, ValueError, ArithmeticError):
                continue
        return values


def _decoder(column: Column[Any]) -> Decoder:
    kind = column.type
    if isinstance(kind, MoneyType | UTCDateTime | Date | Numeric):
        return lambda raw: decode(column, raw)
    return _identity


def _identity(raw: JsonValue) -> object:
    return raw


def _spec(table: Table) -> TableSpec:
    decoders = {
        column.name: _decoder(column)
        for column in table.columns
        if column.name not in SYNC_COLUMNS or column.name == "deleted"
    }
    required = frozenset(column.name for column in table.columns if not column.nullable)
    return TableSpec(table.name, table, decoders, required)


SPECS: Mapping[str, TableSpec] = {
    **{name: _spec(model.__table__) for name, model in TABLE_BY_NAME.items()},  # type: ignore[attr-defined]
    CONFLICTS: _spec(ConflictRow.__table__),  # type: ignore[arg-type]
}
"""Every table a server record may land in: the synced tables and conflict records."""

_outbox = cast(Table, OutboxEntry.__table__)
_history = cast(Table, HistoryEntry.__table__)


@dataclass(slots=True)
class ApplyStats:
    """What writing a batch of records did."""

    written: int = 0
    inserted: int = 0
    skipped: int = 0
    unknown: int = 0
    conflicts: int = 0
    blobs: set[str] = field(default_factory=set)
    """SHA-256 of attachment records written (their bytes may need downloading)."""

    def add(self, other: ApplyStats) -> None:
        self.written += other.written
        self.inserted += other.inserted
        self.skipped += other.skipped
        self.unknown += other.unknown
        self.conflicts += other.conflicts
        self.blobs |= other.blobs


@dataclass(frozen=True, slots=True)
class _Local:
    row_version: int
    deleted: bool


def apply_records(
    connection: Connection,
    records: Sequence[RecordState],
    *,
    from_push: bool = False,
    history: bool = True,
    confirm_mass_delete: bool = True,
    force: bool = False,
) -> ApplyStats:
    """Write ``records`` (latest state per record wins) and rebase pending local edits;
    ``force`` writes each one whatever the local ``row_version`` (after a server restore)."""
    stats = ApplyStats()
    by_table: dict[str, dict[str, RecordState]] = defaultdict(dict)
    for record in records:
        by_table[record.table][record.id] = record
    for name, group in by_table.items():
        spec = SPECS.get(name)
        if spec is None:
            stats.unknown += len(group)
            continue
        stats.add(
            _apply_table(
                connection,
                spec,
                list(group.values()),
                from_push=from_push,
                history=history,
                confirm_mass_delete=confirm_mass_delete,
                force=force,
            )
        )
    return stats


def _apply_table(
    connection: Connection,
    spec: TableSpec,
    records: list[RecordState],
    *,
    from_push: bool,
    history: bool,
    confirm_mass_delete: bool,
    force: bool = False,
) -> ApplyStats:
    table = spec.table
    ids = [record.id for record in records]
    local = _local_versions(connection, table, ids)
    if not confirm_mass_delete:
        _check_mass_delete(connection, spec, records, local)
    pending = pending_fields(connection, spec.name, ids)
    stats = ApplyStats()
    raw = _raw_inserter(table) if RawInserter.usable(table, connection) else None
    raw_rows: list[tuple[object, ...]] = []
    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    changed: list[RecordState] = []
    same_version = 0  # written only because ``force`` asked: not new to this laptop
    for record in records:
        mine = local.get(record.id)
        if (
            mine is not None
            and not force
            and (
                record.row_version < mine.row_version
                if from_push
                else record.row_version == mine.row_version
            )
        ):
            stats.skipped += 1
            continue
        if spec.name == ATTACHMENTS and isinstance(record.fields.get("sha256"), str):
            stats.blobs.add(str(record.fields["sha256"]))
        if mine is not None and record.row_version == mine.row_version:
            same_version += 1
        rebase = pending.get(record.id)
        if mine is None and raw is not None and not rebase:
            raw_rows.append(raw.row(record))  # new here: the fast path of the initial download
            continue
        values = row_values(spec, record)
        if rebase:
            values.update(spec.decode_fields(rebase))
        if mine is None:
            inserts.append(values)
        else:
            updates.append(values)
            changed.append(record)
    old_rows = _full_rows(connection, table, [r.id for r in changed]) if history else {}
    if raw is not None:
        raw.insert(connection, raw_rows)
    for _keys, rows in _by_keys(inserts):
        connection.execute(table.insert(), rows)
    inserts_total = len(inserts) + len(raw_rows)
    stats.inserted += inserts_total
    for keys, rows in _by_keys(updates):
        statement = (
            table.update()
            .where(table.c.id == bindparam("row_key"))
            .values({key: bindparam(key) for key in keys if key != "id"})
        )
        connection.execute(statement, [{**row, "row_key": row["id"]} for row in rows])
    if old_rows:
        _write_history(connection, spec, changed, old_rows)
    stats.written = inserts_total + len(updates)
    if spec.name == CONFLICTS:
        stats.conflicts = stats.written - same_version
    return stats


_RAW: dict[str, RawInserter] = {}


def _raw_inserter(table: Table) -> RawInserter:
    found = _RAW.get(table.name)
    if found is None:
        found = _RAW[table.name] = RawInserter(table)
    return found


def row_values(spec: TableSpec, record: RecordState) -> dict[str, object]:
    """The columns to store for ``record``: its known fields plus the sync columns."""
    values = spec.decode_fields(record.fields)
    values["id"] = record.id
    values["row_version"] = record.row_version
    values["deleted"] = record.deleted
    values["updated_by"] = record.updated_by
    for name, text in (("created_at", record.created_at), ("updated_at", record.updated_at)):
        moment = parse_time(text)
        if moment is not None:
            values[name] = moment
        elif name not in values:
            values[name] = utc_now()
    return values


def pending_fields(
    connection: Connection, table_name: str, row_ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Row id → the fields its outbox entries still hold (later entries win)."""
    merged: dict[str, dict[str, Any]] = {}
    if connection.scalar(select(_outbox.c.device_seq).limit(1)) is None:
        return merged  # nothing pending (the usual case, and the whole initial download)
    for chunk in chunks(row_ids, CHUNK):
        query = (
            select(_outbox.c.row_id, _outbox.c.fields)
            .where(_outbox.c.table_name == table_name, _outbox.c.row_id.in_(chunk))
            .order_by(_outbox.c.device_seq)
        )
        for row_id, fields in connection.execute(query):
            merged.setdefault(row_id, {}).update(fields or {})
    return merged


def tombstone(connection: Connection, table_name: str, row_id: str) -> None:
    """Hide a row the server does not have (a refused insert), then rebase pending edits."""
    spec = SPECS.get(table_name)
    if spec is None:
        return
    values: dict[str, object] = {"deleted": True}
    values.update(
        spec.decode_fields(pending_fields(connection, table_name, [row_id]).get(row_id, {}))
    )
    connection.execute(spec.table.update().where(spec.table.c.id == row_id).values(values))


def _local_versions(connection: Connection, table: Table, ids: Sequence[str]) -> dict[str, _Local]:
    """Plain SQL with ``?`` markers: this runs for every pulled page, compiled once per size."""
    found: dict[str, _Local] = {}
    for chunk in chunks(ids, LOOKUP_CHUNK):
        marks = ", ".join("?" * len(chunk))
        query = f'SELECT id, row_version, deleted FROM "{table.name}" WHERE id IN ({marks})'
        for row_id, version, deleted in connection.exec_driver_sql(query, tuple(chunk)):
            found[row_id] = _Local(int(version or 0), bool(deleted))
    return found


def _full_rows(connection: Connection, table: Table, ids: Sequence[str]) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for chunk in chunks(ids, CHUNK):
        for row in connection.execute(select(table).where(table.c.id.in_(chunk))):
            rows[row.id] = row._mapping
    return rows


def _check_mass_delete(
    connection: Connection,
    spec: TableSpec,
    records: Sequence[RecordState],
    local: Mapping[str, _Local],
) -> None:
    tombstoning = sum(
        1
        for record in records
        if record.deleted and (mine := local.get(record.id)) is not None and not mine.deleted
    )
    if tombstoning <= MASS_DELETE_MINIMUM:
        return
    table = spec.table
    live = connection.scalar(
        select(func.count()).select_from(table).where(table.c.deleted.is_(False))
    )
    if tombstoning * 2 > (live or 0):
        raise SyncProblem(
            "mass_delete",
            tr(
                "服务器要删除本机 {count} 条{table}记录（超过现有的一半），需要确认后才继续同步",
                count=tombstoning,
                table=table_label(spec.name),
            ),
            table=spec.name,
            count=tombstoning,
        )


def _write_history(
    connection: Connection,
    spec: TableSpec,
    records: Sequence[RecordState],
    old_rows: Mapping[str, Any],
) -> None:
    entries: list[dict[str, object]] = []
    for record in records:
        old = old_rows.get(record.id)
        if old is None:
            continue
        new = row_values(spec, record)
        changes = {
            name: [encode(old[name]), encode(value)]
            for name, value in new.items()
            if (name not in SYNC_COLUMNS or name == "deleted") and name in old
            if encode(old[name]) != encode(value)
        }
        if not changes:
            continue
        deleting = record.deleted and not old["deleted"]
        entries.append(
            {
                "table_name": spec.name,
                "row_id": record.id,
                "op": "delete" if deleting else "patch",
                "changes": changes,
                "actor_id": record.updated_by,
                "changed_at": parse_time(record.updated_at) or utc_now(),
                "source": "sync",
            }
        )
    if entries:
        connection.execute(_history.insert(), entries)


def _by_keys(
    rows: Iterable[dict[str, object]],
) -> Iterator[tuple[tuple[str, ...], list[dict[str, object]]]]:
    groups: dict[tuple[str, ...], list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        groups[tuple(sorted(row))].append(row)
    yield from groups.items()


def chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
