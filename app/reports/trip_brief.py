"""出访前企业简报: what a squad member reads about each enterprise before setting out.

One part per enterprise, each on its own pages, in the order given (repeats dropped): four
tiles (visits, open commitments, open problems, open tasks), then （一）基本情况,
（二）要素需求与投资意向, （三）关键联系人, （四）近期拜访, （五）待兑现承诺, （六）未办结诉求,
（七）待办任务, （八）项目情况. With several enterprises the brief opens with a one-line-each
overview table. An empty table prints “（无）”, as in the visit summary.

The number is ``JB-<today>-<n>家``; the issuer is the bureau and the printing member's squad.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal

from app.domain.vocabulary import LAND_UNIT, IntentLevel, ProjectStage
from app.i18n import tr
from app.reports.common import file_stem, issuer_line, wan
from app.reports.document import (
    Block,
    Column,
    ColumnKind,
    Fields,
    Figures,
    Heading,
    Notes,
    PageBreak,
    ReportDocument,
    Table,
)
from app.reports.trip_brief_data import RECENT_VISITS, EnterpriseBrief, load_trip_brief
from app.reports.visit_summary import (
    commitment_table,
    enterprise_fields,
    follow_up_table,
    industry_text,
    problem_table,
    task_status,
)
from app.services.workspace import Workspace

SHORT_TEXT = 60
"""Characters of a visit's purpose or outcome kept in the recent-visits table."""

_SPACES = re.compile(r"\s+")


def build_trip_brief(
    workspace: Workspace, enterprise_ids: Sequence[str], now: dt.datetime
) -> ReportDocument:
    """The brief for ``enterprise_ids``; ``ValidationError`` for none, ``NotFoundError`` for an
    unknown or deleted one."""
    data = load_trip_brief(workspace, enterprise_ids)
    today = now.astimezone().date()
    briefs = data.enterprises
    names = [brief.dossier.enterprise.name for brief in briefs]
    several = len(briefs) > 1
    blocks: list[Block] = []
    if several:
        # The overview shares page 1 with the first enterprise; the others each start a page.
        blocks += [Heading(tr("本次出访企业一览")), _overview(briefs, today)]
    for index, brief in enumerate(briefs, start=1):
        if index > 1:
            blocks.append(PageBreak())
        blocks += _enterprise_part(brief, index if several else 0, today)
    blocks.append(_notes())
    first = names[0]
    who = tr("{name}等{count}家", name=first, count=len(names)) if several else first
    return ReportDocument(
        title=tr("出访前企业简报"),
        subtitle=tr("{enterprises} · {date}", enterprises=_listed(names), date=today.isoformat()),
        number=tr("JB-{date}-{count}家", date=f"{today:%Y%m%d}", count=len(names)),
        generated_at=now,
        issuer=issuer_line(data.bureau_name, data.squad_name),
        file_stem=file_stem(tr("出访前简报"), who, today.isoformat()),
        blocks=tuple(blocks),
    )


def _listed(names: list[str]) -> str:
    if len(names) <= 3:
        return tr("、").join(names)
    return tr("{names}等 {count} 家企业", names=tr("、").join(names[:3]), count=len(names))


def _overview(briefs: Sequence[EnterpriseBrief], today: dt.date) -> Table:
    """One line per enterprise; widths in mm of the 174 mm frame, so dates and headers fit."""
    rows = []
    for index, brief in enumerate(briefs, start=1):
        detail = brief.dossier.enterprise
        last = brief.recent_visits[0].visit.visited_on if brief.recent_visits else None
        rows.append(
            (
                index,
                detail.name,
                industry_text(detail.industry_code, detail.industry_name),
                last,
                len(brief.open_commitments),
                len(brief.open_problems),
                len(brief.open_tasks),
                len(brief.dossier.projects),
            )
        )
    return Table(
        sheet=tr("出访企业一览"),
        columns=(
            Column(tr("序号"), ColumnKind.COUNT, width=11),
            Column(tr("企业名称"), width=44),
            Column(tr("所属行业"), width=28),
            Column(tr("最近拜访"), ColumnKind.DATE, width=21),
            Column(tr("待兑现承诺"), ColumnKind.COUNT, width=20.5),
            Column(tr("未办结诉求"), ColumnKind.COUNT, width=20.5),
            Column(tr("待办任务"), ColumnKind.COUNT, width=17.5),
            Column(tr("项目"), ColumnKind.COUNT, width=11.5),
        ),
        rows=tuple(rows),
    )


