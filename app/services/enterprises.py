"""Enterprise use cases: list and filter, create, edit, delete with undo, find duplicates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, TypeVarTuple

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.database.tables import (
    ChainLinkRow,
    EnterpriseRow,
    IndustryChainRow,
    LocalSetting,
    MemberRow,
    SquadRow,
    Synced,
    VisitRow,
)
from app.domain.enterprise import (
    EnterpriseEdit,
    identity_of,
    label,
    validate_enterprise_changes,
)
from app.domain.errors import NotFoundError, ValidationError
from app.domain.names import name_key
from app.domain.uscc import normalise_uscc
from app.i18n import tr
from app.services.contacts import apply_contacts, checked_contacts
from app.services.dossier import duplicates_of, load_dossier
from app.services.enterprise_views import (
    ChainLinkView,
    Choice,
    Dossier,
    DuplicateCandidate,
    EditContext,
    EditorChoices,
    EnterpriseFilter,
    EnterpriseListRow,
    EnterprisePage,
    EnterpriseSort,
)
from app.services.honour_matching import honour_tags_in
from app.services.honours import apply_honours, apply_links, checked_honours
from app.services.lookups import industry_label, region_label, split_tags
from app.services.workspace import Workspace

_Ts = TypeVarTuple("_Ts")

PAGE_SIZE = 200
DRAFT_PREFIX = "enterprise_draft:"
NEW_DRAFT = "new"


def draft_key(enterprise_id: str | None) -> str:
    """Where the editor keeps unsaved typing for this enterprise (or a new one)."""
    return f"{DRAFT_PREFIX}{enterprise_id or NEW_DRAFT}"


class EnterpriseService:
    """The enterprise library (企业库) as the UI and CLI use it."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._database = workspace.database

    @property
    def workspace(self) -> Workspace:
        return self._workspace

    # -- reading -----------------------------------------------------------------------------

    def page(
        self,
        filter_: EnterpriseFilter = EnterpriseFilter(),
        sort: EnterpriseSort = EnterpriseSort.NAME,
        descending: bool = False,
        offset: int = 0,
        limit: int = PAGE_SIZE,
    ) -> EnterprisePage:
        """One page of the filtered, sorted list and the total number of matches."""
        owner = aliased(MemberRow)
        last_visit = (
            select(func.max(VisitRow.visited_on))
            .where(VisitRow.enterprise_id == EnterpriseRow.id, VisitRow.deleted == false())
            .correlate(EnterpriseRow)
            .scalar_subquery()
        )
        query = (
            select(EnterpriseRow, SquadRow.name, owner.name, last_visit)
            .outerjoin(SquadRow, SquadRow.id == EnterpriseRow.squad_id)
            .outerjoin(owner, owner.id == EnterpriseRow.owner_id)
        )
        query = _apply_filter(query, filter_)
        order = {
            EnterpriseSort.NAME: EnterpriseRow.name_initials,  # pinyin order, as users expect
            EnterpriseSort.USCC: EnterpriseRow.uscc,
            EnterpriseSort.REGION: EnterpriseRow.region_code,
            EnterpriseSort.INDUSTRY: EnterpriseRow.industry_code,
            EnterpriseSort.SQUAD: SquadRow.name,
            EnterpriseSort.LAST_VISIT: last_visit,
            EnterpriseSort.UPDATED: EnterpriseRow.updated_at,
        }[sort]
        primary = order.desc().nulls_last() if descending else order.asc().nulls_last()
        tie = EnterpriseRow.name_key.desc() if descending else EnterpriseRow.name_key.asc()
        query = query.order_by(primary, tie, EnterpriseRow.id).offset(offset).limit(limit)
        with self._database.read() as session:
            total = (
                session.scalar(_apply_filter(select(func.count(EnterpriseRow.id)), filter_)) or 0
            )
            rows = tuple(
                _list_row(row, squad or "", owner_name or "", visited)
                for row, squad, owner_name, visited in session.execute(query)
            )
            honours = honour_tags_in(session, [row.id for row in rows])
        rows = tuple(replace(row, honours=honours.get(row.id, ())) for row in rows)
        return EnterprisePage(rows=rows, total=total, offset=offset)

    def dossier(self, enterprise_id: str) -> Dossier:
        with self._database.read() as session:
            return load_dossier(session, enterprise_id)

    def find_duplicates(
        self, name: str, uscc: str | None, exclude_id: str | None = None
    ) -> list[DuplicateCandidate]:
        """Live enterprises with the same USCC or the same normalised name."""
        with self._database.read() as session:
            return list(duplicates_of(session, name, uscc, exclude_id))

    def edit_context(self, enterprise_id: str | None) -> EditContext:
        """What the dossier editor opens with (``None``: a new enterprise)."""
        me = self._workspace.current_member_id()
        with self._database.read() as session:
            dossier = load_dossier(session, enterprise_id) if enterprise_id else None
            if dossier is not None and dossier.enterprise.deleted:
                raise NotFoundError(tr("找不到该企业（{id}）", id=enterprise_id))
            draft = session.get(LocalSetting, draft_key(enterprise_id))
            return EditContext(
                dossier=dossier,
                choices=_choices(session, me),
                draft=draft.value if draft is not None else None,
            )

    def keep_draft(self, enterprise_id: str | None, text: str | None) -> None:
        """Keep the editor's unsaved typing (a local note, never synced); None forgets it."""
        key = draft_key(enterprise_id)
        with self._database.write(self._workspace.actor()) as session:
            setting = session.get(LocalSetting, key)
            if text is None:
                if setting is not None:
                    session.delete(setting)
            elif setting is None:
                session.add(LocalSetting(key=key, value=text))
            else:
                setting.value = text

    # -- writing -----------------------------------------------------------------------------

    def create(self, changes: Mapping[str, Any]) -> str:
        """Create an enterprise from validated fields; returns its id."""
        clean = validate_enterprise_changes(changes, creating=True)
        with self._database.write(self._workspace.actor()) as session:
            _check_references(session, clean)
            identity = identity_of(clean["name"])
            row = EnterpriseRow(
                name_key=identity.name_key, name_initials=identity.name_initials, **clean
            )
            session.add(row)
            session.flush()
            return row.id

    def update(self, enterprise_id: str, changes: Mapping[str, Any]) -> None:
        """Change some fields; only fields whose value differs are recorded."""
        clean = validate_enterprise_changes(changes, creating=False)
        with self._database.write(self._workspace.actor()) as session:
            row = _live(session, enterprise_id)
            _check_references(session, clean)
            _set_fields(row, clean)

    def save(self, edit: EnterpriseEdit) -> str:
        """Create or change an enterprise with its contacts, honours and chain links.

        One unit of work: either everything in ``edit`` is written, or (on a ``ValidationError``
        naming the field) nothing is. Returns the enterprise id.
        """
        creating = edit.enterprise_id is None
        clean = validate_enterprise_changes(edit.fields, creating=creating)
        contacts = checked_contacts(edit.contacts) if edit.contacts is not None else None
        honours = checked_honours(edit.honours) if edit.honours is not None else None
        with self._database.write(self._workspace.actor()) as session:
            _check_references(session, clean)
            if edit.enterprise_id is None:
                identity = identity_of(clean["name"])
                row = EnterpriseRow(
                    name_key=identity.name_key, name_initials=identity.name_initials, **clean
                )
                session.add(row)
                session.flush()
            else:
                row = _live(session, edit.enterprise_id)
                _set_fields(row, clean)
            if contacts is not None:
                apply_contacts(session, row.id, contacts)
            if honours is not None:
                apply_honours(session, row, honours)
            if edit.link_ids is not None:
                apply_links(session, row.id, edit.link_ids)
            draft = session.get(LocalSetting, draft_key(edit.enterprise_id))
            if draft is not None:  # saved: the kept typing is not needed any more
                session.delete(draft)
            return row.id

    def delete(self, enterprise_id: str) -> None:
        """Tombstone the enterprise (its visits and projects stay, findable by id)."""
        with self._database.write(self._workspace.actor()) as session:
            _live(session, enterprise_id).deleted = True

    def restore(self, enterprise_id: str) -> None:
        """Undo a delete."""
        with self._database.write(self._workspace.actor()) as session:
            row = session.get(EnterpriseRow, enterprise_id)
            if row is None:
                raise NotFoundError(tr("找不到该企业（{id}）", id=enterprise_id))
            row.deleted = False


