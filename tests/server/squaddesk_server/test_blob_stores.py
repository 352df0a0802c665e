"""The same tests for every attachment store: the filesystem one and the S3 one against a local
S3-compatible server (moto over HTTP). Uploads go through ``upload_chunk`` on a real database, as
a PATCH does; a "machine" is a store on its own data dir (S3 stores share the bucket)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.database.engine import sqlite_url
from app.domain.vocabulary import Role
from app.sync.protocol import BLOB_CHUNK_MAX, BlobStatus, ErrorCode
from server.blob_store_s3 import S3BlobStore
from server.blob_stores import BlobStore, FilesystemBlobStore
from server.blobs import blob_status, upload_chunk
from server.config import BlobStoreConfig, BlobStoreKind
from server.database.engine import ServerDatabase
from server.errors import ApiError
from server.principal import Principal

from .moto_s3 import REGION, MotoS3, moto_s3_server, use_test_credentials

PART = 5 * 1024 * 1024  # S3's smallest multipart part: a few MB go up in several parts
ALICE = Principal(
    user_id="user-alice",
    username="alice",
    member_id="member-alice",
    squad_id="squad-1",
    role=Role.MEMBER,
    device_id="device-alice",
    token_hash="-",
)

Machine = Callable[[str], BlobStore]


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoS3]:
    with moto_s3_server() as server:
        yield server


@pytest.fixture(params=[BlobStoreKind.FILESYSTEM, BlobStoreKind.S3])
def machine(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Machine]:
    """``machine(name)``: the store of one server machine (its own data dir)."""
    stores: list[BlobStore] = []
    settings = BlobStoreConfig()
    if request.param is BlobStoreKind.S3:
        use_test_credentials(monkeypatch)
        moto: MotoS3 = request.getfixturevalue("moto")
        settings = BlobStoreConfig(
            kind=BlobStoreKind.S3,
            bucket=moto.new_bucket(),
            endpoint_url=moto.endpoint_url,
            region=REGION,
            prefix="squaddesk",
        )

    def make(name: str) -> BlobStore:
        data_dir = tmp_path / name
        store: BlobStore = (
            S3BlobStore(settings, data_dir, multipart_threshold=PART)
            if settings.kind is BlobStoreKind.S3
            else FilesystemBlobStore(data_dir)
        )
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def store(machine: Machine) -> BlobStore:
    return machine("server")


@pytest.fixture
def database(tmp_path: Path) -> Iterator[ServerDatabase]:
    database = ServerDatabase(sqlite_url(tmp_path / "server.db"))
    database.migrate()
    yield database
    database.dispose()


def _send(
    database: ServerDatabase, store: BlobStore, content: bytes, offset: int, end: int
) -> BlobStatus:
    sha = hashlib.sha256(content).hexdigest()
    return upload_chunk(database, store, ALICE, sha, offset, len(content), content[offset:end])


def _upload(database: ServerDatabase, store: BlobStore, content: bytes) -> BlobStatus:
    status = _send(database, store, content, 0, BLOB_CHUNK_MAX)
    while not status.complete:
        status = _send(database, store, content, status.received, status.received + BLOB_CHUNK_MAX)
    return status


def _read(store: BlobStore, sha: str) -> bytes:
    reading = store.open(sha)
    assert reading is not None, f"the store lacks {sha}"
    data = b"".join(reading.chunks)
    assert reading.size == len(data)
    return data


def test_an_upload_cut_mid_chunk_resumes_and_reads_back_identical(
    database: ServerDatabase, store: BlobStore
) -> None:
    content = os.urandom(BLOB_CHUNK_MAX + 100_000)
    sha = hashlib.sha256(content).hexdigest()
    first = _send(database, store, content, 0, BLOB_CHUNK_MAX)
    assert (first.received, first.complete) == (BLOB_CHUNK_MAX, False)
    store.write_chunk(sha, BLOB_CHUNK_MAX, b"cut off")  # written, then the request died
    assert not store.has_complete(sha) and store.open(sha) is None

    with pytest.raises(ApiError) as wrong:
        _send(database, store, content, 0, 1000)
    assert wrong.value.code == ErrorCode.OFFSET_MISMATCH
    assert wrong.value.headers["Upload-Offset"] == str(BLOB_CHUNK_MAX)

    last = _send(database, store, content, BLOB_CHUNK_MAX, len(content))
    assert last.complete and last.received == len(content)
    assert _read(store, sha) == content
    assert store.has_complete(sha, len(content))
    assert not store.partial_path(sha).exists()


def test_bytes_that_do_not_hash_to_the_name_are_refused_and_nothing_is_published(
    database: ServerDatabase, store: BlobStore
) -> None:
    content = "真正的现场照片".encode()
    sha = hashlib.sha256(content).hexdigest()
    forged = "伪造的现场照片".encode()
    with pytest.raises(ApiError) as refused:
        upload_chunk(database, store, ALICE, sha, 0, len(forged), forged)
    assert refused.value.code == ErrorCode.HASH_MISMATCH
    assert blob_status(database, sha) is None
    assert not store.has_complete(sha) and store.open(sha) is None
    assert not store.partial_path(sha).exists()
    assert upload_chunk(database, store, ALICE, sha, 0, len(content), content).complete
    assert _read(store, sha) == content


def test_a_blob_published_before_a_crash_is_complete_when_the_client_retries(
    database: ServerDatabase, store: BlobStore
) -> None:
    content = os.urandom(BLOB_CHUNK_MAX + 5000)
    sha = hashlib.sha256(content).hexdigest()
    _send(database, store, content, 0, BLOB_CHUNK_MAX)
    # The last PATCH published the blob, then the process died before its commit:
    store.write_chunk(sha, BLOB_CHUNK_MAX, content[BLOB_CHUNK_MAX:])
    assert store.finish(sha)
    assert store.finish(sha)  # finishing again finds it published
    recorded = blob_status(database, sha)
    assert recorded is not None and not recorded.complete

    retried = _send(database, store, content, BLOB_CHUNK_MAX, len(content))
    assert retried.complete and retried.received == len(content)
    assert blob_status(database, sha) == retried
    assert _read(store, sha) == content


def test_a_missing_blob_is_not_found(store: BlobStore) -> None:
    sha = hashlib.sha256(b"never uploaded").hexdigest()
    assert store.open(sha) is None
    assert not store.has_complete(sha)
    assert not store.finish(sha)


def test_a_blob_of_several_megabytes_round_trips(
    database: ServerDatabase, store: BlobStore
) -> None:
    content = os.urandom(2 * PART + 12345)
    sha = hashlib.sha256(content).hexdigest()
    assert _upload(database, store, content).complete
    assert _read(store, sha) == content
    assert store.has_complete(sha, len(content))
    assert not store.has_complete(sha, len(content) - 1)


def test_chunks_received_by_another_machine_are_asked_for_again(
    database: ServerDatabase, machine: Machine
) -> None:
    """Partials live on each machine's disk: a chunk reaching a machine that lacks the earlier
    ones is answered with the offset this machine can continue from."""
    first, second = machine("first"), machine("second")
    content = os.urandom(2 * BLOB_CHUNK_MAX + 10)
    sha = hashlib.sha256(content).hexdigest()
    _send(database, first, content, 0, BLOB_CHUNK_MAX)

    with pytest.raises(ApiError) as moved:
        _send(database, second, content, BLOB_CHUNK_MAX, 2 * BLOB_CHUNK_MAX)
    assert moved.value.code == ErrorCode.OFFSET_MISMATCH
    assert moved.value.headers["Upload-Offset"] == "0"
    status = blob_status(database, sha)
    assert status is not None and status.received == 0  # what a HEAD now tells the client

    assert _upload(database, second, content).complete
    assert _read(second, sha) == content
    assert first.partial_path(sha).exists()
    assert _send(database, first, content, 0, 0).complete  # and it drops its stale partial
    assert not first.partial_path(sha).exists()
