"""``POST /sync/push``: one database transaction per request, changes in device-seq order.

Per change (docs/sync-protocol.md, Push): a change id already logged gives its stored result; a
device seq at or below the device's last one with a new change id is a copied data dir (409
``device_reused``); a gap stops the batch with ``retry_from``; otherwise the change is checked,
merged and written, and its outcome appended to the change log, with the device's
``last_device_seq`` updated in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, select

from app.database.types import utc_now
from app.i18n import tr
from app.sync.protocol import Change, ChangeResult, ErrorCode, Outcome, PushRequest, PushResponse
from server.blobs import is_complete
from server.database.engine import ServerDatabase
from server.database.tables import change_log
from server.devices import ClientVersions, last_device_seq, save_last_device_seq
from server.errors import ApiError
from server.principal import Principal
from server.sync.apply import apply_change
from server.sync.records import RecordWriter, Stamp, feed_transaction
from server.sync.validation import Rejected, check_change, referenced_ids, storable


def push(
    database: ServerDatabase,
    principal: Principal,
    request: PushRequest,
    client: ClientVersions,
) -> PushResponse:
    _check_ids(request)
    results: list[ChangeResult] = []
    retry_from: int | None = None
    with feed_transaction(database) as writer:
        connection = writer.connection
        last = last_device_seq(
            connection, principal.user_id, request.device_id, client, lock=database.is_postgres
        )
        logged = _logged(connection, (change.change_id for change in request.changes))
        writer.get_many(referenced_ids(request.changes))
        done: dict[str, ChangeResult] = {}
        log: list[dict[str, Any]] = []
        for change in request.changes:
            if change.change_id in done:
                results.append(done[change.change_id])
                continue
            if change.change_id in logged:
                results.append(_stored_result(writer, principal, logged[change.change_id]))
                continue
            if change.device_seq <= last:
                raise ApiError(
                    409,
                    ErrorCode.DEVICE_REUSED,
                    tr(
                        "设备序号 {seq} 已被使用（数据目录可能是复制来的）；"
                        "请换用新的设备标识并重新编号待发送的修改",
                        seq=change.device_seq,
                    ),
                )
            if change.device_seq > last + 1:
                retry_from = last + 1
                break
            result = _process(writer, principal, request.device_id, change)
            log.append(_log_row(principal, request.device_id, change, result))
            done[change.change_id] = result
            results.append(result)
            last = change.device_seq
        if log:
            connection.execute(insert(change_log), log)
        save_last_device_seq(connection, request.device_id, last, client)
    return PushResponse(results=results, last_device_seq=last, retry_from=retry_from)


def _check_ids(request: PushRequest) -> None:
    """Ids are used as keys in every query: printable ASCII only (clients send UUIDs)."""
    named = [("device_id", request.device_id)]
    for index, change in enumerate(request.changes):
        named += [(f"changes.{index}.change_id", change.change_id)]
        named += [(f"changes.{index}.row_id", change.row_id)]
    for field, value in named:
        if not (value.isascii() and value.isprintable()):
            raise ApiError(
                422,
                ErrorCode.INVALID_REQUEST,
                tr(
                    "请求字段 {field} 不正确：{problem}",
                    field=field,
                    problem=tr("标识只能由可见的 ASCII 字符组成"),
                ),
            )


def _process(
    writer: RecordWriter,
    principal: Principal,
    device_id: str,
    change: Change,
) -> ChangeResult:
    try:
        checked = check_change(
            change, principal, writer, lambda sha256: is_complete(writer.connection, sha256)
        )
    except Rejected as rejection:
        current = writer.get(change.row_id)
        visible = (
            current is not None
            and current.table == change.table
            and principal.can_read(current.scope)
        )
        return ChangeResult(
            change_id=change.change_id,
            device_seq=change.device_seq,
            outcome=Outcome.REJECTED,
            code=rejection.code,
            reason=rejection.reason,
            record=current.state() if visible and current is not None else None,
        )
    applied = apply_change(
        writer, checked, change, principal, Stamp(principal.member_id, device_id)
    )
    reason = ""
    if applied.outcome == Outcome.CONFLICT:
        reason = tr(
            "字段 {fields} 在服务器上已被他人修改，服务器的值已保留，你的值保存在冲突记录中",
            fields="、".join(applied.conflicted_fields),
        )
    return ChangeResult(
        change_id=change.change_id,
        device_seq=change.device_seq,
        outcome=applied.outcome,
        reason=reason,
        conflict_ids=[conflict.id for conflict in applied.conflicts],
        record=applied.record.state(),
        conflicts=[conflict.state() for conflict in applied.conflicts],
    )


_LOGGED = select(change_log).where(change_log.c.change_id.in_(bindparam("ids", expanding=True)))


def _logged(connection: Connection, change_ids: Iterable[str]) -> dict[str, Row[Any]]:
    wanted = sorted(set(change_ids))
    if not wanted:
        return {}
    return {row.change_id: row for row in connection.execute(_LOGGED, {"ids": wanted})}


def _stored_result(writer: RecordWriter, principal: Principal, row: Row[Any]) -> ChangeResult:
    record = writer.get(row.row_id)
    conflict_ids = [str(i) for i in row.conflict_ids]
    conflicts = writer.get_many(conflict_ids)
    return ChangeResult(
        change_id=row.change_id,
        device_seq=row.device_seq,
        outcome=Outcome(row.outcome),
        code=row.code,
        reason=row.reason,
        conflict_ids=conflict_ids,
        record=record.state() if record is not None and principal.can_read(record.scope) else None,
        conflicts=[
            conflicts[i].state()
            for i in conflict_ids
            if i in conflicts and principal.can_read(conflicts[i].scope)
        ],
    )


def _log_row(
    principal: Principal, device_id: str, change: Change, result: ChangeResult
) -> dict[str, Any]:
    """The change log row of a processed change (the audit trail; append-only)."""
    base: Mapping[str, Any] = change.base.model_dump(mode="json")
    return {
        "change_id": change.change_id,
        "device_id": device_id,
        "user_id": principal.user_id,
        "device_seq": change.device_seq,
        "table_name": storable(change.table),
        "row_id": change.row_id,
        "op": change.op.value,
        "fields": storable(change.fields),
        "base": storable(base),
        "outcome": result.outcome.value,
        "code": result.code.value if result.code is not None else None,
        "reason": storable(result.reason),
        "conflict_ids": result.conflict_ids,
        "record_version": result.record.row_version if result.record is not None else None,
        "committed_at": utc_now(),
    }