def _set_fields(row: EnterpriseRow, clean: Mapping[str, Any]) -> None:
    for field, value in clean.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
    if "name" in clean:
        identity = identity_of(clean["name"])
        row.name_key = identity.name_key
        row.name_initials = identity.name_initials


def _choices(session: Session, me: str | None) -> EditorChoices:
    member = session.get(MemberRow, me) if me else None
    if member is not None and member.deleted:
        member = None
    squads = session.execute(
        select(SquadRow.id, SquadRow.name)
        .where(SquadRow.deleted == false())
        .order_by(SquadRow.name)
    ).all()
    members = session.execute(
        select(MemberRow.id, MemberRow.name, SquadRow.name)
        .outerjoin(SquadRow, SquadRow.id == MemberRow.squad_id)
        .where(MemberRow.deleted == false())
        .order_by(SquadRow.name, MemberRow.name)
    ).all()
    links = session.execute(
        select(IndustryChainRow.name, ChainLinkRow.name, ChainLinkRow.kind, ChainLinkRow.id)
        .join(IndustryChainRow, IndustryChainRow.id == ChainLinkRow.chain_id)
        .where(ChainLinkRow.deleted == false(), IndustryChainRow.deleted == false())
        .order_by(IndustryChainRow.name, ChainLinkRow.sort_order, ChainLinkRow.name)
    ).all()
    return EditorChoices(
        squads=tuple(Choice(squad_id, name) for squad_id, name in squads),
        members=tuple(
            Choice(member_id, tr("{name}（{squad}）", name=name, squad=squad) if squad else name)
            for member_id, name, squad in members
        ),
        links=tuple(ChainLinkView(*link) for link in links),
        my_member_id=member.id if member is not None else None,
        my_squad_id=member.squad_id if member is not None else None,
    )


