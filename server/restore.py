"""``squaddesk-server restore``: a backup archive back into an empty database and data dir.

1. Every member is read and checked against the manifest (size and SHA-256) before anything
   is touched: a damaged or truncated archive is refused and nothing changes.
2. The target database must hold no SquadDesk data (a new database, or one only migrated);
   ``force`` replaces whatever SquadDesk data it holds. Other tables are never dropped.
3. In ONE database transaction: the schema is created by the migrations up to the archive's
   revision, the seed rows they write are replaced by the dumped rows (so ``server_id`` stays
   the backup's: clients recognise their server rolled back, not a stranger), PostgreSQL
   sequences are moved past the restored ids, then the newer migrations run. Attachment files
   are written (content-addressed; files already there and intact are kept) and flushed to disk
   before that transaction commits; if anything fails the transaction rolls back and the files
   this restore added are removed again.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import tarfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Connection, Integer, MetaData, Table, func, inspect, select, text
from sqlalchemy import table as bare_table
from sqlalchemy.engine import make_url

from app.i18n import tr
from server.backup_format import (
    CHUNK_ROWS,
    DATABASE_PREFIX,
    DATABASE_SUFFIX,
    MANIFEST_NAME,
    READ_SIZE,
    BackupProblem,
    Decoder,
    HashingReader,
    Manifest,
    Member,
    Progress,
    blob_of,
    decoder_for,
)
from server.database.engine import (
    ServerDatabase,
    alembic_config,
    head_revision,
    is_known_revision,
)
from server.database.tables import FEED_COUNTER, counters, metadata
from server.sync.epoch import start_epoch

MANIFEST_LIMIT = 256 * 1024 * 1024
SEED_ONLY = frozenset({"server_info", "counters"})
"""Tables a freshly migrated, never used database already has rows in."""
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True, slots=True)
class RestoreSummary:
    manifest: Manifest
    server_id: str
    revision: str
    """The schema revision after the restore (newer than the archive's if it was migrated)."""
    blobs_written: int
    seconds: float


def restore_backup(
    database: ServerDatabase,
    data_dir: Path,
    archive: Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> RestoreSummary:
    started = time.perf_counter()
    manifest = verify_archive(archive, progress)
    _check_known_revision(manifest.schema_revision)
    holding = describe_contents(database)
    if holding is not None and not force:
        url = make_url(database.engine.url).render_as_string(hide_password=True)
        raise BackupProblem(
            tr(
                "数据库 {url} 不是空的（{holding}）；请恢复到新建的空数据库，"
                "或加 --force 用备份替换其中的 SquadDesk 数据；未做任何改动",
                url=url,
                holding=holding,
            )
        )
    blob_dir = data_dir / "blobs"
    added: list[Path] = []
    try:
        with database.write() as connection:
            _drop_squaddesk_tables(connection, manifest)
            _upgrade(connection, manifest.schema_revision)
            for name in reversed(manifest.tables):
                connection.execute(bare_table(name).delete())
            _load(connection, archive, manifest, blob_dir, added, progress)
            if database.is_postgres:
                _move_sequences(connection, manifest.tables)
            _upgrade(connection, "head")
            _flush_files()
    except BaseException:
        for path in added:
            path.unlink(missing_ok=True)
        raise
    _forget_partial_uploads(data_dir)
    # A fresh feed epoch at the restored head: laptops that pulled past it see the rollback
    # even when workers already running on this database serve them (``--force``).
    start_epoch(database)
    return RestoreSummary(
        manifest=manifest,
        server_id=database.server_id(),
        revision=database.revision() or "",
        blobs_written=len(added),
        seconds=time.perf_counter() - started,
    )


# -- 1. the archive -------------------------------------------------------------------------


def verify_archive(archive: Path, progress: Progress | None = None) -> Manifest:
    """The manifest, once every member has been read and matches it; ``BackupProblem`` for
    a missing, damaged or incomplete archive."""
    found: dict[str, Member] = {}
    manifest_data: bytes | None = None
    try:
        with _members(archive) as members:
            for member, source in members:
                if member.name == MANIFEST_NAME and member.size <= MANIFEST_LIMIT:
                    manifest_data = source.read()
                    continue
                if member.name in found:
                    raise _damaged(tr("{name} 出现了两次", name=member.name))
                found[member.name] = HashingReader(source).drain()
                if progress is not None:
                    progress("archive", len(found))
    except FileNotFoundError:
        raise BackupProblem(tr("找不到备份文件 {path}", path=archive)) from None
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise _damaged(str(error)) from None
    if manifest_data is None:
        raise _damaged(tr("缺少清单 {name}（文件可能不完整）", name=MANIFEST_NAME))
    manifest = Manifest.from_json(manifest_data)
    for name, expected in manifest.members.items():
        got = found.get(name)
        if got is None:
            raise _damaged(tr("缺少 {name}", name=name))
        if got != expected:
            raise _damaged(tr("{name} 的内容与清单不符", name=name))
    extra = sorted(set(found) - set(manifest.members))
    if extra:
        raise _damaged(tr("清单中没有 {name}", name=extra[0]))
    return manifest


def _damaged(reason: str) -> BackupProblem:
    return BackupProblem(tr("备份文件已损坏：{reason}；未做任何改动", reason=reason))


@contextmanager
def _members(archive: Path) -> Iterator[Iterator[tuple[tarfile.TarInfo, IO[bytes]]]]:
    """The archive's file members in order, each with a reader of its bytes (streamed)."""
    if not archive.is_file():
        raise FileNotFoundError(archive)
    with tarfile.open(archive, mode="r|") as tar:
        yield _each_member(tar)


def _each_member(tar: tarfile.TarFile) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    for member in tar:
        if not member.isfile():
            raise _damaged(tr("{name} 不是普通文件", name=member.name))
        source = tar.extractfile(member)
        assert source is not None
        yield member, source
        cast(Any, tar).members.clear()  # read once, front to back: keep no member index


def _check_known_revision(revision: str) -> None:
    if not is_known_revision(revision):
        raise BackupProblem(
            tr(
                "备份来自更新版本的 SquadDesk 服务器（数据库版本 {revision}，本程序为 {head}）；"
                "请先升级 squaddesk-server；未做任何改动",
                revision=revision,
                head=head_revision(),
            )
        )


# -- 2. the target --------------------------------------------------------------------------


def describe_contents(database: ServerDatabase) -> str | None:
    """What SquadDesk data (or other tables) the database holds; None when it holds none."""
    with database.read() as connection:
        names = set(inspect(connection).get_table_names())
        if VERSION_TABLE in names:
            current = MigrationContext.configure(connection).get_current_revision()
            if current is not None and not is_known_revision(current):
                raise BackupProblem(
                    tr(
                        "目标数据库的版本 {revision} 比本程序（{head}）新，不能恢复到其中；"
                        "未做任何改动",
                        revision=current,
                        head=head_revision(),
                    )
                )
        strangers = sorted(names - set(metadata.tables) - {VERSION_TABLE})
        if strangers:
            return tr("有其他的表：{names}", names="、".join(strangers[:5]))
        for name in sorted(names & set(metadata.tables) - SEED_ONLY):
            count = connection.scalar(select(func.count()).select_from(bare_table(name)))
            if count:
                return tr("表 {table} 中有 {count} 行", table=name, count=count)
        if "counters" in names:
            feed = connection.scalar(
                select(counters.c.value).where(counters.c.name == FEED_COUNTER)
            )
            if feed:
                return tr("已写入过 {count} 次更改", count=feed)
    return None


def _drop_squaddesk_tables(connection: Connection, manifest: Manifest) -> None:
    ours = set(metadata.tables) | set(manifest.tables) | {VERSION_TABLE}
    present = sorted(set(inspect(connection).get_table_names()) & ours)
    if present:
        existing = MetaData()
        existing.reflect(connection, only=present)
        existing.drop_all(connection)


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


# -- 3. the load ----------------------------------------------------------------------------


def _load(
    connection: Connection,
    archive: Path,
    manifest: Manifest,
    blob_dir: Path,
    added: list[Path],
    progress: Progress | None,
) -> None:
    with _members(archive) as members:
        for member, source in members:
            expected = manifest.members.get(member.name)
            if expected is None:
                continue  # the manifest itself
            reader = HashingReader(source)
            if member.name.startswith(DATABASE_PREFIX):
                _load_table(connection, reader, manifest, member.name, progress)
            elif (sha256 := blob_of(member.name)) is not None:
                path = _write_blob(reader, blob_dir, sha256, expected)
                if path is not None:
                    added.append(path)
                if progress is not None:
                    progress("blobs", len(added))
            if reader.drain() != expected:
                raise _damaged(tr("{name} 在恢复过程中被改动", name=member.name))


def _load_table(
    connection: Connection,
    reader: HashingReader,
    manifest: Manifest,
    member: str,
    progress: Progress | None,
) -> None:
    compressed = gzip.GzipFile(fileobj=cast(IO[bytes], reader), mode="rb")  # reads forward only
    with io.TextIOWrapper(compressed, encoding="utf-8") as lines:
        header = json.loads(lines.readline())
        name = str(header["table"])
        if member != f"{DATABASE_PREFIX}{name}{DATABASE_SUFFIX}" or name not in manifest.tables:
            raise _damaged(tr("{name} 的内容与清单不符", name=member))
        columns = [str(column) for column in header["columns"]]
        target, decoders = _target_table(connection, name, columns)
        statement = target.insert()
        batch: list[dict[str, Any]] = []
        done = 0
        for line in lines:
            values = json.loads(line)
            batch.append(
                {
                    column: decode(value) if decode is not None else value
                    for column, decode, value in zip(columns, decoders, values, strict=True)
                }
            )
            if len(batch) >= CHUNK_ROWS:
                connection.execute(statement, batch)
                done += len(batch)
                batch = []
                if progress is not None:
                    progress(name, done)
        if batch:
            connection.execute(statement, batch)


def _target_table(
    connection: Connection, name: str, columns: list[str]
) -> tuple[Table, list[Decoder | None]]:
    """The table to insert into: this version's column types where it knows the column (so
    values bind as the server writes them), else the type the database reports."""
    known = metadata.tables.get(name)
    reported: dict[str, Any] | None = None
    made: list[Column[Any]] = []
    for column in columns:
        if known is not None and column in known.c:
            column_type = known.c[column].type
        else:
            if reported is None:
                reported = {c["name"]: c["type"] for c in inspect(connection).get_columns(name)}
            if column not in reported:
                raise BackupProblem(
                    tr("备份中的列 {table}.{column} 在数据库中不存在", table=name, column=column)
                )
            column_type = reported[column]
        made.append(Column(column, column_type))
    target = Table(name, MetaData(), *made)
    return target, [decoder_for(column.type) for column in made]


def _move_sequences(connection: Connection, tables: tuple[str, ...]) -> None:
    """PostgreSQL: each serial/identity sequence continues after the largest restored id."""
    quote = connection.dialect.identifier_preparer.quote
    for name in tables:
        for column in inspect(connection).get_columns(name):
            if not isinstance(column["type"], Integer):
                continue
            sequence = connection.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": quote(name), "column": column["name"]},  # the column: literally,
            )
            if sequence is None:
                continue
            highest = connection.scalar(
                text(f"SELECT MAX({quote(column['name'])}) FROM {quote(name)}")
            )
            connection.execute(
                text("SELECT setval(:sequence, :value, :called)"),
                {"sequence": sequence, "value": highest or 1, "called": highest is not None},
            )


# -- attachment files -----------------------------------------------------------------------


def _write_blob(
    reader: HashingReader, blob_dir: Path, sha256: str, expected: Member
) -> Path | None:
    """Write one attachment file; None when an intact copy was there already."""
    final = blob_dir / sha256[:2] / sha256
    if final.is_file() and _file_member(final) == expected:
        return None
    existed = final.exists()
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(f".{sha256}.restoring")
    try:
        with partial.open("wb") as target:
            shutil.copyfileobj(reader, target, READ_SIZE)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return None if existed else final


def _file_member(path: Path) -> Member:
    with path.open("rb") as source:
        return HashingReader(source).drain()


def _flush_files() -> None:
    """The attachment files reach the disk before the database says they are there."""
    sync = getattr(os, "sync", None)
    if sync is not None:
        sync()


def _forget_partial_uploads(data_dir: Path) -> None:
    """Uploads in progress were not backed up (nor their rows): their pieces are stale."""
    partial = data_dir / "blobs-partial"
    if partial.is_dir():
        for piece in partial.iterdir():
            if piece.is_file():
                piece.unlink()
