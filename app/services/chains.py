"""Industry chains (产业链招商, 链长制): the chain map — each link's targets, visits, projects and
coverage gaps — each link's target list, and the link choices of the visit and project forms.

What counts under a link:

- **targets**: the live enterprises placed on it (``enterprise_links``);
- **visits**: the visits to its targets, whether or not the visit record was tagged with the
  link (a squad visiting a target is work on that link), plus the visits tagged with the link
  to enterprises that are not its targets; each visit once, up to today;
- **projects**: the live projects tagged with it (``projects.chain_link_id``), 解约 excluded.

A link has a gap (缺口) when it has no target enterprise, or when it had no visit in the
bureau's ``BureauRules.link_quiet_days`` (today included), or both.

Writing chains, links and targets is ``app.services.chain_editing``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, false, func, select, text, true
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
from app.domain.vocabulary import PIPELINE, ChainPosition, LinkKind, ProjectStage
from app.i18n import tr
from app.services.bureau_settings import load_rules
from app.services.chain_views import (
    ChainMap,
    ChainView,
    LinkChoice,
    LinkEnterprise,
    LinkGap,
    LinkView,
)
from app.services.lookups import as_date, industry_label, region_label
from app.services.workspace import Workspace

__all__ = [
    "ChainMap",
    "ChainService",
    "ChainView",
    "LinkChoice",
    "LinkEnterprise",
    "LinkGap",
    "LinkView",
]

SIGNED_OR_BEYOND = tuple(stage.value for stage in PIPELINE[PIPELINE.index(ProjectStage.SIGNED) :])


@dataclass
class _Tally:
    """Visits counted under one link or chain; dates as ISO text (as SQLite hands them back)."""

    total: int = 0
    recent: int = 0
    last: str = ""

    def add(self, total: int, recent: int, last: str) -> None:
        self.total += total
        self.recent += recent
        self.last = max(self.last, last)

    @property
    def last_date(self) -> dt.date | None:
        return as_date(self.last) if self.last else None


@dataclass
class _Visits:
    """Per enterprise: live visits up to today, those in the window, the latest (ISO text);
    and per (link, enterprise) the same for visits tagged with a link off its targets."""

    totals: Counter[str] = field(default_factory=Counter)
    recent: Counter[str] = field(default_factory=Counter)
    last: dict[str, str] = field(default_factory=dict)
    off_target: dict[str, list[tuple[str, int, int, str]]] = field(default_factory=dict)
    """link → [(enterprise, visits, recent visits, latest)]."""


class ChainService:
    """Reads the chain map, each link's target list and the link choices.

    Visit figures are gathered per enterprise with queries SQLite answers from an index (the
    visits table is the largest in the database), then summed per link here.
    """

    def __init__(self, workspace: Workspace, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._database = workspace.database
        self._today = today

    def chain_map(self) -> ChainMap:
        today = self._today()
        with self._database.read() as session:
            quiet_days = load_rules(session).link_quiet_days
            since = today - dt.timedelta(days=quiet_days - 1)
            chains = session.scalars(
                select(IndustryChainRow)
                .where(IndustryChainRow.deleted == false())
                .order_by(IndustryChainRow.name, IndustryChainRow.id)
            ).all()
            links = _live_links(session)
            targets = _targets(session)
            visits = _visits(session, targets, since, today)
            projects, signed = _projects(session)
        by_chain: dict[str, list[LinkView]] = {}
        for link in links:
            enterprises = targets.get(link.id, set())
            tally = _Tally(
                sum(visits.totals[e] for e in enterprises),
                sum(visits.recent[e] for e in enterprises),
                max((visits.last.get(e, "") for e in enterprises), default=""),
            )
            for _enterprise, total, recent, last in visits.off_target.get(link.id, ()):
                tally.add(total, recent, last)
            gaps = (
                *((LinkGap.NO_TARGETS,) if not enterprises else ()),
                *((LinkGap.NO_RECENT_VISIT,) if not tally.recent else ()),
            )
            by_chain.setdefault(link.chain_id, []).append(
                LinkView(
                    id=link.id,
                    chain_id=link.chain_id,
                    name=link.name,
                    position=ChainPosition(link.position),
                    kind=LinkKind(link.kind),
                    sort_order=link.sort_order,
                    description=link.description,
                    target_count=len(enterprises),
                    visit_count=tally.total,
                    recent_visit_count=tally.recent,
                    last_visit_on=tally.last_date,
                    project_count=projects[link.id],
                    signed_project_count=signed[link.id],
                    gaps=gaps,
                )
            )
        views = []
        for chain in chains:
            chain_links = tuple(by_chain.get(chain.id, ()))
            chain_targets = set().union(*(targets.get(link.id, set()) for link in chain_links))
            tally = _Tally(
                sum(visits.totals[e] for e in chain_targets),
                sum(visits.recent[e] for e in chain_targets),
            )
            for view in chain_links:
                for enterprise_id, total, recent, last in visits.off_target.get(view.id, ()):
                    if enterprise_id not in chain_targets:
                        tally.add(total, recent, last)
            views.append(
                ChainView(
                    id=chain.id,
                    name=chain.name,
                    leader_name=chain.leader_name,
                    leader_title=chain.leader_title,
                    description=chain.description,
                    links=chain_links,
                    target_count=len(chain_targets),
                    visit_count=tally.total,
                    recent_visit_count=tally.recent,
                )
            )
        return ChainMap(today, quiet_days, since, tuple(views))

    def link_enterprises(self, link_id: str) -> tuple[LinkEnterprise, ...]:
        """The link's target enterprises by name, each with its visits up to today and its
        projects."""
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
            projects: Counter[str] = Counter()
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
                projects.update(
                    session.scalars(
                        select(ProjectRow.enterprise_id).where(
                            ProjectRow.enterprise_id.in_(chunk),
                            ProjectRow.deleted == false(),
                            ProjectRow.stage != ProjectStage.TERMINATED.value,
                        )
                    )
                )
        return tuple(
            LinkEnterprise(
                enterprise_id=enterprise.id,
                name=enterprise.name,
                region_name=region_label(enterprise.region_code),
                industry_name=industry_label(enterprise.industry_code),
                visit_count=counts[enterprise.id],
                last_visit_on=last.get(enterprise.id),
                project_count=projects[enterprise.id],
                note=note,
            )
            for enterprise, note in found.values()
        )

    def link_choices(self) -> tuple[LinkChoice, ...]:
        """Every live link as “链 · 环节”, by chain name and then the links' order: what the
        visit and project forms offer to tag a record with."""
        with self._database.read() as session:
            return read_link_choices(session)

    def enterprise_link_ids(self, enterprise_id: str) -> tuple[str, ...]:
        """The live links the enterprise is a target of (a form tags a new record with the
        only one, when there is exactly one)."""
        with self._database.read() as session:
            return tuple(
                dict.fromkeys(
                    session.scalars(
                        select(EnterpriseLinkRow.link_id)
                        .join(ChainLinkRow, ChainLinkRow.id == EnterpriseLinkRow.link_id)
                        .join(IndustryChainRow, IndustryChainRow.id == ChainLinkRow.chain_id)
                        .where(
                            EnterpriseLinkRow.enterprise_id == enterprise_id,
                            EnterpriseLinkRow.deleted == false(),
                            ChainLinkRow.deleted == false(),
                            IndustryChainRow.deleted == false(),
                        )
                        .order_by(EnterpriseLinkRow.created_at, EnterpriseLinkRow.id)
                    )
                )
            )


def _live(deleted: InstrumentedAttribute[bool]) -> ColumnElement[bool]:
    """``deleted IS NOT 1``: the same rows as ``deleted == false()`` (the column is never NULL),
    written so SQLite does not pick the near-useless index on ``deleted`` over a better one."""
    return deleted.is_not(True)


def _live_links(session: Session) -> list[ChainLinkRow]:
    return list(
        session.scalars(
            select(ChainLinkRow)
            .where(ChainLinkRow.deleted == false())
            .order_by(ChainLinkRow.sort_order, ChainLinkRow.name, ChainLinkRow.id)
        )
    )


def _targets(session: Session) -> dict[str, set[str]]:
    """Each link's live target enterprises."""
    gone = _gone_enterprises(session)
    targets: dict[str, set[str]] = {}
    for link_id, enterprise_id in session.execute(
        select(EnterpriseLinkRow.link_id, EnterpriseLinkRow.enterprise_id).where(
            EnterpriseLinkRow.deleted == false()
        )
    ):
        if enterprise_id not in gone:
            targets.setdefault(link_id, set()).add(enterprise_id)
    return targets


