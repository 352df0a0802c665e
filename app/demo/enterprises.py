"""Enterprise dossiers: names, identity, needs and tags, with contacts and chain links.

Names are region + brand + industry word + legal form ("苏州恒瑞锂电科技有限公司") or the brand
first with the city in brackets ("恒瑞新材料（苏州）有限公司"). Every USCC is built with
``make_uscc`` for the enterprise's current county-level region, so it passes validation. A few
enterprises have no USCC yet (early-stage targets), and a few are entered twice under a variant
of the same name so duplicate detection has something to find.
"""

from __future__ import annotations

import datetime as dt
import random

from app.demo.chains import CHAINS
from app.demo.context import Contact, Context, Enterprise
from app.demo.draws import Weighted, spread
from app.demo.honours import Honours, choose_honours, write_directories
from app.demo.naming import Namer, Place, places_by_province
from app.demo.people import mobile, person_name
from app.demo.texts import PROFILE_EXTRAS, SITE_PREFERENCES, LinkTexts, Slots
from app.demo.vocabulary import (
    CONTACT_TITLES,
    PRIMARY_TITLES,
    PROVINCES,
    ROAD_KINDS,
    ROAD_WORDS,
    TAGS_BY_TIER,
)
from app.domain.names import name_key, pinyin_initials
from app.domain.uscc import ALPHABET, make_uscc
from app.i18n import tr

PROVINCE = Weighted(range(len(PROVINCES)), [province.weight for province in PROVINCES])
CHAIN = Weighted(range(len(CHAINS)), (20, 16, 16, 16, 12, 10, 10))
TIER = Weighted((0, 1, 2), (5, 30, 65))
INTENT_LEVELS = ("strong", "medium", "weak", "unknown")
INTENT = tuple(
    Weighted(INTENT_LEVELS, weights)
    for weights in ((25, 35, 25, 15), (15, 30, 30, 25), (8, 22, 30, 40))
)
CAPITAL_WAN = ((50_000, 2_000_000, 1000), (5_000, 50_000, 100), (100, 5_000, 10))
FOUNDED = ((1993, 2012), (2003, 2020), (2010, 0))


def build_enterprises(ctx: Context) -> None:
    rng = ctx.rng("enterprises")
    plan = ctx.plan
    namer = Namer()
    places = places_by_province()
    links_of_chain = [
        [i for i, link in enumerate(ctx.links) if link.chain == chain]
        for chain in range(len(CHAINS))
    ]
    squads_of_chain = [
        [i for i, squad in enumerate(ctx.squads) if squad.chain == chain]
        for chain in range(len(CHAINS))
    ]
    chain_squad = [squads[0] if squads else 0 for squads in squads_of_chain]
    own_squad_share = 1.0 if plan.extra_squads == 0 else 0.35
    founded_max = dt.date.fromordinal(ctx.today).year - 1
    unique = plan.enterprises - plan.duplicates
    enterprise_places: list[Place] = []
    for _ in range(unique):
        place = rng.choice(places[PROVINCE.draw(rng)])
        chain = CHAIN.draw(rng)
        link = rng.choice(links_of_chain[chain])
        tier = TIER.draw(rng)
        name, brand, initials = namer.make(rng, place, CHAINS[chain].name_words, tier == 0)
        low, high = FOUNDED[tier]
        founded = rng.randint(low, high or founded_max)
        squad = (
            chain_squad[chain] if rng.random() < own_squad_share else rng.randrange(len(ctx.squads))
        )
        owner = rng.choice(ctx.squads[squad].member_ids)
        intent = INTENT[tier].draw(rng)
        uscc = (
            None
            if rng.random() < 0.05
            else make_uscc("9", "1", place.code, _org_body(rng, founded))
        )
        road = f"{rng.choice(ROAD_WORDS)}{rng.choice(ROAD_KINDS)}{rng.randint(1, 999)}号"
        enterprise = Enterprise(
            id="",
            name=name,
            initials=initials,
            brand=brand,
            city=place.city,
            macro=place.macro,
            address=place.full_name + road,
            squad=squad,
            owner_id=owner,
            link=link,
            tier=tier,
            intent=intent,
            founded=founded,
            uscc=uscc,
        )
        ctx.enterprises.append(enterprise)
        enterprise_places.append(place)
    _add_duplicates(ctx, rng, enterprise_places)
    honours = choose_honours(ctx, rng)
    _write_enterprises(ctx, rng, namer, enterprise_places, honours)
    write_directories(ctx, rng, honours, namer, places)


