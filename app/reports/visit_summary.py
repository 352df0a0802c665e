"""拜访纪要: the one- or two-page summary a squad prints after a visit and hands to its leader.

Sections, in the order a bureau files them: 一、企业基本情况, 二、拜访情况, 三、洽谈内容,
四、诉求、回应与承诺, 五、下一步工作, 六、现场照片; then signature lines and a short note on what
section four draws on. Every section heading is printed; a section with nothing recorded says
“（无）” in one muted line, and empty parts inside a section are left out.

The number is ``BF-<visit date>-<last six hex digits of the visit id>``: the same visit prints
the same number every time. ``enterprise_fields`` and the status texts also serve the pre-trip
brief.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from app.domain.money import Money
from app.domain.vocabulary import CommitmentStatus, ProblemStatus, TaskStatus
from app.i18n import tr
from app.reports.common import file_stem, issuer_line
from app.reports.document import (
    Block,
    Column,
    ColumnKind,
    Fields,
    Heading,
    Notes,
    Photo,
    Photos,
    ReportDocument,
    Signatures,
    Table,
    Text,
)
from app.reports.visit_summary_data import (
    CommitmentLine,
    ProblemLine,
    VisitSummaryData,
    load_visit_summary,
)
from app.services.chains import link_text
from app.services.enterprise_views import Dossier
from app.services.honour_directory_views import honour_tag
from app.services.visit_views import VisitDetail, VisitTaskView
from app.services.workspace import Workspace


def build_visit_summary(workspace: Workspace, visit_id: str, now: dt.datetime) -> ReportDocument:
    """The 拜访纪要 of one visit; ``NotFoundError`` when it is unknown or deleted."""
    data = load_visit_summary(workspace, visit_id)
    visit = data.visit
    today = now.astimezone().date()
    day = visit.visited_on.isoformat()
    enterprise = data.dossier.enterprise.name or visit.enterprise_name
    blocks: list[Block] = []
    blocks += _section(tr("一、企业基本情况"), [enterprise_fields(data.dossier, visit)])
    blocks += _section(tr("二、拜访情况"), _visit_facts(data))
    blocks += _section(tr("三、洽谈内容"), _discussion(visit))
    blocks += _section(tr("四、诉求、回应与承诺"), _asks_and_commitments(data, today))
    blocks += _section(tr("五、下一步工作"), _next_steps(visit, today))
    blocks += _section(tr("六、现场照片"), _photos(data))
    blocks.append(Signatures((tr("记录人"), tr("分队长审核"), tr("分管领导审阅"))))
    blocks.append(_notes(visit.visited_on))
    return ReportDocument(
        title=tr("拜访纪要"),
        subtitle=tr("{enterprise} · {date}", enterprise=enterprise, date=day),
        number=visit_number(visit.id, visit.visited_on),
        generated_at=now,
        issuer=issuer_line(data.bureau_name, visit.squad_name),
        file_stem=file_stem(tr("拜访纪要"), enterprise, day),
        blocks=tuple(blocks),
    )


def visit_number(visit_id: str, visited_on: dt.date) -> str:
    """``BF-20261126-8F3A2C``: the visit's day and the last six hex digits of its id."""
    tail = "".join(char for char in visit_id if char.isalnum())[-6:].upper()
    return f"BF-{visited_on:%Y%m%d}-{tail}"


def enterprise_fields(dossier: Dossier, visit: VisitDetail | None = None) -> Fields:
    """Name, USCC, industry, region, legal representative, capital, chain links, honours."""
    detail = dossier.enterprise
    links = [visit.chain_link_label] if visit and visit.chain_link_label else []
    links += [link_text(link.chain_name, link.link_name) for link in dossier.links]
    honours = [honour_tag(h.kind, h.year, h.batch) for h in dossier.honours]
    return Fields(
        (
            (tr("企业名称"), detail.name),
            (tr("统一社会信用代码"), detail.uscc or ""),
            (tr("所属行业"), industry_text(detail.industry_code, detail.industry_name)),
            (tr("所在地区"), detail.region_name),
            (tr("法定代表人"), detail.legal_representative),
            (tr("注册资本"), money_text(detail.registered_capital)),
            (tr("产业链环节"), "\n".join(dict.fromkeys(links))),
            (tr("荣誉资质"), "\n".join(honours)),
        )
    )


