"""Load one enterprise's dossier: identity, contacts, visits, notes, projects, tasks and more."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.database.tables import (
    ChainLinkRow,
    CommitmentRow,
    ConflictRow,
    ContactRow,
    DirectoryEntryRow,
    EnterpriseLinkRow,
    EnterpriseRow,
    HonourDirectoryRow,
    IndustryChainRow,
    NegotiationNoteRow,
    ProblemRow,
    ProjectRow,
    SquadRow,
    Synced,
    TaskRow,
    VisitParticipantRow,
    VisitRow,
)
from app.domain.errors import NotFoundError
from app.domain.names import name_key
from app.domain.uscc import normalise_uscc
from app.i18n import tr
from app.services.enterprise_merge import merge_notes
from app.services.enterprise_views import (
    ChainLinkView,
    CommitmentSummary,
    ContactView,
    Dossier,
    DuplicateCandidate,
    EnterpriseDetail,
    HonourView,
    NoteSummary,
    ProblemSummary,
    ProjectSummary,
    TaskSummary,
    VisitSummary,
)
from app.services.lookups import industry_label, member_names, region_label, split_tags

_Row = TypeVar("_Row", bound=Synced)


def load_dossier(session: Session, enterprise_id: str) -> Dossier:
    row = session.get(EnterpriseRow, enterprise_id)
    if row is None:
        raise NotFoundError(tr("找不到该企业（{id}）", id=enterprise_id))
    contacts = session.scalars(
        select(ContactRow)
        .where(ContactRow.enterprise_id == enterprise_id, ContactRow.deleted == false())
        .order_by(ContactRow.is_primary.desc(), ContactRow.name)
    ).all()
    visits = session.scalars(
        select(VisitRow)
        .where(VisitRow.enterprise_id == enterprise_id, VisitRow.deleted == false())
        .order_by(VisitRow.visited_on.desc(), VisitRow.id.desc())
    ).all()
    participants: dict[str, list[str]] = {}
    if visits:
        for visit_id, member_id in session.execute(
            select(VisitParticipantRow.visit_id, VisitParticipantRow.member_id).where(
                VisitParticipantRow.visit_id.in_([v.id for v in visits]),
                VisitParticipantRow.deleted == false(),
            )
        ):
            participants.setdefault(visit_id, []).append(member_id)
    notes = session.scalars(
        select(NegotiationNoteRow)
        .where(
            NegotiationNoteRow.enterprise_id == enterprise_id,
            NegotiationNoteRow.deleted == false(),
        )
        .order_by(NegotiationNoteRow.held_on.desc(), NegotiationNoteRow.round_no.desc())
    ).all()
    projects = _of_enterprise(session, ProjectRow, ProjectRow.enterprise_id, enterprise_id)
    tasks = session.scalars(
        select(TaskRow)
        .where(TaskRow.enterprise_id == enterprise_id, TaskRow.deleted == false())
        .order_by(TaskRow.status, TaskRow.due_on.asc().nulls_last())
    ).all()
    commitments = _of_enterprise(session, CommitmentRow, CommitmentRow.enterprise_id, enterprise_id)
    problems = _of_enterprise(session, ProblemRow, ProblemRow.enterprise_id, enterprise_id)
    names = member_names(
        session,
        [row.owner_id]
        + [v.author_id for v in visits]
        + [m for ids in participants.values() for m in ids]
        + [p.responsible_id for p in projects]
        + [t.owner_id for t in tasks]
        + [p.owner_id for p in problems],
    )
    squad = session.get(SquadRow, row.squad_id) if row.squad_id else None
    return Dossier(
        enterprise=_detail(row, squad.name if squad else "", names.get(row.owner_id or "", "")),
        contacts=tuple(
            ContactView(
                c.id, c.name, c.title, c.phone, c.mobile, c.email, c.is_primary, c.wechat, c.notes
            )
            for c in contacts
        ),
        visits=tuple(
            VisitSummary(
                v.id,
                v.visited_on,
                v.place,
                v.purpose,
                names.get(v.author_id or "", ""),
                tuple(names.get(m, "") for m in participants.get(v.id, [])),
            )
            for v in visits
        ),
        notes=tuple(
            NoteSummary(
                n.id,
                n.round_no,
                n.held_on,
                n.their_asks,
                n.our_offers,
                n.sticking_points,
                n.next_round_on,
            )
            for n in notes
        ),
        projects=tuple(
            ProjectSummary(
                p.id,
                p.name,
                p.stage,
                p.stage_on,
                p.contract_amount,
                names.get(p.responsible_id or "", ""),
            )
            for p in projects
        ),
        tasks=tuple(
            TaskSummary(t.id, t.title, names.get(t.owner_id or "", ""), t.due_on, t.status)
            for t in tasks
        ),
        commitments=tuple(
            CommitmentSummary(c.id, c.content, c.due_on, c.status) for c in commitments
        ),
        problems=tuple(
            ProblemSummary(p.id, p.title, names.get(p.owner_id or "", ""), p.deadline, p.status)
            for p in problems
        ),
        honours=_honours(session, enterprise_id),
        links=_links(session, enterprise_id),
        open_conflicts=_open_conflicts(
            session,
            [enterprise_id, *(c.id for c in contacts), *(v.id for v in visits)]
            + [n.id for n in notes]
            + [p.id for p in projects],
        ),
        duplicates=duplicates_of(session, row.name, row.uscc, exclude_id=row.id),
        merges=merge_notes(session, enterprise_id),
    )


def duplicates_of(
    session: Session, name: str, uscc: str | None, exclude_id: str | None = None
) -> tuple[DuplicateCandidate, ...]:
    """Live enterprises with the same USCC or the same normalised name."""
    conditions = [EnterpriseRow.name_key == name_key(name)] if name.strip() else []
    code = normalise_uscc(uscc) if uscc else ""
    if code:
        conditions.append(EnterpriseRow.uscc == code)
    if not conditions:
        return ()
    query = select(EnterpriseRow.id, EnterpriseRow.name, EnterpriseRow.uscc).where(
        or_(*conditions), EnterpriseRow.deleted == false()
    )
    if exclude_id:
        query = query.where(EnterpriseRow.id != exclude_id)
    return tuple(
        DuplicateCandidate(
            found.id, found.name, found.uscc, "uscc" if code and found.uscc == code else "name"
        )
        for found in session.execute(query.order_by(EnterpriseRow.name_key).limit(20))
    )


def _open_conflicts(session: Session, row_ids: list[str]) -> int:
    """Undecided sync conflicts on the enterprise or the records shown under it."""
    counted = session.scalar(
        select(func.count()).where(
            ConflictRow.row_id.in_(row_ids),
            ConflictRow.status == "open",
            ConflictRow.deleted == false(),
        )
    )
    return counted or 0


def _of_enterprise(
    session: Session, table: type[_Row], column: InstrumentedAttribute[str], enterprise_id: str
) -> list[_Row]:
    """Live rows of ``table`` whose ``column`` names the given enterprise."""
    return list(
        session.scalars(select(table).where(column == enterprise_id, table.deleted == false()))
    )


def _detail(row: EnterpriseRow, squad_name: str, owner_name: str) -> EnterpriseDetail:
    return EnterpriseDetail(
        id=row.id,
        name=row.name,
        uscc=row.uscc,
        region_code=row.region_code,
        region_name=region_label(row.region_code),
        industry_code=row.industry_code,
        industry_name=industry_label(row.industry_code),
        registered_capital=row.registered_capital,
        legal_representative=row.legal_representative,
        headquarters=row.headquarters,
        address=row.address,
        founded_on=row.founded_on,
        website=row.website,
        profile=row.profile,
        investment_intent=row.investment_intent,
        intent_level=row.intent_level,
        land_mu=row.land_mu,
        water_need=row.water_need,
        power_need=row.power_need,
        workforce_need=row.workforce_need,
        site_preference=row.site_preference,
        tags=split_tags(row.tags),
        squad_id=row.squad_id,
        squad_name=squad_name,
        owner_id=row.owner_id,
        owner_name=owner_name,
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted=row.deleted,
    )


def _honours(session: Session, enterprise_id: str) -> tuple[HonourView, ...]:
    rows = session.execute(
        select(
            HonourDirectoryRow.kind,
            HonourDirectoryRow.year,
            HonourDirectoryRow.batch,
            HonourDirectoryRow.title,
            DirectoryEntryRow.id,
        )
        .join(DirectoryEntryRow, DirectoryEntryRow.directory_id == HonourDirectoryRow.id)
        .where(
            DirectoryEntryRow.enterprise_id == enterprise_id,
            DirectoryEntryRow.deleted == false(),
            HonourDirectoryRow.deleted == false(),
        )
        .order_by(HonourDirectoryRow.year.desc(), HonourDirectoryRow.kind)
    )
    # After a merge the same list may hold both records: show it once.
    unique: dict[tuple[str, int, str, str], str] = {}
    for r in rows:
        unique.setdefault((r.kind, r.year, r.batch, r.title), r.id)
    return tuple(HonourView(*key, entry_id) for key, entry_id in unique.items())


def _links(session: Session, enterprise_id: str) -> tuple[ChainLinkView, ...]:
    rows = session.execute(
        select(IndustryChainRow.name, ChainLinkRow.name, ChainLinkRow.kind, ChainLinkRow.id)
        .join(ChainLinkRow, ChainLinkRow.chain_id == IndustryChainRow.id)
        .join(EnterpriseLinkRow, EnterpriseLinkRow.link_id == ChainLinkRow.id)
        .where(
            EnterpriseLinkRow.enterprise_id == enterprise_id, EnterpriseLinkRow.deleted == false()
        )
        .order_by(IndustryChainRow.name, ChainLinkRow.sort_order)
    )
    unique: dict[str, tuple[str, str, str]] = {}
    for chain, link, kind, link_id in rows:
        unique.setdefault(link_id, (chain, link, kind))
    return tuple(ChainLinkView(*names, link_id) for link_id, names in unique.items())
