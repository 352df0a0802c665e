"""The search index inside the database: FTS5 tables, and the triggers that keep them right.

Every table the search covers has a contentless FTS5 table of pair streams (see
``app/search/text.py``); visits and negotiation notes, whose texts are long, also have a
table of each row's distinct characters for one-character queries (a prefix index over
their pairs would be three times its size). Tombstoned rows are not in the index.

Plain-SQL triggers on the source tables note every change in a ``search_pending_*`` table
(the row, whether it was indexed, and — for a change or delete — the old values the index
holds). ``index_pending`` then brings the index up to date in one bulk pass per table. It runs
just before every commit of an engine made by ``app/database/engine.py`` (so the ORM unit of
work, sync apply and its fast inserts, JSON import and the demo loader all commit an index
that is current), and before every search (for writers that went around the engine, say the
``sqlite3`` shell). Bulk, because FTS5 writes out its pending data at every statement
savepoint: maintained row by row from triggers, a large load would be several times slower.

An index row's id is its source row's ``rowid``. Visits and notes also carry tokens for their
year, month and day (``y2026 m202611 d20261128``, never made by a typed query), so "newest
first" can walk back through periods. Index rows hold tokens only (contentless): titles and
snippets are read from the source rows.

Everything here is named ``search_*`` and is local to this laptop: not among the ORM models,
never exported or synced.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from app.search.text import CHARS_FUNCTION, GRAMS_FUNCTION, TOKENIZER, register_functions


@dataclass(frozen=True, slots=True)
class IndexedTable:
    """One source table, the FTS5 table(s) that index it and its pending-changes table."""

    kind: str
    source: str
    fts: str
    columns: tuple[tuple[str, tuple[str, ...]], ...]
    """FTS column → the source fields whose text it holds."""
    date_column: str | None = None
    chars_fts: str | None = None

    @property
    def pending(self) -> str:
        return f"search_pending_{self.source}"

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(field for _column, fields in self.columns for field in fields)

    @property
    def watched(self) -> tuple[str, ...]:
        """Source columns whose change changes the index."""
        return (*self.fields, *([self.date_column] if self.date_column else []), "deleted")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column for column, _fields in self.columns)

    @property
    def fts_tables(self) -> tuple[str, ...]:
        return (self.fts, self.chars_fts) if self.chars_fts else (self.fts,)

    def trigger_names(self) -> tuple[str, ...]:
        return tuple(
            f"search_{self.source}_after_{event}" for event in ("insert", "update", "delete")
        )

    def _period_tokens(self, row: str) -> str:
        """SQL appending `` y2026 m202611 d20261128`` for the row's date (nothing without)."""
        if self.date_column is None:
            return ""
        day = f"{row}.{self.date_column}"
        parts = " || ".join(
            f"'{prefix}' || strftime('{pattern}', {day})"
            for prefix, pattern in ((" y", "%Y"), (" m", "%Y%m"), (" d", "%Y%m%d"))
        )
        return f" || coalesce({parts}, '')"

    def values(self, fts: str, row: str) -> str:
        """SQL for the tokens of ``row`` (an alias of a source or pending row) in ``fts``."""
        if fts == self.chars_fts:
            fields = ", ".join(f"{row}.{field}" for field in self.fields)
            return f"{CHARS_FUNCTION}({fields}){self._period_tokens(row)}"
        values = [
            f"{GRAMS_FUNCTION}({', '.join(f'{row}.{field}' for field in fields)})"
            for _column, fields in self.columns
        ]
        values[-1] += self._period_tokens(row)
        return ", ".join(values)

    def fts_columns(self, fts: str) -> str:
        return "chars" if fts == self.chars_fts else ", ".join(self.column_names)


