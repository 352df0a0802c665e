"""What the chain services hand out: the chain map (links with their counts and gaps), a link's
target enterprises, and the link choices of the visit and project forms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.domain.vocabulary import ChainPosition, LinkKind
from app.i18n import mark, tr


class LinkGap(StrEnum):
    NO_TARGETS = "no_targets"
    NO_RECENT_VISIT = "no_recent_visit"

    def label(self, days: int) -> str:
        """The short reason shown on the map: 无目标企业 / 近90天无拜访."""
        return tr(_GAP_LABELS[self], days=days)


_GAP_LABELS = {
    LinkGap.NO_TARGETS: mark("无目标企业"),
    LinkGap.NO_RECENT_VISIT: mark("近{days}天无拜访"),
}


@dataclass(frozen=True, slots=True)
class LinkView:
    id: str
    chain_id: str
    name: str
    position: ChainPosition
    kind: LinkKind
    sort_order: int
    description: str
    target_count: int
    """Distinct live enterprises placed on the link (its targets)."""
    visit_count: int
    """Visits up to today to the link's targets, plus visits tagged with the link to other
    enterprises (each visit once)."""
    recent_visit_count: int
    """Of those, the visits within the bureau's ``link_quiet_days`` (today included)."""
    last_visit_on: dt.date | None
    project_count: int
    """Live projects tagged with the link (``projects.chain_link_id``), 解约 excluded."""
    signed_project_count: int
    """Of those, the ones at 签约 or a later pipeline stage (注册, 开工, 竣工, 投产)."""
    gaps: tuple[LinkGap, ...]
    """Why the link is a gap (缺口): no target, no visit in the window, or both. Empty if none."""

    @property
    def gap(self) -> LinkGap | None:
        """The first reason, or None when the link is covered."""
        return self.gaps[0] if self.gaps else None


@dataclass(frozen=True, slots=True)
class ChainView:
    id: str
    name: str
    leader_name: str
    leader_title: str
    description: str
    links: tuple[LinkView, ...]
    target_count: int
    """Distinct target enterprises over all the chain's links."""
    visit_count: int
    """Distinct visits counted under any of the chain's links."""
    recent_visit_count: int

    @property
    def gap_count(self) -> int:
        return sum(1 for link in self.links if link.gaps)

    @property
    def project_count(self) -> int:
        return sum(link.project_count for link in self.links)

    @property
    def signed_project_count(self) -> int:
        return sum(link.signed_project_count for link in self.links)

    @property
    def leader(self) -> str:
        """“张华 副市长” — the chain leader as one line (empty when none is set)."""
        return " ".join(part for part in (self.leader_name, self.leader_title) if part)


@dataclass(frozen=True, slots=True)
class ChainMap:
    today: dt.date
    quiet_days: int
    """The bureau's rule: a link none of whose targets was visited in this many days is a gap."""
    recent_since: dt.date
    """First day of the recent-visit window (``today - quiet_days + 1``)."""
    chains: tuple[ChainView, ...]

    def chain(self, chain_id: str) -> ChainView | None:
        return next((chain for chain in self.chains if chain.id == chain_id), None)


@dataclass(frozen=True, slots=True)
class LinkEnterprise:
    enterprise_id: str
    name: str
    region_name: str
    industry_name: str
    visit_count: int
    last_visit_on: dt.date | None
    project_count: int
    """The enterprise's live projects (any link), 解约 excluded."""
    note: str


@dataclass(frozen=True, slots=True)
class LinkChoice:
    """A link as the visit and project forms offer it: “新能源汽车产业链 · 动力电池”."""

    id: str
    label: str
    chain_id: str
    chain_name: str
    link_name: str
