"""Import a JSON export: check everything first, then upsert by id in one unit of work.

Imported rows are ordinary local edits: the change-tracking hook writes their outbox entries
(so they sync) and history rows (source ``import``). A row already present with the same values
is left alone, a changed one gets only its differing fields set, so importing the same file
twice changes nothing the second time. Anything wrong anywhere in the file refuses the whole
file with one message naming the file, table, row id and field; nothing is written then.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database.change_tracking import Actor
from app.database.codec import encode
from app.database.unit_of_work import Database
from app.domain.errors import ImportProblem
from app.domain.ids import is_uuid
from app.exchange.json_format import (
    EXPORT_TABLE_BY_NAME,
    EXPORT_TABLES,
    ExportTable,
    FormatError,
    RowError,
    check_document,
    decode_row,
    show,
)
from app.i18n import tr

CHUNK_ROWS = 1000
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Reference:
    """Where a file row points at an id the file itself does not hold."""

    position: int
    number: int
    table: str
    row_id: str
    field: str
    target: str
    target_id: str

    def order(self) -> tuple[int, int, str]:
        return self.position, self.number, self.field


@dataclass(slots=True)
class LoadedExport:
    """A checked export file: decoded rows per table in import order, and outside references."""

    path: Path
    tables: list[tuple[int, ExportTable, list[dict[str, object]]]]
    dangling: dict[str, dict[str, Reference]] = field(default_factory=dict)
    """Target table → id → its first reference, for ids the file does not contain."""

    def refuse_dangling(self) -> None:
        """Refuse the file if it refers to any row outside it (for an empty database)."""
        references = [ref for ids in self.dangling.values() for ref in ids.values()]
        if references:
            _refuse_reference(self.path, min(references, key=Reference.order))


@dataclass(frozen=True, slots=True)
class ImportSummary:
    path: Path
    by_table: dict[str, tuple[int, int, int]]
    """Table → (inserted, updated, unchanged)."""
    seconds: float

    @property
    def inserted(self) -> int:
        return sum(counts[0] for counts in self.by_table.values())

    @property
    def updated(self) -> int:
        return sum(counts[1] for counts in self.by_table.values())

    @property
    def unchanged(self) -> int:
        return sum(counts[2] for counts in self.by_table.values())


def import_json(
    database: Database,
    path: Path,
    actor: Actor,
    progress: Callable[[str, int], None] | None = None,
) -> ImportSummary:
    """Check ``path`` completely, then upsert its rows into ``database`` in one transaction."""
    return apply_export(database, load_export(path), actor, progress)


# -- reading and checking -------------------------------------------------------------------


def load_export(path: Path) -> LoadedExport:
    """Read, parse and check a file without touching any database."""
    document = _parse(path, _read_text(path))
    try:
        entries = check_document(document)
    except FormatError as error:
        _refuse(tr("导入文件“{file}”：{problem}", file=str(path), problem=error.problem))
    del document
    by_name: dict[str, tuple[int, list[object]]] = {}
    for position, (name, rows) in enumerate(entries, start=1):
        if name not in EXPORT_TABLE_BY_NAME:
            _refuse(
                tr(
                    "导入文件“{file}”第 {index} 张表 {table} 不是 SquadDesk 的数据表",
                    file=str(path),
                    index=position,
                    table=name,
                )
            )
        if not isinstance(rows, list):
            _refuse(
                tr(
                    "导入文件“{file}”第 {index} 张表 {table} 应为记录列表",
                    file=str(path),
                    index=position,
                    table=name,
                )
            )
        by_name[name] = (position, rows)
    ids = {
        name: _collect_ids(path, position, name, rows) for name, (position, rows) in by_name.items()
    }
    loaded = LoadedExport(path=path, tables=[])
    for spec in EXPORT_TABLES:
        if spec.name in by_name:
            position, rows = by_name[spec.name]
            decoded = _decode_rows(loaded, position, spec, rows, ids)
            loaded.tables.append((position, spec, decoded))
    return loaded


def _read_text(path: Path) -> str:
    if path.is_dir():
        _refuse(tr("“{file}”是文件夹，不是导入文件", file=str(path)))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        _refuse(tr("找不到导入文件“{file}”", file=str(path)))
    except OSError as error:
        _refuse(
            tr(
                "无法读取导入文件“{file}”：{reason}",
                file=str(path),
                reason=error.strerror or str(error),
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        _refuse(
            tr(
                "导入文件“{file}”不是 UTF-8 编码的文本（第 {offset} 个字节无法解码）",
                file=str(path),
                offset=error.start + 1,
            )
        )


class _JsonConstantError(ValueError):
    pass


def _reject_constant(name: str) -> NoReturn:
    raise _JsonConstantError(name)


def _parse(path: Path, text: str) -> object:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        _refuse(
            tr(
                "导入文件“{file}”不是合法的 JSON：第 {line} 行第 {column} 列，{reason}",
                file=str(path),
                line=error.lineno,
                column=error.colno,
                reason=error.msg,
            )
        )
    except _JsonConstantError as error:
        _refuse(
            tr(
                "导入文件“{file}”不是合法的 JSON：含有 {value}（JSON 不允许）",
                file=str(path),
                value=str(error),
            )
        )
    except RecursionError:
        _refuse(tr("导入文件“{file}”不是合法的导出文件：嵌套层次过深", file=str(path)))


def _collect_ids(path: Path, position: int, name: str, rows: list[object]) -> set[str]:
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows, start=1):
        if not isinstance(raw, dict):
            continue  # decode_row says what is wrong with it
        row_id = raw.get("id")
        problem = None
        if row_id is None:
            problem = tr("缺少 id")
        elif not isinstance(row_id, str) or not is_uuid(row_id):
            problem = tr("id {value} 不是合法的记录标识（UUID）", value=show(row_id))
        elif row_id in seen:
            problem = tr("id 与本表第 {number} 条记录重复", number=seen[row_id])
        if problem is not None:
            _Where(path, position, name, raw, number).refuse(problem)
        seen[str(row_id)] = number
    return set(seen)


def _decode_rows(
    loaded: LoadedExport,
    position: int,
    spec: ExportTable,
    rows: list[object],
    ids: dict[str, set[str]],
) -> list[dict[str, object]]:
    decoded_rows: list[dict[str, object]] = []
    for number, raw in enumerate(rows, start=1):
        try:
            values = decode_row(spec, raw)
        except RowError as error:
            _Where(loaded.path, position, spec.name, raw, number).refuse(error.problem)
        row_id = str(values["id"])
        for column, target in spec.references.items():
            target_id = values.get(column)
            if isinstance(target_id, str) and target_id not in ids.get(target, ()):
                outside = loaded.dangling.setdefault(target, {})
                if target_id not in outside:
                    outside[target_id] = Reference(
                        position, number, spec.name, row_id, column, target, target_id
                    )
        rows[number - 1] = None  # free the raw row as soon as it is decoded
        decoded_rows.append(values)
    return decoded_rows


@dataclass(frozen=True, slots=True)
class _Where:
    """A row's place in the file, for messages."""

    path: Path
    position: int
    table: str
    raw: object
    number: int

    def refuse(self, problem: str) -> NoReturn:
        row_id = self.raw.get("id") if isinstance(self.raw, dict) else None
        if isinstance(row_id, str) and row_id:
            _refuse(
                tr(
                    "导入文件“{file}”第 {index} 张表 {table} 中的记录 {row}：{problem}",
                    file=str(self.path),
                    index=self.position,
                    table=self.table,
                    row=show(row_id, 40).strip('"'),
                    problem=problem,
                )
            )
        _refuse(
            tr(
                "导入文件“{file}”第 {index} 张表 {table} 中的第 {number} 条记录：{problem}",
                file=str(self.path),
                index=self.position,
                table=self.table,
                number=self.number,
                problem=problem,
            )
        )


