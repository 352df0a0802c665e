"""Industry chains (产业链招商, 链长制): links, their targets, visits, projects and coverage gaps.

Visits per link are the visits to the link's target enterprises (``enterprise_links``), whether
or not the visit record itself was tagged with the link: a squad visiting a target counts as
work on that link. A link has a gap (缺口) when it has no target enterprise, or when none of its
targets was visited in the last ``RECENT_DAYS`` days.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, false, func, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.database.tables import (
    ChainLinkRow,
    EnterpriseLinkRow,
    EnterpriseRow,
    IndustryChainRow,
    ProjectRow,
    VisitRow,
)
from app.domain.errors import NotFoundError
from app.domain.vocabulary import ChainPosition, LinkKind, ProjectStage
from app.i18n import tr
from app.services.lookups import as_date, industry_label, region_label
from app.services.workspace import Workspace

RECENT_DAYS = 90
"""A link whose targets had no visit in this many days (today included) has a gap."""


class LinkGap(StrEnum):
    NO_TARGETS = "no_targets"
    NO_RECENT_VISIT = "no_recent_visit"


@dataclass(frozen=True, slots=True)
class LinkView:
    id: str
    chain_id: str
    name: str
    position: ChainPosition
    kind: LinkKind
    target_count: int
    """Distinct live enterprises placed on the link."""
    visit_count: int
    """Visits (up to today) to the link's target enterprises."""
    recent_visit_count: int
    """Of those, the visits within the last ``RECENT_DAYS`` days."""
    last_visit_on: dt.date | None
    project_count: int
    """Live projects on the link (``projects.chain_link_id``), 解约 excluded."""
    gap: LinkGap | None


@dataclass(frozen=True, slots=True)
class ChainView:
    id: str
    name: str
    leader_name: str
    leader_title: str
    description: str
    links: tuple[LinkView, ...]

    @property
    def gap_count(self) -> int:
        return sum(1 for link in self.links if link.gap is not None)


@dataclass(frozen=True, slots=True)
class ChainMap:
    today: dt.date
    recent_since: dt.date
    """First day of the recent-visit window."""
    chains: tuple[ChainView, ...]


@dataclass(frozen=True, slots=True)
class LinkEnterprise:
    enterprise_id: str
    name: str
    region_name: str
    industry_name: str
    visit_count: int
    last_visit_on: dt.date | None
    note: str


