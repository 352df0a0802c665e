"""What one demo build knows: its plan (sizes), clock, random streams, writer and the records
made so far that later records refer to."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from app.demo.chains import ChainSpec, LinkSpec
from app.demo.draws import DemoRandom
from app.demo.texts import LinkTexts
from app.demo.writer import BulkWriter, Calendar, IdMaker


@dataclass(frozen=True, slots=True)
class Plan:
    """How much of everything to make. Totals are exact; ranges are per parent record."""

    extra_squads: int
    members: tuple[int, int]
    enterprises: int
    duplicates: int
    contacts: int
    visits: int
    visits_per_enterprise: tuple[int, int]
    trip_size: tuple[int, int]
    participants: tuple[int, int]
    attendees: tuple[int, int]
    notes: int
    rounds: tuple[int, int]
    commitment_share: float
    projects: int
    tasks: int
    text_pool: int
    single_write_journal: bool  # load through the rollback journal (see generator)


@dataclass(slots=True)
class Squad:
    id: str
    name: str
    chain: int  # index into CHAINS of the squad's main chain
    leader_id: str
    member_ids: list[str]


@dataclass(slots=True)
class Link:
    id: str
    chain: int
    spec: LinkSpec


@dataclass(slots=True)
class Contact:
    id: str
    name: str
    title: str


@dataclass(slots=True)
class Enterprise:
    """The facts about one demo enterprise that other records use."""

    id: str
    name: str
    initials: str
    brand: str
    city: str
    macro: str
    address: str
    squad: int
    owner_id: str
    link: int
    tier: int
    intent: str
    founded: int  # year
    uscc: str | None
    duplicate: bool = False
    contacts: list[Contact] = field(default_factory=list)


@dataclass(slots=True)
class Project:
    id: str
    enterprise: int
    name: str
    stage: str
    lead_on: int
    signed_on: int | None
    stage_on: int
    responsible_id: str


@dataclass(slots=True)
class Visit:
    id: str
    enterprise: int
    on: int
    author_id: str
    next_steps: str


class Context:
    """Shared state of one build. Each part draws from its own named random stream, so the
    output depends only on the seed and ``today``."""

    def __init__(self, seed: int, today: dt.date, plan: Plan, writer: BulkWriter) -> None:
        self.seed = seed
        self.plan = plan
        self.writer = writer
        self.calendar = Calendar(today)
        epoch = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
        self._base_ms = int(epoch.timestamp() * 1000) - 2 * 365 * 86_400_000
        self._ids: dict[str, IdMaker] = {}
        self.squads: list[Squad] = []
        self.admin_id = ""
        self.chains: list[ChainSpec] = []
        self.chain_ids: list[str] = []
        self.links: list[Link] = []
        self.texts: list[LinkTexts] = []  # per link
        self.enterprises: list[Enterprise] = []
        self.projects: list[Project] = []
        self.project_of: dict[int, int] = {}  # enterprise index -> project index
        self.visits: list[Visit] = []
        self.visited: list[int] = []  # enterprise indexes, in visiting order

    def rng(self, part: str) -> DemoRandom:
        return DemoRandom(f"squaddesk-demo:{self.seed}:{part}")

    def new_id(self, table: str) -> str:
        maker = self._ids.get(table)
        if maker is None:
            maker = self._ids[table] = IdMaker(self.rng(f"id:{table}"), self._base_ms)
        return maker()

    @property
    def today(self) -> int:
        return self.calendar.today

    def sync(
        self, table: str, ordinal: int, by: str | None, rng: random.Random
    ) -> tuple[str, str, str, str | None, int, int]:
        """A new id and the sync columns of a row first written on day ``ordinal`` by ``by``."""
        stamp = self.calendar.stamp(ordinal, rng)
        return (self.new_id(table), stamp, stamp, by, 0, 0)
