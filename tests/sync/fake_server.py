"""An in-memory stand-in for the sync server, speaking the protocol through a ``Transport``.

Used by the fast engine tests; the real server is exercised by ``test_integration.py``. It keeps
the contract's essentials: change-id idempotency, device sequence checks (``device_reused``,
``retry_from``), field-level merge with conflict records, refusals through a hook, cursor pages,
summaries and resumable blobs.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.database.types import utc_now
from app.domain.ids import new_id
from app.sync.errors import SyncProblem
from app.sync.protocol import (
    BlobStatus,
    Change,
    ChangeResult,
    ErrorCode,
    LoginResponse,
    Outcome,
    PullResponse,
    PushRequest,
    PushResponse,
    RecordState,
    RejectCode,
    SummaryResponse,
    TableSummary,
    UserInfo,
)
from app.sync.transport import Transport

SQUAD = "0190b6a0-0000-7000-8000-0000000000c1"
MEMBER_A = "0190b6a0-0000-7000-8000-0000000000a1"
MEMBER_B = "0190b6a0-0000-7000-8000-0000000000b1"

Refusal = Callable[[Change], tuple[RejectCode, str] | None]


@dataclass
class _Record:
    table: str
    id: str
    row_version: int
    seq: int
    deleted: bool
    created_at: str
    updated_at: str
    updated_by: str | None
    fields: dict[str, Any]

    def state(self) -> RecordState:
        return RecordState(
            table=self.table,
            id=self.id,
            row_version=self.row_version,
            seq=self.seq,
            deleted=self.deleted,
            created_at=self.created_at,
            updated_at=self.updated_at,
            updated_by=self.updated_by,
            fields=dict(self.fields),
        )


@dataclass
class Blob:
    size: int
    data: bytearray = field(default_factory=bytearray)
    complete: bool = False


@dataclass
class FakeServer:
    server_id: str = field(default_factory=new_id)
    password: str = "secret"
    records: dict[str, _Record] = field(default_factory=dict)
    devices: dict[str, int] = field(default_factory=dict)
    log: dict[str, ChangeResult] = field(default_factory=dict)
    blobs: dict[str, Blob] = field(default_factory=dict)
    refuse: Refusal | None = None
    pushes: int = 0
    pulls: int = 0
    summaries: int = 0
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    users: dict[str, UserInfo] = field(
        default_factory=lambda: {
            name: UserInfo(
                username=name,
                name=name,
                role="member",
                member_id=member,
                squad_id=SQUAD,
                squad_name="新材料招商小分队",
            )
            for name, member in (("wang", MEMBER_A), ("zhao", MEMBER_B))
        }
    )

    # -- server-side writes ---------------------------------------------------------------------

    def put(
        self, table: str, row_id: str, fields: dict[str, Any], *, deleted: bool = False
    ) -> None:
        """Write a record as another device would (new version, next seq)."""
        now = utc_now().isoformat()
        record = self.records.get(row_id)
        if record is None:
            record = _Record(table, row_id, 0, 0, deleted, now, now, MEMBER_B, {})
            self.records[row_id] = record
        record.fields.update(fields)
        record.deleted = deleted
        record.row_version += 1
        record.seq = next(self._seq)
        record.updated_at = now

    def push(self, request: PushRequest, user: UserInfo) -> PushResponse:
        self.pushes += 1
        last = self.devices.get(request.device_id, 0)
        results: list[ChangeResult] = []
        for change in request.changes:
            if change.change_id in self.log:
                results.append(self.log[change.change_id])
                continue
            if change.device_seq <= last:
                raise SyncProblem(
                    "server_error", "device reused", code=ErrorCode.DEVICE_REUSED, status=409
                )
            if change.device_seq > last + 1:
                return PushResponse(results=results, last_device_seq=last, retry_from=last + 1)
            result = self._apply(change, user)
            self.log[change.change_id] = result
            results.append(result)
            last = change.device_seq
            self.devices[request.device_id] = last
        return PushResponse(results=results, last_device_seq=last)

    def _apply(self, change: Change, user: UserInfo) -> ChangeResult:
        existing = self.records.get(change.row_id)
        refusal = self.refuse(change) if self.refuse is not None else None
        if refusal is None and existing is None and change.op != "insert":
            refusal = (RejectCode.NOT_FOUND, "not found")
        if refusal is not None:
            return ChangeResult(
                change_id=change.change_id,
                device_seq=change.device_seq,
                outcome=Outcome.REJECTED,
                code=refusal[0],
                reason=refusal[1],
                record=existing.state() if existing is not None else None,
            )
        now = utc_now().isoformat()
        if existing is None:
            existing = _Record(change.table, change.row_id, 0, 0, False, now, now, None, {})
            self.records[change.row_id] = existing
        conflicts: list[RecordState] = []
        for name, mine in change.fields.items():
            if name == "deleted":
                existing.deleted = bool(mine)
                continue
            theirs = existing.fields.get(name)
            base = change.base.fields.get(name)
            if mine == theirs or change.op == "insert" or base == theirs:
                existing.fields[name] = mine
                continue
            conflicts.append(self._conflict(change, user, name, base, theirs, mine))
        existing.row_version += 1
        existing.seq = next(self._seq)
        existing.updated_at = now
        existing.updated_by = user.member_id
        return ChangeResult(
            change_id=change.change_id,
            device_seq=change.device_seq,
            outcome=Outcome.CONFLICT if conflicts else Outcome.APPLIED,
            conflict_ids=[c.id for c in conflicts],
            record=existing.state(),
            conflicts=conflicts,
        )

    def _conflict(
        self, change: Change, user: UserInfo, name: str, base: Any, theirs: Any, mine: Any
    ) -> RecordState:
        now = utc_now().isoformat()
        record = _Record(
            "conflicts",
            new_id(),
            1,
            next(self._seq),
            False,
            now,
            now,
            user.member_id,
            {
                "table_name": change.table,
                "row_id": change.row_id,
                "field": name,
                "kind": "field",
                "base_value": base,
                "server_value": theirs,
                "client_value": mine,
                "server_by": MEMBER_B,
                "server_at": now,
                "client_by": user.member_id,
                "client_at": change.created_at,
                "change_id": change.change_id,
                "status": "open",
                "resolution": "",
                "resolved_by": None,
                "resolved_at": None,
            },
        )
        self.records[record.id] = record
        return record.state()

    def pull(self, cursor: int, limit: int) -> PullResponse:
        self.pulls += 1
        newer = sorted((r for r in self.records.values() if r.seq > cursor), key=lambda r: r.seq)
        page = newer[:limit]
        return PullResponse(
            records=[r.state() for r in page],
            next_cursor=page[-1].seq if page else cursor,
            has_more=len(newer) > limit,
            server_id=self.server_id,
        )

    def summary(self) -> SummaryResponse:
        self.summaries += 1
        tables: dict[str, TableSummary] = {}
        for record in self.records.values():
            found = tables.get(record.table, TableSummary(count=0, version_sum=0))
            tables[record.table] = TableSummary(
                count=found.count + 1, version_sum=found.version_sum + record.row_version
            )
        cursor = max((r.seq for r in self.records.values()), default=0)
        return SummaryResponse(cursor=cursor, tables=tables)


class FakeTransport(Transport):
    """A ``Transport`` whose calls go to a ``FakeServer`` instead of HTTP."""

    def __init__(self, server: FakeServer, *, offline: bool = False) -> None:
        super().__init__("https://fake.invalid")
        self.server = server
        self.offline = offline
        self.user: UserInfo | None = None
        self.logins = 0
        self.fail_push_after: int | None = None

    def _online(self) -> None:
        if self.offline:
            raise SyncProblem("offline", "offline")

    def _user(self) -> UserInfo:
        self._online()
        if self.user is None:
            raise SyncProblem("auth", "no token", status=401)
        return self.user

    def login(
        self, username: str, password: str, device_id: str, device_name: str = ""
    ) -> LoginResponse:
        self._online()
        user = self.server.users.get(username)
        if user is None or password != self.server.password:
            raise SyncProblem("auth", "wrong password", status=401)
        self.user = user
        self.logins += 1
        self.token = "t"
        return LoginResponse(
            token="t",
            expires_at="2030-01-01T00:00:00+00:00",
            server_id=self.server.server_id,
            user=user,
        )

    def logout(self) -> None:
        self.user = None
        self.token = None

    def push(self, request: PushRequest) -> PushResponse:
        user = self._user()
        if self.fail_push_after is not None:
            if self.fail_push_after <= 0:
                raise SyncProblem("offline", "cut")
            self.fail_push_after -= 1
        return self.server.push(PushRequest.model_validate(request.model_dump()), user)

    def pull(self, cursor: int, limit: int) -> PullResponse:
        self._user()
        return self.server.pull(cursor, limit)

    def summary(self) -> SummaryResponse:
        self._user()
        return self.server.summary()

    def blob_head(self, sha256: str) -> BlobStatus | None:
        self._user()
        blob = self.server.blobs.get(sha256)
        if blob is None:
            return None
        return BlobStatus(
            sha256=sha256, size=blob.size, received=len(blob.data), complete=blob.complete
        )

    def blob_patch(self, sha256: str, offset: int, total: int, chunk: bytes) -> BlobStatus:
        self._user()
        blob = self.server.blobs.setdefault(sha256, Blob(total))
        if offset != len(blob.data):
            raise SyncProblem("server_error", "offset", code=ErrorCode.OFFSET_MISMATCH, status=409)
        blob.data.extend(chunk)
        if len(blob.data) >= blob.size:
            if hashlib.sha256(blob.data).hexdigest() != sha256:
                del self.server.blobs[sha256]
                raise SyncProblem("server_error", "hash", code=ErrorCode.HASH_MISMATCH, status=422)
            blob.complete = True
        return BlobStatus(
            sha256=sha256, size=blob.size, received=len(blob.data), complete=blob.complete
        )

    def blob_get(self, sha256: str, sink: Callable[[bytes], None]) -> None:
        self._user()
        blob = self.server.blobs.get(sha256)
        if blob is None or not blob.complete:
            raise SyncProblem("server_error", "not found", code=ErrorCode.NOT_FOUND, status=404)
        sink(bytes(blob.data))
