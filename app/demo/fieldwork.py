"""Trips (外出招商) and the visits made on them or at home, with participants and attendees.

Visits are planned per enterprise (2–4 in the small plan), then grouped into trips by squad and
destination region, in round order, so an enterprise's later visits fall on later trips. Each
squad's latest trip is moved into the current ISO week, and some home visits too, so this
week's report has content.
"""

from __future__ import annotations

from app.demo.chains import CHAINS
from app.demo.context import Context, Enterprise, Visit
from app.demo.draws import DemoRandom, Weighted, bucket_count, spread
from app.demo.people import person_name
from app.demo.texts import (
    NEXT_STEPS,
    OUTCOMES,
    TRIP_PURPOSES,
    TRIP_TITLES,
    VISIT_LATER_PURPOSES,
    two_of,
)
from app.demo.vocabulary import CONTACT_TITLES, HOME_MEETING_PLACES, LOCAL_MACRO, MACRO_NAMES
from app.domain.vocabulary import LeaderType
from app.i18n import tr

WINDOW_DAYS = 540
LEADER_TYPE = Weighted(tuple(LeaderType), (5, 15, 30, 50))
LOCAL_SHARE = 0.3
THIS_WEEK_SHARE = 0.05


def build_visits(ctx: Context) -> None:
    rng = ctx.rng("visits")
    plan = ctx.plan
    low, high = plan.visits_per_enterprise
    with_project = [project.enterprise for project in ctx.projects]
    taken = set(with_project)
    others = [
        index for index, e in enumerate(ctx.enterprises) if not e.duplicate and index not in taken
    ]
    rng.shuffle(others)
    candidates = with_project + others
    visited = candidates[: bucket_count(plan.visits, low, high, len(candidates))]
    counts = spread(plan.visits, len(visited), low, high, rng)
    ctx.visited = visited

    groups: dict[tuple[int, str], list[list[tuple[int, int]]]] = {}
    home: list[tuple[int, int, int]] = []  # enterprise, round, rounds
    for index, count in zip(visited, counts, strict=True):
        enterprise = ctx.enterprises[index]
        for round_no in range(count):
            if enterprise.macro == LOCAL_MACRO or rng.random() < LOCAL_SHARE:
                home.append((index, round_no, count))
                continue
            rounds = groups.setdefault((enterprise.squad, enterprise.macro), [])
            while len(rounds) <= round_no:
                rounds.append([])
            rounds[round_no].append((index, round_no))

    ctx.writer.stage(tr("拜访记录"), "visits", plan.visits)
    trips = _plan_trips(ctx, rng, groups)
    for squad_index, macro, chunk, start, end in trips:
        _write_trip(ctx, rng, squad_index, macro, chunk, start, end)
    first = ctx.today - WINDOW_DAYS
    for index, round_no, count in home:
        if rng.random() < THIS_WEEK_SHARE:
            day = rng.randint(ctx.calendar.monday, ctx.today)
        else:
            day = rng.randint(
                first + round_no * WINDOW_DAYS // count,
                first + (round_no + 1) * WINDOW_DAYS // count - 1,
            )
        squad = ctx.squads[ctx.enterprises[index].squad]
        team = rng.sample(squad.member_ids, min(len(squad.member_ids), rng.few(*plan.participants)))
        owner = ctx.enterprises[index].owner_id
        if owner not in team:
            team[0] = owner
        _write_visit(ctx, rng, index, round_no, day, None, team)


def _plan_trips(
    ctx: Context, rng: DemoRandom, groups: dict[tuple[int, str], list[list[tuple[int, int]]]]
) -> list[tuple[int, str, list[tuple[int, int]], int, int]]:
    low, high = ctx.plan.trip_size
    today = ctx.today
    first = today - WINDOW_DAYS
    trips: list[tuple[int, str, list[tuple[int, int]], int, int]] = []
    latest: dict[int, int] = {}  # squad -> index in trips of its latest trip
    for (squad_index, macro), rounds in sorted(groups.items()):
        slots: list[tuple[int, int]] = []
        for enterprises in rounds:
            rng.shuffle(enterprises)
            slots.extend(enterprises)
        chunks: list[list[tuple[int, int]]] = []
        position = 0
        while position < len(slots):
            size = rng.randint(low, high)
            chunks.append(slots[position : position + size])
            position += size
        for number, chunk in enumerate(chunks):
            start = first + int((number + rng.random()) * (WINDOW_DAYS - 3) / len(chunks))
            end = min(start + rng.randint(0, 4), today)
            trips.append((squad_index, macro, chunk, start, end))
            best = latest.get(squad_index)
            if best is None or trips[best][3] <= start:
                latest[squad_index] = len(trips) - 1
    monday = ctx.calendar.monday
    for position in sorted(latest.values()):
        squad_index, macro, chunk, start, end = trips[position]
        trips[position] = (squad_index, macro, chunk, monday, min(today, monday + end - start))
    return trips


