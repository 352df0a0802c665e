"""Writing industry chains (链长制): chains with their leader (链长), their links (环节), and each
link's target enterprises (目标企业). Each call is one unit of work; change tracking writes the
outbox and the history.

Who may write: chains and links are bureau tables the sync server lets squad leaders and bureau
admins write, so a plain member's laptop refuses too (the map is read-only for them); a laptop
not signed in to a bureau (no current member) may.

Deleting (a tombstone, like every delete):

- a link is refused while it still has target enterprises, visits tagged with it or projects
  tagged with it; the message says which and how many (remove the targets and re-tag the
  records first, so nothing is silently left pointing at a deleted link);
- a chain is refused while any of its links would be refused; otherwise the chain and its
  (empty) links go together.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from app.database.tables import (
    ChainLinkRow,
    EnterpriseLinkRow,
    EnterpriseRow,
    IndustryChainRow,
    MemberRow,
    ProjectRow,
    VisitRow,
)
from app.domain.chain import (
    ChainDraft,
    LinkDraft,
    validate_chain_draft,
    validate_link_draft,
    validate_note,
)
from app.domain.errors import AppError, NotFoundError, ValidationError
from app.domain.vocabulary import Role
from app.i18n import tr
from app.services.workspace import Workspace

EDITOR_ROLES = frozenset({Role.LEADER.value, Role.ADMIN.value})


class ChainEditingService:
    """Create, edit, reorder and delete chains and links; add and remove link targets."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._database = workspace.database

    def can_edit(self) -> bool:
        """Squad leaders and bureau admins may; so may a laptop with no current member."""
        member_id = self._workspace.current_member_id()
        if member_id is None:
            return True
        with self._database.read() as session:
            member = session.get(MemberRow, member_id)
            return member is None or member.role in EDITOR_ROLES

    # -- chains ----------------------------------------------------------------------------------

    def create_chain(self, draft: ChainDraft) -> str:
        clean = validate_chain_draft(draft)
        with self._writing() as session:
            _check_chain_name_free(session, clean.name, None)
            chain = IndustryChainRow(
                name=clean.name,
                leader_name=clean.leader_name,
                leader_title=clean.leader_title,
                description=clean.description,
            )
            session.add(chain)
            session.flush()
            return chain.id

    def update_chain(self, chain_id: str, draft: ChainDraft) -> None:
        clean = validate_chain_draft(draft)
        with self._writing() as session:
            chain = _live_chain(session, chain_id)
            _check_chain_name_free(session, clean.name, chain_id)
            _assign(
                chain,
                name=clean.name,
                leader_name=clean.leader_name,
                leader_title=clean.leader_title,
                description=clean.description,
            )

    def delete_chain(self, chain_id: str) -> None:
        """Tombstone the chain and its links; refused while a link is still in use."""
        with self._writing() as session:
            chain = _live_chain(session, chain_id)
            links = _links_of(session, chain_id)
            for link in links:
                problem = _in_use(session, link.id)
                if problem:
                    raise ValidationError(
                        "chain",
                        tr(
                            "不能删除产业链“{chain}”：环节“{link}”{problem}",
                            chain=chain.name,
                            link=link.name,
                            problem=problem,
                        ),
                    )
            for link in links:
                link.deleted = True
            chain.deleted = True

    # -- links -----------------------------------------------------------------------------------

    def create_link(self, chain_id: str, draft: LinkDraft) -> str:
        """A new link, placed after the chain's other links."""
        clean = validate_link_draft(draft)
        with self._writing() as session:
            _live_chain(session, chain_id)
            _check_link_name_free(session, chain_id, clean.name, None)
            last = session.scalar(
                select(func.max(ChainLinkRow.sort_order)).where(
                    ChainLinkRow.chain_id == chain_id, ChainLinkRow.deleted == false()
                )
            )
            link = ChainLinkRow(
                chain_id=chain_id,
                name=clean.name,
                position=clean.position.value,
                kind=clean.kind.value,
                description=clean.description,
                sort_order=(last + 1) if last is not None else 0,
            )
            session.add(link)
            session.flush()
            return link.id

    def update_link(self, link_id: str, draft: LinkDraft) -> None:
        clean = validate_link_draft(draft)
        with self._writing() as session:
            link = _live_link(session, link_id)
            _check_link_name_free(session, link.chain_id, clean.name, link_id)
            _assign(
                link,
                name=clean.name,
                position=clean.position.value,
                kind=clean.kind.value,
                description=clean.description,
            )

    def reorder_links(self, chain_id: str, link_ids: Sequence[str]) -> None:
        """Put the chain's links in this order (links left out keep their turn after these);
        only links whose place changes are written."""
        with self._writing() as session:
            _live_chain(session, chain_id)
            links = {link.id: link for link in _links_of(session, chain_id)}
            unknown = [link_id for link_id in link_ids if link_id not in links]
            if unknown:
                raise NotFoundError(tr("找不到该产业链环节（{id}）", id=unknown[0]))
            wanted = list(dict.fromkeys(link_ids))
            ordered = [links[i] for i in wanted] + [
                link for i, link in links.items() if i not in wanted
            ]
            for order, link in enumerate(ordered):
                if link.sort_order != order:
                    link.sort_order = order

    def move_link(self, link_id: str, offset: int) -> None:
        """Move the link ``offset`` places (−1 up, +1 down) among the links of its position
        (上游, 中游 or 下游) in its chain; nothing happens at either end."""
        with self._database.read() as session:
            link = _live_link(session, link_id)
            chain_id, position = link.chain_id, link.position
            order = [row.id for row in _links_of(session, chain_id)]
            same = [row.id for row in _links_of(session, chain_id) if row.position == position]
        here = same.index(link_id)
        there = here + offset
        if offset == 0 or not 0 <= there < len(same):
            return
        order.remove(link_id)
        passed = order.index(same[there])
        order.insert(passed if offset < 0 else passed + 1, link_id)
        self.reorder_links(chain_id, order)

    def delete_link(self, link_id: str) -> None:
        """Tombstone the link; refused while it has targets, tagged visits or tagged projects."""
        with self._writing() as session:
            link = _live_link(session, link_id)
            problem = _in_use(session, link_id)
            if problem:
                raise ValidationError(
                    "link", tr("不能删除环节“{link}”：{problem}", link=link.name, problem=problem)
                )
            link.deleted = True

    # -- targets ---------------------------------------------------------------------------------

    def add_target(self, link_id: str, enterprise_id: str, note: str = "") -> str:
        """Place the enterprise on the link as a target; refused when it already is one."""
        clean_note = validate_note(note)
        with self._writing() as session:
            link = _live_link(session, link_id)
            enterprise = session.get(EnterpriseRow, enterprise_id)
            if enterprise is None or enterprise.deleted:
                raise NotFoundError(tr("找不到该企业（{id}）", id=enterprise_id))
            rows = _placements(session, link_id, enterprise_id)
            if any(not row.deleted for row in rows):
                raise ValidationError(
                    "enterprise_id",
                    tr(
                        "“{enterprise}”已是环节“{link}”的目标企业",
                        enterprise=enterprise.name,
                        link=link.name,
                    ),
                )
            if rows:  # placed before and removed: the same record comes back
                row = rows[0]
                row.deleted = False
                if row.note != clean_note:
                    row.note = clean_note
                return row.id
            row = EnterpriseLinkRow(enterprise_id=enterprise_id, link_id=link_id, note=clean_note)
            session.add(row)
            session.flush()
            return row.id

    def set_target_note(self, link_id: str, enterprise_id: str, note: str) -> None:
        clean_note = validate_note(note)
        with self._writing() as session:
            row = _live_placement(session, link_id, enterprise_id)
            if row.note != clean_note:
                row.note = clean_note

    def remove_target(self, link_id: str, enterprise_id: str) -> None:
        with self._writing() as session:
            _live_placement(session, link_id, enterprise_id).deleted = True

    # -- internals -------------------------------------------------------------------------------

    def _writing(self) -> AbstractContextManager[Session]:
        """The unit of work of one change, once the current member may make it."""
        if not self.can_edit():
            raise AppError(tr("只有小分队队长或单位管理员可以修改产业链"))
        return self._database.write(self._workspace.actor())