def _refuse(message: str) -> NoReturn:
    raise ImportProblem(tr("{message}；未导入任何数据", message=message))


def _refuse_reference(path: Path, reference: Reference) -> NoReturn:
    _refuse(
        tr(
            "导入文件“{file}”第 {index} 张表 {table} 中的记录 {row}：字段 {field} 引用的 "
            "{target} 记录 {target_id} 在文件和数据库中都不存在",
            file=str(path),
            index=reference.position,
            table=reference.table,
            row=reference.row_id,
            field=reference.field,
            target=reference.target,
            target_id=reference.target_id,
        )
    )


# -- writing --------------------------------------------------------------------------------


def apply_export(
    database: Database,
    loaded: LoadedExport,
    actor: Actor,
    progress: Callable[[str, int], None] | None = None,
) -> ImportSummary:
    """Upsert a checked file in one write unit of work (consumes ``loaded``'s rows).

    ``progress(table, rows_so_far)`` is called after each chunk of rows.
    """
    started = time.perf_counter()
    by_table: dict[str, tuple[int, int, int]] = {}
    with database.write(actor) as session:
        _check_outside_references(session, loaded)
        for _position, spec, rows in loaded.tables:
            by_table[spec.name] = _upsert(session, spec, rows, progress)
            rows.clear()
    return ImportSummary(loaded.path, by_table, time.perf_counter() - started)


