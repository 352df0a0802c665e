"""Attachment bytes: resumable upload checked against its SHA-256, then referenced."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from app.sync.protocol import BLOB_CHUNK_MAX, BlobStatus, Outcome, RejectCode
from server.blob_stores import FilesystemBlobStore

from .harness import Laptop, Server, api, enterprise


def _patch(laptop: Laptop, sha: str, offset: int, total: int, chunk: bytes) -> Any:
    headers = {**laptop.headers, "Upload-Offset": str(offset), "Upload-Length": str(total)}
    return laptop.client.patch(api(f"/blobs/{sha}"), content=chunk, headers=headers)


def _head(laptop: Laptop, sha: str) -> Any:
    return laptop.client.head(api(f"/blobs/{sha}"), headers=laptop.headers)


def _files(server: Server) -> FilesystemBlobStore:
    """The server's store: the filesystem one, the default."""
    store = server.state.blobs
    assert isinstance(store, FilesystemBlobStore)
    return store


def _attachment(owner: str, sha: str, size: int) -> dict[str, object]:
    return {
        "owner_table": "enterprises",
        "owner_id": owner,
        "sha256": sha,
        "filename": "现场照片.jpg",
        "mime": "image/jpeg",
        "size": size,
        "kind": "photo",
    }


def test_an_upload_cut_short_resumes_from_the_offset_the_server_reports(server: Server) -> None:
    server.add_user("alice", "一队")
    alice = server.laptop("alice")
    content = os.urandom(BLOB_CHUNK_MAX + 300_000)
    sha = hashlib.sha256(content).hexdigest()
    assert _head(alice, sha).status_code == 404

    first = _patch(alice, sha, 0, len(content), content[:BLOB_CHUNK_MAX])
    assert first.status_code == 200
    status = BlobStatus.model_validate(first.json())
    assert (status.received, status.complete) == (BLOB_CHUNK_MAX, False)

    company = alice.insert("enterprises", enterprise()).record.id
    early = alice.insert("attachments", _attachment(company, sha, len(content)))
    assert (early.outcome, early.code) == (Outcome.REJECTED, RejectCode.BLOB_MISSING)
    assert "sha256" in early.reason

    head = _head(alice, sha)
    assert head.status_code == 200
    assert head.headers["Upload-Offset"] == str(BLOB_CHUNK_MAX)
    assert head.headers["Upload-Length"] == str(len(content))
    assert head.headers["X-Blob-Complete"] == "0"

    wrong = _patch(alice, sha, 1000, len(content), content[1000:2000])
    assert wrong.status_code == 409
    assert wrong.json()["error"] == "offset_mismatch"
    assert wrong.headers["Upload-Offset"] == str(BLOB_CHUNK_MAX)

    last = _patch(alice, sha, BLOB_CHUNK_MAX, len(content), content[BLOB_CHUNK_MAX:])
    assert last.status_code == 200
    assert BlobStatus.model_validate(last.json()).complete
    assert _head(alice, sha).headers["X-Blob-Complete"] == "1"
    again = _patch(alice, sha, 0, len(content), b"")  # a second uploader is told it is there
    assert BlobStatus.model_validate(again.json()).complete

    attached = alice.insert("attachments", _attachment(company, sha, len(content)))
    assert attached.outcome == Outcome.APPLIED
    download = alice.client.get(api(f"/blobs/{sha}"), headers=alice.headers)
    assert download.status_code == 200
    assert download.content == content
    stored = _files(server).path(sha)
    assert stored.read_bytes() == content
    assert not server.state.blobs.partial_path(sha).exists()


def test_bytes_that_do_not_hash_to_the_name_are_refused_and_discarded(server: Server) -> None:
    server.add_user("alice", "一队")
    alice = server.laptop("alice")
    content = "真正的内容".encode()
    sha = hashlib.sha256(content).hexdigest()
    forged = "伪造的内容".encode()
    half = len(forged) // 2
    assert _patch(alice, sha, 0, len(forged), forged[:half]).status_code == 200
    refused = _patch(alice, sha, half, len(forged), forged[half:])
    assert refused.status_code == 422
    assert refused.json()["error"] == "hash_mismatch"
    assert _head(alice, sha).status_code == 404
    assert not server.state.blobs.partial_path(sha).exists()
    assert not _files(server).path(sha).exists()
    assert _patch(alice, sha, 0, len(content), content).status_code == 200
    assert _files(server).path(sha).read_bytes() == content


def test_chunks_must_fit_the_declared_length(server: Server) -> None:
    server.add_user("alice", "一队")
    alice = server.laptop("alice")
    sha = hashlib.sha256(b"abc").hexdigest()
    assert _patch(alice, sha, 0, 3, b"abcd").status_code == 422
    assert _patch(alice, sha, 0, 3, b"ab").status_code == 200
    assert _patch(alice, sha, 2, 5, b"c").status_code == 422  # the length was fixed at 3
    assert _patch(alice, sha, 2, 3, b"cd").status_code == 422
    bad = alice.client.patch(
        api(f"/blobs/{sha}"),
        content=b"a",
        headers={**alice.headers, "Upload-Offset": "-1", "Upload-Length": "3"},
    )
    assert bad.status_code == 422
    assert "Upload-Offset" in bad.json()["message"]
    assert _patch(alice, "NOT-A-HASH", 0, 3, b"abc").status_code == 422