def _org_body(rng: random.Random, founded: int) -> str:
    if founded >= 2016:
        return "MA" + "".join([rng.choice(ALPHABET) for _ in range(6)])
    return f"{rng.randrange(10_000_000, 100_000_000)}"


def _add_duplicates(ctx: Context, rng: random.Random, places: list[Place]) -> None:
    """Enter some enterprises a second time under a variant of their registered name."""
    originals = rng.sample(range(len(ctx.enterprises)), ctx.plan.duplicates)
    for index in originals:
        original = ctx.enterprises[index]
        name = original.name
        if name.endswith("有限责任公司"):
            variant = name.removesuffix("有限责任公司") + "有限公司"
        elif name.endswith("有限公司") and not name.endswith(("股份有限公司", "集团有限公司")):
            variant = name.removesuffix("有限公司") + "有限责任公司"
        elif "（" in name:
            variant = name.replace("（", "(").replace("）", ")")
        else:
            variant = name[:2] + " " + name[2:]
        squad = rng.randrange(len(ctx.squads))
        ctx.enterprises.append(
            Enterprise(
                id="",
                name=variant,
                initials=pinyin_initials(variant),
                brand=original.brand,
                city=original.city,
                macro=original.macro,
                address="",
                squad=squad,
                owner_id=rng.choice(ctx.squads[squad].member_ids),
                link=original.link,
                tier=2,
                intent="unknown",
                founded=original.founded,
                uscc=original.uscc if rng.random() < 0.5 else None,
                duplicate=True,
            )
        )
        places.append(places[index])


def _write_enterprises(
    ctx: Context,
    rng: random.Random,
    namer: Namer,
    places: list[Place],
    honours: Honours,
) -> None:
    writer = ctx.writer
    plan = ctx.plan
    slots = Slots(rng)
    extras = [
        [
            [slots.fill(PROFILE_EXTRAS[tier], chain=chain.name) for _ in range(20)]
            for tier in range(3)
        ]
        for chain in CHAINS
    ]
    sites = [slots.pick(SITE_PREFERENCES) for _ in range(40)]
    contact_counts = spread(plan.contacts, len(ctx.enterprises), 1, 3, rng)
    siblings = [
        [link.id for link in ctx.links if link.chain == chain] for chain in range(len(CHAINS))
    ]
    writer.stage(tr("企业档案"), "enterprises", len(ctx.enterprises))
    today = ctx.today
    for index, enterprise in enumerate(ctx.enterprises):
        place = places[index]
        link = ctx.links[enterprise.link]
        spec = link.spec
        tier = enterprise.tier
        founded_on = min(
            dt.date(enterprise.founded, 1, 1).toordinal() + rng.randrange(365), today - 30
        )
        created = max(founded_on, today - rng.randint(60, 900))
        sync = ctx.sync("enterprises", created, enterprise.owner_id, rng)
        enterprise.id = str(sync[0])
        low, high, step = CAPITAL_WAN[tier]
        capital_wan = rng.randrange(low, high, step)
        code = rng.choice(spec.codes)
        row: tuple[object, ...]
        if enterprise.duplicate:  # entered in a hurry: identity only, the rest to be checked
            # fmt: off
            row = (
                *sync, enterprise.name, name_key(enterprise.name), enterprise.initials,
                enterprise.uscc, place.code, code, None, "", place.full_name, "", None, "", "",
                "", "unknown", None, "", "", None, "", "待核实", ctx.squads[enterprise.squad].id,
                enterprise.owner_id,
            )
            # fmt: on
        else:
            row = _full_row(
                ctx,
                rng,
                enterprise,
                place,
                sync,
                code,
                capital_wan,
                founded_on,
                ctx.texts[enterprise.link],
                extras[link.chain][tier],
                sites,
                honours.tags.get(index, []),
                namer,
            )
        writer.add("enterprises", row)
        stamp = str(sync[1])
        _write_contacts(ctx, rng, enterprise, stamp, contact_counts[index])
        _write_links(ctx, rng, enterprise, stamp, siblings[link.chain])


