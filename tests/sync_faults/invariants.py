"""The global invariants of research/sync.md §3, checked against the databases themselves.

The server database is read directly (``records``, ``change_log``, ``blobs``, ``users``) and so
are the clients' SQLite files; nothing goes through the API. Every local change a client ever
committed is known from ``fault_change_log``, a table filled by a trigger on the client's outbox
(``install_change_log``): the trigger runs inside the edit's own transaction, so a change that
committed locally is logged even if the process is killed the next instant.

- I1 every locally committed change is on the server exactly once, as applied / merged /
  conflict / rejected (by ``change_id``); outboxes are empty; a rejected one is kept locally.
- I2 every value that lost is kept in a conflict record made by that change.
- I3 every client holds exactly the server's records it may read, field by field.
- I4 no client's pull cursor is ahead of what it applied.
- I5 every blob a record (live or tombstoned) names is complete and hashes to its name, on the
  server and on every client.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, create_engine, select

from app.database.codec import encode
from app.database.engine import create_database_engine, sqlite_url
from app.database.tables import SYNC_COLUMNS, TABLE_BY_NAME, ConflictRow
from server.database.tables import blobs, change_log, counters, records, users

OUTCOMES = frozenset({"applied", "merged", "conflict", "rejected"})
CONFLICTS = "conflicts"
LOG_TABLE = "fault_change_log"


def install_change_log(database_file: Path) -> None:
    """Log every outbox insert of this client database, in the inserting transaction."""
    connection = sqlite3.connect(database_file)
    try:
        connection.executescript(
            f"""
            CREATE TABLE IF NOT EXISTS {LOG_TABLE} (
                change_id TEXT PRIMARY KEY, table_name TEXT, row_id TEXT, op TEXT, fields TEXT
            );
            CREATE TRIGGER IF NOT EXISTS fault_change_log_insert AFTER INSERT ON outbox BEGIN
                INSERT OR IGNORE INTO {LOG_TABLE}
                VALUES (NEW.change_id, NEW.table_name, NEW.row_id, NEW.op, NEW.fields);
            END;
            """
        )
        connection.commit()
    finally:
        connection.close()


@dataclass(frozen=True)
class LocalChange:
    change_id: str
    table: str
    row_id: str
    op: str
    fields: dict[str, Any]


@dataclass
class ClientFiles:
    """What the checker needs of one client: its data dir and the user it syncs as."""

    data_dir: Path
    username: str

    @property
    def database_file(self) -> Path:
        return self.data_dir / "squaddesk.db"

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(f"file:{self.database_file}?mode=ro", uri=True)
        try:
            yield connection
        finally:
            connection.close()

    def logged_changes(self) -> list[LocalChange]:
        with self.connect() as connection:
            rows = connection.execute(
                f"SELECT change_id, table_name, row_id, op, fields FROM {LOG_TABLE}"
            ).fetchall()
        return [LocalChange(c, t, r, o, json.loads(f or "{}")) for c, t, r, o, f in rows]

    def outbox_ids(self) -> list[str]:
        with self.connect() as connection:
            return [r for (r,) in connection.execute("SELECT change_id FROM outbox")]

    def rejected_ids(self) -> set[str]:
        with self.connect() as connection:
            return {r for (r,) in connection.execute("SELECT change_id FROM rejected_changes")}

    def setting(self, key: str) -> str | None:
        with self.connect() as connection:
            row = connection.execute(
                "SELECT value FROM local_settings WHERE key = ?", (key,)
            ).fetchone()
        return None if row is None else str(row[0])

    def cursor(self) -> int:
        return int(self.setting("pull_cursor") or 0)


@dataclass(frozen=True)
class LocalRow:
    row_version: int
    deleted: bool
    fields: dict[str, Any]


def local_rows(client: ClientFiles) -> dict[tuple[str, str], LocalRow]:
    """(table, id) → the row of every synced table and of ``conflicts``, values as JSON."""
    engine = create_database_engine(sqlite_url(client.database_file))
    found: dict[tuple[str, str], LocalRow] = {}
    try:
        with engine.connect() as connection:
            for name, table in _local_tables().items():
                for row in connection.execute(select(table)):
                    mapping = row._mapping
                    fields = {
                        column: encode(mapping[column])
                        for column in mapping
                        if column not in SYNC_COLUMNS
                    }
                    found[(name, str(mapping["id"]))] = LocalRow(
                        int(mapping.get("row_version") or 0),
                        bool(mapping.get("deleted") or False),
                        fields,
                    )
    finally:
        engine.dispose()
    return found


def _local_tables() -> dict[str, Table]:
    tables: dict[str, Table] = {
        name: model.__table__  # type: ignore[attr-defined]
        for name, model in TABLE_BY_NAME.items()
    }
    tables[CONFLICTS] = ConflictRow.__table__  # type: ignore[assignment]
    return tables


@dataclass(frozen=True)
class ServerRecord:
    table: str
    id: str
    scope: str
    data: dict[str, Any]
    row_version: int
    deleted: bool
    seq: int
    blob_sha256: str | None


@dataclass
class ServerSnapshot:
    records: dict[str, ServerRecord]
    log: list[dict[str, Any]]
    blobs: dict[str, dict[str, Any]]
    users: dict[str, dict[str, Any]]
    head: int

    def visible_to(self, username: str) -> dict[tuple[str, str], ServerRecord]:
        user = self.users[username]
        scopes = {user["squad_id"], "bureau"}
        return {
            (r.table, r.id): r
            for r in self.records.values()
            if user["role"] == "admin" or r.scope in scopes
        }


@dataclass
class Checker:
    """``Checker(server_database_url, server_data_dir).check(clients)`` asserts I1–I5."""

    database_url: str
    server_data_dir: Path
    extra_change_ids: set[str] = field(default_factory=set)
    """Changes sent by a test straight over HTTP (not from a client's outbox)."""
    _engine: Engine | None = None

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(self.database_url)
        return self._engine

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def snapshot(self) -> ServerSnapshot:
        with self.engine().connect() as connection:
            found = {
                row.id: ServerRecord(
                    row.table_name,
                    row.id,
                    row.scope,
                    _json(row.data),
                    int(row.row_version),
                    bool(row.deleted),
                    int(row.seq),
                    row.blob_sha256,
                )
                for row in connection.execute(select(records))
            }
            log = [
                dict(row._mapping)
                | {"fields": _json(row.fields), "conflict_ids": _json(row.conflict_ids)}
                for row in connection.execute(select(change_log).order_by(change_log.c.id))
            ]
            blob_rows = {
                row.sha256: dict(row._mapping) for row in connection.execute(select(blobs))
            }
            user_rows = {
                row.username: dict(row._mapping) for row in connection.execute(select(users))
            }
            head = int(
                connection.scalar(select(counters.c.value).where(counters.c.name == "feed")) or 0
            )
        return ServerSnapshot(found, log, blob_rows, user_rows, head)

    # -- all at once -------------------------------------------------------------------------

    def check(self, clients: Sequence[ClientFiles], *, converged: bool = True) -> ServerSnapshot:
        snapshot = self.snapshot()
        self.i1_exactly_once(snapshot, clients, drained=converged)
        self.i2_losers_kept(snapshot)
        for client in clients:
            self.i4_cursor_not_ahead(snapshot, client)
        if converged:
            for client in clients:
                self.i3_converged(snapshot, client)
        self.i5_blobs(snapshot, clients if converged else ())
        return snapshot

    # -- I1 ----------------------------------------------------------------------------------

    def i1_exactly_once(
        self, snapshot: ServerSnapshot, clients: Sequence[ClientFiles], *, drained: bool = True
    ) -> None:
        counts = Counter(row["change_id"] for row in snapshot.log)
        repeated = {change: n for change, n in counts.items() if n > 1}
        assert not repeated, f"I1: changes in the change log more than once: {repeated}"
        by_id = {row["change_id"]: row for row in snapshot.log}
        bad = {
            row["change_id"]: row["outcome"]
            for row in snapshot.log
            if row["outcome"] not in OUTCOMES
        }
        assert not bad, f"I1: unknown outcomes {bad}"
        local_ids: set[str] = set()
        for client in clients:
            changes = client.logged_changes()
            local_ids |= {c.change_id for c in changes}
            pending = set(client.outbox_ids())
            if drained:
                assert not pending, f"I1: {client.username}'s outbox still holds {sorted(pending)}"
            missing = [
                c for c in changes if c.change_id not in by_id and c.change_id not in pending
            ]
            assert not missing, (
                f"I1: {len(missing)} change(s) of {client.username} committed locally never"
                f" reached the server: {missing[:3]}"
            )
            rejected_here = {
                c.change_id
                for c in changes
                if by_id.get(c.change_id, {}).get("outcome") == "rejected"
            }
            kept = client.rejected_ids()
            assert rejected_here <= kept | pending, (
                f"I1: rejected changes of {client.username} not kept locally:"
                f" {sorted(rejected_here - kept)}"
            )
            for change in changes:
                row = by_id.get(change.change_id)
                if row is not None:
                    assert row["row_id"] == change.row_id and row["table_name"] == change.table, (
                        f"I1: change {change.change_id} logged for another record"
                    )
        # The server may be shared with other tests: only this test's devices are accounted for.
        devices = {row["device_id"] for row in snapshot.log if row["change_id"] in local_ids}
        devices |= {d for c in clients if (d := c.setting("device_id")) is not None}
        ours = {row["change_id"] for row in snapshot.log if row["device_id"] in devices}
        strangers = ours - local_ids - self.extra_change_ids
        assert not strangers, (
            f"I1: change log holds changes no client made: {sorted(strangers)[:5]}"
        )
        for row in snapshot.log:
            if row["op"] == "insert" and row["outcome"] != "rejected":
                assert row["row_id"] in snapshot.records, (
                    f"I1: accepted insert {row['row_id']} has no record"
                )

    # -- I2 ----------------------------------------------------------------------------------

    def i2_losers_kept(self, snapshot: ServerSnapshot) -> None:
        conflicts_by_change: dict[str, list[ServerRecord]] = {}
        for record in snapshot.records.values():
            if record.table == CONFLICTS:
                conflicts_by_change.setdefault(str(record.data.get("change_id")), []).append(record)
        log_ids = {row["change_id"] for row in snapshot.log}
        for change_id in conflicts_by_change:
            assert change_id in log_ids, f"I2: conflict record for unknown change {change_id}"
        for row in snapshot.log:
            made = conflicts_by_change.get(row["change_id"], [])
            if row["outcome"] != "conflict":
                assert not made, f"I2: {row['outcome']} change {row['change_id']} made conflicts"
                continue
            assert made, f"I2: conflict change {row['change_id']} kept no conflict record"
            assert sorted(r.id for r in made) == sorted(row["conflict_ids"]), (
                f"I2: change {row['change_id']} names conflicts {row['conflict_ids']}"
            )
            for conflict in made:
                name = conflict.data.get("field")
                assert conflict.data.get("row_id") == row["row_id"]
                if conflict.data.get("kind") in ("field", "text") and name in row["fields"]:
                    assert conflict.data.get("client_value") == row["fields"][name], (
                        f"I2: conflict on {name} of {row['row_id']} lost the pushed value"
                    )

    # -- I3 ----------------------------------------------------------------------------------

    def i3_converged(self, snapshot: ServerSnapshot, client: ClientFiles) -> None:
        visible = snapshot.visible_to(client.username)
        local = local_rows(client)
        rejected_inserts = self._rejected_inserts(client)
        acknowledged = {key: row for key, row in local.items() if row.row_version > 0}
        for key, row in local.items():
            if row.row_version == 0:
                assert key[1] in rejected_inserts and row.deleted, (
                    f"I3: {client.username} holds {key} the server never accepted"
                )
        missing = sorted(set(visible) - set(acknowledged))
        extra = sorted(set(acknowledged) - set(visible))
        assert not missing, (
            f"I3: {client.username} lacks {len(missing)} server records: {missing[:5]}"
        )
        assert not extra, f"I3: {client.username} has records the server does not show: {extra[:5]}"
        differing = []
        for key, record in visible.items():
            mine = acknowledged[key]
            if mine.row_version != record.row_version or mine.deleted != record.deleted:
                differing.append((key, "version", mine.row_version, record.row_version))
                continue
            for name, value in record.data.items():
                if name in mine.fields and not _same(mine.fields[name], value):
                    differing.append((key, name, mine.fields[name], value))
        assert not differing, f"I3: {client.username} differs from the server: {differing[:5]}"

    @staticmethod
    def _rejected_inserts(client: ClientFiles) -> set[str]:
        with client.connect() as connection:
            return {
                r
                for (r,) in connection.execute(
                    "SELECT row_id FROM rejected_changes WHERE op = 'insert'"
                )
            }

    # -- I4 ----------------------------------------------------------------------------------

    def i4_cursor_not_ahead(self, snapshot: ServerSnapshot, client: ClientFiles) -> None:
        cursor = client.cursor()
        assert cursor <= snapshot.head, (
            f"I4: {client.username}'s cursor {cursor} > head {snapshot.head}"
        )
        local = local_rows(client)
        behind = [
            (key, record.row_version, local[key].row_version if key in local else None)
            for key, record in snapshot.visible_to(client.username).items()
            if record.seq <= cursor
            and (key not in local or local[key].row_version < record.row_version)
        ]
        assert not behind, (
            f"I4: {client.username}'s cursor {cursor} is past {len(behind)} records it does not"
            f" hold at that version: {behind[:5]}"
        )

    # -- I5 ----------------------------------------------------------------------------------

    def i5_blobs(self, snapshot: ServerSnapshot, clients: Iterable[ClientFiles]) -> None:
        files = self.server_blob_files()
        for record in snapshot.records.values():
            if record.table != "attachments":
                continue
            sha = record.data.get("sha256")
            assert isinstance(sha, str), f"I5: attachment {record.id} names no blob"
            info = snapshot.blobs.get(sha)
            assert info is not None and info["complete"], (
                f"I5: attachment {record.id} names an incomplete blob {sha}"
            )
            assert sha in files, f"I5: blob {sha} of attachment {record.id} has no file"
            assert _sha256(files[sha]) == sha, f"I5: server blob {sha} is corrupt"
            assert files[sha].stat().st_size == info["size"]
        for sha, info in snapshot.blobs.items():
            if info["complete"]:
                assert sha in files and _sha256(files[sha]) == sha, (
                    f"I5: complete blob {sha} is bad"
                )
        for client in clients:
            for (table, row_id), row in local_rows(client).items():
                if table != "attachments" or row.row_version == 0:
                    continue
                sha = str(row.fields["sha256"])
                path = client.data_dir / "blobs" / sha[:2] / sha
                assert path.is_file(), f"I5: {client.username} lacks blob {sha} of {row_id}"
                assert _sha256(path) == sha, f"I5: {client.username}'s blob {sha} is corrupt"

    def server_blob_files(self) -> dict[str, Path]:
        root = self.server_data_dir / "blobs"
        if not root.is_dir():
            return {}
        return {
            path.name: path
            for path in root.rglob("*")
            if path.is_file() and len(path.name) == 64 and "." not in path.name
        }


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _same(local: Any, server: Any) -> bool:
    if local == server:
        return True
    if isinstance(local, str) and isinstance(server, str):  # date-times in two spellings
        try:
            import datetime as dt

            return dt.datetime.fromisoformat(local) == dt.datetime.fromisoformat(server)
        except ValueError:
            return False
    return False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
