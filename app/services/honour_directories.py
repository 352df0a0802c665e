"""Honour directories (荣誉名录): published lists per kind, year and batch, and who is on them.

Lists are bureau records: the sync server accepts changes to ``honour_directories`` and
``directory_entries`` from squad leaders and admins only, so a plain member's laptop shows them
read-only (``access``) and every write here refuses a plain member. With no current member (a
standalone laptop) everything is editable.

Entries are matched to dossiers as they are written (see ``app.services.honour_matching`` for
the rules: USCC exact, else the exact registered name, never fuzzy); ``rematch_all`` looks up the
unmatched ones again after an enterprise import or a sync brought new dossiers. An enterprise's
honours are the lists it is matched on, shown as tags (``honour_tags``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from app.database.tables import DirectoryEntryRow, EnterpriseRow, HonourDirectoryRow, MemberRow
from app.domain.errors import NotFoundError, ValidationError
from app.domain.vocabulary import Role
from app.i18n import tr
from app.services.honour_directory_views import (
    DirectoryDraft,
    DirectoryView,
    EntryDraft,
    EntryView,
    HonourAccess,
    ImportReport,
    RematchReport,
    kind_order,
    validate_directory,
    validate_entry,
)
from app.services.honour_import import import_rows
from app.services.honour_matching import (
    EntryKey,
    find_matches,
    honour_tags_in,
    live_enterprise_names,
    registered_name,
)
from app.services.honour_sheet import read_sheet
from app.services.workspace import Workspace

EDITOR_ROLES = frozenset({Role.LEADER.value, Role.ADMIN.value})
"""Who may change the lists (as the sync server's ``BUREAU_TABLES`` says)."""
FLUSH_EVERY = 500


class HonourDirectoryService:
    """The 荣誉名录 page's service: lists, their entries, import and matching."""

    def __init__(self, workspace: Workspace, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._workspace = workspace
        self._database = workspace.database
        self._today = today

    # -- reading ---------------------------------------------------------------------------------

    def access(self) -> HonourAccess:
        with self._database.read() as session:
            return self._access(session)

    def directories(self) -> tuple[DirectoryView, ...]:
        """Every live list, grouped by kind (in ``HonourKind`` order), newest year first."""
        with self._database.read() as session:
            live_entry = (DirectoryEntryRow.deleted == false(),)
            totals = dict(
                session.execute(
                    select(DirectoryEntryRow.directory_id, func.count(DirectoryEntryRow.id))
                    .where(*live_entry)
                    .group_by(DirectoryEntryRow.directory_id)
                ).all()
            )
            matched = dict(
                session.execute(
                    select(DirectoryEntryRow.directory_id, func.count(DirectoryEntryRow.id))
                    .join(EnterpriseRow, EnterpriseRow.id == DirectoryEntryRow.enterprise_id)
                    .where(*live_entry, EnterpriseRow.deleted == false())
                    .group_by(DirectoryEntryRow.directory_id)
                ).all()
            )
            rows = session.scalars(
                select(HonourDirectoryRow).where(HonourDirectoryRow.deleted == false())
            ).all()
            views = [
                DirectoryView(
                    id=row.id,
                    kind=row.kind,
                    year=row.year,
                    batch=row.batch,
                    title=row.title,
                    source=row.source,
                    entry_count=totals.get(row.id, 0),
                    matched_count=matched.get(row.id, 0),
                )
                for row in rows
            ]
        views.sort(key=lambda v: (kind_order(v.kind), -v.year, v.batch, v.title, v.id))
        return tuple(views)

    def directory(self, directory_id: str) -> DirectoryView:
        for view in self.directories():
            if view.id == directory_id:
                return view
        raise NotFoundError(tr("找不到该名录（{id}）", id=directory_id))

    def entries(self, directory_id: str) -> tuple[EntryView, ...]:
        """The list's live entries by rank (unranked last), then name."""
        with self._database.read() as session:
            _live_directory(session, directory_id)
            entries = session.scalars(
                select(DirectoryEntryRow)
                .where(
                    DirectoryEntryRow.directory_id == directory_id,
                    DirectoryEntryRow.deleted == false(),
                )
                .order_by(
                    DirectoryEntryRow.rank.asc().nulls_last(),
                    DirectoryEntryRow.enterprise_name,
                    DirectoryEntryRow.id,
                )
            ).all()
            names = live_enterprise_names(session, (entry.enterprise_id for entry in entries))
        return tuple(
            EntryView(
                id=entry.id,
                directory_id=entry.directory_id,
                rank=entry.rank,
                name=entry.enterprise_name,
                uscc=entry.uscc,
                enterprise_id=entry.enterprise_id if entry.enterprise_id in names else None,
                enterprise_name=names.get(entry.enterprise_id or "", ""),
            )
            for entry in entries
        )

    def honour_tags(self, enterprise_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Tags like ``2025 专精特新“小巨人”（第七批）`` for each id (empty when on no list)."""
        with self._database.read() as session:
            return honour_tags_in(session, enterprise_ids)

    # -- directories -----------------------------------------------------------------------------

    def create_directory(self, draft: DirectoryDraft) -> str:
        clean = validate_directory(draft, self._today())
        with self._database.write(self._workspace.actor()) as session:
            self._require_editor(session)
            _check_unique(session, clean, None)
            row = HonourDirectoryRow(
                kind=clean.kind,
                year=clean.year,
                batch=clean.batch,
                title=clean.title,
                source=clean.source,
            )
            session.add(row)
            session.flush()
            return row.id

    def update_directory(self, directory_id: str, draft: DirectoryDraft) -> None:
        clean = validate_directory(draft, self._today())
        with self._database.write(self._workspace.actor()) as session:
            self._require_editor(session)
            row = _live_directory(session, directory_id)
            _check_unique(session, clean, directory_id)
            row.kind, row.year, row.batch = clean.kind, clean.year, clean.batch
            row.title, row.source = clean.title, clean.source

    def delete_directory(self, directory_id: str) -> int:
        """Tombstone the list and its live entries; how many entries went with it."""
        with self._database.write(self._workspace.actor()) as session:
            self._require_editor(session)
            _live_directory(session, directory_id).deleted = True
            entries = _live_entries(session, directory_id)
            for number, entry in enumerate(entries, start=1):
                entry.deleted = True
                _flush_now_and_then(session, number)
            return len(entries)

    # -- entries ---------------------------------------------------------------------------------

    def add_entry(self, directory_id: str, draft: EntryDraft) -> EntryView:
        """Put one enterprise on the list, matched at once when a dossier fits."""
        clean = validate_entry(draft)
        with self._database.write(self._workspace.actor()) as session:
            self._require_editor(session)
            _live_directory(session, directory_id)
            _check_not_listed(session, directory_id, clean, None)
            key = EntryKey(clean.name, clean.uscc)
            enterprise_id = find_matches(session, [key]).get(key)
            entry = DirectoryEntryRow(
                directory_id=directory_id,
                enterprise_name=clean.name,
                uscc=clean.uscc or None,
                rank=clean.rank,
                enterprise_id=enterprise_id,
            )
            session.add(entry)
            session.flush()
            return _entry_view(session, entry)

    def update_entry(self, entry_id: str, draft: EntryDraft) -> EntryView:
        """Change name, USCC or rank; a changed name or USCC is matched again."""
        clean = validate_entry(draft)
        with self._database.write(self._workspace.actor()) as session:
            self._require_editor(session)
            entry = _live_entry(session, entry_id)
            _check_not_listed(session, entry.directory_id, clean, entry.id)
            identity_changed = (clean.name, clean.uscc or None) != (
                entry.enterprise_name,
                entry.uscc,
            )
            entry.enterprise_name, entry.uscc, entry.rank = (
                clean.name,
                clean.uscc or None,
                clean.rank,
            )
            if identity_changed:
                key = EntryKey(clean.name, clean.uscc)
                entry.enterprise_id = find_matches(session, [key]).get(key)
            session.flush()
            return _entry_view(session, entry)

    def remove_entry(self, entry_id: str) -> None:
        with self._database.write(self._workspace.actor()) as session:
            self._require_editor(session)
            _live_entry(session, entry_id).deleted = True

    def import_entries(self, directory_id: str, path: Path) -> ImportReport:
        """Add a sheet's rows to the list in one unit of work (see ``honour_import``)."""
        rows = read_sheet(path)  # before the write: a file problem writes nothing
        with self._database.write(self._workspace.actor()) as session:
            self._require_editor(session)
            _live_directory(session, directory_id)
            return import_rows(session, directory_id, path.name, rows)

    def rematch_all(self) -> RematchReport:
        """Look up again every entry not matched to a live dossier; report the new matches."""
        with self._database.write(self._workspace.actor()) as session:
            self._require_editor(session)
            live = select(EnterpriseRow.id).where(EnterpriseRow.deleted == false())
            entries = session.scalars(
                select(DirectoryEntryRow)
                .join(HonourDirectoryRow, HonourDirectoryRow.id == DirectoryEntryRow.directory_id)
                .where(
                    DirectoryEntryRow.deleted == false(),
                    HonourDirectoryRow.deleted == false(),
                    (DirectoryEntryRow.enterprise_id.is_(None))
                    | DirectoryEntryRow.enterprise_id.not_in(live),
                )
            ).all()
            keys = {
                entry.id: EntryKey(entry.enterprise_name, entry.uscc or "") for entry in entries
            }
            matches = find_matches(session, keys.values())
            newly = 0
            for entry in entries:
                match = matches.get(keys[entry.id])
                if match is not None:  # an entry with no match is left as it was
                    newly += 1
                    entry.enterprise_id = match
                    _flush_now_and_then(session, newly)
        return RematchReport(
            checked=len(entries), newly_matched=newly, still_unmatched=len(entries) - newly
        )

    # -- internals -------------------------------------------------------------------------------

    def _access(self, session: Session) -> HonourAccess:
        member_id = self._workspace.current_member_id()
        if member_id is None:
            return HonourAccess(editable=True)
        member = session.get(MemberRow, member_id)
        if member is not None and not member.deleted and member.role in EDITOR_ROLES:
            return HonourAccess(editable=True)
        name = member.name if member is not None else ""
        return HonourAccess(
            editable=False,
            reason=tr(
                "荣誉名录是全局共享的名录，由队长或管理员维护并同步到每台电脑；"
                "{name}是队员，只能查看。",
                name=name or tr("当前用户"),
            ),
        )

    def _require_editor(self, session: Session) -> None:
        access = self._access(session)
        if not access.editable:
            raise ValidationError("role", tr("只有队长或管理员可以修改荣誉名录"))


def _flush_now_and_then(session: Session, changed: int) -> None:
    """Flush every ``FLUSH_EVERY`` changed rows (still one transaction): change tracking's
    cost per flush grows with the square of the rows changed in it."""
    if changed % FLUSH_EVERY == 0:
        session.flush()


def _check_unique(session: Session, clean: DirectoryDraft, directory_id: str | None) -> None:
    """One live list per kind, year and batch (the dossier editor files honours by them)."""
    same = session.scalars(
        select(HonourDirectoryRow.id).where(
            HonourDirectoryRow.kind == clean.kind,
            HonourDirectoryRow.year == clean.year,
            HonourDirectoryRow.batch == clean.batch,
            HonourDirectoryRow.deleted == false(),
        )
    ).all()
    if any(found != directory_id for found in same):
        raise ValidationError(
            "batch",
            tr("已有 {year} 年这一批次的名录，请填写不同的批次", year=clean.year),
        )


def _check_not_listed(
    session: Session, directory_id: str, clean: EntryDraft, entry_id: str | None
) -> None:
    exact = registered_name(clean.name)
    for entry in _live_entries(session, directory_id):
        if entry.id == entry_id:
            continue
        if clean.uscc and entry.uscc == clean.uscc:
            raise ValidationError(
                "uscc", tr("名录中已有该统一社会信用代码（{name}）", name=entry.enterprise_name)
            )
        if registered_name(entry.enterprise_name) == exact:
            raise ValidationError("name", tr("名录中已有“{name}”", name=entry.enterprise_name))


def _entry_view(session: Session, entry: DirectoryEntryRow) -> EntryView:
    names = live_enterprise_names(session, [entry.enterprise_id])
    return EntryView(
        id=entry.id,
        directory_id=entry.directory_id,
        rank=entry.rank,
        name=entry.enterprise_name,
        uscc=entry.uscc,
        enterprise_id=entry.enterprise_id if entry.enterprise_id in names else None,
        enterprise_name=names.get(entry.enterprise_id or "", ""),
    )


def _live_entries(session: Session, directory_id: str) -> list[DirectoryEntryRow]:
    return list(
        session.scalars(
            select(DirectoryEntryRow).where(
                DirectoryEntryRow.directory_id == directory_id,
                DirectoryEntryRow.deleted == false(),
            )
        ).all()
    )


def _live_directory(session: Session, directory_id: str) -> HonourDirectoryRow:
    row = session.get(HonourDirectoryRow, directory_id)
    if row is None or row.deleted:
        raise NotFoundError(tr("找不到该名录（{id}）", id=directory_id))
    return row


def _live_entry(session: Session, entry_id: str) -> DirectoryEntryRow:
    row = session.get(DirectoryEntryRow, entry_id)
    if row is None or row.deleted:
        raise NotFoundError(tr("找不到该名录条目（{id}）", id=entry_id))
    return row