def _assign(row: IndustryChainRow | ChainLinkRow, **values: object) -> None:
    """Set only what differs, so an unchanged field makes no outbox entry or history."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def _live_chain(session: Session, chain_id: str) -> IndustryChainRow:
    chain = session.get(IndustryChainRow, chain_id)
    if chain is None or chain.deleted:
        raise NotFoundError(tr("找不到该产业链（{id}）", id=chain_id))
    return chain


def _live_link(session: Session, link_id: str) -> ChainLinkRow:
    link = session.get(ChainLinkRow, link_id)
    if link is None or link.deleted:
        raise NotFoundError(tr("找不到该产业链环节（{id}）", id=link_id))
    _live_chain(session, link.chain_id)
    return link


def _links_of(session: Session, chain_id: str) -> list[ChainLinkRow]:
    return list(
        session.scalars(
            select(ChainLinkRow)
            .where(ChainLinkRow.chain_id == chain_id, ChainLinkRow.deleted == false())
            .order_by(ChainLinkRow.sort_order, ChainLinkRow.name, ChainLinkRow.id)
        )
    )


def _placements(session: Session, link_id: str, enterprise_id: str) -> list[EnterpriseLinkRow]:
    """The enterprise's records on the link, live ones first."""
    return list(
        session.scalars(
            select(EnterpriseLinkRow)
            .where(
                EnterpriseLinkRow.link_id == link_id,
                EnterpriseLinkRow.enterprise_id == enterprise_id,
            )
            .order_by(EnterpriseLinkRow.deleted, EnterpriseLinkRow.created_at)
        )
    )


