"""Enterprise use cases: list and filter, create, edit, delete with undo, find duplicates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVarTuple

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.database.tables import EnterpriseRow, MemberRow, SquadRow, Synced, VisitRow
from app.domain.enterprise import identity_of, label, validate_enterprise_changes
from app.domain.errors import NotFoundError, ValidationError
from app.domain.names import name_key
from app.domain.uscc import normalise_uscc
from app.i18n import tr
from app.services.dossier import load_dossier
from app.services.enterprise_views import (
    Dossier,
    DuplicateCandidate,
    EnterpriseFilter,
    EnterpriseListRow,
    EnterprisePage,
    EnterpriseSort,
)
from app.services.lookups import industry_label, region_label, split_tags
from app.services.workspace import Workspace

_Ts = TypeVarTuple("_Ts")

PAGE_SIZE = 200


class EnterpriseService:
    """The enterprise library (企业库) as the UI and CLI use it."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._database = workspace.database

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
        return EnterprisePage(rows=rows, total=total, offset=offset)

    def dossier(self, enterprise_id: str) -> Dossier:
        with self._database.read() as session:
            return load_dossier(session, enterprise_id)

    def find_duplicates(
        self, name: str, uscc: str | None, exclude_id: str | None = None
    ) -> list[DuplicateCandidate]:
        """Live enterprises with the same USCC or the same normalised name."""
        conditions = [EnterpriseRow.name_key == name_key(name)] if name.strip() else []
        code = normalise_uscc(uscc) if uscc else ""
        if code:
            conditions.append(EnterpriseRow.uscc == code)
        if not conditions:
            return []
        query = select(EnterpriseRow.id, EnterpriseRow.name, EnterpriseRow.uscc).where(
            or_(*conditions), EnterpriseRow.deleted == false()
        )
        if exclude_id:
            query = query.where(EnterpriseRow.id != exclude_id)
        with self._database.read() as session:
            return [
                DuplicateCandidate(
                    row.id,
                    row.name,
                    row.uscc,
                    "uscc" if code and row.uscc == code else "name",
                )
                for row in session.execute(query.order_by(EnterpriseRow.name_key))
            ]

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
            for field, value in clean.items():
                setattr(row, field, value)
            if "name" in clean:
                identity = identity_of(clean["name"])
                row.name_key = identity.name_key
                row.name_initials = identity.name_initials

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
