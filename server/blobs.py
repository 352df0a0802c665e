"""Attachment uploads and downloads, content-addressed by SHA-256, resumable (tus-like).

The ``blobs`` table says how far each upload got (``received``) and whether it is ``complete``;
the bytes are in a ``BlobStore`` (``server.blob_stores``: partial uploads on this machine's disk,
published blobs on the filesystem or in an S3 bucket). A row is marked complete only in the
transaction that saw its store publish the verified blob, so a record may name it from then on.

Several machines may serve one database (an S3 store): an upload's earlier chunks may then sit
on another machine's disk. A chunk that finds this machine holding fewer bytes than the row says
resets the row to what is here and answers ``offset_mismatch`` with that offset, so the client
resumes from there (or, when the blob was published before a crash left the row behind, marks
it complete). Nothing here deletes a published blob.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.database.types import utc_now
from app.i18n import tr
from app.sync.protocol import BLOB_MAX_SIZE, BlobStatus, ErrorCode
from server.blob_stores import BlobReading, BlobStore
from server.database.engine import ServerDatabase
from server.database.tables import blobs, records
from server.errors import ApiError, not_found
from server.principal import Principal
from server.sync.tables import ATTACHMENTS


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
        answer = _receive(connection, store, status, offset, length, chunk)
    if isinstance(answer, ApiError):  # raised only now: what the row learnt is committed
        raise answer
    return answer


def _receive(
    connection: Connection,
    store: BlobStore,
    status: BlobStatus,
    offset: int,
    length: int,
    chunk: bytes,
) -> BlobStatus | ApiError:
    sha256 = status.sha256
    if status.complete:
        store.discard(sha256)  # a partial left on this machine by an upload finished elsewhere
        return status
    _check_length(status, length)
    held = store.partial_size(sha256)
    if held < status.received:
        return _recover(connection, store, status, offset, held)
    _check_chunk(status, offset, len(chunk))
    store.write_chunk(sha256, offset, chunk)
    received = offset + len(chunk)
    if received < status.size:
        _record(connection, sha256, received, complete=False)
        return BlobStatus(sha256=sha256, size=status.size, received=received, complete=False)
    if not store.finish(sha256):
        connection.execute(delete(blobs).where(blobs.c.sha256 == sha256))
        return ApiError(
            422,
            ErrorCode.HASH_MISMATCH,
            tr("上传的内容与 SHA-256 {sha} 不符，已丢弃，请重新上传", sha=sha256),
        )
    _record(connection, sha256, received, complete=True)
    return BlobStatus(sha256=sha256, size=status.size, received=received, complete=True)


def _recover(
    connection: Connection, store: BlobStore, status: BlobStatus, offset: int, held: int
) -> BlobStatus | ApiError:
    """This machine holds fewer bytes than the row says were received: the earlier chunks went
    to another machine (or the partial file was lost). A blob published before a crash kept the
    row from saying so is complete; otherwise the upload resumes from what is here."""
    if store.has_complete(status.sha256, status.size):
        store.discard(status.sha256)
        _record(connection, status.sha256, status.size, complete=True)
        return BlobStatus(
            sha256=status.sha256, size=status.size, received=status.size, complete=True
        )
    _record(connection, status.sha256, held, complete=False)
    return _offset_mismatch(offset, held, status.size)


def _record(connection: Connection, sha256: str, received: int, *, complete: bool) -> None:
    connection.execute(
        update(blobs).where(blobs.c.sha256 == sha256).values(received=received, complete=complete)
    )


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


def _check_length(status: BlobStatus, length: int) -> None:
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


def _check_chunk(status: BlobStatus, offset: int, size: int) -> None:
    if offset != status.received:
        raise _offset_mismatch(offset, status.received, status.size)
    if offset + size > status.size:
        raise ApiError(
            422,
            ErrorCode.INVALID_REQUEST,
            tr("上传的内容超过了声明的长度 {size} 字节", size=status.size),
        )


def _offset_mismatch(offset: int, received: int, size: int) -> ApiError:
    return ApiError(
        409,
        ErrorCode.OFFSET_MISMATCH,
        tr(
            "这一段从第 {offset} 字节开始，但服务器已收到 {received} 字节，请从那里继续",
            offset=offset,
            received=received,
        ),
        headers={"Upload-Offset": str(received), "Upload-Length": str(size)},
    )


def readable_blob(
    database: ServerDatabase, store: BlobStore, principal: Principal, sha256: str
) -> BlobReading:
    """A complete blob that an attachment record the user may read refers to, opened."""
    referenced = select(records.c.id).where(
        records.c.blob_sha256 == sha256, records.c.table_name == ATTACHMENTS
    )
    scopes = principal.readable_scopes()
    if scopes is not None:
        referenced = referenced.where(records.c.scope.in_(scopes))
    with database.read() as connection:
        allowed = connection.scalar(select(exists(referenced))) and is_complete(connection, sha256)
    reading = store.open(sha256) if allowed else None
    if reading is None:
        raise not_found()
    return reading