def _full_row(
    ctx: Context,
    rng: random.Random,
    enterprise: Enterprise,
    place: Place,
    sync: tuple[object, ...],
    code: str,
    capital_wan: int,
    founded_on: int,
    texts: LinkTexts,
    extras: list[str],
    sites: list[str],
    honour_tags: list[str],
    namer: Namer,
) -> tuple[object, ...]:
    spec = ctx.links[enterprise.link].spec
    tier = enterprise.tier
    capital = f"{capital_wan / 10_000:g}亿元" if capital_wan >= 10_000 else f"{capital_wan}万元"
    profile = (
        f"{enterprise.name}成立于{enterprise.founded}年，注册资本{capital}，总部位于"
        f"{place.full_name}，主要从事{spec.business}的研发、生产和销售。{rng.choice(extras)}"
    )
    intent = enterprise.intent
    needs = intent in ("strong", "medium") or (intent == "weak" and rng.random() < 0.3)
    website = ""
    if tier < 2 and rng.random() < 0.6:
        suffix = rng.choice(("group", "tech", "-energy", "-chem", "-bio"))
        website = f"www.{namer.initials(enterprise.brand)}{suffix}.com.cn"
    tags = list(rng.sample(TAGS_BY_TIER[tier], rng.randint(0, 2)))
    tags.extend(honour_tags)
    return (
        *sync,
        enterprise.name,
        name_key(enterprise.name),
        enterprise.initials,
        enterprise.uscc,
        place.code,
        code,
        capital_wan * 1_000_000,
        person_name(rng),
        place.full_name,
        enterprise.address,
        ctx.calendar.iso(founded_on),
        website,
        profile,
        rng.choice(texts.intents[intent]),
        intent,
        float(rng.choice((30, 50, 80, 100, 120, 150, 200, 300, 500, 800, 1200))) if needs else None,
        f"日用水约{rng.choice((50, 200, 500, 1000, 3000, 8000))}吨" if needs else "",
        (
            f"年用电约{rng.choice((500, 2000, 5000, 20000, 80000))}万千瓦时"
            if rng.random() < 0.6
            else f"需双回路供电，负荷约{rng.choice((5, 10, 30, 50, 120))}兆瓦"
        )
        if needs
        else "",
        rng.choice((50, 120, 300, 500, 800, 1500, 3000)) if needs else None,
        rng.choice(sites) if needs else "",
        ",".join(dict.fromkeys(tags)),
        ctx.squads[enterprise.squad].id,
        enterprise.owner_id,
    )


def _write_contacts(
    ctx: Context, rng: random.Random, enterprise: Enterprise, stamp: str, count: int
) -> None:
    """Contacts entered with the dossier (same timestamp); the first is the primary one."""
    owner = enterprise.owner_id
    for number in range(count):
        primary = number == 0
        name = person_name(rng)
        title = rng.choice(PRIMARY_TITLES if primary else CONTACT_TITLES)
        contact_id = ctx.new_id("contacts")
        ctx.writer.add(
            "contacts",
            (
                contact_id,
                stamp,
                stamp,
                owner,
                0,
                0,
                enterprise.id,
                name,
                title,
                "",
                mobile(rng),
                "",
                "",
                "",
                int(primary),
            ),
        )
        enterprise.contacts.append(Contact(contact_id, name, title))


def _write_links(
    ctx: Context, rng: random.Random, enterprise: Enterprise, stamp: str, siblings: list[str]
) -> None:
    """The enterprise's chain link, and for some a second link of the same chain."""
    link = ctx.links[enterprise.link]
    note = "链主企业" if enterprise.tier == 0 else ""
    targets = [link.id]
    if not enterprise.duplicate and rng.random() < 0.15:
        other = rng.choice(siblings)
        if other != link.id:
            targets.append(other)
    for target in targets:
        ctx.writer.add(
            "enterprise_links",
            (
                ctx.new_id("enterprise_links"),
                stamp,
                stamp,
                enterprise.owner_id,
                0,
                0,
                enterprise.id,
                target,
                note,
            ),
        )
        note = ""
