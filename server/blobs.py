"""Attachment bytes, content-addressed by SHA-256, uploaded resumably (tus-like).

Complete blobs live at ``DATA_DIR/blobs/ab/abcdef…``; an upload grows in
``DATA_DIR/blobs-partial/<sha256>`` (same file system, so finishing is an atomic rename).
Each chunk is written at the offset the database says was stored, fsynced, then the new
offset is committed: after a crash the file may be longer than the recorded offset, and the
next chunk truncates it there. The last chunk is hashed before the blob is marked complete; a
wrong hash discards the upload. Nothing here deletes a complete blob.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlalchemy import Connection, delete, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.database.types import utc_now
from app.i18n import tr
from app.sync.protocol import BLOB_MAX_SIZE, BlobStatus, ErrorCode
from server.database.engine import ServerDatabase
from server.database.tables import blobs, records
from server.errors import ApiError, not_found
from server.principal import Principal
from server.sync.tables import ATTACHMENTS

READ_SIZE = 1024 * 1024


class BlobStore:
    """The files; the ``blobs`` table says how far each upload got."""

    def __init__(self, data_dir: Path) -> None:
        self.complete_dir = data_dir / "blobs"
        self.partial_dir = data_dir / "blobs-partial"

    def path(self, sha256: str) -> Path:
        return self.complete_dir / sha256[:2] / sha256

    def partial_path(self, sha256: str) -> Path:
        return self.partial_dir / sha256

    def write_chunk(self, sha256: str, offset: int, chunk: bytes) -> None:
        self.partial_dir.mkdir(parents=True, exist_ok=True)
        path = self.partial_path(sha256)
        with open(path, "r+b" if path.exists() else "wb") as file:
            file.truncate(offset)
            file.seek(offset)
            file.write(chunk)
            file.flush()
            os.fsync(file.fileno())

    def finish(self, sha256: str) -> bool:
        """Move a fully received upload into place if its bytes hash to its name; a wrong
        upload is deleted and False returned."""
        final = self.path(sha256)
        partial = self.partial_path(sha256)
        if not partial.exists() and final.exists():
            return _digest(final) == sha256  # finished before a crash, not yet recorded
        if _digest(partial) != sha256:
            self.discard(sha256)
            return False
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, final)
        _fsync_dir(final.parent)
        return True

    def discard(self, sha256: str) -> None:
        self.partial_path(sha256).unlink(missing_ok=True)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(READ_SIZE):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def blob_status(database: ServerDatabase, sha256: str) -> BlobStatus | None:
    with database.read() as connection:
        row = connection.execute(select(blobs).where(blobs.c.sha256 == sha256)).first()
    if row is None:
        return None
    return BlobStatus(sha256=sha256, size=row.size, received=row.received, complete=row.complete)


def is_complete(connection: Connection, sha256: object) -> bool:
    if not isinstance(sha256, str):
        return False
    query = select(blobs.c.complete).where(blobs.c.sha256 == sha256)
    return bool(connection.scalar(query))


def upload_chunk(
    database: ServerDatabase,
    store: BlobStore,
    principal: Principal,
    sha256: str,
    offset: int,
    length: int,
    chunk: bytes,
) -> BlobStatus:
    """Store ``chunk`` at ``offset`` of an upload of ``length`` bytes (PATCH)."""
    if length > BLOB_MAX_SIZE:
        raise ApiError(
            413,
            ErrorCode.BODY_TOO_LARGE,
            tr("附件超过 {size} MiB 的上限", size=BLOB_MAX_SIZE // (1024 * 1024)),
        )
    with database.write() as connection:
        _create_if_new(connection, database.is_postgres, sha256, length, principal.member_id)
        query = select(blobs).where(blobs.c.sha256 == sha256)
        row = connection.execute(query.with_for_update() if database.is_postgres else query).one()
        status = BlobStatus(
            sha256=sha256, size=row.size, received=row.received, complete=row.complete
        )
        if status.complete:
            return status
        _check_chunk(status, offset, length, len(chunk))
        store.write_chunk(sha256, offset, chunk)
        received = offset + len(chunk)
        complete = received == status.size and store.finish(sha256)
        if received == status.size and not complete:
            connection.execute(delete(blobs).where(blobs.c.sha256 == sha256))
        else:
            connection.execute(
                update(blobs)
                .where(blobs.c.sha256 == sha256)
                .values(received=received, complete=complete)
            )
    if received == status.size and not complete:
        raise ApiError(
            422,
            ErrorCode.HASH_MISMATCH,
            tr("上传的内容与 SHA-256 {sha} 不符，已丢弃，请重新上传", sha=sha256),
        )
    return BlobStatus(sha256=sha256, size=status.size, received=received, complete=complete)


def _create_if_new(
    connection: Connection, is_postgres: bool, sha256: str, length: int, member_id: str
) -> None:
    values = {
        "sha256": sha256,
        "size": length,
        "received": 0,
        "complete": False,
        "created_by": member_id,
        "created_at": utc_now(),
    }
    dialect_insert = postgresql.insert if is_postgres else sqlite.insert
    connection.execute(dialect_insert(blobs).values(**values).on_conflict_do_nothing())


def _check_chunk(status: BlobStatus, offset: int, length: int, size: int) -> None:
    if length != status.size:
        raise ApiError(
            422,
            ErrorCode.INVALID_REQUEST,
            tr(
                "Upload-Length {length} 与此前声明的长度 {size} 不一致",
                length=length,
                size=status.size,
            ),
        )
    if offset != status.received:
        raise ApiError(
            409,
            ErrorCode.OFFSET_MISMATCH,
            tr(
                "这一段从第 {offset} 字节开始，但服务器已收到 {received} 字节，请从那里继续",
                offset=offset,
                received=status.received,
            ),
            headers={"Upload-Offset": str(status.received), "Upload-Length": str(status.size)},
        )
    if offset + size > status.size:
        raise ApiError(
            422,
            ErrorCode.INVALID_REQUEST,
            tr("上传的内容超过了声明的长度 {size} 字节", size=status.size),
        )


def readable_blob(
    database: ServerDatabase, store: BlobStore, principal: Principal, sha256: str
) -> Path:
    """The file of a complete blob that an attachment record the user may read refers to."""
    referenced = select(records.c.id).where(
        records.c.blob_sha256 == sha256, records.c.table_name == ATTACHMENTS
    )
    scopes = principal.readable_scopes()
    if scopes is not None:
        referenced = referenced.where(records.c.scope.in_(scopes))
    with database.read() as connection:
        allowed = connection.scalar(select(exists(referenced))) and is_complete(connection, sha256)
    path = store.path(sha256)
    if not allowed or not path.is_file():
        raise not_found()
    return path
