"""The sync wire protocol shared by the client and the server (docs/sync-protocol.md).

Pydantic models validate every payload on both ends, so a malformed request or response is
refused with a message naming the field. Values inside ``fields`` are the JSON forms of
``app.database.codec`` (dates ISO, money in integer fen, decimals as text).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
API_PREFIX = "/api/v1"

HEADER_PROTOCOL = "X-SquadDesk-Protocol"
HEADER_SCHEMA = "X-SquadDesk-Schema"
HEADER_APP = "X-SquadDesk-App"

# The oldest local schema revision whose changes the server still understands.
MIN_CLIENT_SCHEMA = "0003"

PUSH_BATCH_LIMIT = 200
PULL_PAGE_DEFAULT = 1000
PULL_PAGE_MAX = 5000
MAX_JSON_BODY = 16 * 1024 * 1024
BLOB_CHUNK_MAX = 4 * 1024 * 1024
BLOB_MAX_SIZE = 200 * 1024 * 1024

BUREAU_SCOPE = "bureau"
"""Scope of records every signed-in user may read (squads, members, chains, honour lists)."""

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
RowId = Annotated[str, Field(min_length=1, max_length=36)]
TableName = Annotated[str, Field(min_length=1, max_length=40)]


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Op(StrEnum):
    INSERT = "insert"
    PATCH = "patch"
    DELETE = "delete"


class Outcome(StrEnum):
    """What the server did with one pushed change."""

    APPLIED = "applied"  # every field written as sent
    MERGED = "merged"  # written, with someone else's concurrent edits kept beside it
    CONFLICT = "conflict"  # at least one field kept the server value; conflict records made
    REJECTED = "rejected"  # nothing written; the reason says why; the client keeps it


class RejectCode(StrEnum):
    FORBIDDEN = "forbidden"  # outside the user's squad, or a role that may not write this table
    NOT_FOUND = "not_found"  # patch or delete of a record the server has never had
    INVALID_TABLE = "invalid_table"
    INVALID_FIELD = "invalid_field"  # a field the table does not have, or a read-only field
    INVALID_VALUE = "invalid_value"  # wrong type or a value domain rules refuse
    MISSING_REFERENCE = "missing_reference"  # refers to a record the server lacks or hides
    BLOB_MISSING = "blob_missing"  # an attachment whose bytes are not complete on the server


class ConflictKind(StrEnum):
    FIELD = "field"  # same scalar field edited on both sides
    TEXT = "text"  # long text edited on both sides, lines overlap
    DELETE = "delete"  # deleted on one side, edited on the other


class ErrorCode(StrEnum):
    """``error`` of an HTTP error body ``{"error": code, "message": text}``."""

    UNAUTHORIZED = "unauthorized"  # 401: no, expired or revoked token; wrong password
    FORBIDDEN = "forbidden"  # 403
    NOT_FOUND = "not_found"  # 404
    DEVICE_REUSED = "device_reused"  # 409: device id belongs to another user or sequence reused
    OFFSET_MISMATCH = "offset_mismatch"  # 409: blob chunk not at the stored offset
    BODY_TOO_LARGE = "body_too_large"  # 413
    INVALID_REQUEST = "invalid_request"  # 422: payload does not match the protocol
    HASH_MISMATCH = "hash_mismatch"  # 422: uploaded bytes do not hash to the name
    UPGRADE_REQUIRED = "upgrade_required"  # 426: client older than the server accepts
    SERVER_OUTDATED = "server_outdated"  # 426: client newer than the server understands
    TOO_MANY_ATTEMPTS = "too_many_attempts"  # 429: login rate limit; Retry-After header
    INTERNAL = "internal"  # 500


class ErrorBody(Wire):
    error: ErrorCode
    message: str
    retry_after: int | None = None


# --- versions and health -----------------------------------------------------------------------


class Health(Wire):
    status: str
    server_id: str
    protocol: int
    min_schema: str
    max_schema: str
    app_version: str


# --- accounts ----------------------------------------------------------------------------------


class LoginRequest(Wire):
    username: Annotated[str, Field(min_length=1, max_length=50)]
    password: Annotated[str, Field(min_length=1, max_length=200)]
    device_id: RowId
    device_name: Annotated[str, Field(max_length=100)] = ""


class UserInfo(Wire):
    username: str
    name: str
    role: str  # member | leader | admin
    member_id: str
    squad_id: str
    squad_name: str


class LoginResponse(Wire):
    token: str
    expires_at: str  # ISO date-time, UTC
    server_id: str
    user: UserInfo


# --- push --------------------------------------------------------------------------------------


class ChangeBase(Wire):
    """What the client saw before its edit: the row's server version and the old field values."""

    row_version: int = 0
    fields: dict[str, Any] = Field(default_factory=dict)


class Change(Wire):
    change_id: RowId
    device_seq: Annotated[int, Field(ge=1)]
    table: TableName
    row_id: RowId
    op: Op
    fields: dict[str, Any]
    base: ChangeBase = Field(default_factory=ChangeBase)
    created_at: str | None = None  # the laptop's wall time, for display only
    schema_version: str = MIN_CLIENT_SCHEMA


class PushRequest(Wire):
    device_id: RowId
    changes: Annotated[list[Change], Field(max_length=PUSH_BATCH_LIMIT)]


class RecordState(Wire):
    """A record's whole current state on the server, as pulled or returned from a push."""

    table: TableName
    id: RowId
    row_version: int
    seq: int
    deleted: bool
    created_at: str | None = None
    updated_at: str | None = None
    updated_by: str | None = None
    fields: dict[str, Any]


class ChangeResult(Wire):
    change_id: RowId
    device_seq: int
    outcome: Outcome
    code: RejectCode | None = None  # for rejected changes
    reason: str = ""  # human-readable, names the field when one is at fault
    conflict_ids: list[str] = Field(default_factory=list)
    record: RecordState | None = None  # the record as it now is (None if it does not exist)
    conflicts: list[RecordState] = Field(default_factory=list)  # conflict records this made


class PushResponse(Wire):
    results: list[ChangeResult]
    last_device_seq: int  # highest device_seq the server holds for this device
    retry_from: int | None = None  # set when a gap stopped processing: resend from this seq


# --- pull --------------------------------------------------------------------------------------


class PullResponse(Wire):
    records: list[RecordState]
    next_cursor: int
    has_more: bool
    server_id: str
    # The feed's epoch (a server process's start), the seq it started at, and the feed head:
    # a cursor above either says the server was restored from an older backup. Absent from
    # servers older than this field; clients that do not know it ignore it.
    epoch: str | None = None
    epoch_seq: int | None = None
    head: int | None = None


class TableSummary(Wire):
    count: int  # records visible to the user, tombstones included
    version_sum: int  # sum of their row_version: a cheap checksum


class SummaryResponse(Wire):
    cursor: int  # the highest seq visible to the user
    tables: dict[str, TableSummary]


# --- blobs -------------------------------------------------------------------------------------


class BlobStatus(Wire):
    sha256: Sha256
    size: int  # declared length
    received: int  # bytes stored so far (the offset to resume from)
    complete: bool