def _gone_enterprises(session: Session) -> set[str]:
    return set(session.scalars(select(EnterpriseRow.id).where(EnterpriseRow.deleted == true())))


def _visits(
    session: Session, targets: dict[str, set[str]], since: dt.date, today: dt.date
) -> _Visits:
    """Every live visit up to today, in one sequential pass over the visits table grouped by
    (enterprise, link tag).

    ``NOT INDEXED`` keeps SQLite reading the table in order: through an index it would jump to
    each of the 300,000 rows of the large dataset for its tag, several times slower.
    """
    rows = session.execute(
        text(
            "SELECT enterprise_id, chain_link_id, count(*),"
            " sum(visited_on >= :since), max(visited_on)"
            " FROM visits NOT INDEXED"
            " WHERE deleted IS NOT 1 AND visited_on <= :today"
            " GROUP BY enterprise_id, chain_link_id"
        ),
        {"since": since.isoformat(), "today": today.isoformat()},
    ).all()
    gone = _gone_enterprises(session)
    found = _Visits()
    totals, recent_counts, last = found.totals, found.recent, found.last
    for enterprise_id, link_id, total, recent, latest in rows:
        totals[enterprise_id] += total
        recent_counts[enterprise_id] += recent
        if latest > last.get(enterprise_id, ""):
            last[enterprise_id] = latest
        if link_id and enterprise_id not in targets.get(link_id, ()) and enterprise_id not in gone:
            found.off_target.setdefault(link_id, []).append((enterprise_id, total, recent, latest))
    return found