ENTERPRISES = IndexedTable(
    kind="enterprise",
    source="enterprises",
    fts="search_enterprises",
    columns=(
        ("name", ("name",)),
        ("initials", ("name_initials",)),
        ("code", ("uscc",)),
        ("extra", ("legal_representative", "tags")),
    ),
)
CONTACTS = IndexedTable(
    kind="contact",
    source="contacts",
    fts="search_contacts",
    columns=(("name", ("name",)), ("extra", ("title", "phone", "mobile", "email", "wechat"))),
)
VISITS = IndexedTable(
    kind="visit",
    source="visits",
    fts="search_visits",
    columns=(("body", ("place", "purpose", "discussion", "outcomes", "next_steps")),),
    date_column="visited_on",
    chars_fts="search_visit_chars",
)
NOTES = IndexedTable(
    kind="note",
    source="negotiation_notes",
    fts="search_notes",
    columns=(("body", ("their_asks", "our_offers", "sticking_points", "next_round")),),
    date_column="held_on",
    chars_fts="search_note_chars",
)
PROJECTS = IndexedTable(
    kind="project",
    source="projects",
    fts="search_projects",
    columns=(("name", ("name",)), ("extra", ("content", "site"))),
)

INDEXED_TABLES: tuple[IndexedTable, ...] = (ENTERPRISES, CONTACTS, VISITS, NOTES, PROJECTS)
INDEXED_BY_KIND = {table.kind: table for table in INDEXED_TABLES}

# -- creating -------------------------------------------------------------------------------


def _schema_ddl(table: IndexedTable) -> list[str]:
    # Short texts get a prefix index on one character (a one-character query is one look-up);
    # long texts the table of distinct characters. (Not columnsize=0, though nothing ranks by
    # bm25: a contentless table without it cannot be scanned, and sqlite3's dump scans.)
    prefix = "" if table.chars_fts else ", prefix='1'"
    statements = [
        f"CREATE VIRTUAL TABLE {table.fts} USING fts5({table.fts_columns(table.fts)}, "
        f"tokenize=\"{TOKENIZER}\", content=''{prefix})"
    ]
    if table.chars_fts:
        statements.append(
            f"CREATE VIRTUAL TABLE {table.chars_fts} USING fts5(chars, "
            f"tokenize=\"{TOKENIZER}\", content='', detail=none)"
        )
    statements.append(
        f"CREATE TABLE {table.pending} (rowid INTEGER PRIMARY KEY, indexed INTEGER NOT NULL, "
        f"{', '.join(table.watched)})"
    )
    return statements


def _trigger_ddl(table: IndexedTable) -> list[str]:
    """Plain SQL, so any writer can run them: each notes a row's first change in a batch
    (``OR IGNORE`` keeps the first, whose old values are what the index holds)."""
    on_insert, on_update, on_delete = table.trigger_names()
    watched = ", ".join(table.watched)
    old = ", ".join(f"OLD.{column}" for column in table.watched)
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in table.watched)
    note = f"INSERT OR IGNORE INTO {table.pending} (rowid, indexed, {watched})"
    return [
        f"CREATE TRIGGER {on_insert} AFTER INSERT ON {table.source} WHEN NEW.deleted = 0 "
        f"BEGIN INSERT OR IGNORE INTO {table.pending} (rowid, indexed) VALUES (NEW.rowid, 0); "
        "END",
        f"CREATE TRIGGER {on_update} AFTER UPDATE OF {watched} ON {table.source} "
        f"WHEN {changed} BEGIN {note} VALUES (OLD.rowid, OLD.deleted = 0, {old}); END",
        f"CREATE TRIGGER {on_delete} AFTER DELETE ON {table.source} WHEN OLD.deleted = 0 "
        f"BEGIN {note} VALUES (OLD.rowid, 1, {old}); END",
    ]


def _fill(connection: sqlite3.Connection, table: IndexedTable) -> None:
    for fts in table.fts_tables:
        connection.execute(
            f"INSERT INTO {fts} (rowid, {table.fts_columns(fts)}) "
            f"SELECT s.rowid, {table.values(fts, 's')} FROM {table.source} AS s "
            "WHERE s.deleted = 0 ORDER BY s.rowid"
        )


def create_index(connection: sqlite3.Connection) -> None:
    """Create the index, index every live row, and install the triggers."""
    register_functions(connection)
    for table in INDEXED_TABLES:
        for statement in (*_schema_ddl(table), *_trigger_ddl(table)):
            connection.execute(statement)
        _fill(connection, table)


def drop_index(connection: sqlite3.Connection) -> None:
    for table in INDEXED_TABLES:
        for name in table.trigger_names():
            connection.execute(f"DROP TRIGGER IF EXISTS {name}")
        for name in (*table.fts_tables, table.pending):
            connection.execute(f"DROP TABLE IF EXISTS {name}")