def industry_text(code: str | None, name: str) -> str:
    """“3841 锂离子电池制造”: the GB/T 4754 code and its name."""
    if not code:
        return ""
    return code if not name or name == code else f"{code} {name}"


def money_text(amount: Money | None) -> str:
    return "" if amount is None else amount.format()


def person_text(name: str, title: str) -> str:
    return tr("{name}（{title}）", name=name, title=title) if title.strip() else name


def commitment_status(line: CommitmentLine, today: dt.date) -> str:
    """待兑现 / 已逾期 (pending, due before today) / 已兑现 / 已撤回."""
    if line.status == CommitmentStatus.PENDING.value and line.due_on and line.due_on < today:
        return tr("已逾期")
    return _label(CommitmentStatus, line.status)


def problem_status(line: ProblemLine, today: dt.date) -> str:
    """办理中 / 已超期 (open, past its deadline) / 已办结."""
    if line.status == ProblemStatus.OPEN.value and line.deadline and line.deadline < today:
        return tr("已超期")
    return _label(ProblemStatus, line.status)


def task_status(done: bool, due_on: dt.date | None, today: dt.date) -> str:
    """待办 / 已逾期 (open, due before today) / 已完成."""
    if done:
        return TaskStatus.DONE.label
    if due_on and due_on < today:
        return tr("已逾期")
    return TaskStatus.OPEN.label


def follow_up_table(
    sheet: str,
    headers: tuple[str, str, str],
    rows: Iterable[tuple[str, str, dt.date | None, str]],
    empty_text: str = "",
) -> Table:
    """The four-column table of things to follow up: what, who, by when, status."""
    what, who, due = headers
    return Table(
        sheet=sheet,
        columns=(
            Column(what, width=3.2),
            Column(who, width=1.0),
            Column(due, ColumnKind.DATE, width=1.1),
            Column(tr("状态"), width=0.8),
        ),
        rows=tuple(rows),
        empty_text=empty_text,
    )


def commitment_table(
    sheet: str, lines: Iterable[CommitmentLine], today: dt.date, empty_text: str = ""
) -> Table:
    return follow_up_table(
        sheet,
        (tr("承诺内容"), tr("承诺人"), tr("兑现期限")),
        (
            (line.content, line.promised_by, line.due_on, commitment_status(line, today))
            for line in lines
        ),
        empty_text,
    )


def problem_table(
    sheet: str, lines: Iterable[ProblemLine], today: dt.date, empty_text: str = ""
) -> Table:
    return follow_up_table(
        sheet,
        (tr("诉求事项"), tr("责任人"), tr("办结时限")),
        (
            (line.title, line.owner_name, line.deadline, problem_status(line, today))
            for line in lines
        ),
        empty_text,
    )


def _section(title: str, blocks: list[Block]) -> list[Block]:
    """The heading and its blocks, or the heading and a muted “（无）” when there are none."""
    return [Heading(title), *(blocks or [Text(tr("（无）"), muted=True)])]


def _visit_facts(data: VisitSummaryData) -> list[Block]:
    visit = data.visit
    trip = ""
    if data.trip is not None:
        trip = tr(
            "{title}（{start} 至 {end}）",
            title=data.trip.title,
            start=data.trip.start_on.isoformat(),
            end=data.trip.end_on.isoformat(),
        )
    ours = tr("、").join(person_text(p.name, p.title) for p in visit.participants)
    theirs = tr("、").join(person_text(a.name, a.title) for a in visit.attendees)
    return [
        Fields(
            (
                (tr("拜访日期"), visit.visited_on.isoformat()),
                (tr("拜访地点"), visit.place),
                (tr("所属行程"), trip or visit.trip_title),
                (tr("记录人"), visit.author_name),
            )
        ),
        Fields(
            (
                (tr("我方人员"), ours),
                (tr("对方人员"), theirs),
                (tr("拜访目的"), visit.purpose),
            ),
            columns=1,
        ),
    ]


