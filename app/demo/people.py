"""Squads, their members, and the industry chains with their links."""

from __future__ import annotations

import json
import random

from pypinyin import lazy_pinyin

from app.demo.chains import CHAINS, PLANNED_LINKS
from app.demo.context import Context, Link, Squad
from app.demo.vocabulary import (
    ADMIN_TITLE,
    EXTRA_SQUADS,
    GIVEN_CHARS,
    HOME_BUREAU,
    HOME_REGION,
    LEADER_TITLES,
    MEMBER_LEADER_TITLES,
    MEMBER_TITLES,
    MOBILE_PREFIXES,
    SURNAMES,
)
from app.domain.vocabulary import Role


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN_CHARS)
    if rng.random() < 0.6:
        given += rng.choice(GIVEN_CHARS)
    return rng.choice(SURNAMES) + given


def mobile(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10_000_000, 100_000_000)}"


def build_organisation(ctx: Context) -> None:
    """Squads (one per chain squad name, plus extra ones in the large plan), members, an
    admin, the chains with their 链长 and links."""
    rng = ctx.rng("organisation")
    writer = ctx.writer
    founded = ctx.today - 720
    squad_specs: list[tuple[str, int, str, str]] = []  # name, main chain, focus, region
    focus_of: dict[str, list[str]] = {}
    for index, chain in enumerate(CHAINS):
        if chain.squad not in focus_of:
            focus_of[chain.squad] = []
            squad_specs.append((chain.squad, index, "", HOME_REGION))
        focus_of[chain.squad].append(chain.name)
    squad_specs = [
        (name, main, "、".join(focus_of[name]) + "产业链招商", region)
        for name, main, _focus, region in squad_specs
    ]
    for number, (name, focus, region) in enumerate(EXTRA_SQUADS[: ctx.plan.extra_squads]):
        squad_specs.append((name, number % len(CHAINS), focus, region))

    # The bureau's name heads its printed reports.
    setting = ctx.sync("bureau_settings", founded, None, rng)
    writer.add(
        "bureau_settings", (*setting, "bureau_name", json.dumps(HOME_BUREAU, ensure_ascii=False))
    )

    usernames: set[str] = set()
    for name, main, focus, region in squad_specs:
        sync = ctx.sync("squads", founded, None, rng)
        writer.add("squads", (*sync, name, region, focus))
        squad_id = str(sync[0])
        members: list[str] = []
        for position in range(rng.randint(*ctx.plan.members)):
            leader = position == 0
            title = rng.choice(MEMBER_LEADER_TITLES if leader else MEMBER_TITLES)
            role = Role.LEADER if leader else Role.MEMBER
            members.append(_member(ctx, rng, usernames, squad_id, role, title, founded))
        ctx.squads.append(Squad(squad_id, name, main, members[0], members))
    ctx.admin_id = _member(ctx, rng, usernames, None, Role.ADMIN, ADMIN_TITLE, founded)

    for index, chain in enumerate(CHAINS):
        sync = ctx.sync("industry_chains", founded, ctx.admin_id, rng)
        title = LEADER_TITLES[index % len(LEADER_TITLES)]
        writer.add(
            "industry_chains",
            (*sync, chain.name + "产业链", chain.leader, title, chain.description),
        )
        chain_id = str(sync[0])
        ctx.chains.append(chain)
        ctx.chain_ids.append(chain_id)
        for order, spec in enumerate(chain.links):
            link_sync = ctx.sync("chain_links", founded, ctx.admin_id, rng)
            description = f"重点引进{spec.business}企业"
            writer.add(
                "chain_links",
                (*link_sync, chain_id, spec.name, spec.position, spec.kind, order, description),
            )
            ctx.links.append(Link(str(link_sync[0]), index, spec))
    _planned_links(ctx, founded)


def _planned_links(ctx: Context, founded: int) -> None:
    """Links planned with no target yet; they take no enterprises, and their own random
    stream leaves the rest of the demo as it was."""
    rng = random.Random("planned-links")
    for index, chain in enumerate(CHAINS):
        for extra, (name, position, kind, business) in enumerate(PLANNED_LINKS.get(chain.name, ())):
            link_sync = ctx.sync("chain_links", founded, ctx.admin_id, rng)
            ctx.writer.add(
                "chain_links",
                (
                    *link_sync,
                    ctx.chain_ids[index],
                    name,
                    position,
                    kind,
                    len(chain.links) + extra,
                    f"重点引进{business}企业",
                ),
            )


def _member(
    ctx: Context,
    rng: random.Random,
    usernames: set[str],
    squad_id: str | None,
    role: Role,
    title: str,
    founded: int,
) -> str:
    name = person_name(rng)
    base = "".join(lazy_pinyin(name))
    username = base
    number = 2
    while username in usernames:
        username = f"{base}{number}"
        number += 1
    usernames.add(username)
    sync = ctx.sync("members", founded, None, rng)
    ctx.writer.add("members", (*sync, name, username, squad_id, role.value, title, mobile(rng)))
    return str(sync[0])
