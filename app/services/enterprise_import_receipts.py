"""Receipts of enterprise-list imports, kept in ``local_settings`` so an import can be undone.

A receipt (key ``enterprise_import:<id>``) lists the enterprises and contacts the import
created, each with a fingerprint of the values it wrote, and for every enterprise it updated
the fields it changed with their values before and after. Undo tombstones a created record only
if it still holds exactly what the import wrote and nothing has been recorded under it since
(a visit, a project, …); it puts a changed field back only if it still holds the imported
value. Whatever was edited or used since is left as it is and named in the message.
The newest ``KEPT_RECEIPTS`` receipts are kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, false, select
from sqlalchemy.orm import Session

from app.database.codec import JsonValue, decode, encode
from app.database.tables import (
    CommitmentRow,
    ContactRow,
    EnterpriseLinkRow,
    EnterpriseRow,
    LocalSetting,
    NegotiationNoteRow,
    ProblemRow,
    ProjectRow,
    Synced,
    TaskRow,
    VisitRow,
)
from app.domain.enterprise import EDITABLE_FIELDS
from app.domain.errors import NotFoundError
from app.i18n import tr
from app.services.enterprise_import_views import ImportRecord, UndoImportResult

RECEIPT_PREFIX = "enterprise_import:"
KEPT_RECEIPTS = 20
CHUNK = 500
FLUSH_EVERY = 200
_FINGERPRINTED = ("name", *sorted(EDITABLE_FIELDS - {"name"}))
_CONTACT_FIELDS = ("name", "title", "mobile", "phone", "email", "wechat", "notes", "is_primary")
_USING_TABLES: tuple[type[Synced], ...] = (
    VisitRow,
    NegotiationNoteRow,
    ProjectRow,
    TaskRow,
    CommitmentRow,
    ProblemRow,
    EnterpriseLinkRow,
)


@dataclass(frozen=True, slots=True)
class UpdatedEnterprise:
    id: str
    name: str
    fields: tuple[tuple[str, JsonValue, JsonValue], ...]
    """(field, before, after) in JSON form."""


@dataclass(frozen=True, slots=True)
class ImportReceipt:
    id: str
    file_name: str
    imported_at: dt.datetime
    created: tuple[tuple[str, str], ...]
    """(enterprise id, fingerprint of what the import wrote)."""
    contacts: tuple[tuple[str, str], ...]
    """(contact id, fingerprint) of contacts the import added."""
    updated: tuple[UpdatedEnterprise, ...]

    @property
    def key(self) -> str:
        return receipt_key(self.id)

    def record(self) -> ImportRecord:
        return ImportRecord(
            self.id, self.file_name, self.imported_at, len(self.created), len(self.updated)
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "file_name": self.file_name,
                "imported_at": self.imported_at.isoformat(),
                "created": [list(pair) for pair in self.created],
                "contacts": [list(pair) for pair in self.contacts],
                "updated": [
                    {"id": u.id, "name": u.name, "fields": [list(f) for f in u.fields]}
                    for u in self.updated
                ],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> ImportReceipt:
        raw = json.loads(text)
        return cls(
            id=raw["id"],
            file_name=raw["file_name"],
            imported_at=dt.datetime.fromisoformat(raw["imported_at"]),
            created=tuple((row_id, mark) for row_id, mark in raw["created"]),
            contacts=tuple((row_id, mark) for row_id, mark in raw["contacts"]),
            updated=tuple(
                UpdatedEnterprise(
                    u["id"],
                    u["name"],
                    tuple((f, before, after) for f, before, after in u["fields"]),
                )
                for u in raw["updated"]
            ),
        )


def receipt_key(receipt_id: str) -> str:
    return f"{RECEIPT_PREFIX}{receipt_id}"


def enterprise_fingerprint(row: EnterpriseRow) -> str:
    return _digest([canonical(getattr(row, field)) for field in _FINGERPRINTED])


def contact_fingerprint(row: ContactRow) -> str:
    return _digest([canonical(getattr(row, field)) for field in _CONTACT_FIELDS])


def fingerprint_values(values: Mapping[str, Any], kind: str) -> str:
    """The fingerprint of a row about to be inserted (``kind``: enterprise or contact)."""
    fields = _FINGERPRINTED if kind == "enterprise" else _CONTACT_FIELDS
    return _digest([canonical(values.get(field)) for field in fields])


def canonical(value: object) -> JsonValue:
    """A value in JSON form that compares equal however the database returns it
    (``Decimal("150.50")`` and ``Decimal("150.5")`` are the same amount)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return encode(value)


def _digest(values: list[JsonValue]) -> str:
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


