"""Projects through the pipeline, with dated stage history, funds received and problems raised.

Every stage appears. A project's history runs from 线索 up to its current stage (exits 解约 and
暂缓 branch off a pipeline stage), its ``stage``/``stage_on`` equal the last change, and funds
received add up to no more than the contract amount.
"""

from __future__ import annotations

import math
import random

from app.demo.context import Context, Project
from app.demo.draws import Weighted
from app.demo.texts import FUNDING_NOTES, PROBLEMS, STAGE_NOTES, Slots
from app.demo.vocabulary import HOME_PARKS
from app.domain.vocabulary import PIPELINE, ProjectStage
from app.i18n import tr

STAGE_WEIGHTS: dict[ProjectStage, int] = {
    ProjectStage.LEAD: 14,
    ProjectStage.NEGOTIATING: 18,
    ProjectStage.SIGNED: 16,
    ProjectStage.REGISTERED: 10,
    ProjectStage.STARTED: 14,
    ProjectStage.COMPLETED: 8,
    ProjectStage.PRODUCING: 10,
    ProjectStage.TERMINATED: 5,
    ProjectStage.SUSPENDED: 5,
}
GAP_DAYS: dict[ProjectStage, tuple[int, int]] = {
    ProjectStage.NEGOTIATING: (10, 90),
    ProjectStage.SIGNED: (30, 200),
    ProjectStage.REGISTERED: (15, 90),
    ProjectStage.STARTED: (20, 240),
    ProjectStage.COMPLETED: (150, 450),
    ProjectStage.PRODUCING: (20, 120),
    ProjectStage.TERMINATED: (60, 400),
    ProjectStage.SUSPENDED: (30, 300),
}
AGE_DAYS: dict[ProjectStage, int] = {
    ProjectStage.LEAD: 150,
    ProjectStage.NEGOTIATING: 200,
    ProjectStage.SIGNED: 300,
    ProjectStage.REGISTERED: 240,
    ProjectStage.STARTED: 300,
    ProjectStage.COMPLETED: 150,
    ProjectStage.PRODUCING: 600,
    ProjectStage.TERMINATED: 300,
    ProjectStage.SUSPENDED: 300,
}
FUNDED_SHARE: dict[ProjectStage, tuple[float, float, int, int]] = {
    ProjectStage.REGISTERED: (0.03, 0.25, 1, 2),
    ProjectStage.STARTED: (0.2, 0.6, 1, 4),
    ProjectStage.COMPLETED: (0.5, 0.9, 2, 5),
    ProjectStage.PRODUCING: (0.7, 1.0, 3, 6),
    ProjectStage.TERMINATED: (0.0, 0.15, 0, 2),
    ProjectStage.SUSPENDED: (0.0, 0.2, 0, 2),
}
CONTRACT_WAN = ((50_000, 500_000), (10_000, 200_000), (5_000, 50_000))
INTENT_ORDER = {"strong": 0, "medium": 1, "weak": 2, "unknown": 3}


def build_projects(ctx: Context) -> None:
    rng = ctx.rng("projects")
    slots = Slots(rng)
    ranked = sorted(
        (INTENT_ORDER[e.intent] + rng.random() * 1.5, index)
        for index, e in enumerate(ctx.enterprises)
        if not e.duplicate
    )
    chosen = [index for _key, index in ranked[: ctx.plan.projects]]
    rng.shuffle(chosen)
    stages = list(STAGE_WEIGHTS)
    weighted = Weighted(stages, list(STAGE_WEIGHTS.values()))
    ctx.writer.stage(tr("项目"), "projects", len(chosen))
    for number, enterprise_index in enumerate(chosen):
        stage = stages[number] if number < len(stages) else weighted.draw(rng)
        _project(ctx, rng, slots, enterprise_index, stage, force_recent=number < len(stages))


def _path(rng: random.Random, stage: ProjectStage) -> list[ProjectStage]:
    if stage.is_exit:
        bases = PIPELINE[2:5] if stage is ProjectStage.TERMINATED else PIPELINE[1:5]
        base = rng.choice(bases)
        return [*PIPELINE[: PIPELINE.index(base) + 1], stage]
    return list(PIPELINE[: PIPELINE.index(stage) + 1])


def _fmt_wan(wan: int) -> str:
    return f"{wan / 10_000:g}亿元" if wan >= 10_000 else f"{wan}万元"


