"""Writing an enterprise list into the import's one unit of work.

New enterprises (and their contacts) are many: they are inserted in batches with
``executemany``, each row with the outbox entry and history row change tracking would have
written for it (``app.database.change_tracking``: every non-sync column plus ``deleted``, the
column defaults filled in, device sequence numbers from the same counter), because the ORM path
costs about a millisecond per row and a 10,000-row sheet should take seconds, not a minute.
A test compares these entries with the ones the ORM path writes for the same enterprise.
Updates of existing enterprises go through the ORM, so change tracking records them itself;
the session is flushed every ``FLUSH_EVERY`` rows to keep each flush small.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, false, insert, select
from sqlalchemy.orm import Session

from app.database.change_tracking import Actor, _next_device_seq
from app.database.codec import encode
from app.database.schema import SYNC_SCHEMA_REVISION
from app.database.tables import (
    SYNC_COLUMNS,
    ContactRow,
    EnterpriseRow,
    HistoryEntry,
    MemberRow,
    OutboxEntry,
)
from app.database.types import utc_now
from app.domain.contact import ContactDraft
from app.domain.enterprise import identity_of, is_blank
from app.domain.ids import new_id
from app.domain.names import name_key
from app.importers.columns import ENTERPRISE_FIELDS, ColumnMapping
from app.importers.enterprise_rows import ReadRow
from app.services.enterprise_import_receipts import (
    UpdatedEnterprise,
    canonical,
    chunks,
    fingerprint_values,
)
from app.services.lookups import split_tags

FLUSH_EVERY = 200
INSERT_BATCH = 1000
Progress = Callable[[int, int], None]
Change = tuple[str, Any, Any]
"""(field, before, after) in JSON form."""
"""Called with (rows written, rows to write) while the import writes."""


@dataclass(frozen=True, slots=True)
class Existing:
    id: str
    name: str
    uscc: str | None


class ImportWriter:
    """Adds and changes rows in the import's unit of work, keeping what the receipt needs."""

    def __init__(
        self,
        session: Session,
        actor: Actor,
        mapping: ColumnMapping,
        progress: Progress | None,
    ) -> None:
        self._session = session
        self._actor = actor
        member = session.get(MemberRow, actor.member_id) if actor.member_id else None
        live = member is not None and not member.deleted
        self._owner_id = actor.member_id if live else None
        self._squad_id = member.squad_id if live and member is not None else None
        self._mapped = {f for _, f in mapping.mapped() if f in ENTERPRISE_FIELDS} - {"name"}
        self._progress = progress
        self._done = 0
        self.created: list[tuple[str, str]] = []
        """(enterprise id, fingerprint of what was written)."""
        self.contacts: list[tuple[str, str]] = []
        self.updated: list[UpdatedEnterprise] = []
        self.unchanged = 0

    # -- new enterprises ------------------------------------------------------------------------

    def create(self, rows: Sequence[ReadRow], total: int) -> None:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            enterprises: list[dict[str, Any]] = []
            contacts: list[dict[str, Any]] = []
            for row in batch:
                values = self._enterprise_values(row.fields)
                enterprises.append(values)
                if row.contact is not None:
                    contacts.append(_contact_values(values["id"], row.contact, primary=True))
            self._insert(EnterpriseRow, enterprises)  # fills in the defaults: then fingerprint
            self._insert(ContactRow, contacts)
            self.created.extend((v["id"], fingerprint_values(v, "enterprise")) for v in enterprises)
            self.contacts.extend((v["id"], fingerprint_values(v, "contact")) for v in contacts)
            self._done += len(batch)
            if self._progress is not None:
                self._progress(self._done, total)

    def _enterprise_values(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        values = dict(fields)
        if values.get("land_mu") is not None:
            values["land_mu"] = two_places(values["land_mu"])
        identity = identity_of(values["name"])
        values.update(
            id=new_id(),
            name_key=identity.name_key,
            name_initials=identity.name_initials,
            squad_id=self._squad_id,
            owner_id=self._owner_id,
        )
        return values

    def _insert(self, model: type[Any], rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` with their outbox entries and history, as change tracking would."""
        if not rows:
            return
        table = cast(Table, model.__table__)
        now = utc_now()
        history: list[dict[str, Any]] = []
        outbox: list[dict[str, Any]] = []
        for values in rows:
            for column in table.columns:  # every row the same keys: one executemany
                if values.get(column.key) is None:
                    default = column.default
                    scalar = default is not None and default.is_scalar
                    values[column.key] = default.arg if scalar else None  # type: ignore[union-attr]
            values.update(
                created_at=now,
                updated_at=now,
                updated_by=self._actor.member_id,
                row_version=0,
                deleted=False,
            )
            fields = {
                column.key: encode(values.get(column.key))
                for column in table.columns
                if column.key not in SYNC_COLUMNS or column.key == "deleted"
            }
            history.append(
                {
                    "table_name": table.name,
                    "row_id": values["id"],
                    "op": "insert",
                    "changes": {name: [None, value] for name, value in fields.items()},
                    "actor_id": self._actor.member_id,
                    "changed_at": now,
                    "source": self._actor.source,
                }
            )
            if self._actor.record_changes:
                outbox.append(
                    {
                        "device_seq": _next_device_seq(self._session),
                        "change_id": new_id(),
                        "table_name": table.name,
                        "row_id": values["id"],
                        "op": "insert",
                        "fields": fields,
                        "base": {},
                        "schema_version": SYNC_SCHEMA_REVISION,
                        "created_at": now,
                    }
                )
        self._session.execute(insert(model), rows)
        self._session.execute(insert(HistoryEntry), history)
        if outbox:
            self._session.execute(insert(OutboxEntry), outbox)

    # -- existing enterprises -------------------------------------------------------------------

    def update(self, pairs: Sequence[tuple[ReadRow, Existing]], total: int) -> None:
        targets: dict[str, EnterpriseRow] = {}
        ids = [match.id for _, match in pairs]
        for chunk in chunks(ids):
            query = select(EnterpriseRow).where(EnterpriseRow.id.in_(chunk))
            targets.update((row.id, row) for row in self._session.scalars(query))
        known_contacts = _contacts_of(self._session, ids)
        new_contacts: list[dict[str, Any]] = []
        for row, match in pairs:
            target = targets[match.id]
            changes = self._apply(target, row.fields)
            known = known_contacts.get(target.id, {})
            added = row.contact is not None and name_key(row.contact.name) not in known
            if added and row.contact is not None:
                primary = not any(known.values())
                new_contacts.append(_contact_values(target.id, row.contact, primary=primary))
            if changes or added:
                self.updated.append(UpdatedEnterprise(target.id, target.name, tuple(changes)))
            else:
                self.unchanged += 1
            self._done += 1
            if self._done % FLUSH_EVERY == 0:
                self._session.flush()
                if self._progress is not None:
                    self._progress(self._done, total)
        self._session.flush()
        self._insert(ContactRow, new_contacts)
        self.contacts.extend((v["id"], fingerprint_values(v, "contact")) for v in new_contacts)

    def _apply(
        self, target: EnterpriseRow, fields: Mapping[str, Any]
    ) -> list[tuple[str, Any, Any]]:
        changes: list[tuple[str, Any, Any]] = []
        for field, value in fields.items():
            if field == "name":
                continue  # the registered name of the enterprise in the library is kept
            current = getattr(target, field)
            if field not in self._mapped and not is_blank(field, current):
                continue  # derived (the region from the USCC): fills a blank only
            if field == "tags":
                value = ",".join(dict.fromkeys((*split_tags(current), *split_tags(value))))
            if field == "land_mu":
                value = two_places(value)
            if canonical(current) == canonical(value):
                continue
            changes.append((field, encode(current), canonical(value)))
            setattr(target, field, value)
        return changes


def _contact_values(enterprise_id: str, draft: ContactDraft, primary: bool) -> dict[str, Any]:
    return {
        "id": new_id(),
        "enterprise_id": enterprise_id,
        "name": draft.name,
        "title": draft.title,
        "mobile": draft.mobile,
        "phone": draft.phone,
        "is_primary": primary,
    }


def _contacts_of(session: Session, enterprise_ids: Sequence[str]) -> dict[str, dict[str, bool]]:
    """Live contacts of the enterprises: enterprise id → {name key: is primary}."""
    found: dict[str, dict[str, bool]] = {}
    for chunk in chunks(enterprise_ids):
        query = select(ContactRow.enterprise_id, ContactRow.name, ContactRow.is_primary).where(
            ContactRow.enterprise_id.in_(chunk), ContactRow.deleted == false()
        )
        for enterprise_id, name, primary in session.execute(query):
            found.setdefault(enterprise_id, {})[name_key(name)] = bool(primary)
    return found


def two_places(value: Any) -> Decimal:
    """用地 亩 as the column stores it (two decimals), so later comparisons match."""
    return Decimal(value).quantize(Decimal("0.01"))