def _live_placement(session: Session, link_id: str, enterprise_id: str) -> EnterpriseLinkRow:
    _live_link(session, link_id)
    for row in _placements(session, link_id, enterprise_id):
        if not row.deleted:
            return row
    raise NotFoundError(tr("该企业不是这个环节的目标企业"))


def _check_chain_name_free(session: Session, name: str, chain_id: str | None) -> None:
    taken = session.scalar(
        select(IndustryChainRow.id).where(
            IndustryChainRow.name == name,
            IndustryChainRow.deleted == false(),
            IndustryChainRow.id != (chain_id or ""),
        )
    )
    if taken is not None:
        raise ValidationError("name", tr("已有名为“{name}”的产业链", name=name))


def _check_link_name_free(session: Session, chain_id: str, name: str, link_id: str | None) -> None:
    taken = session.scalar(
        select(ChainLinkRow.id).where(
            ChainLinkRow.chain_id == chain_id,
            ChainLinkRow.name == name,
            ChainLinkRow.deleted == false(),
            ChainLinkRow.id != (link_id or ""),
        )
    )
    if taken is not None:
        raise ValidationError("name", tr("本产业链已有名为“{name}”的环节", name=name))


def _in_use(session: Session, link_id: str) -> str:
    """Why the link cannot go (“还有 3 家目标企业、12 条拜访记录”), or "" when it can."""
    targets = session.scalar(
        select(func.count(func.distinct(EnterpriseLinkRow.enterprise_id)))
        .join(EnterpriseRow, EnterpriseRow.id == EnterpriseLinkRow.enterprise_id)
        .where(
            EnterpriseLinkRow.link_id == link_id,
            EnterpriseLinkRow.deleted == false(),
            EnterpriseRow.deleted == false(),
        )
    )
    visits = session.scalar(
        select(func.count(VisitRow.id)).where(
            VisitRow.chain_link_id == link_id, VisitRow.deleted == false()
        )
    )
    projects = session.scalar(
        select(func.count(ProjectRow.id)).where(
            ProjectRow.chain_link_id == link_id, ProjectRow.deleted == false()
        )
    )
    parts = []
    if targets:
        parts.append(tr("{count} 家目标企业", count=targets))
    if visits:
        parts.append(tr("{count} 条拜访记录", count=visits))
    if projects:
        parts.append(tr("{count} 个项目", count=projects))
    if not parts:
        return ""
    return tr(
        "还有{parts}标注在该环节上，请先移除目标企业、改标这些记录", parts=tr("、").join(parts)
    )