def _apply_filter(query: Select[*_Ts], filter_: EnterpriseFilter) -> Select[*_Ts]:
    if not filter_.include_deleted:
        query = query.where(EnterpriseRow.deleted == false())
    if filter_.squad_id:
        query = query.where(EnterpriseRow.squad_id == filter_.squad_id)
    if filter_.intent_level:
        query = query.where(EnterpriseRow.intent_level == filter_.intent_level)
    text = filter_.text.strip()
    if text:
        pattern = f"%{_escape_like(name_key(text))}%"
        conditions = [EnterpriseRow.name_key.like(pattern, escape="\\")]
        if text.isascii():
            upper = _escape_like(normalise_uscc(text))
            conditions.append(EnterpriseRow.uscc.like(f"{upper}%", escape="\\"))
            conditions.append(
                EnterpriseRow.name_initials.like(f"{_escape_like(text.lower())}%", escape="\\")
            )
        query = query.where(or_(*conditions))
    return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _list_row(
    row: EnterpriseRow, squad: str, owner: str, last_visit: dt.date | str | None
) -> EnterpriseListRow:
    if isinstance(last_visit, str):
        last_visit = dt.date.fromisoformat(last_visit)
    return EnterpriseListRow(
        id=row.id,
        name=row.name,
        uscc=row.uscc,
        region_code=row.region_code,
        region_name=region_label(row.region_code),
        industry_code=row.industry_code,
        industry_name=industry_label(row.industry_code),
        squad_name=squad,
        owner_name=owner,
        intent_level=row.intent_level,
        tags=split_tags(row.tags),
        last_visit_on=last_visit,
        updated_at=row.updated_at,
        deleted=row.deleted,
    )


def _live(session: Session, enterprise_id: str) -> EnterpriseRow:
    row = session.get(EnterpriseRow, enterprise_id)
    if row is None or row.deleted:
        raise NotFoundError(tr("找不到该企业（{id}）", id=enterprise_id))
    return row


def _check_references(session: Session, clean: Mapping[str, Any]) -> None:
    references: tuple[tuple[str, type[Synced]], ...] = (
        ("squad_id", SquadRow),
        ("owner_id", MemberRow),
    )
    for field, table in references:
        value = clean.get(field)
        if value is not None:
            found = session.get(table, value)
            if found is None or found.deleted:
                raise ValidationError(field, tr("{field}不存在", field=label(field)))
