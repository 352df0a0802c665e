"""Adding a sheet's rows to an honour list, inside the caller's one unit of work.

Every row is checked before anything is added: a row without a name, with an invalid USCC (the
reason says which check failed), with a rank that is not a positive whole number, or repeating an
earlier row is rejected with its reason and never written, even in part. Rows naming an
enterprise already on the list are counted and left alone, so importing the same file twice adds
nothing. The rows that pass are matched to dossiers in one batch and added together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.database.tables import DirectoryEntryRow
from app.domain.errors import ValidationError
from app.i18n import tr
from app.services.honour_directory_views import (
    EntryDraft,
    ImportReport,
    RejectedRow,
    validate_entry,
)
from app.services.honour_matching import EntryKey, find_matches, registered_name
from app.services.honour_sheet import SheetRow, parse_rank


@dataclass(frozen=True, slots=True)
class _Accepted:
    row_number: int
    draft: EntryDraft


def import_rows(
    session: Session, directory_id: str, file_name: str, rows: Sequence[SheetRow]
) -> ImportReport:
    """Add the valid new rows to the list; report what was added, skipped and rejected."""
    listed_codes: set[str] = set()
    listed_names: set[str] = set()
    for uscc, name in session.execute(
        select(DirectoryEntryRow.uscc, DirectoryEntryRow.enterprise_name).where(
            DirectoryEntryRow.directory_id == directory_id, DirectoryEntryRow.deleted == false()
        )
    ):
        if uscc:
            listed_codes.add(uscc)
        listed_names.add(registered_name(name))

    rejected: list[RejectedRow] = []
    accepted: list[_Accepted] = []
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    blank = already = 0
    for row in rows:
        if row.blank:
            blank += 1
            continue
        try:
            draft = _checked(row)
        except ValidationError as error:
            rejected.append(RejectedRow(row.row_number, row.name, row.uscc, error.message))
            continue
        exact = registered_name(draft.name)
        earlier = seen_codes.get(draft.uscc) if draft.uscc else None
        if earlier is not None:
            reason = tr("与第 {row} 行的统一社会信用代码重复", row=earlier)
        elif exact in seen_names:
            reason = tr("与第 {row} 行的企业名称重复", row=seen_names[exact])
        else:
            reason = ""
        if reason:
            rejected.append(RejectedRow(row.row_number, row.name, row.uscc, reason))
            continue
        if draft.uscc:
            seen_codes[draft.uscc] = row.row_number
        seen_names[exact] = row.row_number
        if (draft.uscc and draft.uscc in listed_codes) or exact in listed_names:
            already += 1
            continue
        accepted.append(_Accepted(row.row_number, draft))

    matches = find_matches(session, (EntryKey(a.draft.name, a.draft.uscc) for a in accepted))
    matched = 0
    for item in accepted:
        enterprise_id = matches.get(EntryKey(item.draft.name, item.draft.uscc))
        matched += enterprise_id is not None
        session.add(new_entry(directory_id, item.draft, enterprise_id))
    session.flush()
    return ImportReport(
        file_name=file_name,
        added=len(accepted),
        matched=matched,
        already_listed=already,
        blank=blank,
        rejected=tuple(rejected),
    )


def new_entry(directory_id: str, draft: EntryDraft, enterprise_id: str | None) -> DirectoryEntryRow:
    return DirectoryEntryRow(
        directory_id=directory_id,
        enterprise_name=draft.name,
        uscc=draft.uscc or None,
        rank=draft.rank,
        enterprise_id=enterprise_id,
    )


def _checked(row: SheetRow) -> EntryDraft:
    if not row.name:
        raise ValidationError("name", tr("缺少企业名称"))
    return validate_entry(EntryDraft(name=row.name, uscc=row.uscc, rank=parse_rank(row.rank)))