def _discussion(visit: VisitDetail) -> list[Block]:
    blocks: list[Block] = []
    if visit.discussion.strip():
        blocks.append(Text(visit.discussion.strip()))
    if visit.outcomes.strip():
        blocks.append(Fields(((tr("主要成果"), visit.outcomes.strip()),), columns=1))
    return blocks


def _asks_and_commitments(data: VisitSummaryData, today: dt.date) -> list[Block]:
    blocks: list[Block] = []
    several = len(data.rounds) > 1
    pairs: list[tuple[str, str]] = []
    for label, texts in (
        (tr("对方诉求"), [(r.round_no, r.their_asks) for r in data.rounds]),
        (tr("我方回应"), [(r.round_no, r.our_offers) for r in data.rounds]),
        (tr("主要分歧"), [(r.round_no, r.sticking_points) for r in data.rounds]),
    ):
        joined = _by_round(texts, several)
        if joined:
            pairs.append((label, joined))
    if pairs:
        blocks.append(Fields(tuple(pairs), columns=1))
    if data.problems:
        blocks.append(Text(tr("当日提出的企业诉求：")))
        blocks.append(problem_table(tr("企业诉求"), data.problems, today))
    if data.commitments:
        blocks.append(Text(tr("承诺事项：")))
        blocks.append(commitment_table(tr("承诺事项"), data.commitments, today))
    return blocks


def _by_round(texts: list[tuple[int, str]], several: bool) -> str:
    filled = [(number, text.strip()) for number, text in texts if text.strip()]
    if not several:
        return "\n".join(text for _number, text in filled)
    return "\n".join(tr("第{round}轮：{text}", round=number, text=text) for number, text in filled)


def _next_steps(visit: VisitDetail, today: dt.date) -> list[Block]:
    blocks: list[Block] = []
    if visit.next_steps.strip():
        blocks.append(Text(visit.next_steps.strip()))
    if visit.tasks:
        blocks.append(Text(tr("跟进任务：")))
        blocks.append(_task_table(visit.tasks, today))
    return blocks


def _task_table(tasks: tuple[VisitTaskView, ...], today: dt.date) -> Table:
    return follow_up_table(
        tr("跟进任务"),
        (tr("任务"), tr("责任人"), tr("时限")),
        (
            (task.title, task.owner_name, task.due_on, task_status(task.done, task.due_on, today))
            for task in tasks
        ),
    )


def _photos(data: VisitSummaryData) -> list[Block]:
    if not data.photos:
        return []
    photos = tuple(
        Photo(
            photo.path,
            (photo.caption or photo.name)
            if photo.available
            else tr("{name}（照片尚未同步到本机）", name=photo.caption or photo.name),
        )
        for photo in data.photos
    )
    return [Photos(photos)]


def _notes(visited_on: dt.date) -> Notes:
    day = visited_on.isoformat()
    return Notes(
        tr("说明"),
        (
            (
                tr("诉求、回应与承诺"),
                tr(
                    "取自与该企业在拜访当日（{date}）举行的洽谈记录（对方诉求、我方回应、主要分歧）；"
                    "企业诉求为当日登记的诉求；承诺事项为当日洽谈中作出的承诺，"
                    "以及当日登记、未关联洽谈记录的对该企业承诺。",
                    date=day,
                ),
            ),
            (
                tr("状态"),
                tr("为生成本纪要时的状态；已逾期、已超期指未办结且已过时限。"),
            ),
        ),
    )


def _label(kind: type[CommitmentStatus] | type[ProblemStatus], value: str) -> str:
    try:
        return kind(value).label
    except ValueError:  # a status from a newer version: print it as stored
        return value
