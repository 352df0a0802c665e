"""一周一快报: the reporting week's figures for one squad or the whole bureau, its milestone
projects, its highlights and, for the bureau, one line per squad with a total line.

The week is laid out as the bureau's rules say (``BureauRules.week_start``): the ISO week,
Monday to Sunday, or seven days from another weekday of ISO week N. The figures and their
definitions are those of ``app.services.period_figures``.

本周亮点 (highlights), in this order:

1. the week's milestone projects (新签约 / 新开工 / 新竣工 / 新投产), largest contract amount
   first, at most ``PROJECTS_SHOWN``;
2. trips overlapping the week led by a leader (党政主职, 分管领导, 局长/部门负责人 — any
   ``LeaderType`` but 其他), the highest leader first, then by departure, at most
   ``TRIPS_SHOWN``;
3. enterprises visited this week that no one had visited before (首次拜访), at most
   ``NEWCOMERS_SHOWN`` named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.domain.vocabulary import LeaderType
from app.i18n import tr
from app.reports.common import file_stem, issuer_line, wan_text
from app.reports.document import Block, Heading, Notes, ReportDocument, Text
from app.reports.period_blocks import (
    definition_items,
    figure_tiles,
    milestone_table,
    progress_table,
    scope_name,
    work_table,
)
from app.services.bureau_settings import load_rules
from app.services.figure_definitions import figure_definitions, week_words
from app.services.kpi import milestone_name
from app.services.lookups import squad_options
from app.services.period_figures import (
    MILESTONE_STAGES,
    PeriodActivity,
    first_visits,
    read_activity,
    squad_figures,
)
from app.services.project_facts import enterprise_names
from app.services.weekly_figures_views import IsoWeek, MilestoneProject
from app.services.workspace import Workspace

PROJECTS_SHOWN = 5
TRIPS_SHOWN = 5
NEWCOMERS_SHOWN = 10


def build_weekly_report(
    workspace: Workspace, week: IsoWeek, squad_id: str | None, now: dt.datetime
) -> ReportDocument:
    """一周一快报 of ``week`` (re-anchored on the bureau's week start) for the squad
    ``squad_id``, or the whole bureau when None. Unknown squad: ``NotFoundError``."""
    with workspace.database.read() as session:
        rules = load_rules(session)
        week = IsoWeek(week.year, week.week, rules.week_start)
        activity = read_activity(session, week.first_day, week.last_day, squad_id)
        newcomers = first_visits(session, activity)
        names = enterprise_names(session, newcomers[:NEWCOMERS_SHOWN])
        squads = squad_options(session) if squad_id is None else ()
    figures = activity.figures()
    scope = scope_name(activity.squad_name)
    bureau = squad_id is None
    blocks: list[Block] = [
        Heading(tr("一、主要数据")),
        figure_tiles(figures),
        Heading(tr("二、本周亮点")),
        Text("\n\n".join(highlights(activity, newcomers, names, bureau))),
        Heading(tr("三、本周项目进展")),
        milestone_table(
            figures.projects,
            sheet=tr("本周项目进展"),
            with_squad=bureau,
            empty_text=tr("本周没有新签约、新开工、新竣工或新投产的项目。"),
        ),
    ]
    if bureau:
        lines = squad_figures(activity, squads)
        blocks += [
            Heading(tr("四、分小分队情况")),
            work_table(lines, figures, sheet=tr("分小分队-工作量")),
            progress_table(lines, figures, sheet=tr("分小分队-项目进展")),
        ]
    notes = definition_items(figure_definitions(week_words(rules.week_start)))
    notes.append((tr("本周亮点"), highlight_rule()))
    if bureau:
        notes.append((tr("分小分队"), squad_lines_rule()))
    blocks.append(Notes(tr("口径说明"), tuple(notes)))
    number = f"ZB-{week}" + (f"-{activity.squad_name}" if activity.squad_name else "")
    return ReportDocument(
        title=tr("一周一快报"),
        subtitle=tr(
            "{scope} · {week}（{first} 至 {last}）",
            scope=scope,
            week=str(week),
            first=week.first_day.isoformat(),
            last=week.last_day.isoformat(),
        ),
        number=number,
        generated_at=now,
        issuer=issuer_line(rules.bureau_name, activity.squad_name),
        file_stem=file_stem(tr("一周一快报"), scope, str(week)),
        blocks=tuple(blocks),
    )


def highlights(
    activity: PeriodActivity,
    newcomers: Sequence[str],
    names: dict[str, str],
    bureau: bool,
) -> list[str]:
    """The highlight lines, by the rule in the module docstring (one line when none)."""
    lines = [f"· {_project_line(row, bureau)}" for row in _largest(activity.projects)]
    leaders = list(LeaderType)
    led = sorted(
        (trip for trip in activity.trips if trip.leader_type is not LeaderType.OTHER),
        key=lambda trip: (leaders.index(trip.leader_type), trip.start_on, trip.title),
    )
    for trip in led[:TRIPS_SHOWN]:
        place = tr("，{destination}", destination=trip.destination) if trip.destination else ""
        lines.append(
            "· "
            + tr(
                "{leader}带队外出：{title}（{start} 至 {end}{place}）",
                leader=trip.leader_type.label,
                title=trip.title,
                start=trip.start_on.isoformat(),
                end=trip.end_on.isoformat(),
                place=place,
            )
        )
    if len(led) > TRIPS_SHOWN:
        lines.append("· " + tr("另有领导带队外出 {count} 次", count=len(led) - TRIPS_SHOWN))
    if newcomers:
        shown = tr("、").join(names.get(key, "") or key for key in newcomers[:NEWCOMERS_SHOWN])
        more = tr("等") if len(newcomers) > NEWCOMERS_SHOWN else ""
        lines.append(
            "· "
            + tr(
                "首次拜访企业 {count} 家：{names}{more}",
                count=f"{len(newcomers):,}",
                names=shown,
                more=more,
            )
        )
    return lines or [
        tr("本周没有到达签约、开工、竣工、投产的项目，没有领导带队的外出，也没有首次拜访的企业。")
    ]


def _largest(projects: Sequence[MilestoneProject]) -> list[MilestoneProject]:
    """The milestone rows with the largest contract amounts (unknown amounts last)."""
    ranked = sorted(
        projects,
        key=lambda row: (
            -(row.contract_amount.fen if row.contract_amount is not None else -1),
            MILESTONE_STAGES.index(row.stage),
            row.changed_on,
            row.project_name,
        ),
    )
    return ranked[:PROJECTS_SHOWN]


def _project_line(row: MilestoneProject, bureau: bool) -> str:
    who = row.enterprise_name
    if bureau and row.squad_name:
        who = tr("{enterprise}，{squad}", enterprise=row.enterprise_name, squad=row.squad_name)
    return tr(
        "{milestone}：{project}（{who}），合同投资额 {amount}，{date}",
        milestone=milestone_name(row.stage),
        project=row.project_name,
        who=who,
        amount=wan_text(row.contract_amount),
        date=row.changed_on.isoformat(),
    )


def highlight_rule() -> str:
    return tr(
        "依次列出：（1）本周新签约、新开工、新竣工、新投产的项目，按合同投资额从大到小，至多 "
        "{projects} 个；（2）与本周重叠、由领导带队的外出行程，按{leaders}的顺序、再按出发日期，"
        "至多 {trips} 次；（3）本周拜访、此前没有任何拜访记录的企业（首次拜访），至多列名 "
        "{newcomers} 家。",
        projects=PROJECTS_SHOWN,
        leaders=tr("、").join(kind.label for kind in LeaderType if kind is not LeaderType.OTHER),
        trips=TRIPS_SHOWN,
        newcomers=NEWCOMERS_SHOWN,
    )


def squad_lines_rule() -> str:
    return tr(
        "每个小分队一行，按名称排列；不属于任何小分队的记录列为“（未归属小分队）”。合计行为"
        "全局数字：外出招商天数、拜访次数和各类项目的个数、金额等于各行之和；拜访企业个数按"
        "全局去重，同一企业被几个小分队拜访只计 1 个，可能小于各行之和。"
    )
