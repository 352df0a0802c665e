"""Negotiation rounds, the commitments made in them, and follow-up tasks.

Rounds of an enterprise with a project run from the project's lead date to its signing (or to
today while still in talks) and link to the project. Commitments come from some rounds, with due
dates; some are honoured, some withdrawn with a reason, some pending past due. Tasks are due in
the past (most done, some overdue), today, or in the coming weeks.
"""

from __future__ import annotations

import random

from app.demo.context import Context, Project
from app.demo.draws import bucket_count, spread
from app.demo.texts import (
    COMMITMENTS,
    NEXT_ROUNDS,
    PROBLEMS,
    STICKING_POINTS,
    TASKS_FOR_ENTERPRISE,
    TASKS_FOR_PROJECT,
    TASKS_FOR_VISIT,
    WITHDRAWN_REASONS,
    Slots,
)
from app.i18n import tr

AGREED = "无重大分歧，双方同意按谈定条款签约。"
SIGNED_STAGES = frozenset({"signed", "registered", "started", "completed", "producing"})


def build_notes(ctx: Context) -> None:
    rng = ctx.rng("notes")
    slots = Slots(rng)
    plan = ctx.plan
    low, high = plan.rounds
    talking = [p.enterprise for p in ctx.projects if p.stage != "lead"]
    taken = set(talking)
    visited = [index for index in ctx.visited if index not in taken]
    taken.update(visited)
    rest = [i for i, e in enumerate(ctx.enterprises) if not e.duplicate and i not in taken]
    rng.shuffle(rest)
    candidates = talking + visited + rest
    chosen = candidates[: bucket_count(plan.notes, low, high, len(candidates))]
    counts = spread(plan.notes, len(chosen), low, high, rng)
    ctx.writer.stage(tr("洽谈记录"), "negotiation_notes", plan.notes)
    today = ctx.today
    for index, rounds in zip(chosen, counts, strict=True):
        project = _project_in_talks(ctx, index)
        if project is not None:
            first = project.lead_on + 1
            last = project.signed_on if project.signed_on is not None else project.stage_on
            if project.stage == "negotiating":
                last = today
        else:
            first, last = today - 540, today - 1
        last = max(first, min(last, today))
        days = sorted(rng.randint(first, last) for _ in range(rounds))
        for number, held in enumerate(days, start=1):
            final = number == rounds
            _note(
                ctx,
                rng,
                slots,
                index,
                project,
                number,
                held,
                None if final else days[number],
                final,
            )


def _project_in_talks(ctx: Context, index: int) -> Project | None:
    position = ctx.project_of.get(index)
    if position is None:
        return None
    project = ctx.projects[position]
    return None if project.stage == "lead" else project


def _note(
    ctx: Context,
    rng: random.Random,
    slots: Slots,
    index: int,
    project: Project | None,
    number: int,
    held: int,
    next_on: int | None,
    final: bool,
) -> None:
    enterprise = ctx.enterprises[index]
    texts = ctx.texts[enterprise.link]
    today = ctx.today
    signed = project is not None and project.signed_on is not None
    author = project.responsible_id if project is not None else enterprise.owner_id
    if final and signed:
        sticking, next_text = AGREED, ""
    else:
        sticking, next_text = rng.choice(STICKING_POINTS), rng.choice(NEXT_ROUNDS)
        if final:
            roll = rng.random()
            if roll < 0.6:
                next_on = today + rng.randint(3, 45)
            elif roll < 0.85:
                next_on = max(held + 1, today - rng.randint(1, 30))
    sync = ctx.sync("negotiation_notes", held, author, rng)
    note_id = str(sync[0])
    project_id = None if project is None else project.id
    ctx.writer.add(
        "negotiation_notes",
        (
            *sync,
            enterprise.id,
            project_id,
            author,
            number,
            ctx.calendar.iso(held),
            rng.choice(texts.asks),
            rng.choice(texts.offers),
            sticking,
            next_text,
            ctx.calendar.maybe_iso(next_on),
        ),
    )
    if rng.random() < ctx.plan.commitment_share:
        _commitment(ctx, rng, slots, enterprise.id, project_id, note_id, author, held)


