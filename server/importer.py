"""``squaddesk-server import FILE.json --squad NAME``: seed the server from a client export.

Rows are streamed from the file (``server.export_reader``), checked exactly as the desktop
import checks them (``decode_row``: types, lengths, vocabularies, USCC check digits), given
their scope and written in bulk — ``COPY`` on PostgreSQL, multi-row inserts on SQLite — all in
one transaction holding the feed counter: a bad row anywhere refuses the whole file and
nothing is written. Rows whose id the server already has are left as they are. Squad-scoped
rows without a squad go to the named squad (created if new). Imported records start at
``row_version`` 1 with no per-field history; attachment bytes are not part of an export.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from app.database.codec import encode
from app.database.tables import SYNC_COLUMNS
from app.domain.ids import new_id
from app.exchange.json_format import (
    CONFLICTS_TABLE,
    EXPORT_TABLE_BY_NAME,
    ExportTable,
    RowError,
    decode_row,
    show,
)
from app.i18n import tr
from app.sync.protocol import BUREAU_SCOPE
from server.accounts import SERVER_STAMP, find_squad
from server.database.engine import ServerDatabase
from server.database.tables import records
from server.export_reader import RawRow, read_rows
from server.import_rows import RowFastPath
from server.import_sink import COLUMNS, RecordSink
from server.sync.records import RecordWriter, feed_transaction
from server.sync.tables import ATTACHMENTS, CONFLICTS, SPECS, ScopeRule, TableSpec

CHUNK = 2000
SEQ = COLUMNS.index("seq")
_STORED = select(records.c.id, records.c.table_name, records.c.scope).where(
    records.c.id.in_(bindparam("ids", expanding=True))
)
CONFLICT_DEFAULTS: Mapping[str, Any] = {
    "kind": "field",
    "server_at": None,
    "client_at": None,
    "change_id": None,
    "status": "open",
    "resolution": "",
    "resolved_by": None,
    "resolved_at": None,
}


class ImportRefused(Exception):
    """The file was refused as a whole; nothing was written. The message names the row."""


@dataclass(slots=True)
class ImportSummary:
    path: Path
    inserted: dict[str, int] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)
    """Rows whose id the server already had (left unchanged)."""
    seconds: float = 0.0

    @property
    def total_inserted(self) -> int:
        return sum(self.inserted.values())

    @property
    def total_present(self) -> int:
        return sum(self.present.values())


Progress = Callable[[str, int], None]


def import_export(
    database: ServerDatabase, path: Path, squad_name: str, progress: Progress | None = None
) -> ImportSummary:
    started = time.perf_counter()
    summary = ImportSummary(path)
    with feed_transaction(database) as writer, database.read() as lookup:
        # Lookups see the server as it was before the import (no other writer can add records
        # while the feed counter is held); the rows of the import are known in memory.
        sink = RecordSink(writer.connection, database.is_postgres)
        try:
            _Importer(writer, lookup, sink, path, squad_name, summary, progress).run(
                read_rows(path)
            )
        except BaseException:
            sink.abort()
            raise
        sink.close()
    summary.seconds = time.perf_counter() - started
    return summary


class _Known(NamedTuple):
    """What the import knows of an id."""

    table: str
    scope: str
    from_file: bool


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_encode_json = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), check_circular=False
).encode


@dataclass(frozen=True, slots=True)
class _Plan:
    """How the rows of one table are checked and stored (built once per table)."""

    export: ExportTable
    spec: TableSpec
    fast: RowFastPath
    defaults: tuple[tuple[str, Any], ...]
    references: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, export: ExportTable, spec: TableSpec) -> _Plan:
        return cls(
            export=export,
            spec=spec,
            fast=RowFastPath(export),
            defaults=tuple(
                (name, _default(export, name))
                for name in export.columns
                if name not in SYNC_COLUMNS
            ),
            references=tuple(spec.references.items()),
        )


class _Importer:
    def __init__(
        self,
        writer: RecordWriter,
        lookup: Connection,
        sink: RecordSink,
        path: Path,
        squad_name: str,
        summary: ImportSummary,
        progress: Progress | None,
    ) -> None:
        self.writer = writer
        self.lookup = lookup
        self.sink = sink
        self.path = path
        self.squad_name = squad_name
        self.summary = summary
        self.progress = progress
        self.known: dict[str, _Known] = {}
        self._interned: dict[_Known, _Known] = {}
        self.file_squads: dict[str, str] = {}
        self._plans: dict[str, _Plan] = {}
        self._squad_id: str | None = None
        self.now = SERVER_STAMP.iso

    def run(self, rows: Iterator[RawRow]) -> None:
        chunk: list[RawRow] = []
        for row in rows:
            if chunk and (row.table != chunk[0].table or len(chunk) >= CHUNK):
                self._chunk(chunk)
                chunk = []
            chunk.append(row)
        if chunk:
            self._chunk(chunk)

    # -- one chunk of one table ------------------------------------------------------------

    def _plan(self, row: RawRow) -> _Plan:
        plan = self._plans.get(row.table)
        if plan is None:
            export = EXPORT_TABLE_BY_NAME.get(row.table)
            spec = SPECS.get(CONFLICTS if row.table == CONFLICTS_TABLE else row.table)
            if export is None or spec is None:
                self._refuse(
                    tr(
                        "导入文件“{file}”第 {index} 张表 {table} 不是 SquadDesk 的数据表",
                        file=str(self.path),
                        index=row.position,
                        table=row.table,
                    )
                )
            plan = self._plans[row.table] = _Plan.of(export, spec)
        return plan

    def _chunk(self, chunk: list[RawRow]) -> None:
        plan = self._plan(chunk[0])
        decoded = [(row, self._decode(plan, row)) for row in chunk]
        stored = self._stored_ids([values["id"] for _, values in decoded])
        out = [
            self._record(plan, row, values) for row, values in decoded if values["id"] not in stored
        ]
        name = plan.spec.name
        self.summary.present[name] = self.summary.present.get(name, 0) + len(chunk) - len(out)
        self.summary.inserted[name] = self.summary.inserted.get(name, 0) + len(out)
        if out:
            first_seq = self.writer.reserve(len(out))
            self.sink.put([(*r[:SEQ], first_seq + n, *r[SEQ + 1 :]) for n, r in enumerate(out)])
        if self.progress is not None:
            self.progress(name, self.summary.inserted[name])

    def _decode(self, plan: _Plan, row: RawRow) -> dict[str, Any]:
        """The row's values in their canonical JSON form, checked as the desktop import does."""
        raw = row.value
        if isinstance(raw, dict):
            row_id = raw.get("id")
            if not isinstance(row_id, str) or not _UUID.fullmatch(row_id):
                problem = (
                    tr("缺少 id")
                    if row_id is None
                    else tr("id {value} 不是合法的记录标识（UUID）", value=show(row_id))
                )
                self._refuse_row(row, problem)
            known = self.known.get(row_id)
            if known is not None and known.from_file:
                self._refuse_row(row, tr("id 与文件中另一条记录重复"))
            if plan.spec.name != CONFLICTS and plan.fast.accepts(raw):
                return raw
        try:
            return {name: encode(value) for name, value in decode_row(plan.export, raw).items()}
        except RowError as error:
            self._refuse_row(row, error.problem)

    def _record(self, plan: _Plan, row: RawRow, values: dict[str, Any]) -> tuple[Any, ...]:
        spec = plan.spec
        row_id: str = values["id"]
        data = dict(values)
        for name in SYNC_COLUMNS:
            data.pop(name, None)
        if spec.name == CONFLICTS:
            data = {**CONFLICT_DEFAULTS, **{k: v for k, v in data.items() if k in spec.columns}}
            data["client_at"] = data["client_at"] or values.get("created_at")
        elif len(data) < len(plan.defaults):
            for name, default in plan.defaults:
                data.setdefault(name, default)
        if spec.scope_rule is ScopeRule.SQUAD and data.get("squad_id") is None:
            data["squad_id"] = self._named_squad()
        for name, target in plan.references:
            value = data.get(name)
            if value is not None and self._target(value, target) is None:
                self._refuse_row(row, _missing(name, target, value))
        scope, parent_id = self._scope(spec, row, data)
        if spec.name == "squads" and isinstance(data.get("name"), str):
            self.file_squads.setdefault(data["name"], row_id)
        self._remember(row_id, spec.name, scope, from_file=True)
        created_at = values.get("created_at") or self.now
        return (
            row_id,
            spec.name,
            scope,
            parent_id,
            _encode_json(data),
            "{}",
            1,
            values.get("deleted") is True,
            0,  # seq, set when the chunk is written
            created_at,
            values.get("updated_at") or created_at,
            values.get("updated_by"),
            data.get("sha256") if spec.name == ATTACHMENTS else None,
        )

    def _scope(self, spec: TableSpec, row: RawRow, data: dict[str, Any]) -> tuple[str, str | None]:
        if spec.scope_rule is ScopeRule.BUREAU:
            return BUREAU_SCOPE, None
        if spec.scope_rule is ScopeRule.SQUAD:
            return str(data["squad_id"]), None
        assert spec.parent_column is not None
        parent_id = data.get(spec.parent_column)
        if spec.name == ATTACHMENTS:
            table = data.get("owner_table")
        elif spec.name == CONFLICTS:
            table = data.get("table_name")
        else:
            table = spec.references.get(spec.parent_column)
        parent = None
        if isinstance(parent_id, str) and isinstance(table, str):
            parent = self._target(parent_id, table)
        if parent is None:
            self._refuse_row(row, _missing(spec.parent_column, str(table), str(parent_id)))
        return parent.scope, str(parent_id)

    # -- lookups ---------------------------------------------------------------------------

    def _target(self, record_id: str, table: str) -> _Known | None:
        found = self.known.get(record_id)
        if found is None:
            self._stored_ids([record_id])
            found = self.known.get(record_id)
        if found is None or found.table != table:
            return None
        return found

    def _stored_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` the server already has (remembered for references)."""
        wanted = [record_id for record_id in ids if record_id not in self.known]
        found: set[str] = set()
        if not wanted:
            return found
        for record_id, table, scope in self.lookup.execute(_STORED, {"ids": wanted}):
            self._remember(record_id, table, scope, from_file=False)
            found.add(record_id)
        return found

    def _remember(self, record_id: str, table: str, scope: str, *, from_file: bool) -> None:
        known = _Known(table, scope, from_file)
        self.known[record_id] = self._interned.setdefault(known, known)

    def _named_squad(self) -> str:
        """The squad of rows that name none: the file's or the server's squad of that name,
        else a new squad record written with the import."""
        if self._squad_id is None:
            self._squad_id = self.file_squads.get(self.squad_name) or find_squad(
                self.lookup, self.squad_name
            )
        if self._squad_id is None:
            squad_id = self._squad_id = new_id()
            data = _encode_json({"name": self.squad_name, "region_code": None, "focus": ""})
            seq = self.writer.next_seq()
            row = (squad_id, "squads", BUREAU_SCOPE, None, data, "{}", 1, False, seq)
            self.sink.put([(*row, self.now, self.now, None, None)])
            self._remember(squad_id, "squads", BUREAU_SCOPE, from_file=False)
            self.summary.inserted["squads"] = self.summary.inserted.get("squads", 0) + 1
        return self._squad_id

    def _refuse_row(self, row: RawRow, problem: str) -> NoReturn:
        row_id = row.value.get("id") if isinstance(row.value, dict) else None
        if isinstance(row_id, str) and row_id:
            self._refuse(
                tr(
                    "导入文件“{file}”第 {index} 张表 {table} 中的记录 {row}：{problem}",
                    file=str(self.path),
                    index=row.position,
                    table=row.table,
                    row=show(row_id, 40).strip('"'),
                    problem=problem,
                )
            )
        self._refuse(
            tr(
                "导入文件“{file}”第 {index} 张表 {table} 中的第 {number} 条记录：{problem}",
                file=str(self.path),
                index=row.position,
                table=row.table,
                number=row.number,
                problem=problem,
            )
        )

    def _refuse(self, message: str) -> NoReturn:
        raise ImportRefused(tr("{message}；未导入任何数据", message=message))


def _missing(field: str, target: str, target_id: str) -> str:
    return tr(
        "字段 {field} 引用的 {target} 记录 {target_id} 在文件和数据库中都不存在",
        field=field,
        target=target,
        target_id=target_id,
    )


def _default(export: ExportTable, name: str) -> Any:
    column = export.column(name)
    default = column.default
    if isinstance(default, ScalarElementColumnDefault):
        return encode(default.arg)
    return None