def keep_receipt(session: Session, receipt: ImportReceipt) -> None:
    """Store ``receipt`` and forget the oldest beyond ``KEPT_RECEIPTS``."""
    session.add(LocalSetting(key=receipt.key, value=receipt.to_json()))
    older = load_receipts(session)
    for old in older[KEPT_RECEIPTS - 1 :]:
        setting = session.get(LocalSetting, old.key)
        if setting is not None:
            session.delete(setting)


def load_receipts(session: Session) -> list[ImportReceipt]:
    """Stored receipts, newest first (a damaged one is passed over)."""
    settings = session.scalars(
        select(LocalSetting).where(LocalSetting.key.startswith(RECEIPT_PREFIX, autoescape=True))
    ).all()
    receipts = []
    for setting in settings:
        try:
            receipts.append(ImportReceipt.from_json(setting.value))
        except (ValueError, KeyError, TypeError):
            continue
    return sorted(receipts, key=lambda r: r.imported_at, reverse=True)


def load_receipt(session: Session, receipt_id: str) -> ImportReceipt:
    setting = session.get(LocalSetting, receipt_key(receipt_id))
    if setting is None:
        raise NotFoundError(tr("没有这次导入的记录（可能已经撤销过了），无法撤销"))
    return ImportReceipt.from_json(setting.value)


def undo_receipt(session: Session, receipt: ImportReceipt) -> UndoImportResult:
    """Undo what ``receipt`` records, in the caller's unit of work, and forget the receipt."""
    created_ids = [row_id for row_id, _ in receipt.created]
    enterprises = _by_id(session, EnterpriseRow, created_ids)
    contacts = _by_id(session, ContactRow, [row_id for row_id, _ in receipt.contacts])
    used = _used(session, created_ids, {row_id for row_id, _ in receipt.contacts})
    removed = 0
    kept: list[str] = []
    for row_id, mark in receipt.created:
        row = enterprises.get(row_id)
        if row is None or row.deleted:
            continue  # deleted since: nothing left to undo
        if row_id in used or enterprise_fingerprint(row) != mark:
            kept.append(row.name)
            continue
        row.deleted = True
        removed += 1
        _flush_now_and_then(session, removed)
    restored = 0
    columns = cast(Table, EnterpriseRow.__table__).columns
    targets = _by_id(session, EnterpriseRow, [u.id for u in receipt.updated])
    for updated in receipt.updated:
        row = targets.get(updated.id)
        if row is None:
            continue
        changed = False
        edited = False
        for field, before, after in updated.fields:
            if canonical(getattr(row, field)) == after:
                setattr(row, field, decode(columns[field], before))
                changed = True
            else:
                edited = True
        restored += changed
        _flush_now_and_then(session, restored)
        if edited:
            kept.append(row.name)
    created = set(created_ids)
    contacts_removed = 0
    for contact_id, mark in receipt.contacts:
        contact = contacts.get(contact_id)
        if contact is None or contact.deleted or contact_fingerprint(contact) != mark:
            continue  # deleted or edited since: left as it is
        parent = enterprises.get(contact.enterprise_id)
        if contact.enterprise_id in created and (parent is None or not parent.deleted):
            continue  # its new enterprise stays (edited or used since): so does the contact
        contact.deleted = True
        contacts_removed += 1
        _flush_now_and_then(session, contacts_removed)
    setting = session.get(LocalSetting, receipt.key)
    if setting is not None:
        session.delete(setting)
    return UndoImportResult(receipt.file_name, removed, restored, tuple(kept))


def _flush_now_and_then(session: Session, count: int) -> None:
    """Flush every ``FLUSH_EVERY`` changes: change tracking's cost grows with the square of
    the changes pending in one flush."""
    if count % FLUSH_EVERY == 0:
        session.flush()


def _by_id(session: Session, table: type[Synced], ids: Sequence[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for chunk in chunks(ids):
        found.update(
            (row.id, row) for row in session.scalars(select(table).where(table.id.in_(chunk)))
        )
    return found


def _used(session: Session, enterprise_ids: Sequence[str], own_contacts: set[str]) -> set[str]:
    """Created enterprises that something has been recorded under since the import."""
    used: set[str] = set()
    tables: tuple[type[Synced], ...] = (*_USING_TABLES, ContactRow)
    for chunk in chunks(enterprise_ids):
        for table in tables:
            column = getattr(table, "enterprise_id")  # noqa: B009 (every table here has it)
            query = select(column, table.id).where(column.in_(chunk), table.deleted == false())
            for enterprise_id, row_id in session.execute(query):
                if table is ContactRow and row_id in own_contacts:
                    continue
                used.add(enterprise_id)
    return used


def chunks(items: Sequence[str] | Iterable[str], size: int = CHUNK) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
