"""Attachment bytes to and from the server: resumable uploads, hash-checked downloads.

Upload (before the ``attachments`` records that name a blob are pushed): ``HEAD`` says how much
the server already holds, ``PATCH`` sends the rest in chunks from that offset; an
``offset_mismatch`` asks again and resumes where the server really is. Download (after a pull):
every live attachment whose blob is missing locally is streamed into the blob store, which
keeps it only when it hashes to its name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app.database.tables import AttachmentRow
from app.database.unit_of_work import Database
from app.i18n import tr
from app.storage.blobs import BlobHashMismatch, BlobStore
from app.sync.errors import SyncProblem
from app.sync.protocol import BLOB_CHUNK_MAX, ErrorCode
from app.sync.transport import Transport

UPLOAD_CHUNK = 2 * 1024 * 1024
MAX_RESUMES = 5
assert UPLOAD_CHUNK <= BLOB_CHUNK_MAX

Stop = Callable[[], bool]


@dataclass(slots=True)
class BlobCounts:
    uploaded: int = 0
    downloaded: int = 0
    missing: int = 0  # blobs neither side could provide (or that arrived corrupt)


def upload_blobs(
    transport: Transport, store: BlobStore, hashes: Iterable[str], stop: Stop
) -> BlobCounts:
    counts = BlobCounts()
    for sha256 in hashes:
        if stop():
            break
        if not store.has(sha256):
            counts.missing += 1  # the push will be refused (blob_missing) and kept for retry
            continue
        if upload_one(transport, store, sha256):
            counts.uploaded += 1
    return counts


def upload_one(transport: Transport, store: BlobStore, sha256: str) -> bool:
    """Make the server hold the whole blob; True when bytes had to be sent."""
    size = store.size(sha256)
    status = transport.blob_head(sha256)
    if status is not None and status.complete:
        return False
    offset = status.received if status is not None and status.size == size else 0
    resumes = 0
    while True:
        chunk = store.read_range(sha256, offset, UPLOAD_CHUNK)
        try:
            status = transport.blob_patch(sha256, offset, size, chunk)
        except SyncProblem as problem:
            if problem.code == ErrorCode.OFFSET_MISMATCH and resumes < MAX_RESUMES:
                resumes += 1
                head = transport.blob_head(sha256)
                if head is not None and head.complete:
                    return True
                offset = head.received if head is not None else 0
                continue
            if problem.code == ErrorCode.HASH_MISMATCH:
                raise SyncProblem(
                    "server_error",
                    tr("附件文件在上传时损坏（校验值不符），请重试同步"),
                    code=problem.code,
                    status=problem.status,
                ) from problem
            raise
        if status.complete:
            return True
        if status.received <= offset:
            raise SyncProblem("server_error", tr("服务器没有接收附件数据，请稍后重试"))
        offset = status.received


def missing_blobs(database: Database, store: BlobStore) -> list[str]:
    """SHA-256 of live attachments whose bytes are not in the local store."""
    query = (
        select(AttachmentRow.sha256)
        .where(AttachmentRow.deleted.is_(False))
        .distinct()
        .order_by(AttachmentRow.sha256)
    )
    with database.read() as session:
        hashes = list(session.scalars(query))
    missing: list[str] = []
    for sha256 in hashes:
        try:
            if not store.has(sha256):
                missing.append(sha256)
        except ValueError:  # not a SHA-256: nothing can be fetched under that name
            continue
    return missing


def download_blobs(
    transport: Transport, store: BlobStore, hashes: Iterable[str], stop: Stop
) -> BlobCounts:
    counts = BlobCounts()
    for sha256 in hashes:
        if stop():
            break
        try:
            with store.writer(sha256) as writer:
                transport.blob_get(sha256, writer.write)
        except BlobHashMismatch:
            counts.missing += 1  # discarded; asked for again at the next sync
            continue
        except SyncProblem as problem:
            if problem.status == 404:
                counts.missing += 1
                continue
            raise
        counts.downloaded += 1
    return counts