def _commitment(
    ctx: Context,
    rng: random.Random,
    slots: Slots,
    enterprise_id: str,
    project_id: str | None,
    note_id: str,
    author: str,
    held: int,
) -> None:
    today = ctx.today
    due = held + rng.randint(30, 360)
    honoured_on: int | None = None
    reason = ""
    roll = rng.random()
    if held >= today:
        status = "pending"
    elif due < today:
        if roll < 0.55:
            status, honoured_on = "honoured", rng.randint(held + 1, due)
        elif roll < 0.85:
            status = "pending"
        else:
            status, reason = "withdrawn", rng.choice(WITHDRAWN_REASONS)
    elif roll < 0.15:
        status, honoured_on = "honoured", rng.randint(held + 1, today)
    else:
        status = "pending"
    sync = ctx.sync("commitments", held, author, rng)
    ctx.writer.add(
        "commitments",
        (
            *sync,
            enterprise_id,
            project_id,
            note_id,
            author,
            slots.pick(COMMITMENTS),
            ctx.calendar.iso(due),
            status,
            ctx.calendar.maybe_iso(honoured_on),
            reason,
        ),
    )


def build_tasks(ctx: Context) -> None:
    rng = ctx.rng("tasks")
    total = ctx.plan.tasks
    me = ctx.squads[0].leader_id
    mine = [i for i in ctx.visited if ctx.enterprises[i].owner_id == me] or ctx.visited[:1]
    followed = ctx.visited
    ctx.writer.stage(tr("待办任务"), "tasks", total)
    forced = ("today", "today", "overdue", "overdue", "upcoming", "upcoming")
    for number in range(total):
        if number < len(forced):
            _enterprise_task(ctx, rng, rng.choice(mine), forced[number], me)
            continue
        roll = rng.random()
        if roll < 0.5 and ctx.visits:
            _visit_task(ctx, rng)
        elif roll < 0.7 and ctx.projects:
            _project_task(ctx, rng, rng.choice(ctx.projects))
        else:
            _enterprise_task(ctx, rng, rng.choice(followed), _category(rng), None)


def build_my_follow_ups(ctx: Context) -> None:
    """Problems the demo's own user answers for and commitments entered straight into the
    ledger (not from a negotiation round): one overdue, one due soon, one settled of each, so
    我的 and 直接录入 are not empty. Their own random stream leaves the rest of the demo as
    it was."""
    rng = random.Random(f"my-follow-ups:{ctx.plan.tasks}")
    slots = Slots(rng)
    me = ctx.squads[0].leader_id
    mine = [i for i in ctx.visited if ctx.enterprises[i].owner_id == me] or ctx.visited[:1]
    today = ctx.today
    for number, index in enumerate(mine[:3]):
        enterprise = ctx.enterprises[index].id
        raised = today - (40, 12, 90)[number]
        deadline = raised + (20, 30, 30)[number]
        resolved_on = raised + 25 if number == 2 else None
        title, detail, resolution = PROBLEMS[rng.randrange(len(PROBLEMS))]
        ctx.writer.add(
            "problems",
            (
                *ctx.sync("problems", raised, me, rng),
                enterprise,
                None,
                me,
                title,
                slots.fill(detail),
                ctx.calendar.iso(raised),
                ctx.calendar.iso(deadline),
                "open" if resolved_on is None else "resolved",
                resolution if resolved_on is not None else "",
                ctx.calendar.maybe_iso(resolved_on),
            ),
        )
        promised = today - (60, 10, 120)[number]
        due = promised + (30, 45, 60)[number]
        honoured_on = promised + 50 if number == 2 else None
        ctx.writer.add(
            "commitments",
            (
                *ctx.sync("commitments", promised, me, rng),
                enterprise,
                None,
                None,
                me,
                slots.pick(COMMITMENTS),
                ctx.calendar.iso(due),
                "pending" if honoured_on is None else "honoured",
                ctx.calendar.maybe_iso(honoured_on),
                "",
            ),
        )


