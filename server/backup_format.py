"""The server backup archive: its members, its manifest and how row values are written.

One uncompressed tar file (``server/README.md``, "Backups"):

- ``database/<table>.jsonl.gz`` — a logical dump of one table, gzip'd JSON lines: a header
  ``{"table": …, "columns": […]}``, then one JSON array per row (date-times as ISO 8601 text).
  Being values rather than pages, a dump taken from SQLite restores into PostgreSQL and back.
- ``blobs/ab/abcdef…`` — every complete attachment, named by its SHA-256 (uploads still in
  progress are left out, their ``blobs`` rows too: clients upload them again from the start).
- ``manifest.json`` — written last: format, ``server_id``, schema revision, app version,
  ``created_at``, counts, and the size and SHA-256 of every other member. A restore checks
  every member against it before it changes anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy import DateTime
from sqlalchemy.types import TypeEngine

from app.i18n import tr

FORMAT = "squaddesk-server-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_PREFIX = "database/"
DATABASE_SUFFIX = ".jsonl.gz"
BLOBS_PREFIX = "blobs/"
CHUNK_ROWS = 2000
"""Rows read, written and inserted at a time: large tables are streamed, never held whole."""
READ_SIZE = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")

Progress = Callable[[str, int], None]
"""``progress(what, done)``: called as a long step goes on (the CLI prints every few seconds)."""


class BackupProblem(Exception):
    """A backup or restore that cannot be done; the message (translated, one line) says why
    and that nothing was changed."""


def table_member(table: str) -> str:
    return f"{DATABASE_PREFIX}{table}{DATABASE_SUFFIX}"


def blob_member(sha256: str) -> str:
    return f"{BLOBS_PREFIX}{sha256[:2]}/{sha256}"


def blob_of(member: str) -> str | None:
    """The SHA-256 a ``blobs/ab/abcdef…`` member name stands for; None for another name."""
    parts = member.split("/")
    if len(parts) != 3 or parts[0] + "/" != BLOBS_PREFIX or not _SHA256.fullmatch(parts[2]):
        return None
    return parts[2] if parts[1] == parts[2][:2] else None


# -- members and hashes ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    size: int
    sha256: str


class HashingReader:
    """A binary file read through: counts and hashes what was read (tarfile and gzip read
    members through it, so each byte is read once)."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def drain(self) -> Member:
        """Read what is left; the size and hash of everything read."""
        while self.read(READ_SIZE):
            pass
        return Member(self.size, self.digest.hexdigest())


# -- manifest -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Manifest:
    server_id: str
    schema_revision: str
    app_version: str
    created_at: str
    source_database: str
    """``sqlite`` or ``postgresql``: where the dump was taken."""
    tables: tuple[str, ...]
    """Dumped tables in load order (parents before the tables referring to them)."""
    rows: Mapping[str, int]
    blob_store: str
    """``filesystem``: the attachments are in the archive; ``s3``: they stayed in the bucket."""
    blobs: int
    blob_bytes: int
    missing_blobs: tuple[str, ...] = ()
    """Complete in the database but without a file on the server when the backup ran."""
    damaged_blobs: tuple[str, ...] = ()
    """Files whose bytes no longer hash to their name (archived as they were)."""
    members: Mapping[str, Member] = field(default_factory=dict)

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "server_id": self.server_id,
            "schema_revision": self.schema_revision,
            "app_version": self.app_version,
            "created_at": self.created_at,
            "source_database": self.source_database,
            "tables": list(self.tables),
            "counts": {"rows": dict(self.rows), "blobs": self.blobs, "blob_bytes": self.blob_bytes},
            "blob_store": self.blob_store,
            "missing_blobs": list(self.missing_blobs),
            "damaged_blobs": list(self.damaged_blobs),
            "members": {
                name: {"size": member.size, "sha256": member.sha256}
                for name, member in self.members.items()
            },
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        """The manifest in ``data``; ``BackupProblem`` when it is not one this version reads."""
        try:
            document = json.loads(data.decode("utf-8"))
            if document.get("format") != FORMAT:
                raise BackupProblem(tr("不是 SquadDesk 服务器备份文件；未做任何改动"))
            if document.get("format_version") != FORMAT_VERSION:
                raise BackupProblem(
                    tr(
                        "备份文件格式版本 {version} 无法识别（可能来自更新版本的服务器）；"
                        "未做任何改动",
                        version=document.get("format_version"),
                    )
                )
            counts = document["counts"]
            return cls(
                server_id=str(document["server_id"]),
                schema_revision=str(document["schema_revision"]),
                app_version=str(document["app_version"]),
                created_at=str(document["created_at"]),
                source_database=str(document["source_database"]),
                tables=tuple(str(name) for name in document["tables"]),
                rows={str(name): int(n) for name, n in counts["rows"].items()},
                blob_store=str(document["blob_store"]),
                blobs=int(counts["blobs"]),
                blob_bytes=int(counts["blob_bytes"]),
                missing_blobs=tuple(document.get("missing_blobs", ())),
                damaged_blobs=tuple(document.get("damaged_blobs", ())),
                members={
                    str(name): Member(int(entry["size"]), str(entry["sha256"]))
                    for name, entry in document["members"].items()
                },
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupProblem(
                tr("备份文件的清单无法读取（{reason}）；未做任何改动", reason=error)
            ) from None

    @property
    def records(self) -> int:
        return self.rows.get("records", 0)


# -- row values -----------------------------------------------------------------------------


def row_line(values: tuple[Any, ...] | list[Any], json_texts: int = 0) -> str:
    """One row as a JSON array. The last ``json_texts`` values are JSON already (the database
    gives JSON columns as text): spliced in as they are, not decoded and encoded again."""
    plain = values[: len(values) - json_texts]
    line = json.dumps(
        [_encoded(value) for value in plain], ensure_ascii=False, separators=(",", ":")
    )
    if not json_texts:
        return line
    spliced = ",".join("null" if text is None else str(text) for text in values[len(plain) :])
    return f"{line[:-1]},{spliced}]" if plain else f"[{spliced}]"


def header_line(table: str, columns: list[str]) -> str:
    return json.dumps({"table": table, "columns": columns}, ensure_ascii=False) + "\n"


def _encoded(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


Decoder = Callable[[Any], Any]


def decoder_for(column_type: TypeEngine[Any]) -> Decoder | None:
    """How a dumped value becomes the value the column type binds (None: as it is)."""
    implementation = getattr(column_type, "impl", column_type)
    if isinstance(column_type, DateTime) or isinstance(implementation, DateTime):
        return _moment
    return None


def _moment(value: Any) -> Any:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value