def _project(
    ctx: Context,
    rng: random.Random,
    slots: Slots,
    enterprise_index: int,
    stage: ProjectStage,
    force_recent: bool,
) -> None:
    enterprise = ctx.enterprises[enterprise_index]
    link = ctx.links[enterprise.link]
    squad = ctx.squads[enterprise.squad]
    today = ctx.today
    path = _path(rng, stage)
    if force_recent or rng.random() < 0.08:
        age = rng.randint(0, today - ctx.calendar.monday)  # changed this week
    else:
        age = rng.randint(0, AGE_DAYS[stage])
    gaps = [rng.randint(*GAP_DAYS[step]) for step in path[1:]]
    dates = [today - age - sum(gaps)]
    for gap in gaps:
        dates.append(dates[-1] + gap)
    responsible = enterprise.owner_id
    low, high = CONTRACT_WAN[enterprise.tier]
    contract = int(math.exp(rng.uniform(math.log(low), math.log(high)))) // 100 * 100
    phase1: int | None = max(100, int(contract * rng.uniform(0.3, 0.6)) // 100 * 100)
    contract_wan: int | None = contract
    if stage is ProjectStage.LEAD:
        phase1 = None
        if rng.random() < 0.5:
            contract_wan = None
    elif stage is ProjectStage.NEGOTIATING and rng.random() < 0.5:
        phase1 = None
    size = rng.choice(link.spec.sizes)
    name = link.spec.project.format(n=size)
    if rng.random() < 0.5:
        name = enterprise.brand + name
    content = (
        (
            "投资规模待企业确定，"
            if contract_wan is None
            else f"项目计划总投资{_fmt_wan(contract)}，"
        )
        + (f"其中一期投资{_fmt_wan(phase1)}，" if phase1 else "")
        + f"主要建设{link.spec.business}生产线及配套设施，达产后预计年产值约"
        f"{max(1, contract // 10_000 * rng.choice((1, 2, 3)))}亿元，新增就业约"
        f"{rng.choice((100, 200, 300, 500, 800, 1500))}人。"
    )
    signed_on = dates[path.index(ProjectStage.SIGNED)] if ProjectStage.SIGNED in path else None
    calendar = ctx.calendar
    project_id = ctx.new_id("projects")
    created = calendar.stamp(dates[0], rng)
    updated = max(created, calendar.stamp(dates[-1], rng))
    ctx.writer.add(
        "projects",
        (
            project_id,
            created,
            updated,
            responsible,
            0,
            0,
            name,
            enterprise.id,
            squad.id,
            responsible,
            link.id,
            stage.value,
            calendar.iso(dates[-1]),
            content,
            rng.choice(HOME_PARKS),
            float(max(10, contract // rng.choice((250, 300, 400, 500)))),  # 投资强度 万元/亩
            None if contract_wan is None else contract_wan * 1_000_000,
            None if phase1 is None else phase1 * 1_000_000,
            calendar.maybe_iso(signed_on),
        ),
    )
    ctx.project_of[enterprise_index] = len(ctx.projects)
    ctx.projects.append(
        Project(
            project_id,
            enterprise_index,
            name,
            stage.value,
            dates[0],
            signed_on,
            dates[-1],
            responsible,
        )
    )
    previous: str | None = None
    for step, on in zip(path, dates, strict=True):
        by = squad.leader_id if step is ProjectStage.SIGNED else responsible
        sync = ctx.sync("project_stage_changes", on, by, rng)
        ctx.writer.add(
            "project_stage_changes",
            (
                *sync,
                project_id,
                previous,
                step.value,
                calendar.iso(on),
                by,
                rng.choice(STAGE_NOTES[step.value]),
            ),
        )
        previous = step.value
    if ProjectStage.REGISTERED in path and contract_wan is not None:
        registered_on = dates[path.index(ProjectStage.REGISTERED)]
        end = dates[-1] if stage.is_exit else today
        _funding(ctx, rng, project_id, responsible, stage, contract, registered_on, end)
    if signed_on is not None and rng.random() < 0.45:
        for _ in range(rng.randint(1, 2)):
            _problem(ctx, rng, slots, enterprise.id, project_id, responsible, signed_on)


def _funding(
    ctx: Context,
    rng: random.Random,
    project_id: str,
    by: str,
    stage: ProjectStage,
    contract_wan: int,
    start: int,
    end: int,
) -> None:
    low, high, fewest, most = FUNDED_SHARE[stage]
    total = int(contract_wan * rng.uniform(low, high)) // 10 * 10
    count = min(rng.randint(fewest, most), total // 10)
    if count <= 0:
        return
    cuts = sorted(rng.sample(range(1, total // 10), count - 1)) if count > 1 else []
    bounds = [0, *(cut * 10 for cut in cuts), total]
    days = sorted(rng.randint(start, max(start, end)) for _ in range(count))
    for number in range(count):
        amount = bounds[number + 1] - bounds[number]
        on = days[number]
        sync = ctx.sync("funding_entries", on, by, rng)
        note = f"第{number + 1}笔到资：{rng.choice(FUNDING_NOTES)}"
        ctx.writer.add(
            "funding_entries", (*sync, project_id, ctx.calendar.iso(on), amount * 1_000_000, note)
        )


def _problem(
    ctx: Context,
    rng: random.Random,
    slots: Slots,
    enterprise_id: str,
    project_id: str,
    owner: str,
    signed_on: int,
) -> None:
    today = ctx.today
    title, detail, resolution = rng.choice(PROBLEMS)
    raised = rng.randint(signed_on, today)
    deadline = raised + rng.randint(15, 60)
    resolved = rng.random() < (0.6 if deadline < today else 0.25) and raised < today
    resolved_on = rng.randint(raised + 1, min(today, deadline + 30)) if resolved else None
    sync = ctx.sync("problems", raised, owner, rng)
    ctx.writer.add(
        "problems",
        (
            *sync,
            enterprise_id,
            project_id,
            owner,
            title,
            slots.fill(detail),
            ctx.calendar.iso(raised),
            ctx.calendar.iso(deadline),
            "resolved" if resolved else "open",
            resolution if resolved else "",
            ctx.calendar.maybe_iso(resolved_on),
        ),
    )