class ChainService:
    """Reads the chain map and each link's target list.

    Visit figures are gathered per enterprise with queries SQLite answers from an index (the
    visits table is the largest in the database), then summed per link here.
    """

    def __init__(self, workspace: Workspace, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._database = workspace.database
        self._today = today

    def chain_map(self) -> ChainMap:
        today = self._today()
        since = today - dt.timedelta(days=RECENT_DAYS - 1)
        with self._database.read() as session:
            chains = session.scalars(
                select(IndustryChainRow)
                .where(IndustryChainRow.deleted == false())
                .order_by(IndustryChainRow.name, IndustryChainRow.id)
            ).all()
            links = session.scalars(
                select(ChainLinkRow)
                .where(ChainLinkRow.deleted == false())
                .order_by(ChainLinkRow.sort_order, ChainLinkRow.name, ChainLinkRow.id)
            ).all()
            targets = _targets(session)
            visits = _visit_totals(session, today)
            recent, recent_last = _recent_visits(session, since, today)
            stale = {
                enterprise_id
                for enterprises in targets.values()
                if not any(recent[e] for e in enterprises)
                for enterprise_id in enterprises
                if visits[enterprise_id]
            }
            last_visit = {**_last_visits(session, stale, today), **recent_last}
            projects: dict[str | None, int] = {
                link_id: count
                for link_id, count in session.execute(
                    select(ProjectRow.chain_link_id, func.count(ProjectRow.id))
                    .where(
                        ProjectRow.deleted == false(),
                        ProjectRow.chain_link_id.is_not(None),
                        ProjectRow.stage != ProjectStage.TERMINATED.value,
                    )
                    .group_by(ProjectRow.chain_link_id)
                )
            }
        by_chain: dict[str, list[LinkView]] = {}
        for link in links:
            enterprises = targets.get(link.id, set())
            recent_count = sum(recent[e] for e in enterprises)
            lasts = [last_visit[e] for e in enterprises if e in last_visit]
            by_chain.setdefault(link.chain_id, []).append(
                LinkView(
                    id=link.id,
                    chain_id=link.chain_id,
                    name=link.name,
                    position=ChainPosition(link.position),
                    kind=LinkKind(link.kind),
                    target_count=len(enterprises),
                    visit_count=sum(visits[e] for e in enterprises),
                    recent_visit_count=recent_count,
                    last_visit_on=max(lasts) if lasts else None,
                    project_count=projects.get(link.id, 0),
                    gap=(
                        LinkGap.NO_TARGETS
                        if not enterprises
                        else LinkGap.NO_RECENT_VISIT
                        if not recent_count
                        else None
                    ),
                )
            )
        return ChainMap(
            today=today,
            recent_since=since,
            chains=tuple(
                ChainView(
                    chain.id,
                    chain.name,
                    chain.leader_name,
                    chain.leader_title,
                    chain.description,
                    tuple(by_chain.get(chain.id, ())),
                )
                for chain in chains
            ),
        )

    def link_enterprises(self, link_id: str) -> tuple[LinkEnterprise, ...]:
        """The link's target enterprises by name, each with its visits up to today."""
        today = self._today()
        query = (
            select(EnterpriseRow, EnterpriseLinkRow.note)
            .join(EnterpriseLinkRow, EnterpriseLinkRow.enterprise_id == EnterpriseRow.id)
            .where(
                EnterpriseLinkRow.link_id == link_id,
                EnterpriseLinkRow.deleted == false(),
                EnterpriseRow.deleted == false(),
            )
            .order_by(EnterpriseRow.name_key, EnterpriseRow.id, EnterpriseLinkRow.id)
        )
        with self._database.read() as session:
            link = session.get(ChainLinkRow, link_id)
            if link is None or link.deleted:
                raise NotFoundError(tr("找不到该产业链环节（{id}）", id=link_id))
            found: dict[str, tuple[EnterpriseRow, str]] = {}
            for enterprise, note in session.execute(query):
                found.setdefault(enterprise.id, (enterprise, note))
            counts: Counter[str] = Counter()
            last: dict[str, dt.date] = {}
            for chunk in _chunks(list(found)):
                for enterprise_id, visited_on in session.execute(
                    select(VisitRow.enterprise_id, VisitRow.visited_on).where(
                        VisitRow.enterprise_id.in_(chunk),
                        _live(VisitRow.deleted),
                        VisitRow.visited_on <= today,
                    )
                ):
                    counts[enterprise_id] += 1
                    last[enterprise_id] = max(visited_on, last.get(enterprise_id, visited_on))
        return tuple(
            LinkEnterprise(
                enterprise_id=enterprise.id,
                name=enterprise.name,
                region_name=region_label(enterprise.region_code),
                industry_name=industry_label(enterprise.industry_code),
                visit_count=counts[enterprise.id],
                last_visit_on=last.get(enterprise.id),
                note=note,
            )
            for enterprise, note in found.values()
        )


def _live(deleted: InstrumentedAttribute[bool]) -> ColumnElement[bool]:
    """``deleted IS NOT 1``: the same rows as ``deleted == false()`` (the column is never NULL),
    written so SQLite does not pick the near-useless index on ``deleted`` over a better one."""
    return deleted.is_not(True)


def _targets(session: Session) -> dict[str, set[str]]:
    """Each link's live target enterprises."""
    gone = set(session.scalars(select(EnterpriseRow.id).where(EnterpriseRow.deleted == true())))
    targets: dict[str, set[str]] = {}
    for link_id, enterprise_id in session.execute(
        select(EnterpriseLinkRow.link_id, EnterpriseLinkRow.enterprise_id).where(
            EnterpriseLinkRow.deleted == false()
        )
    ):
        if enterprise_id not in gone:
            targets.setdefault(link_id, set()).add(enterprise_id)
    return targets


def _visit_totals(session: Session, today: dt.date) -> Counter[str]:
    """Live visits up to today per enterprise: all visits (counted from the enterprise index
    alone) less the deleted ones and those dated after today (both few)."""
    totals: Counter[str] = Counter(
        {
            enterprise_id: count
            for enterprise_id, count in session.execute(
                select(VisitRow.enterprise_id, func.count()).group_by(VisitRow.enterprise_id)
            )
        }
    )
    deleted = session.scalars(select(VisitRow.enterprise_id).where(VisitRow.deleted == true()))
    future = session.scalars(
        select(VisitRow.enterprise_id).where(VisitRow.visited_on > today, _live(VisitRow.deleted))
    )
    totals.subtract([*deleted, *future])
    return totals


def _recent_visits(
    session: Session, since: dt.date, today: dt.date
) -> tuple[Counter[str], dict[str, dt.date]]:
    """Per enterprise: live visits from ``since`` to ``today`` and the latest of them."""
    counts: Counter[str] = Counter()
    last: dict[str, dt.date] = {}
    for enterprise_id, visited_on in session.execute(
        select(VisitRow.enterprise_id, VisitRow.visited_on).where(
            VisitRow.visited_on >= since, VisitRow.visited_on <= today, _live(VisitRow.deleted)
        )
    ):
        counts[enterprise_id] += 1
        last[enterprise_id] = max(visited_on, last.get(enterprise_id, visited_on))
    return counts, last


def _last_visits(
    session: Session, enterprise_ids: Iterable[str], today: dt.date
) -> dict[str, dt.date]:
    """The latest live visit up to today of each given enterprise."""
    last: dict[str, dt.date] = {}
    for chunk in _chunks(list(enterprise_ids)):
        for enterprise_id, visited_on in session.execute(
            select(VisitRow.enterprise_id, func.max(VisitRow.visited_on))
            .where(
                VisitRow.enterprise_id.in_(chunk),
                _live(VisitRow.deleted),
                VisitRow.visited_on <= today,
            )
            .group_by(VisitRow.enterprise_id)
        ):
            last[enterprise_id] = as_date(visited_on)
    return last


def _chunks(ids: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
