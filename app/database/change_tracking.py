"""Every edit of a synced row writes its outbox entry and history in the same transaction.

A ``before_flush`` hook on write sessions turns the ORM's attribute history into outbox
entries (insert / patch of changed fields / delete) and history rows, and stamps
``updated_at``/``updated_by``. Physical deletion of a synced row is refused: rows are
tombstoned. Sessions applying changes pulled from the server switch recording off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from app.database.codec import JsonValue, encode
from app.database.schema import SYNC_SCHEMA_REVISION
from app.database.tables import SYNC_COLUMNS, HistoryEntry, LocalSetting, OutboxEntry, Synced
from app.database.types import utc_now
from app.domain.ids import new_id

NEXT_DEVICE_SEQ = "next_device_seq"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is making the edits of a unit of work, and through what (local, import, demo)."""

    member_id: str | None
    source: str = "local"
    record_changes: bool = True


class PhysicalDeleteRefused(RuntimeError):
    """Synced rows are tombstoned, never deleted (the sync horizon may still need them)."""


def install_change_tracking(session_class: type[Session]) -> None:
    """Attach the hook to a session class used for writes."""
    event.listen(session_class, "before_flush", _before_flush)


def _before_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    actor: Actor | None = session.info.get("actor")
    if actor is None:
        raise RuntimeError("writes need a unit of work with an actor")
    for obj in list(session.deleted):
        if isinstance(obj, Synced):
            raise PhysicalDeleteRefused(f"{type(obj).__name__} {obj.id} must be tombstoned")
    now = utc_now()
    inserted = list(session.new)  # ``session.new`` builds a new set on every access
    inserted_ids = {id(obj) for obj in inserted}
    for obj in inserted:
        if isinstance(obj, Synced):
            _record_insert(session, actor, obj, now)
    for obj in list(session.dirty):
        if isinstance(obj, Synced) and id(obj) not in inserted_ids:
            _record_update(session, actor, obj, now)


def _record_insert(session: Session, actor: Actor, obj: Synced, now: dt.datetime) -> None:
    if obj.id is None:
        obj.id = new_id()
    if actor.source != "import" or obj.created_at is None:
        obj.created_at = obj.created_at or now
        obj.updated_at = now
        obj.updated_by = actor.member_id
    if obj.row_version is None:
        obj.row_version = 0
    if obj.deleted is None:
        obj.deleted = False
    _fill_scalar_defaults(obj)
    fields = {
        name: encode(getattr(obj, name))
        for name in _column_names(obj)
        if name not in SYNC_COLUMNS or name == "deleted"
    }
    _append(session, actor, obj, "insert", fields, {}, now)


def _record_update(session: Session, actor: Actor, obj: Synced, now: dt.datetime) -> None:
    state = inspect(obj)
    new: dict[str, JsonValue] = {}
    old: dict[str, JsonValue] = {}
    for name in _column_names(obj):
        if name in SYNC_COLUMNS and name != "deleted":
            continue
        history = state.attrs[name].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if encode(before) == encode(after):
            continue
        old[name] = encode(before)
        new[name] = encode(after)
    if not new:
        return
    op = "delete" if new.get("deleted") is True else "patch"
    if actor.source != "import" or not state.attrs["updated_at"].history.has_changes():
        obj.updated_at = now
        obj.updated_by = actor.member_id
    version = state.attrs["row_version"].history
    base_version = version.deleted[0] if version.deleted else obj.row_version
    base = {"row_version": base_version, "fields": old}
    _append(session, actor, obj, op, new, base, now)


def _append(
    session: Session,
    actor: Actor,
    obj: Synced,
    op: str,
    fields: dict[str, JsonValue],
    base: dict[str, Any],
    now: dt.datetime,
) -> None:
    table = obj.__tablename__  # type: ignore[attr-defined]
    changes: dict[str, object] = {
        name: [base.get("fields", {}).get(name), value] for name, value in fields.items()
    }
    session.add(
        HistoryEntry(
            table_name=table,
            row_id=obj.id,
            op=op,
            changes=changes,
            actor_id=actor.member_id,
            changed_at=now,
            source=actor.source,
        )
    )
    if not actor.record_changes:
        return
    session.add(
        OutboxEntry(
            device_seq=_next_device_seq(session),
            table_name=table,
            row_id=obj.id,
            op=op,
            fields=fields,
            base=base,
            schema_version=SYNC_SCHEMA_REVISION,
            created_at=now,
        )
    )


def _next_device_seq(session: Session) -> int:
    # A setting added earlier in this flush is pending, not yet visible to ``get``: keep it.
    setting: LocalSetting | None = session.info.get(NEXT_DEVICE_SEQ)
    if setting is None:
        setting = session.get(LocalSetting, NEXT_DEVICE_SEQ)
    if setting is None:
        setting = LocalSetting(key=NEXT_DEVICE_SEQ, value="1")
        session.add(setting)
    session.info[NEXT_DEVICE_SEQ] = setting
    seq = int(setting.value)
    setting.value = str(seq + 1)
    return seq


def _column_names(obj: Synced) -> list[str]:
    return [attr.key for attr in inspect(type(obj)).column_attrs]


def _fill_scalar_defaults(obj: Synced) -> None:
    """Give unset columns their declared defaults now, so the outbox sees what the row will hold.

    SQLAlchemy applies ``default=`` only when it emits the INSERT, after this hook has run.
    """
    for prop in inspect(type(obj)).column_attrs:
        default = prop.columns[0].default
        if default is None or not default.is_scalar or getattr(obj, prop.key) is not None:
            continue
        setattr(obj, prop.key, default.arg)