def _check_outside_references(session: Session, loaded: LoadedExport) -> None:
    missing: list[Reference] = []
    for target, references in loaded.dangling.items():
        model: Any = EXPORT_TABLE_BY_NAME[target].model
        wanted = list(references)
        for chunk in _chunks(wanted, 500):
            found = set(session.scalars(select(model.id).where(model.id.in_(chunk))))
            missing.extend(references[target_id] for target_id in chunk if target_id not in found)
    if missing:
        _refuse_reference(loaded.path, min(missing, key=Reference.order))


def _upsert(
    session: Session,
    spec: ExportTable,
    rows: list[dict[str, object]],
    progress: Callable[[str, int], None] | None,
) -> tuple[int, int, int]:
    model: Any = spec.model
    table_has_rows = session.scalar(select(model.id).limit(1)) is not None
    inserted = updated = unchanged = 0
    for done, chunk in enumerate(_chunks(rows, CHUNK_ROWS), start=1):
        existing: dict[str, Any] = {}
        if table_has_rows:
            chunk_ids = [values["id"] for values in chunk]
            query = select(model).where(model.id.in_(chunk_ids))
            existing = {row.id: row for row in session.scalars(query)}
        for values in chunk:
            row = existing.get(str(values["id"]))
            if row is None:
                session.add(model(**values))
                inserted += 1
            elif _update(row, values, spec.synced):
                updated += 1
            else:
                unchanged += 1
        session.flush()
        if progress is not None:
            progress(spec.name, min(done * CHUNK_ROWS, len(rows)))
    return inserted, updated, unchanged


STAMPS = ("updated_at", "updated_by")
"""Taken from the file along with a change of content (so the change keeps its origin)."""
KEPT_ON_UPDATE = frozenset({"created_at", "row_version", *STAMPS})
"""Sync metadata of a stored row that a file alone does not change: ``row_version`` is the
server's version this database last saw (the base of the next push), and stamps without a
content change would be a silent edit with no history."""


def _update(row: Any, values: dict[str, object], synced: bool) -> bool:
    """Set the fields that differ; False when the content is the same."""
    kept = KEPT_ON_UPDATE if synced else frozenset()
    differing = [
        name
        for name, value in values.items()
        if name not in kept and encode(getattr(row, name)) != encode(value)
    ]
    if not differing:
        return False
    for name in (*differing, *(STAMPS if synced else ())):
        if name in values:
            setattr(row, name, values[name])
    return True


def _chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
