"""Write one checked change: insert, or merge field by field over the stored record.

Merging follows ``app.sync.merge`` (different fields both survive; the same field keeps the
server value and makes a conflict record; long text gets a three-way line merge). Delete versus
edit is decided here: the tombstone stays, the edit's fields are written into the deleted
record, and a conflict of kind ``delete`` records it. Conflict records are ordinary records of
table ``conflicts`` in the conflicted record's scope, so every reader of the record pulls them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.database.codec import encode
from app.domain.ids import new_id
from app.sync.merge import MergeOutcome, merge_fields
from app.sync.protocol import Change, ConflictKind, Op, Outcome
from server.principal import Principal
from server.sync.records import RecordWriter, Stamp, StoredRecord
from server.sync.tables import CONFLICTS
from server.sync.validation import CheckedChange, scope_of

DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class Applied:
    outcome: Outcome
    record: StoredRecord
    conflicts: tuple[StoredRecord, ...]
    conflicted_fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Loser:
    """A value the server did not take, to keep in a conflict record."""

    field: str
    kind: ConflictKind
    base: Any
    theirs: Any
    mine: Any
    server_meta: dict[str, Any]


def apply_change(
    writer: RecordWriter, checked: CheckedChange, change: Change, principal: Principal, stamp: Stamp
) -> Applied:
    if checked.existing is None:
        return _insert(writer, checked, change, stamp)
    return _merge(writer, checked, change, principal, stamp)


def _insert(writer: RecordWriter, checked: CheckedChange, change: Change, stamp: Stamp) -> Applied:
    scope, parent_id = scope_of(checked.spec, checked.fields, writer)
    record = writer.insert(
        table=checked.spec.name,
        record_id=change.row_id,
        scope=scope,
        parent_id=parent_id,
        data=dict(checked.fields),
        deleted=bool(checked.deleted),
        stamp=stamp,
        created_at=wire_time(change.created_at),
    )
    return Applied(Outcome.APPLIED, record, (), ())


def _merge(
    writer: RecordWriter,
    checked: CheckedChange,
    change: Change,
    principal: Principal,
    stamp: Stamp,
) -> Applied:
    current = checked.existing
    assert current is not None
    knows_base = change.op != Op.INSERT
    base_version = change.base.row_version if knows_base else 0
    device = stamp.device_id
    if checked.spec.name == CONFLICTS:  # resolutions: the latest one counts, no conflicts on them
        writes = {k: v for k, v in checked.fields.items() if current.data.get(k) != v}
        merge = MergeOutcome(writes, (), False)
    else:
        base = change.base.fields if knows_base else None
        merge = merge_fields(current.data, checked.fields, base, checked.spec.long_text)
    losers = [
        _Loser(c.field, c.kind, c.base, c.theirs, c.mine, current.field_meta(c.field))
        for c in merge.conflicts
    ]
    deleted = current.deleted
    if checked.deleted is True and not current.deleted:
        deleted = True
        unseen = _edited_since(current, base_version, device)
        if unseen:
            losers.append(
                _Loser(
                    DELETED, ConflictKind.DELETE, False, False, True, current.field_meta(unseen[0])
                )
            )
    elif current.deleted and checked.deleted is False and change.op == Op.PATCH:
        deleted = False  # an explicit restore
    elif current.deleted and (merge.writes or merge.conflicts):
        deleter = current.field_meta(DELETED)
        if deleter.get("device") != device or device is None:
            losers.append(_Loser(DELETED, ConflictKind.DELETE, False, True, False, deleter))
    others_kept = knows_base and any(
        name not in merge.writes for name in _edited_since(current, base_version, device)
    )
    record = current
    if merge.writes or deleted != current.deleted:
        old_scope = current.scope
        scope, parent_id = scope_of(checked.spec, {**current.data, **merge.writes}, writer)
        record = writer.update(
            current,
            writes=merge.writes,
            deleted=deleted,
            stamp=stamp,
            scope=scope,
            parent_id=parent_id,
        )
        if scope != old_scope:
            writer.rescope_below(record.id, scope)
    made = tuple(
        _conflict_record(writer, record, loser, change, principal, stamp) for loser in losers
    )
    if made:
        outcome = Outcome.CONFLICT
    elif merge.merged or (others_kept and merge.writes):
        outcome = Outcome.MERGED
    else:
        outcome = Outcome.APPLIED
    return Applied(outcome, record, made, tuple(loser.field for loser in losers))


def _edited_since(record: StoredRecord, version: int, device: str | None) -> list[str]:
    """Fields another device changed after ``version`` (the version the client started from)."""
    return sorted(
        name
        for name, meta in record.meta.items()
        if name != DELETED
        and isinstance(meta, dict)
        and int(meta.get("v") or 0) > version
        and (meta.get("device") != device or device is None)
    )


def _conflict_record(
    writer: RecordWriter,
    target: StoredRecord,
    loser: _Loser,
    change: Change,
    principal: Principal,
    stamp: Stamp,
) -> StoredRecord:
    data = {
        "table_name": target.table,
        "row_id": target.id,
        "field": loser.field,
        "kind": loser.kind.value,
        "base_value": loser.base,
        "server_value": loser.theirs,
        "client_value": loser.mine,
        "server_by": loser.server_meta.get("by"),
        "server_at": loser.server_meta.get("at"),
        "client_by": principal.member_id,
        "client_at": wire_time(change.created_at) or stamp.iso,
        "change_id": change.change_id,
        "status": "open",
        "resolution": "",
        "resolved_by": None,
        "resolved_at": None,
    }
    return writer.insert(
        table=CONFLICTS,
        record_id=new_id(),
        scope=target.scope,
        parent_id=target.id,
        data=data,
        deleted=False,
        stamp=stamp,
    )


def wire_time(text: str | None) -> str | None:
    """A laptop's ISO time in the codec's UTC form; None when absent or not a zoned time."""
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return str(encode(moment))
