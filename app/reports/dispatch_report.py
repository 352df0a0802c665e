"""一月一调度: the month's figures and the overdue lists (督办清单) for one squad or the whole
bureau, each item with the cadre who answers for it, how long it is overdue and its next
action, then how many items each cadre answers for.

The lists are those of ``OverdueService`` as of the month's last day — or, while the month is
not over, as of the day the report is made (``now`` in local time). The figures are the month's
(``app.services.period_figures``), counted exactly as the weekly report counts a week.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.domain.bureau_rules import BureauRules, KpiKey
from app.domain.period import Period
from app.i18n import tr
from app.reports.common import file_stem, issuer_line
from app.reports.document import (
    Block,
    Cell,
    Column,
    ColumnKind,
    Figures,
    Heading,
    Notes,
    ReportDocument,
    Table,
    Text,
)
from app.reports.period_blocks import definition_items, figure_tiles, scope_name
from app.services.bureau_settings import load_rules
from app.services.figure_definitions import figure_definitions, period_words
from app.services.overdue import OverdueService
from app.services.overdue_views import (
    CadreLoad,
    NextAction,
    OverdueBoard,
    OverdueFilter,
    OverdueRow,
)
from app.services.period_figures import read_activity
from app.services.project_facts_cache import ProjectFactsSource
from app.services.workspace import Workspace

LIST_LIMIT = 200
"""At most this many rows of each list are printed, the longest overdue first (a bureau with
thousands would otherwise get a thousand-page document); the summary and the per-cadre table
always count them all."""
DATE_WIDTH = 1.45
DAYS_WIDTH = 1.15


def build_dispatch_report(
    workspace: Workspace, month: Period, squad_id: str | None, now: dt.datetime
) -> ReportDocument:
    """一月一调度 of ``month`` for the squad ``squad_id``, or the whole bureau when None.
    Unknown squad: ``NotFoundError``."""
    as_of = min(month.end, now.astimezone().date())
    with workspace.database.read() as session:
        rules = load_rules(session)
        activity = read_activity(session, month.start, month.end, squad_id)
    overdue = OverdueService(
        workspace, lambda: as_of, ProjectFactsSource(workspace.database, keep=False)
    )
    board = overdue.board(OverdueFilter(squad_id=squad_id))
    bureau = squad_id is None
    scope = scope_name(activity.squad_name)
    months = rules.not_started_months
    blocks: list[Block] = [
        Heading(tr("一、本月主要数据")),
        figure_tiles(activity.figures()),
        Heading(tr("二、督办事项概况（截至 {day}）", day=as_of.isoformat())),
        _summary(board),
        Heading(tr("三、签约{months}个月未开工", months=months)),
        *_limit_note(board.not_started),
        _project_table(board.not_started, tr("签约{months}个月未开工", months=months), bureau),
        Heading(tr("四、三未项目")),
        *_limit_note(board.three_nots),
        _project_table(board.three_nots, tr("三未项目"), bureau, tagged=True),
        Heading(tr("五、承诺逾期")),
        *_limit_note(board.commitments),
        _linked_table(board.commitments, tr("承诺逾期"), tr("承诺事项"), tr("应兑现日期"), bureau),
        Heading(tr("六、诉求超期")),
        *_limit_note(board.problems),
        _linked_table(board.problems, tr("诉求超期"), tr("企业诉求"), tr("办结期限"), bureau),
        Heading(tr("七、按责任人汇总")),
        _cadre_table(board.by_cadre),
        Notes(tr("口径说明"), tuple(_notes(rules, month, as_of))),
    ]
    number = f"DD-{month.start:%Y-%m}" + (f"-{activity.squad_name}" if activity.squad_name else "")
    return ReportDocument(
        title=tr("一月一调度"),
        subtitle=tr(
            "{scope} · {month}（{first} 至 {last}）· 督办清单截至 {day}",
            scope=scope,
            month=month.label,
            first=month.start.isoformat(),
            last=month.end.isoformat(),
            day=as_of.isoformat(),
        ),
        number=number,
        generated_at=now,
        issuer=issuer_line(rules.bureau_name, activity.squad_name),
        file_stem=file_stem(tr("一月一调度"), scope, f"{month.start:%Y-%m}"),
        blocks=tuple(blocks),
    )


def _summary(board: OverdueBoard) -> Figures:
    def tile(name: str, rows: Sequence[OverdueRow]) -> tuple[str, str, str]:
        longest = max((row.overdue_days for row in rows), default=0)
        detail = tr("最长逾期 {days} 天", days=f"{longest:,}") if rows else tr("无")
        return name, tr("{count} 项", count=f"{len(rows):,}"), detail

    return Figures(
        (
            tile(tr("签约{months}个月未开工", months=board.not_started_months), board.not_started),
            tile(tr("三未项目"), board.three_nots),
            tile(tr("承诺逾期"), board.commitments),
            tile(tr("诉求超期"), board.problems),
        )
    )


def _limit_note(rows: Sequence[OverdueRow]) -> list[Block]:
    """A line above a list longer than ``LIST_LIMIT`` saying how much of it is printed."""
    if len(rows) <= LIST_LIMIT:
        return []
    return [
        Text(
            tr(
                "共 {count} 项，下表列出逾期最长的 {limit} 项；完整清单见系统中的“督办清单”。",
                count=f"{len(rows):,}",
                limit=LIST_LIMIT,
            ),
            muted=True,
        )
    ]


def next_action_text(action: NextAction | None) -> str | None:
    """“报送开工方案（王芳，2026-12-05 前）”; None when there is no open task."""
    if action is None:
        return None
    parts = [action.owner_name] if action.owner_name else []
    if action.due_on is not None:
        parts.append(tr("{day} 前", day=action.due_on.isoformat()))
    if not parts:
        return action.title
    return tr("{title}（{who}）", title=action.title, who=tr("，").join(parts))


def _project_table(
    rows: Sequence[OverdueRow], sheet: str, bureau: bool, *, tagged: bool = False
) -> Table:
    columns = [Column(tr("项目名称"), width=1.7), Column(tr("企业"), width=1.7)]
    if bureau:
        columns.append(Column(tr("小分队"), width=1.1))
    columns.append(Column(tr("包抓责任人"), width=1.35))
    if tagged:
        columns.append(Column(tr("情形"), width=1.3))
    else:
        columns.append(Column(tr("签约日期"), ColumnKind.DATE, width=DATE_WIDTH))
    columns += [
        Column(tr("阶段"), width=0.7),
        Column(tr("逾期天数"), ColumnKind.COUNT, width=DAYS_WIDTH),
        Column(tr("下一步"), width=2.0),
    ]
    lines: list[tuple[Cell, ...]] = []
    for row in rows[:LIST_LIMIT]:
        cells: list[Cell] = [row.project_name, row.enterprise_name]
        if bureau:
            cells.append(row.squad_name)
        cells.append(row.cadre_name or None)
        cells.append(tr("、").join(tag.label for tag in row.tags) if tagged else row.basis)
        cells += [
            row.stage.label if row.stage else None,
            row.overdue_days,
            next_action_text(row.next_action),
        ]
        lines.append(tuple(cells))
    return Table(sheet, tuple(columns), tuple(lines), empty_text=tr("无。"))


def _linked_table(
    rows: Sequence[OverdueRow], sheet: str, item: str, due: str, bureau: bool
) -> Table:
    columns = [
        Column(item, width=1.9),
        Column(tr("企业"), width=1.5),
        Column(tr("项目"), width=1.4),
    ]
    if bureau:
        columns.append(Column(tr("小分队"), width=1.1))
    columns += [
        Column(tr("责任人"), width=0.9),
        Column(due, ColumnKind.DATE, width=DATE_WIDTH),
        Column(tr("逾期天数"), ColumnKind.COUNT, width=DAYS_WIDTH),
        Column(tr("下一步"), width=1.8),
    ]
    lines: list[tuple[Cell, ...]] = []
    for row in rows[:LIST_LIMIT]:
        cells: list[Cell] = [row.title, row.enterprise_name, row.project_name or None]
        if bureau:
            cells.append(row.squad_name or None)
        cells += [
            row.cadre_name or None,
            row.since,
            row.overdue_days,
            next_action_text(row.next_action),
        ]
        lines.append(tuple(cells))
    return Table(sheet, tuple(columns), tuple(lines), empty_text=tr("无。"))


def _cadre_table(loads: Sequence[CadreLoad]) -> Table:
    columns = (
        Column(tr("责任人"), width=1.3),
        Column(tr("小分队"), width=1.5),
        Column(tr("签约未开工"), ColumnKind.COUNT, width=1.25),
        Column(tr("三未"), ColumnKind.COUNT, width=0.8),
        Column(tr("承诺逾期"), ColumnKind.COUNT),
        Column(tr("诉求超期"), ColumnKind.COUNT),
        Column(tr("合计"), ColumnKind.COUNT, width=0.8),
        Column(tr("最长逾期天数"), ColumnKind.COUNT, width=1.2),
    )
    rows = tuple(
        (
            load.cadre_name,
            load.squad_name or None,
            load.not_started,
            load.three_nots,
            load.commitments,
            load.problems,
            load.total,
            load.longest_overdue_days,
        )
        for load in loads
    )
    total: tuple[Cell, ...] = (
        tr("合计"),
        None,
        sum(load.not_started for load in loads),
        sum(load.three_nots for load in loads),
        sum(load.commitments for load in loads),
        sum(load.problems for load in loads),
        sum(load.total for load in loads),
        max((load.longest_overdue_days for load in loads), default=0),
    )
    return Table(
        tr("按责任人汇总"),
        columns,
        rows,
        empty_text=tr("没有逾期事项。"),
        total=total if loads else None,
    )


def _notes(rules: BureauRules, month: Period, as_of: dt.date) -> list[tuple[str, str]]:
    months = rules.not_started_months
    items = [
        (
            tr("统计日"),
            tr(
                "督办清单按 {day} 统计：本月已结束的按月末，未结束的按生成当天。"
                "逾期天数从到期之日起算（到期当天为 0）至统计日。",
                day=as_of.isoformat(),
            ),
        ),
        (
            tr("清单长度"),
            tr(
                "每张清单按逾期天数从长到短排列，超过 {limit} 项的只列出前 {limit} 项；"
                "督办事项概况和按责任人汇总计入全部事项。",
                limit=LIST_LIMIT,
            ),
        ),
        (
            tr("签约{months}个月未开工", months=months),
            tr(
                "签约满 {months} 个月（按日历月，签约日加 {months} 个月为应开工日）仍未到达"
                "“开工”或之后阶段、且统计日未解约的项目；暂缓的项目仍列入。",
                months=months,
            ),
        ),
        (
            tr("三未项目"),
            tr(
                "未履约：签约满 {unfulfilled} 个月仍未履约（{fulfilment}）；未开工：签约满 "
                "{not_started} 个月仍未开工；未建成投产：开工满 {not_producing} 个月仍未投产。"
                "已解约的项目不列入；一个项目可同时属于几种情形，逾期天数按最早到期的情形计。",
                unfulfilled=rules.unfulfilled_months,
                fulfilment=rules.formula(KpiKey.FULFILMENT).describe(),
                not_started=months,
                not_producing=rules.not_producing_months,
            ),
        ),
        (
            tr("承诺逾期"),
            tr("应兑现日期早于统计日、仍为“待兑现”的承诺；责任人为作出承诺的人。"),
        ),
        (
            tr("诉求超期"),
            tr("办结期限早于统计日、仍在办理中的企业诉求；责任人为诉求的负责人。"),
        ),
        (
            tr("责任人与下一步"),
            tr(
                "项目的责任人为包抓责任人。下一步为该项目（承诺、诉求没有关联项目的，为该企业）"
                "最早到期的未完成任务。按责任人汇总的“合计”为三未、承诺逾期、诉求超期之和"
                "（签约未开工的项目都在三未之内，不重复计）。"
            ),
        ),
        (
            tr("小分队"),
            tr(
                "选择小分队时，项目按其所属小分队计；承诺和诉求按其关联项目所属小分队计，"
                "没有关联项目的按企业所属小分队计。"
            ),
        ),
    ]
    items += definition_items(figure_definitions(period_words(month)))
    return items
