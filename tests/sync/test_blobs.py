"""The local blob store keeps only bytes that hash to their name, written atomically."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.storage.blobs import BlobHashMismatch, BlobStore


def test_bytes_are_stored_under_their_hash(tmp_path: Path) -> None:
    store = BlobStore.for_data_dir(tmp_path)
    sha = store.put_bytes(b"scan of a licence")
    assert sha == hashlib.sha256(b"scan of a licence").hexdigest()
    assert store.path(sha) == tmp_path / "blobs" / sha[:2] / sha
    assert store.read(sha) == b"scan of a licence" and store.verify(sha)
    assert store.read_range(sha, 5, 2) == b"of"
    assert store.put_bytes(b"scan of a licence") == sha  # the same bytes twice: one file


def test_a_file_is_copied_in(tmp_path: Path) -> None:
    source = tmp_path / "photo.jpg"
    source.write_bytes(b"\xff\xd8" + bytes(3_000_000))
    store = BlobStore(tmp_path / "store")
    sha = store.put_file(source)
    assert store.size(sha) == source.stat().st_size
    assert store.verify(sha)


def test_bytes_that_do_not_match_their_name_leave_nothing(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    expected = hashlib.sha256(b"right").hexdigest()
    with pytest.raises(BlobHashMismatch), store.writer(expected) as writer:
        writer.write(b"wrong")
    assert not store.has(expected)
    assert [p.name for p in store.path(expected).parent.iterdir()] == []  # no temp file left


def test_an_interrupted_write_leaves_nothing(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    expected = hashlib.sha256(b"whole").hexdigest()
    with pytest.raises(RuntimeError), store.writer(expected) as writer:
        writer.write(b"who")
        raise RuntimeError("connection cut")
    assert not store.has(expected)


def test_names_must_be_sha256(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        BlobStore(tmp_path).path("../../etc/passwd")