def _enterprise_part(brief: EnterpriseBrief, index: int, today: dt.date) -> list[Block]:
    """Everything printed for one enterprise; ``index`` 0 when it is the only one."""
    detail = brief.dossier.enterprise
    sheet = (lambda label: f"{index}-{label}") if index else (lambda label: label)
    none = tr("（无）")
    essentials = enterprise_fields(brief.dossier)
    return [
        Heading(f"{index}. {detail.name}" if index else detail.name),
        _tiles(brief, today),
        Heading(tr("（一）基本情况")),
        Fields(
            (
                *essentials.pairs,
                (tr("所属分队"), detail.squad_name),
                (tr("包抓责任人"), detail.owner_name),
            )
        ),
        Heading(tr("（二）要素需求与投资意向")),
        Fields(
            (
                (tr("用地需求"), _land(detail.land_mu)),
                (tr("用工需求"), _people(detail.workforce_need)),
                (tr("用水需求"), detail.water_need),
                (tr("用电需求"), detail.power_need),
                (tr("意向程度"), _intent(detail.intent_level)),
                (tr("选址意向"), detail.site_preference),
            )
        ),
        Fields(((tr("投资意向"), detail.investment_intent),), columns=1),
        Heading(tr("（三）关键联系人")),
        _contacts(brief, sheet(tr("联系人")), none),
        Heading(tr("（四）近期拜访（最近 {count} 次）", count=RECENT_VISITS)),
        _visits(brief, sheet(tr("近期拜访")), none),
        Heading(tr("（五）待兑现承诺")),
        commitment_table(sheet(tr("待兑现承诺")), brief.open_commitments, today, none),
        Heading(tr("（六）未办结诉求")),
        problem_table(sheet(tr("未办结诉求")), brief.open_problems, today, none),
        Heading(tr("（七）待办任务")),
        _tasks(brief, sheet(tr("待办任务")), today, none),
        Heading(tr("（八）项目情况")),
        _projects(brief, sheet(tr("项目情况")), none),
    ]


def _tiles(brief: EnterpriseBrief, today: dt.date) -> Figures:
    last = (
        tr("最近 {date}", date=brief.recent_visits[0].visit.visited_on.isoformat())
        if brief.recent_visits
        else tr("尚未拜访")
    )
    # every open commitment is pending and every open problem open: past due is overdue
    overdue_commitments = sum(bool(c.due_on and c.due_on < today) for c in brief.open_commitments)
    overdue_problems = sum(bool(p.deadline and p.deadline < today) for p in brief.open_problems)
    overdue_tasks = sum(bool(t.due_on and t.due_on < today) for t in brief.open_tasks)
    return Figures(
        (
            (tr("累计拜访"), tr("{count} 次", count=brief.visit_count), last),
            (
                tr("待兑现承诺"),
                tr("{count} 项", count=len(brief.open_commitments)),
                tr("其中已逾期 {count} 项", count=overdue_commitments),
            ),
            (
                tr("未办结诉求"),
                tr("{count} 项", count=len(brief.open_problems)),
                tr("其中已超期 {count} 项", count=overdue_problems),
            ),
            (
                tr("待办任务"),
                tr("{count} 项", count=len(brief.open_tasks)),
                tr("其中已逾期 {count} 项", count=overdue_tasks),
            ),
        )
    )