def _category(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.42:
        return "done"
    if roll < 0.62:
        return "overdue"
    if roll < 0.7:
        return "today"
    return "upcoming"


def _dates(ctx: Context, rng: random.Random, category: str) -> tuple[int, int, int | None]:
    """(created, due, completed) days for a task of this category."""
    today = ctx.today
    if category == "done":
        due = today - rng.randint(1, 300)
        return due - rng.randint(3, 30), due, min(today - 1, due + rng.randint(-10, 5))
    if category == "overdue":
        due = today - rng.randint(1, 60)
        return due - rng.randint(3, 30), due, None
    if category == "today":
        return today - rng.randint(1, 20), today, None
    return today - rng.randint(0, 20), today + rng.randint(1, 45), None


def _visit_task(ctx: Context, rng: random.Random) -> None:
    visit = rng.choice(ctx.visits)
    enterprise = ctx.enterprises[visit.enterprise]
    today = ctx.today
    due = visit.on + rng.randint(3, 30)
    completed: int | None = None
    if due < today:
        if rng.random() < (0.95 if due < today - 60 else 0.6):
            completed = min(today - 1, max(visit.on, due + rng.randint(-10, 3)))
    elif due > today and rng.random() < 0.1:
        completed = rng.randint(visit.on, today - 1) if visit.on < today else None
    title = rng.choice(TASKS_FOR_VISIT).format(short=_short(enterprise.name))
    position = ctx.project_of.get(visit.enterprise)
    project_id = None if position is None else ctx.projects[position].id
    _write_task(
        ctx,
        rng,
        title,
        visit.next_steps,
        visit.author_id,
        visit.enterprise,
        visit.on,
        due,
        completed,
        project_id,
        visit.id,
    )


def _project_task(ctx: Context, rng: random.Random, project: Project) -> None:
    created, due, completed = _dates(ctx, rng, _category(rng))
    created = max(created, project.lead_on)
    due = max(due, created)
    if completed is not None:
        completed = max(completed, created)
    title = rng.choice(TASKS_FOR_PROJECT).format(project=project.name)
    _write_task(
        ctx,
        rng,
        title,
        "",
        project.responsible_id,
        project.enterprise,
        created,
        due,
        completed,
        project.id,
        None,
    )


def _enterprise_task(
    ctx: Context, rng: random.Random, index: int, category: str, owner: str | None
) -> None:
    enterprise = ctx.enterprises[index]
    created, due, completed = _dates(ctx, rng, category)
    title = rng.choice(TASKS_FOR_ENTERPRISE).format(
        short=_short(enterprise.name), round=rng.randint(2, 4)
    )
    position = ctx.project_of.get(index)
    project_id = None if position is None else ctx.projects[position].id
    _write_task(
        ctx,
        rng,
        title,
        "",
        owner or enterprise.owner_id,
        index,
        created,
        due,
        completed,
        project_id,
        None,
    )


def _write_task(
    ctx: Context,
    rng: random.Random,
    title: str,
    detail: str,
    owner: str,
    index: int,
    created: int,
    due: int,
    completed: int | None,
    project_id: str | None,
    visit_id: str | None,
) -> None:
    enterprise = ctx.enterprises[index]
    calendar = ctx.calendar
    created = min(created, ctx.today)
    created_at = calendar.stamp(created, rng)
    done_at: str | None = None
    if completed is not None:
        done_at = created_at if completed <= created else calendar.stamp(completed, rng)
    ctx.writer.add(
        "tasks",
        (
            ctx.new_id("tasks"),
            created_at,
            done_at or created_at,
            owner,
            0,
            0,
            title,
            detail,
            owner,
            ctx.squads[enterprise.squad].id,
            calendar.iso(due),
            "done" if done_at else "open",
            done_at,
            enterprise.id,
            project_id,
            visit_id,
        ),
    )


def _short(name: str) -> str:
    """A short form of an enterprise name for task titles (the name without its legal form)."""
    for suffix in ("集团有限公司", "股份有限公司", "有限责任公司", "有限公司"):
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name