def _projects(session: Session) -> tuple[Counter[str], Counter[str]]:
    """Per link: its live projects (解约 excluded), and those at 签约 or beyond."""
    projects: Counter[str] = Counter()
    signed: Counter[str] = Counter()
    for link_id, stage, count in session.execute(
        select(ProjectRow.chain_link_id, ProjectRow.stage, func.count(ProjectRow.id))
        .where(
            ProjectRow.deleted == false(),
            ProjectRow.chain_link_id.is_not(None),
            ProjectRow.stage != ProjectStage.TERMINATED.value,
        )
        .group_by(ProjectRow.chain_link_id, ProjectRow.stage)
    ):
        projects[str(link_id)] += count
        if stage in SIGNED_OR_BEYOND:
            signed[str(link_id)] += count
    return projects, signed


def _chunks(ids: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def read_link_choices(session: Session) -> tuple[LinkChoice, ...]:
    """``ChainService.link_choices`` inside a unit of work already open."""
    rows = session.execute(
        select(ChainLinkRow.id, ChainLinkRow.name, IndustryChainRow.id, IndustryChainRow.name)
        .join(IndustryChainRow, IndustryChainRow.id == ChainLinkRow.chain_id)
        .where(ChainLinkRow.deleted == false(), IndustryChainRow.deleted == false())
        .order_by(
            IndustryChainRow.name,
            IndustryChainRow.id,
            ChainLinkRow.sort_order,
            ChainLinkRow.name,
            ChainLinkRow.id,
        )
    ).all()
    return tuple(
        LinkChoice(
            id=link_id,
            label=link_text(chain_name, link_name),
            chain_id=chain_id,
            chain_name=chain_name,
            link_name=link_name,
        )
        for link_id, link_name, chain_id, chain_name in rows
    )


def link_label(session: Session, link_id: str | None) -> str:
    """“链 · 环节” of one link (empty for none, or a link no longer there)."""
    if not link_id:
        return ""
    found = session.execute(
        select(IndustryChainRow.name, ChainLinkRow.name)
        .join(IndustryChainRow, IndustryChainRow.id == ChainLinkRow.chain_id)
        .where(ChainLinkRow.id == link_id)
    ).first()
    return link_text(found[0], found[1]) if found else ""


def link_text(chain_name: str, link_name: str) -> str:
    return tr("{chain} · {link}", chain=chain_name, link=link_name)