def _contacts(brief: EnterpriseBrief, sheet: str, none: str) -> Table:
    rows = []
    for contact in brief.dossier.contacts:
        phones = " / ".join(p for p in (contact.mobile, contact.phone) if p.strip())
        note = tr("主要联系人") if contact.is_primary else ""
        rows.append((contact.name, contact.title, phones, note))
    return Table(
        sheet=sheet,
        columns=(
            Column(tr("姓名"), width=1.0),
            Column(tr("职务"), width=1.4),
            Column(tr("联系电话"), width=2.0),
            Column(tr("备注"), width=1.2),
        ),
        rows=tuple(rows),
        empty_text=none,
    )


def _visits(brief: EnterpriseBrief, sheet: str, none: str) -> Table:
    rows = []
    for recent in brief.recent_visits:
        visit = recent.visit
        said = [_short(visit.purpose)]
        if recent.outcomes.strip():
            said.append(tr("成果：{text}", text=_short(recent.outcomes)))
        people = tr("、").join(name for name in visit.participants if name)
        rows.append((visit.visited_on, visit.place, people, "\n".join(p for p in said if p)))
    return Table(
        sheet=sheet,
        columns=(
            Column(tr("日期"), ColumnKind.DATE, width=1.0),
            Column(tr("地点"), width=1.5),
            Column(tr("我方人员"), width=1.3),
            Column(tr("目的与成果"), width=3.2),
        ),
        rows=tuple(rows),
        empty_text=none,
    )


def _tasks(brief: EnterpriseBrief, sheet: str, today: dt.date, none: str) -> Table:
    return follow_up_table(
        sheet,
        (tr("任务"), tr("责任人"), tr("时限")),
        (
            (task.title, task.owner_name, task.due_on, task_status(False, task.due_on, today))
            for task in brief.open_tasks
        ),
        none,
    )


def _projects(brief: EnterpriseBrief, sheet: str, none: str) -> Table:
    return Table(
        sheet=sheet,
        columns=(
            Column(tr("项目名称"), width=2.6),
            Column(tr("阶段"), width=0.8),
            Column(tr("进入阶段日期"), ColumnKind.DATE, width=1.2),
            Column(tr("合同金额（万元）"), ColumnKind.WAN, width=1.3),
            Column(tr("责任人"), width=0.9),
        ),
        rows=tuple(
            (
                project.name,
                _stage(project.stage),
                project.stage_on,
                wan(project.contract_amount),
                project.responsible_name,
            )
            for project in brief.dossier.projects
        ),
        empty_text=none,
    )


def _notes() -> Notes:
    return Notes(
        tr("说明"),
        (
            (tr("近期拜访"), tr("最近 {count} 次拜访，新的在前。", count=RECENT_VISITS)),
            (tr("待兑现承诺"), tr("尚未兑现、未撤回的承诺，含已逾期的。")),
            (tr("未办结诉求"), tr("办理中的企业诉求，含已超期的。")),
            (tr("待办任务"), tr("与该企业相关、尚未完成的任务。")),
            (tr("项目情况"), tr("该企业的全部在库项目及其当前阶段。")),
        ),
    )


def _short(text: str) -> str:
    flat = _SPACES.sub(" ", text).strip()
    return flat if len(flat) <= SHORT_TEXT else flat[: SHORT_TEXT - 1] + "…"


def _land(mu: Decimal | None) -> str:
    if mu is None:
        return ""
    return f"{format(mu.normalize(), 'f')} {LAND_UNIT}"


def _people(count: int | None) -> str:
    return "" if count is None else tr("{count} 人", count=count)


def _intent(level: str) -> str:
    try:
        return IntentLevel(level).label
    except ValueError:
        return level


def _stage(stage: str) -> str:
    try:
        return ProjectStage(stage).label
    except ValueError:
        return stage