def _write_trip(
    ctx: Context,
    rng: DemoRandom,
    squad_index: int,
    macro: str,
    chunk: list[tuple[int, int]],
    start: int,
    end: int,
) -> None:
    squad = ctx.squads[squad_index]
    chain = CHAINS[squad.chain].name
    cities = list(dict.fromkeys(ctx.enterprises[index].city for index, _round in chunk))
    title = rng.choice(TRIP_TITLES).format(macro=rng.choice(MACRO_NAMES[macro]), chain=chain)
    leader_type = LEADER_TYPE.draw(rng)
    team = rng.sample(squad.member_ids, min(len(squad.member_ids), rng.randint(2, 4)))
    planned = start - rng.randint(3, 14)
    sync = ctx.sync("trips", planned, squad.leader_id, rng)
    trip_id = str(sync[0])
    ctx.writer.add(
        "trips",
        (
            *sync,
            squad.id,
            title,
            "、".join(cities[:4]),
            ctx.calendar.iso(start),
            ctx.calendar.iso(end),
            leader_type.value,
            rng.choice(TRIP_PURPOSES).format(chain=chain),
        ),
    )
    for member_id in team:
        ctx.writer.add(
            "trip_members",
            (
                ctx.new_id("trip_members"),
                sync[1],
                sync[2],
                squad.leader_id,
                0,
                0,
                trip_id,
                member_id,
            ),
        )
    for index, round_no in chunk:
        day = rng.randint(start, end)
        size = min(len(team), rng.few(*ctx.plan.participants))
        _write_visit(ctx, rng, index, round_no, day, trip_id, rng.sample(team, size))


def _write_visit(
    ctx: Context,
    rng: DemoRandom,
    index: int,
    round_no: int,
    day: int,
    trip_id: str | None,
    team: list[str],
) -> None:
    enterprise = ctx.enterprises[index]
    link = ctx.links[enterprise.link]
    texts = ctx.texts[enterprise.link]
    author = team[0]
    attendees = _attendees(rng, enterprise, rng.few(*ctx.plan.attendees))
    _contact, first_name, first_title = attendees[0]
    if trip_id is None and enterprise.macro != LOCAL_MACRO:
        place = rng.choice(HOME_MEETING_PLACES)
    elif rng.random() < 0.6:
        place = enterprise.address
    else:
        place = (
            f"{enterprise.city}{enterprise.brand}公司{rng.choice(('总部', '生产基地', '研发中心'))}"
        )
    purpose = (
        rng.choice(texts.first_purposes) if round_no == 0 else rng.choice(VISIT_LATER_PURPOSES)
    )
    discussion = (
        f"{first_title}{first_name}介绍了公司{link.spec.business}业务近况和发展规划。"
        + rng.choice(texts.discussions)
    )
    next_steps = two_of(rng, NEXT_STEPS)
    stamp = ctx.calendar.stamp(day, rng)
    visit_id = ctx.new_id("visits")
    writer = ctx.writer
    writer.add(
        "visits",
        (
            visit_id,
            stamp,
            stamp,
            author,
            0,
            0,
            enterprise.id,
            trip_id,
            ctx.squads[enterprise.squad].id,
            author,
            link.id,
            ctx.calendar.iso(day),
            place,
            purpose,
            discussion,
            two_of(rng, OUTCOMES),
            next_steps,
        ),
    )
    for member_id in team:
        writer.add(
            "visit_participants",
            (ctx.new_id("visit_participants"), stamp, stamp, author, 0, 0, visit_id, member_id),
        )
    for contact_id, name, title in attendees:
        writer.add(
            "visit_attendees",
            (
                ctx.new_id("visit_attendees"),
                stamp,
                stamp,
                author,
                0,
                0,
                visit_id,
                contact_id,
                name,
                title,
            ),
        )
    ctx.visits.append(Visit(visit_id, index, day, author, next_steps))


def _attendees(
    rng: DemoRandom, enterprise: Enterprise, count: int
) -> list[tuple[str | None, str, str]]:
    """Their people at a visit: mostly known contacts (the primary one first), sometimes
    someone not in the dossier yet."""
    known = enterprise.contacts
    chosen: list[tuple[str | None, str, str]] = []
    for number in range(count):
        if number < len(known) and rng.random() < 0.85:
            contact = known[number]
            chosen.append((contact.id, contact.name, contact.title))
        else:
            chosen.append((None, person_name(rng), rng.choice(CONTACT_TITLES)))
    return chosen
