"""An enterprise's honours by year: entries on honour lists (名单), made as a dossier is saved.

An honour is a ``DirectoryEntryRow`` under the ``HonourDirectoryRow`` of its kind, year and
batch; a list not known yet is created (with an empty title: the dossier then shows the kind's
name). Industry-chain links are written here too: both are "where this enterprise is listed".
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.database.tables import (
    ChainLinkRow,
    DirectoryEntryRow,
    EnterpriseLinkRow,
    EnterpriseRow,
    HonourDirectoryRow,
    MemberRow,
)
from app.domain.enterprise import HonourDraft, validate_honour
from app.domain.errors import ValidationError
from app.domain.vocabulary import Role
from app.i18n import tr


def checked_honours(drafts: Sequence[HonourDraft]) -> tuple[HonourDraft, ...]:
    clean: list[HonourDraft] = []
    for draft in drafts:
        try:
            clean.append(validate_honour(draft))
        except ValidationError as error:
            raise ValidationError("honours", error.message) from None
    return tuple(clean)


def apply_honours(
    session: Session, enterprise: EnterpriseRow, drafts: Sequence[HonourDraft]
) -> None:
    """Make the enterprise's live honour entries exactly ``drafts`` (checked already).

    Honour lists are the bureau's (leaders and admins keep them; the server refuses anyone
    else), so a plain squad member who changes them is told so here, before anything is kept
    on the laptop that could never sync.
    """
    entries = session.scalars(
        select(DirectoryEntryRow).where(
            DirectoryEntryRow.enterprise_id == enterprise.id, DirectoryEntryRow.deleted == false()
        )
    ).all()
    keep = {draft.entry_id for draft in drafts if draft.entry_id}
    dropped = [entry for entry in entries if entry.id not in keep]
    added = [draft for draft in drafts if not draft.entry_id]
    if (dropped or added) and not _may_keep_lists(session):
        raise ValidationError(
            "honours", tr("荣誉名录由队长或单位管理员维护，队员不能在这里增删；请联系他们")
        )
    held = {entry.directory_id for entry in entries if entry.id in keep}
    for entry in dropped:
        entry.deleted = True
    for draft in added:
        directory = _directory(session, draft)
        if directory.id in held:
            continue  # already on that list
        held.add(directory.id)
        session.add(
            DirectoryEntryRow(
                directory_id=directory.id,
                enterprise_name=enterprise.name,
                uscc=enterprise.uscc,
                enterprise_id=enterprise.id,
            )
        )


def _may_keep_lists(session: Session) -> bool:
    """Leaders and admins may; so may a laptop with no member signed in (no bureau to sync)."""
    actor = session.info.get("actor")
    member_id = getattr(actor, "member_id", None)
    if member_id is None:
        return True
    member = session.get(MemberRow, member_id)
    return member is None or member.role != Role.MEMBER.value


def _directory(session: Session, draft: HonourDraft) -> HonourDirectoryRow:
    found = session.scalars(
        select(HonourDirectoryRow)
        .where(
            HonourDirectoryRow.kind == draft.kind,
            HonourDirectoryRow.year == draft.year,
            HonourDirectoryRow.batch == draft.batch,
            HonourDirectoryRow.deleted == false(),
        )
        .order_by(HonourDirectoryRow.created_at, HonourDirectoryRow.id)
        .limit(1)
    ).first()
    if found is None:
        found = HonourDirectoryRow(kind=draft.kind, year=draft.year, batch=draft.batch, title="")
        session.add(found)
        session.flush()
    return found


def apply_links(session: Session, enterprise_id: str, link_ids: Sequence[str]) -> None:
    """Make the enterprise's live chain links exactly ``link_ids`` (one record per link)."""
    wanted = list(dict.fromkeys(link_ids))
    for link_id in wanted:
        link = session.get(ChainLinkRow, link_id)
        if link is None or link.deleted:
            raise ValidationError("links", tr("所选产业链环节已不存在，请重新选择"))
    rows = session.scalars(
        select(EnterpriseLinkRow)
        .where(EnterpriseLinkRow.enterprise_id == enterprise_id)
        .order_by(EnterpriseLinkRow.deleted, EnterpriseLinkRow.created_at)
    ).all()
    placed: set[str] = set()
    for row in rows:  # live ones first, so a live record is the one kept
        if row.link_id in wanted and row.link_id not in placed:
            placed.add(row.link_id)
            if row.deleted:
                row.deleted = False
        elif not row.deleted:
            row.deleted = True
    for link_id in wanted:
        if link_id not in placed:
            session.add(EnterpriseLinkRow(enterprise_id=enterprise_id, link_id=link_id))
