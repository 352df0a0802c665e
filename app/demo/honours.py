"""Honour directories (世界500强, 中国500强, 专精特新“小巨人”, 瞪羚, 独角兽, 上市公司).

Entries are matched to dossiers by USCC as an import would; each list also carries one or two
entries that match no dossier, as a real imported list does.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.demo.chains import CHAINS
from app.demo.context import Context
from app.demo.vocabulary import DIRECTORIES, DIRECTORY_SOURCE
from app.domain.uscc import make_uscc

if TYPE_CHECKING:
    from app.demo.naming import Namer, Place

# (directory index, candidate pool, share of all enterprises, minimum, maximum)
_SIZES = (
    (0, "tier0", 0.006, 3, 450),
    (1, "tier0", 0.02, 6, 480),
    (2, "tier1", 0.03, 8, 100_000),
    (3, "tier1", 0.03, 8, 100_000),
    (4, "young", 0.03, 8, 100_000),
    (5, "young1", 0.004, 2, 300),
    (6, "listed", 0.04, 12, 100_000),
)
_UNMATCHED = (0, 3, 4)  # lists that get an entry no dossier matches


@dataclass(slots=True)
class Honours:
    members: list[list[int]] = field(default_factory=list)  # enterprise indexes per directory
    tags: dict[int, list[str]] = field(default_factory=dict)


def choose_honours(ctx: Context, rng: random.Random) -> Honours:
    pools: dict[str, list[int]] = {
        "tier0": [],
        "tier1": [],
        "young": [],
        "young1": [],
        "listed": [],
    }
    for index, enterprise in enumerate(ctx.enterprises):
        if enterprise.duplicate or enterprise.uscc is None:
            continue
        if enterprise.tier == 0:
            pools["tier0"].append(index)
            pools["listed"].append(index)
        elif enterprise.tier == 1:
            pools["tier1"].append(index)
            if enterprise.founded >= 2012:
                pools["young1"].append(index)
            if rng.random() < 0.3:
                pools["listed"].append(index)
        if enterprise.tier > 0 and enterprise.founded >= 2012:
            pools["young"].append(index)
    honours = Honours()
    taken_giants: set[int] = set()
    for directory_index, pool_name, share, low, high in _SIZES:
        pool = pools[pool_name]
        if directory_index == 3:
            pool = [index for index in pool if index not in taken_giants]
        count = min(len(pool), high, max(low, round(len(ctx.enterprises) * share)))
        chosen = rng.sample(pool, count)
        if directory_index == 2:
            taken_giants.update(chosen)
        honours.members.append(chosen)
        tag = DIRECTORIES[directory_index].tag
        for index in chosen:
            honours.tags.setdefault(index, []).append(tag)
    return honours


def list_year(today: int) -> int:
    """The year of the latest lists published (in August) by ``today``."""
    date = dt.date.fromordinal(today)
    return date.year if date.month >= 8 else date.year - 1


def write_directories(
    ctx: Context,
    rng: random.Random,
    honours: Honours,
    namer: Namer,
    places: Sequence[Sequence[Place]],
) -> None:
    latest = list_year(ctx.today)
    for directory_index, directory in enumerate(DIRECTORIES):
        year = latest - directory.years_back
        published = dt.date(year, 8, 1).toordinal()
        sync = ctx.sync("honour_directories", published, ctx.admin_id, rng)
        ctx.writer.add(
            "honour_directories",
            (
                *sync,
                directory.kind,
                year,
                directory.batch,
                directory.title.format(year=year),
                DIRECTORY_SOURCE,
            ),
        )
        directory_id = str(sync[0])
        entries: list[tuple[str, str | None, str | None]] = [
            (ctx.enterprises[index].name, ctx.enterprises[index].uscc, ctx.enterprises[index].id)
            for index in honours.members[directory_index]
        ]
        if directory_index in _UNMATCHED:
            province = places[rng.randrange(len(places))]
            place = province[rng.randrange(len(province))]
            chain = CHAINS[rng.randrange(len(CHAINS))]
            name, _brand, _initials = namer.make(rng, place, chain.name_words)
            body = f"{rng.randrange(10_000_000, 100_000_000)}"
            entries.append((name, make_uscc("9", "1", place.code, body), None))
        ranks: list[int | None] = [None] * len(entries)
        if directory.ranked:
            ranks = list(rng.sample(range(1, 501), len(entries)))
        for (name, uscc, enterprise_id), rank in zip(entries, ranks, strict=True):
            entry_sync = ctx.sync("directory_entries", published, ctx.admin_id, rng)
            ctx.writer.add(
                "directory_entries", (*entry_sync, directory_id, name, uscc, rank, enterprise_id)
            )
