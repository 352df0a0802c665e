"""Where attachment bytes are kept: the interface every store offers, and the filesystem store.

An upload always grows on this machine's disk, in ``DATA_DIR/blobs-partial/<sha256>``, whatever
the store: each chunk is written at the offset the database says was stored and fsynced before
that offset is committed (after a crash the file may be longer than the recorded offset; the next
chunk truncates it there). When the last chunk is in, ``finish`` hashes the file and only a file
that hashes to its name is *published*: renamed into ``DATA_DIR/blobs/ab/abcdef…`` by the
filesystem store, uploaded whole to the bucket by the S3 store (``server.blob_store_s3``). A
published blob is never changed or deleted here. Which store serves is configured by
``BlobStoreConfig`` (``server.blob_store_choice.open_blob_store``); boto3 is imported only when
the S3 store is chosen.
"""

from __future__ import annotations

import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

READ_SIZE = 1024 * 1024
PARTIAL_DIR = "blobs-partial"
COMPLETE_DIR = "blobs"


@dataclass(frozen=True, slots=True)
class BlobReading:
    """A published blob opened for a download: its size and its bytes, streamed."""

    size: int
    chunks: Iterator[bytes]
    path: Path | None = None
    """The file on this machine's disk when there is one (served as a file)."""


class BlobStore(ABC):
    """Receives resumable uploads on the local disk and publishes verified blobs; the ``blobs``
    table says how far each upload got."""

    def __init__(self, data_dir: Path) -> None:
        self.partial_dir = data_dir / PARTIAL_DIR

    # -- uploads in progress (local disk, the same for every store) -----------------------------

    def partial_path(self, sha256: str) -> Path:
        return self.partial_dir / sha256

    def partial_size(self, sha256: str) -> int:
        """How many bytes of an upload this machine holds (0 when it holds none)."""
        try:
            return self.partial_path(sha256).stat().st_size
        except FileNotFoundError:
            return 0

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
        """Publish a fully received upload if its bytes hash to its name; a wrong upload is
        deleted and False returned. Without a partial file (published before a crash, not yet
        recorded) it says whether the blob is published."""
        partial = self.partial_path(sha256)
        if not partial.exists():
            return self.has_complete(sha256)
        if file_digest(partial) != sha256:
            self.discard(sha256)
            return False
        self._publish(sha256, partial)
        return True

    def discard(self, sha256: str) -> None:
        self.partial_path(sha256).unlink(missing_ok=True)

    # -- published blobs (where each store differs) ---------------------------------------------

    @abstractmethod
    def check(self) -> None:
        """Raise ``ConfigProblem`` when the store cannot be used (checked when the app starts)."""

    @abstractmethod
    def close(self) -> None:
        """Let go of connections (when the app stops)."""

    @abstractmethod
    def has_complete(self, sha256: str, size: int | None = None) -> bool:
        """Whether the blob is published (with ``size`` bytes, when given)."""

    @abstractmethod
    def open(self, sha256: str) -> BlobReading | None:
        """The published blob, or None when the store lacks it."""

    @abstractmethod
    def _publish(self, sha256: str, partial: Path) -> None:
        """Make the verified ``partial`` file the published blob (the partial is consumed)."""


class FilesystemBlobStore(BlobStore):
    """Published blobs at ``DATA_DIR/blobs/ab/abcdef…``, on the same file system as the partials
    (publishing is an atomic rename)."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.complete_dir = data_dir / COMPLETE_DIR

    def path(self, sha256: str) -> Path:
        return self.complete_dir / sha256[:2] / sha256

    def check(self) -> None:
        """Nothing to check: the data dir is created when the app starts."""

    def close(self) -> None:
        """Nothing to let go of."""

    def has_complete(self, sha256: str, size: int | None = None) -> bool:
        path = self.path(sha256)
        if not path.is_file() or (size is not None and path.stat().st_size != size):
            return False
        return file_digest(path) == sha256

    def open(self, sha256: str) -> BlobReading | None:
        path = self.path(sha256)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            return None
        return BlobReading(size=size, chunks=_file_chunks(path), path=path)

    def _publish(self, sha256: str, partial: Path) -> None:
        final = self.path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, final)
        _fsync_dir(final.parent)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(READ_SIZE):
            digest.update(block)
    return digest.hexdigest()


def _file_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as file:
        while block := file.read(READ_SIZE):
            yield block


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
