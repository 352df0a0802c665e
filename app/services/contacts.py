"""An enterprise's contacts, written as part of a dossier save (same unit of work)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database.tables import ContactRow
from app.domain.contact import ContactDraft, validate_contact, with_one_primary
from app.domain.errors import ValidationError
from app.i18n import tr

_FIELDS = ("name", "title", "mobile", "phone", "email", "wechat", "notes", "is_primary")


def checked_contacts(drafts: Sequence[ContactDraft]) -> tuple[ContactDraft, ...]:
    """Every draft validated; a bad one is reported on the ``contacts`` field with its name."""
    clean: list[ContactDraft] = []
    for draft in drafts:
        try:
            clean.append(validate_contact(draft))
        except ValidationError as error:
            raise ValidationError(
                "contacts",
                tr("联系人“{name}”：{problem}", name=draft.name.strip(), problem=error.message),
            ) from None
    return with_one_primary(clean)


def apply_contacts(session: Session, enterprise_id: str, drafts: Sequence[ContactDraft]) -> None:
    """Make the enterprise's live contacts exactly ``drafts`` (checked already).

    Drafts with an id change that contact (only fields whose value differs are recorded), drafts
    without one are added, and live contacts missing from the list are tombstoned.
    """
    existing = {
        row.id: row
        for row in session.scalars(
            select(ContactRow).where(ContactRow.enterprise_id == enterprise_id)
        )
    }
    wanted_ids = {draft.id for draft in drafts if draft.id}
    for gone in existing.values():
        if gone.id not in wanted_ids and not gone.deleted:
            gone.deleted = True
    for draft in drafts:
        row = existing.get(draft.id) if draft.id else None
        if draft.id and row is None:
            raise ValidationError(
                "contacts", tr("联系人“{name}”不属于这家企业，请重新打开档案再改", name=draft.name)
            )
        if row is None:
            row = ContactRow(enterprise_id=enterprise_id)
            session.add(row)
        elif row.deleted:
            row.deleted = False  # removed elsewhere meanwhile: the user kept it, so keep it
        for field in _FIELDS:
            value = getattr(draft, field)
            if getattr(row, field) != value:
                setattr(row, field, value)
