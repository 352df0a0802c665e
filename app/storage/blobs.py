"""The local blob store: attachment bytes named by their SHA-256, ``blobs/ab/<sha256>``.

A blob is written to a temporary file beside its final place, flushed and fsynced, checked
against its name, then renamed into place (and the directory fsynced), so a crash leaves either
the whole verified blob or nothing under its name. Blobs are never overwritten or deleted here.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobHashMismatch(Exception):
    """The bytes do not hash to the name they were meant to be stored under."""

    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(f"expected sha256 {expected}, got {actual}")
        self.expected = expected
        self.actual = actual


def check_sha256(sha256: str) -> str:
    """``sha256`` if it is 64 lowercase hex digits, else ValueError (it names a file)."""
    if not _SHA256.match(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class BlobWriter:
    """Receives the bytes of one blob; see ``BlobStore.writer``."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self._handle.write(chunk)
        self._digest.update(chunk)
        self.size += len(chunk)

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


class BlobStore:
    """Content-addressed files under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> BlobStore:
        return cls(data_dir / "blobs")

    def path(self, sha256: str) -> Path:
        check_sha256(sha256)
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int:
        return self.path(sha256).stat().st_size

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def read_range(self, sha256: str, offset: int, length: int) -> bytes:
        with self.open(sha256) as handle:
            handle.seek(offset)
            return handle.read(length)

    def verify(self, sha256: str) -> bool:
        """True when the stored blob exists and still hashes to its name."""
        path = self.path(sha256)
        return path.is_file() and sha256_of_file(path) == sha256

    def put_bytes(self, data: bytes) -> str:
        """Store ``data``; returns its SHA-256 (storing the same bytes twice is a no-op)."""
        sha256 = hashlib.sha256(data).hexdigest()
        if not self.has(sha256):
            with self.writer(sha256) as writer:
                writer.write(data)
        return sha256

    def put_file(self, source: Path) -> str:
        """Copy the file at ``source`` into the store; returns its SHA-256."""
        with tempfile.TemporaryFile(dir=self._ensure_root()) as spool:
            digest = hashlib.sha256()
            with source.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    spool.write(chunk)
            sha256 = digest.hexdigest()
            if not self.has(sha256):
                spool.seek(0)
                with self.writer(sha256) as writer:
                    while chunk := spool.read(CHUNK):
                        writer.write(chunk)
        return sha256

    @contextmanager
    def writer(self, sha256: str) -> Iterator[BlobWriter]:
        """Write a blob expected to hash to ``sha256``.

        On normal exit the bytes are fsynced, checked and renamed into place; a hash mismatch
        raises ``BlobHashMismatch`` and, like any exception, leaves nothing under the name.
        """
        final = self.path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".incoming-", dir=final.parent)
        temp_path = Path(temporary)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                writer = BlobWriter(handle)
                yield writer
                handle.flush()
                os.fsync(handle.fileno())
            actual = writer.hexdigest()
            if actual != sha256:
                raise BlobHashMismatch(sha256, actual)
            os.replace(temp_path, final)
            _fsync_directory(final.parent)
        finally:
            temp_path.unlink(missing_ok=True)

    def _ensure_root(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        return self.root


def _fsync_directory(directory: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
