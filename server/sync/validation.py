"""Check one pushed change before anything is written: table, operation, field names, each
value decoded by its column, domain rules, references, scope and the writer's rights.

A failure raises ``Rejected`` with a ``RejectCode`` and a reason (translated) naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.database.codec import decode
from app.domain.errors import ValidationError
from app.domain.ids import is_uuid
from app.exchange.json_format import EXPORT_TABLE_BY_NAME, RowError, decode_row, show
from app.i18n import tr
from app.sync.protocol import BUREAU_SCOPE, Change, Op, RejectCode
from server.principal import Principal
from server.sync.records import RecordWriter, StoredRecord
from server.sync.rules import CHECKS, latest_today
from server.sync.tables import (
    ATTACHMENTS,
    CONFLICT_STATUSES,
    CONFLICTS,
    SPECS,
    ScopeRule,
    TableSpec,
)

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""Characters no database text column takes: NUL and lone surrogates (JSON may carry both)."""


def unstorable(value: Any) -> bool:
    """True when a JSON value holds text no database column can store."""
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, list):
        return any(unstorable(item) for item in value)
    if isinstance(value, dict):
        return any(unstorable(key) or unstorable(item) for key, item in value.items())
    return False


def storable(value: Any) -> Any:
    """``value`` with unstorable characters replaced by U+FFFD (for the audit log)."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, list):
        return [storable(item) for item in value]
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    return value


class Rejected(Exception):
    def __init__(self, code: RejectCode, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class CheckedChange:
    spec: TableSpec
    existing: StoredRecord | None
    fields: dict[str, Any]
    """Pushed values (JSON forms) without ``deleted``; a null ``squad_id`` filled in."""
    deleted: bool | None
    """True: delete; False: insert live or restore; None: the change does not say."""


def check_change(
    change: Change,
    principal: Principal,
    writer: RecordWriter,
    blob_complete: Callable[[str], bool],
) -> CheckedChange:
    spec = SPECS.get(change.table)
    if spec is None:
        raise Rejected(
            RejectCode.INVALID_TABLE, tr("没有名为 {table} 的数据表", table=storable(change.table))
        )
    if not is_uuid(change.row_id):
        raise Rejected(
            RejectCode.INVALID_VALUE,
            tr("字段 id：{value} 不是合法的记录标识（UUID）", value=storable(change.row_id)),
        )
    existing = _existing(change, spec, principal, writer)
    fields = dict(change.fields)
    deleted = _deleted_flag(change, spec, fields)
    for name in sorted(fields):
        if unstorable(fields[name]):
            raise Rejected(
                RejectCode.INVALID_VALUE, tr("字段 {field} 含有无效的 Unicode 字符", field=name)
            )
    decoded = _decode_all(spec, change.row_id, fields, existing)
    creating = change.op == Op.INSERT
    if spec.scope_rule is ScopeRule.SQUAD:
        _fill_squad(fields, decoded, existing, principal, creating)
    _check_domain(spec, decoded, existing, creating)
    _check_references(spec, fields, principal, writer)
    after = {**(existing.data if existing is not None else {}), **fields}
    if spec.name == ATTACHMENTS:
        _check_owner(after, fields, creating, principal, writer)
    scope = scope_of(spec, after, writer)[0]
    moving = existing is None or scope != existing.scope
    if moving and not may_write(principal, spec, scope):
        raise Rejected(
            RejectCode.FORBIDDEN,
            tr(
                "字段 {field}：不能把记录放到你无权写入的范围（{scope}）",
                field=_scope_field(spec),
                scope=scope,
            ),
        )
    if spec.name == ATTACHMENTS and "sha256" in fields:
        sha = fields["sha256"]
        unchanged = existing is not None and existing.data.get("sha256") == sha
        if not unchanged and not blob_complete(sha):
            raise Rejected(
                RejectCode.BLOB_MISSING,
                tr("字段 sha256：附件内容 {sha} 尚未完整上传到服务器", sha=sha),
            )
    return CheckedChange(spec, existing, fields, deleted)


def referenced_ids(changes: Iterable[Change]) -> set[str]:
    """Every record id a batch of changes names (to read them in one query up front)."""
    ids: set[str] = set()
    for change in changes:
        ids.add(change.row_id)
        spec = SPECS.get(change.table)
        if spec is None:
            continue
        for name, value in change.fields.items():
            if isinstance(value, str) and (name in spec.references or name == spec.parent_column):
                ids.add(value)
    return ids


def may_write(principal: Principal, spec: TableSpec, scope: str) -> bool:
    if principal.is_admin:
        return True
    if scope == BUREAU_SCOPE:
        return principal.role in spec.writers
    return scope == principal.squad_id


def scope_of(
    spec: TableSpec, data: Mapping[str, Any], writer: RecordWriter
) -> tuple[str, str | None]:
    """The scope of a record with ``data``, and the record it inherits it from."""
    if spec.scope_rule is ScopeRule.BUREAU:
        return BUREAU_SCOPE, None
    if spec.scope_rule is ScopeRule.SQUAD:
        return str(data["squad_id"]), None
    assert spec.parent_column is not None
    parent_id = str(data[spec.parent_column])
    parent = writer.get(parent_id)
    if parent is None:
        raise Rejected(
            RejectCode.MISSING_REFERENCE,
            tr(
                "字段 {field} 引用的记录 {target_id} 在服务器上不存在或无权查看",
                field=spec.parent_column,
                target_id=parent_id,
            ),
        )
    return parent.scope, parent.id


def _scope_field(spec: TableSpec) -> str:
    if spec.scope_rule is ScopeRule.SQUAD:
        return "squad_id"
    return spec.parent_column or "id"


def _existing(
    change: Change, spec: TableSpec, principal: Principal, writer: RecordWriter
) -> StoredRecord | None:
    existing = writer.get(change.row_id)
    if existing is not None and existing.table != spec.name:
        if change.op == Op.INSERT:
            raise Rejected(
                RejectCode.INVALID_VALUE,
                tr(
                    "字段 id：记录 {row} 已属于数据表 {table}",
                    row=change.row_id,
                    table=existing.table,
                ),
            )
        existing = None
    if existing is None:
        if change.op != Op.INSERT:
            raise Rejected(
                RejectCode.NOT_FOUND,
                tr("服务器上没有数据表 {table} 的记录 {row}", table=spec.name, row=change.row_id),
            )
        if spec.name == CONFLICTS:
            raise Rejected(RejectCode.FORBIDDEN, tr("冲突记录只能由服务器创建"))
        return None
    if not principal.can_read(existing.scope) or not may_write(principal, spec, existing.scope):
        raise Rejected(
            RejectCode.FORBIDDEN,
            tr("无权修改数据表 {table} 的记录 {row}", table=spec.name, row=change.row_id),
        )
    return existing


def _deleted_flag(change: Change, spec: TableSpec, fields: dict[str, Any]) -> bool | None:
    deleted: bool | None = fields.pop("deleted", None)
    if deleted is not None and not isinstance(deleted, bool):
        raise Rejected(
            RejectCode.INVALID_VALUE,
            tr("字段 {field} 应为 true 或 false（{value}）", field="deleted", value=show(deleted)),
        )
    if change.op == Op.DELETE:
        deleted = True
    if spec.name == CONFLICTS and deleted is not None:
        raise Rejected(RejectCode.FORBIDDEN, tr("冲突记录不能删除，只能标记为已处理"))
    for name in fields:
        allowed = spec.client_writable if spec.client_writable is not None else spec.columns
        if name not in allowed:
            raise Rejected(
                RejectCode.INVALID_FIELD,
                tr("数据表 {table} 没有可写字段 {field}", table=spec.name, field=storable(name)),
            )
    return deleted


def _fill_squad(
    fields: dict[str, Any],
    decoded: dict[str, Any],
    existing: StoredRecord | None,
    principal: Principal,
    creating: bool,
) -> None:
    if creating and fields.get("squad_id") is None:
        fields["squad_id"] = decoded["squad_id"] = principal.squad_id
    elif "squad_id" in fields and fields["squad_id"] is None:
        kept = existing.data.get("squad_id") if existing is not None else None
        fields["squad_id"] = decoded["squad_id"] = kept or principal.squad_id


def _check_domain(
    spec: TableSpec, decoded: dict[str, Any], existing: StoredRecord | None, creating: bool
) -> None:
    check = CHECKS.get(spec.name)
    if check is None:
        return
    after = dict(decoded)
    if existing is not None:
        for name, value in existing.data.items():
            if name not in after and name in spec.columns:
                try:
                    after[name] = decode(spec.columns[name], value)
                except (TypeError, ValueError, ArithmeticError):
                    continue
    try:
        check(decoded, after, creating, latest_today())
    except ValidationError as error:
        raise Rejected(
            RejectCode.INVALID_VALUE,
            tr("字段 {field}：{reason}", field=error.field, reason=error.message),
        ) from None


def _check_references(
    spec: TableSpec, fields: Mapping[str, Any], principal: Principal, writer: RecordWriter
) -> None:
    wanted = {
        name: value
        for name, value in fields.items()
        if name in spec.references and isinstance(value, str)
    }
    found = writer.get_many(wanted.values())
    for name in sorted(wanted):
        _require_readable(
            name, wanted[name], spec.references[name], found.get(wanted[name]), principal
        )


def _check_owner(
    after: Mapping[str, Any],
    fields: Mapping[str, Any],
    creating: bool,
    principal: Principal,
    writer: RecordWriter,
) -> None:
    if not (creating or "owner_table" in fields or "owner_id" in fields):
        return
    owner_table = after.get("owner_table")
    if owner_table not in SPECS or owner_table in (CONFLICTS, ATTACHMENTS):
        raise Rejected(
            RejectCode.INVALID_VALUE,
            tr(
                "字段 {field} 的值 {value} 不是数据表名",
                field="owner_table",
                value=show(owner_table),
            ),
        )
    owner_id = str(after.get("owner_id"))
    _require_readable("owner_id", owner_id, str(owner_table), writer.get(owner_id), principal)


def _require_readable(
    field: str, target_id: str, target: str, record: StoredRecord | None, principal: Principal
) -> None:
    if record is None or record.table != target or not principal.can_read(record.scope):
        raise Rejected(
            RejectCode.MISSING_REFERENCE,
            tr(
                "字段 {field} 引用的 {target} 记录 {target_id} 在服务器上不存在或无权查看",
                field=field,
                target=target,
                target_id=target_id,
            ),
        )


def _decode_all(
    spec: TableSpec, row_id: str, fields: Mapping[str, Any], existing: StoredRecord | None
) -> dict[str, Any]:
    """The pushed values decoded and checked exactly as an import checks a row (types, lengths,
    vocabularies, USCC check digits, decimal scale); an insert must carry required fields."""
    if spec.name == CONFLICTS:
        return {name: _decode_resolution(spec, name, value) for name, value in fields.items()}
    raw: dict[str, Any] = {"id": row_id}
    if existing is not None:
        raw.update({name: existing.data[name] for name in spec.required if name in existing.data})
    raw.update(fields)
    try:
        values = decode_row(EXPORT_TABLE_BY_NAME[spec.name], raw)
    except RowError as error:
        raise Rejected(RejectCode.INVALID_VALUE, error.problem) from None
    return {name: values.get(name) for name in fields}


def _decode_resolution(spec: TableSpec, name: str, value: Any) -> Any:
    if value is None and name in ("resolved_by", "resolved_at"):
        return None
    try:
        decoded = decode(spec.columns[name], value)
    except (TypeError, ValueError):
        decoded = None
    if decoded is None or (name == "status" and decoded not in CONFLICT_STATUSES):
        raise Rejected(
            RejectCode.INVALID_VALUE,
            tr("字段 {field} 的值 {value} 不正确", field=name, value=show(value)),
        )
    return decoded
