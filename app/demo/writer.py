"""Fast, deterministic row writing for demo data: ids, timestamps and bulk inserts.

Rows go straight to the SQLite driver (``executemany`` in chunks) inside the caller's transaction,
bypassing the ORM: no outbox entries, no history. Values are converted here to exactly what the
SQLAlchemy column types store on SQLite: dates as ISO text, UTC datetimes as
``YYYY-MM-DD HH:MM:SS.ffffff`` (naive UTC), booleans as 0/1, money as integer fen, Numeric as
float.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Callable, Sequence

from app.database.tables import SYNCED_TABLES

Row = tuple[object, ...]
Progress = Callable[[str, int, int], None]

SYNC_PREFIX = ("id", "created_at", "updated_at", "updated_by", "row_version", "deleted")

COLUMNS: dict[str, tuple[str, ...]] = {
    "bureau_settings": ("key", "value"),
    "squads": ("name", "region_code", "focus"),
    "members": ("name", "username", "squad_id", "role", "title", "phone"),
    "enterprises": (
        "name",
        "name_key",
        "name_initials",
        "uscc",
        "region_code",
        "industry_code",
        "registered_capital",
        "legal_representative",
        "headquarters",
        "address",
        "founded_on",
        "website",
        "profile",
        "investment_intent",
        "intent_level",
        "land_mu",
        "water_need",
        "power_need",
        "workforce_need",
        "site_preference",
        "tags",
        "squad_id",
        "owner_id",
    ),
    "contacts": (
        "enterprise_id",
        "name",
        "title",
        "phone",
        "mobile",
        "email",
        "wechat",
        "notes",
        "is_primary",
    ),
    "honour_directories": ("kind", "year", "batch", "title", "source"),
    "directory_entries": ("directory_id", "enterprise_name", "uscc", "rank", "enterprise_id"),
    "industry_chains": ("name", "leader_name", "leader_title", "description"),
    "chain_links": ("chain_id", "name", "position", "kind", "sort_order", "description"),
    "enterprise_links": ("enterprise_id", "link_id", "note"),
    "trips": ("squad_id", "title", "destination", "start_on", "end_on", "leader_type", "purpose"),
    "trip_members": ("trip_id", "member_id"),
    "visits": (
        "enterprise_id",
        "trip_id",
        "squad_id",
        "author_id",
        "chain_link_id",
        "visited_on",
        "place",
        "purpose",
        "discussion",
        "outcomes",
        "next_steps",
    ),
    "visit_participants": ("visit_id", "member_id"),
    "visit_attendees": ("visit_id", "contact_id", "name", "title"),
    "projects": (
        "name",
        "enterprise_id",
        "squad_id",
        "responsible_id",
        "chain_link_id",
        "stage",
        "stage_on",
        "content",
        "site",
        "land_mu",
        "contract_amount",
        "phase1_amount",
        "signed_on",
    ),
    "project_stage_changes": (
        "project_id",
        "from_stage",
        "to_stage",
        "changed_on",
        "changed_by_id",
        "note",
    ),
    "funding_entries": ("project_id", "received_on", "amount", "note"),
    "negotiation_notes": (
        "enterprise_id",
        "project_id",
        "author_id",
        "round_no",
        "held_on",
        "their_asks",
        "our_offers",
        "sticking_points",
        "next_round",
        "next_round_on",
    ),
    "commitments": (
        "enterprise_id",
        "project_id",
        "negotiation_note_id",
        "promised_by_id",
        "content",
        "due_on",
        "status",
        "honoured_on",
        "withdrawn_reason",
    ),
    "problems": (
        "enterprise_id",
        "project_id",
        "owner_id",
        "title",
        "detail",
        "raised_on",
        "deadline",
        "status",
        "resolution",
        "resolved_on",
    ),
    "tasks": (
        "title",
        "detail",
        "owner_id",
        "squad_id",
        "due_on",
        "status",
        "completed_at",
        "enterprise_id",
        "project_id",
        "visit_id",
    ),
}
"""Columns after ``SYNC_PREFIX`` for each table the demo fills, in the order rows give them."""

TABLE_ORDER: tuple[str, ...] = tuple(
    name
    for name in (table.__tablename__ for table in SYNCED_TABLES)  # type: ignore[attr-defined]
    if name in COLUMNS
)
CHUNK = 10_000


def uuid7_text(unix_ms: int, rand_a: int, rand_b: int) -> str:
    """The same string as ``app.domain.ids.uuid7_from`` (a test holds them equal), built
    without a ``uuid.UUID`` object: twice as fast, which matters for two million ids."""
    value = (
        (unix_ms & 0xFFFF_FFFF_FFFF) << 80
        | 0x7 << 76
        | (rand_a & 0xFFF) << 64
        | 0b10 << 62
        | rand_b & 0x3FFF_FFFF_FFFF_FFFF
    )
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class IdMaker:
    """Deterministic UUIDv7 ids for one table: a millisecond counter from a base time, plus
    random bits from a seeded generator, so ids are unique, reproducible and ascending."""

    def __init__(self, rng: random.Random, base_ms: int) -> None:
        self._bits = rng.getrandbits
        self._ms = base_ms

    def __call__(self) -> str:
        self._ms += 1
        bits = self._bits(74)
        return uuid7_text(self._ms, bits >> 62, bits)


class Calendar:
    """Day numbers (proleptic ordinals) relative to ``today``, and their stored text forms."""

    def __init__(self, today: dt.date) -> None:
        self.today = today.toordinal()
        self.monday = self.today - today.weekday()
        self._iso: dict[int, str] = {}
        self._office = [_clock(3600 + 13 * n) for n in range(3046)]  # 01:00–11:59 UTC
        self._early = [_clock(7 * n) for n in range(514)]  # 00:00–00:59 UTC

    def iso(self, ordinal: int) -> str:
        text = self._iso.get(ordinal)
        if text is None:
            text = self._iso[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    def maybe_iso(self, ordinal: int | None) -> str | None:
        return None if ordinal is None else self.iso(ordinal)

    def stamp(self, ordinal: int, rng: random.Random) -> str:
        """A UTC timestamp on that day during Chinese office hours (09:00–20:00 +08:00); on
        ``today`` itself, early morning only, so stored stamps are not in the future."""
        if ordinal >= self.today:
            return f"{self.iso(self.today)} {self._early[int(rng.random() * len(self._early))]}"
        return f"{self.iso(ordinal)} {self._office[int(rng.random() * len(self._office))]}"


def _clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.000000"


class BulkWriter:
    """Buffers rows per table and inserts them in chunks through the raw SQLite connection.

    A table's buffer is flushed only after the buffers of all tables before it (in reference
    order), so every row's references are in the database before it, as foreign keys demand.
    """

    def __init__(self, connection: sqlite3.Connection, progress: Progress | None) -> None:
        self._connection = connection
        self._progress = progress
        self._buffers: dict[str, list[Row]] = {name: [] for name in TABLE_ORDER}
        self._sql = {name: _insert_sql(name) for name in TABLE_ORDER}
        self.counts: dict[str, int] = dict.fromkeys(TABLE_ORDER, 0)
        self._stage: tuple[str, str, int] | None = None
        self._told: tuple[str, int, int] | None = None

    def drop_indexes(self) -> list[tuple[str, str]]:
        """Drop the secondary indexes of the tables this writer fills, returning their names
        and creating SQL. Building an index once over loaded rows is much faster than
        updating it row by row; ``create_indexes`` puts them back in the same transaction, so
        the schema is never seen without them."""
        tables = list(TABLE_ORDER)
        rows = self._connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join('?' * len(tables))}) ORDER BY name",
            tables,
        ).fetchall()
        indexes = [(str(name), str(sql)) for name, sql in rows]
        for name, _sql in indexes:
            self._connection.execute(f'DROP INDEX "{name}"')
        return indexes

    def create_indexes(self, indexes: Sequence[tuple[str, str]]) -> None:
        for _name, sql in indexes:
            self._connection.execute(sql)

    def stage(self, label: str, table: str, total: int) -> None:
        """Report progress of ``table`` under ``label`` from now on (the stage before is
        reported complete)."""
        if self._stage is not None:
            previous, _table, previous_total = self._stage
            self._tell(previous, previous_total, previous_total)
        self._stage = (label, table, total)
        self._report(table)

    def finish(self) -> None:
        """Write every buffered row and report the last stage complete."""
        self.flush()
        if self._stage is not None:
            label, _table, total = self._stage
            self._tell(label, total, total)
        self._stage = None

    def add(self, table: str, row: Row) -> None:
        buffer = self._buffers[table]
        buffer.append(row)
        if len(buffer) >= CHUNK:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for name in TABLE_ORDER:
            buffer = self._buffers[name]
            if buffer:
                self._connection.executemany(self._sql[name], buffer)
                self.counts[name] += len(buffer)
                buffer.clear()
                self._report(name)
            if name == table:
                break

    def _report(self, table: str) -> None:
        if self._stage is not None:
            label, watched, total = self._stage
            if watched == table:
                done = self.counts[table] + len(self._buffers[table])
                self._tell(label, min(done, total), total)

    def _tell(self, label: str, done: int, total: int) -> None:
        if self._progress is not None and (label, done, total) != self._told:
            self._told = (label, done, total)
            self._progress(label, done, total)


def _insert_sql(table: str) -> str:
    columns = SYNC_PREFIX + COLUMNS[table]
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