def rebuild_index(connection: sqlite3.Connection) -> None:
    """Drop the index and build it again from the source rows (inside the caller's
    transaction)."""
    drop_index(connection)
    create_index(connection)


def index_is_complete(connection: sqlite3.Connection) -> bool:
    """True when every index table and trigger exists (a table that a later migration
    rebuilds loses its triggers; ``rebuild_index`` then puts everything back)."""
    expected = {
        name
        for table in INDEXED_TABLES
        for name in (*table.trigger_names(), *table.fts_tables, table.pending)
    }
    found = {
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'search~_%' ESCAPE '~'"
        )
    }
    return expected <= found


def is_index_table(name: str) -> bool:
    """True for the index's own tables (FTS5 tables, their shadow tables, pending changes),
    which are local and not among the ORM models: schema comparisons skip them."""
    return any(
        name == own or name.startswith(f"{own}_")
        for table in INDEXED_TABLES
        for own in (*table.fts_tables, table.pending)
    )


# -- keeping current ------------------------------------------------------------------------

_ANY_PENDING = "SELECT " + " OR ".join(
    f"EXISTS (SELECT 1 FROM {table.pending})" for table in INDEXED_TABLES
)


BULK_ROWS = 200
"""A commit leaving at least this many changed rows indexes them at once (bulk loads, sync
pages, imports); fewer wait for the next search, so an autosave never pays for the index."""

_PENDING_ROWS = "SELECT " + " + ".join(
    f"(SELECT count(*) FROM {table.pending})" for table in INDEXED_TABLES
)


def index_pending_in_bulk(connection: sqlite3.Connection) -> None:
    """``index_pending`` when enough has piled up (see ``BULK_ROWS``); runs at each commit."""
    try:
        waiting = int(connection.execute(_PENDING_ROWS).fetchone()[0])
    except sqlite3.OperationalError:  # no index (yet): a database before revision 0004
        return
    if waiting >= BULK_ROWS:
        index_pending(connection)


def has_pending(connection: sqlite3.Connection) -> bool:
    try:
        return bool(connection.execute(_ANY_PENDING).fetchone()[0])
    except sqlite3.OperationalError:  # no index (yet): a database before revision 0004
        return False


def index_pending(connection: sqlite3.Connection) -> None:
    """Bring the index up to date with the changes the triggers noted, and forget them.

    Runs inside the caller's transaction. Per table: the old tokens of rows that were
    indexed are deleted, the current tokens of live rows are added, in rowid order.
    """
    if not has_pending(connection):
        return
    register_functions(connection)
    try:
        for table in INDEXED_TABLES:
            if connection.execute(f"SELECT EXISTS (SELECT 1 FROM {table.pending})").fetchone()[0]:
                _index_pending_of(connection, table)
    except sqlite3.DatabaseError:
        # The index disagrees with its tables (FTS5 reports it as corruption). The user's
        # change must still commit: set the index aside, and the next search rebuilds it.
        _set_aside(connection)


def _set_aside(connection: sqlite3.Connection) -> None:
    for table in INDEXED_TABLES:
        for name in table.trigger_names():
            connection.execute(f"DROP TRIGGER IF EXISTS {name}")
        connection.execute(f"DELETE FROM {table.pending}")


def _index_pending_of(connection: sqlite3.Connection, table: IndexedTable) -> None:
    for fts in table.fts_tables:
        connection.execute(
            f"INSERT INTO {fts} ({fts}, rowid, {table.fts_columns(fts)}) "
            f"SELECT 'delete', p.rowid, {table.values(fts, 'p')} FROM {table.pending} AS p "
            "WHERE p.indexed ORDER BY p.rowid"
        )
    for fts in table.fts_tables:
        connection.execute(
            f"INSERT INTO {fts} (rowid, {table.fts_columns(fts)}) "
            f"SELECT s.rowid, {table.values(fts, 's')} FROM {table.pending} AS p "
            f"JOIN {table.source} AS s ON s.rowid = p.rowid WHERE s.deleted = 0 ORDER BY p.rowid"
            # (ordered by the pending table's rowid: by ``s.rowid`` SQLite scanned the source)
        )
    connection.execute(f"DELETE FROM {table.pending}")
