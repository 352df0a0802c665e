"""``squaddesk-server backup``: one archive with a consistent dump of the database and the
attachment files (format: ``server.backup_format``).

The dump is read in one transaction — REPEATABLE READ, read only, on PostgreSQL (what
``pg_dump`` does); a read transaction on SQLite, which in WAL mode keeps its snapshot while the
server goes on writing — so the server stays online. Tables are streamed in chunks into gzip'd
members in a scratch directory beside the archive, then put in the tar. Attachment files are
added after the snapshot: a complete blob's file never changes or goes away, so every blob the
snapshot names is there to copy. The archive is written as ``FILE.partial`` and renamed when
complete and flushed to disk, so a backup that fails half-way never leaves a file that looks
finished.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import JSON, Connection, Table, Text, cast, select

from app.i18n import tr
from server.backup_format import (
    CHUNK_ROWS,
    MANIFEST_NAME,
    BackupProblem,
    HashingReader,
    Manifest,
    Member,
    Progress,
    blob_member,
    header_line,
    row_line,
    table_member,
)
from server.database.engine import ServerDatabase, head_revision
from server.database.tables import blobs, metadata, server_info
from server.versions import app_version

ARCHIVE_PATTERN = "squaddesk-backup-%Y%m%d-%H%M%S.tar"
"""The file name ``--out DIR`` gets (local time)."""


@dataclass(frozen=True, slots=True)
class BackupSummary:
    path: Path
    manifest: Manifest
    size: int
    seconds: float


@dataclass(frozen=True, slots=True)
class _Dump:
    """The database part of a backup, in a scratch directory."""

    server_id: str
    revision: str
    source: str
    tables: tuple[str, ...]
    rows: dict[str, int]
    files: dict[str, Path]
    blobs: list[tuple[str, int]]
    """(sha256, size) of every complete blob in the snapshot."""


def write_backup(
    database: ServerDatabase,
    blob_dir: Path | None,
    out: Path,
    progress: Progress | None = None,
) -> BackupSummary:
    """Write the backup archive to ``out`` (a new file, or a directory to name one in).
    ``blob_dir`` None: the attachments live elsewhere (S3) and are not archived."""
    started = time.perf_counter()
    target = archive_path(out)
    partial = target.with_name(target.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(prefix=".squaddesk-backup-", dir=target.parent) as work:
            dump = _dump_database(database, Path(work), progress)
            manifest = _write_archive(partial, dump, blob_dir, progress)
        os.replace(partial, target)
        _fsync_directory(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupSummary(target, manifest, target.stat().st_size, time.perf_counter() - started)


def archive_path(out: Path) -> Path:
    """``out`` itself, or a dated name inside it when it is a directory; never an existing
    file (a backup is not overwritten)."""
    target = out / dt.datetime.now().strftime(ARCHIVE_PATTERN) if out.is_dir() else out
    if target.exists():
        raise BackupProblem(tr("{path} 已存在，不会覆盖；请换一个文件名", path=target))
    if not target.parent.is_dir():
        raise BackupProblem(tr("目录 {path} 不存在", path=target.parent))
    return target


# -- the database ---------------------------------------------------------------------------


@contextmanager
def _snapshot(database: ServerDatabase) -> Iterator[Connection]:
    """One transaction that sees the database as of its start."""
    with database.engine.connect() as connection:
        if database.is_postgres:
            connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        with connection.begin():
            yield connection


def _dump_database(database: ServerDatabase, work: Path, progress: Progress | None) -> _Dump:
    with _snapshot(database) as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        if revision is None:
            raise BackupProblem(tr("数据库中还没有 SquadDesk 服务器的数据，无可备份"))
        if revision != head_revision():
            raise BackupProblem(
                tr(
                    "数据库版本 {revision} 与本程序（{head}）不一致：请用与数据库相同版本的"
                    " squaddesk-server 备份，或先运行“squaddesk-server migrate”",
                    revision=revision,
                    head=head_revision(),
                )
            )
        server_id = connection.scalar(
            select(server_info.c.value).where(server_info.c.key == "server_id")
        )
        rows: dict[str, int] = {}
        files: dict[str, Path] = {}
        complete: list[tuple[str, int]] = []
        for table in metadata.sorted_tables:
            path = work / f"{table.name}.jsonl.gz"
            rows[table.name] = _dump_table(connection, table, path, complete, progress)
            files[table.name] = path
    return _Dump(
        server_id=str(server_id),
        revision=revision,
        source=database.engine.dialect.name,
        tables=tuple(files),
        rows=rows,
        files=files,
        blobs=complete,
    )


def _dump_table(
    connection: Connection,
    table: Table,
    path: Path,
    complete: list[tuple[str, int]],
    progress: Progress | None,
) -> int:
    # JSON columns come last, read as text and written as they are (the bulk of ``records``).
    plain = [column for column in table.columns if not isinstance(column.type, JSON)]
    texts = [column for column in table.columns if isinstance(column.type, JSON)]
    query = select(*plain, *(cast(column, Text).label(column.name) for column in texts))
    query = query.order_by(*table.primary_key.columns)
    if table is blobs:  # uploads in progress stay out: their bytes are not archived
        query = query.where(blobs.c.complete.is_(True))
    done = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=3) as dump:
        dump.write(header_line(table.name, [column.name for column in (*plain, *texts)]))
        result = connection.execution_options(yield_per=CHUNK_ROWS).execute(query)
        for chunk in result.partitions():
            dump.write("".join(row_line(tuple(row), len(texts)) + "\n" for row in chunk))
            if table is blobs:
                complete.extend((row.sha256, int(row.size)) for row in chunk)
            done += len(chunk)
            if progress is not None:
                progress(table.name, done)
    return done


# -- the archive ----------------------------------------------------------------------------


def _write_archive(
    path: Path, dump: _Dump, blob_dir: Path | None, progress: Progress | None
) -> Manifest:
    members: dict[str, Member] = {}
    missing: list[str] = []
    damaged: list[str] = []
    blob_bytes = 0
    with path.open("wb") as raw:
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for table in dump.tables:
                name = table_member(table)
                members[name] = _add_file(tar, name, dump.files[table])
                dump.files[table].unlink()
            for number, (sha256, _size) in enumerate(dump.blobs if blob_dir else (), 1):
                assert blob_dir is not None
                file = blob_dir / sha256[:2] / sha256
                if not file.is_file():
                    missing.append(sha256)
                    continue
                name = blob_member(sha256)
                members[name] = _add_file(tar, name, file)
                blob_bytes += members[name].size
                if members[name].sha256 != sha256:
                    damaged.append(sha256)
                if progress is not None:
                    progress("blobs", number)
            manifest = Manifest(
                server_id=dump.server_id,
                schema_revision=dump.revision,
                app_version=app_version(),
                created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                source_database=dump.source,
                tables=dump.tables,
                rows=dump.rows,
                blob_store="filesystem" if blob_dir is not None else "s3",
                blobs=len(dump.blobs) - len(missing) if blob_dir is not None else 0,
                blob_bytes=blob_bytes,
                missing_blobs=tuple(missing),
                damaged_blobs=tuple(damaged),
                members=members,
            )
            _add_bytes(tar, MANIFEST_NAME, manifest.to_json())
        raw.flush()
        os.fsync(raw.fileno())
    return manifest


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> Member:
    info = tarfile.TarInfo(name)
    status = path.stat()
    info.size = status.st_size
    info.mtime = int(status.st_mtime)
    info.mode = 0o644
    with path.open("rb") as source:
        reader = HashingReader(source)
        tar.addfile(info, reader)  # read through the hash
    return Member(reader.size, reader.digest.hexdigest())


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def _fsync_directory(path: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
