"""The dossier's list sections (联系人, 拜访记录, …): their titles, columns and rows."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from app.domain.vocabulary import (
    CommitmentStatus,
    IntentLevel,
    LinkKind,
    ProblemStatus,
    ProjectStage,
    TaskStatus,
)
from app.i18n import mark, tr
from app.services.enterprise_views import (
    ChainLinkView,
    CommitmentSummary,
    Dossier,
    HonourView,
    ProblemSummary,
    TaskSummary,
)
from app.services.honour_directory_views import honour_tag
from ui.formatting import format_date, format_money, join_names
from ui.widgets.record_table_model import RecordColumn


def vocabulary_label(kind: type[Enum], value: str) -> str:
    """The translated label of a stored vocabulary key (the key itself if unknown)."""
    try:
        member: Any = kind(value)
    except ValueError:
        return value
    return str(member.label)


def _commitment_status(row: CommitmentSummary) -> str:
    text = vocabulary_label(CommitmentStatus, row.status)
    if row.status == CommitmentStatus.PENDING and row.due_on and row.due_on < dt.date.today():
        return tr("{status}（已逾期）", status=text)
    return text


def _task_status(row: TaskSummary) -> str:
    text = vocabulary_label(TaskStatus, row.status)
    if row.status == TaskStatus.OPEN and row.due_on and row.due_on < dt.date.today():
        return tr("{status}（已逾期）", status=text)
    return text


def _problem_status(row: ProblemSummary) -> str:
    return vocabulary_label(ProblemStatus, row.status)


class Section(Enum):
    """A tab of the dossier holding a list: (title source, columns, rows of a dossier)."""

    CONTACTS = mark("联系人")
    VISITS = mark("拜访记录")
    NOTES = mark("洽谈记录")
    PROJECTS = mark("项目")
    TASKS = mark("任务")
    COMMITMENTS = mark("承诺事项")
    PROBLEMS = mark("企业诉求")

    @property
    def title(self) -> str:
        return tr(self.value)

    @property
    def columns(self) -> tuple[RecordColumn, ...]:
        return _COLUMNS[self]

    def rows(self, dossier: Dossier) -> tuple[Any, ...]:
        return {
            Section.CONTACTS: dossier.contacts,
            Section.VISITS: dossier.visits,
            Section.NOTES: dossier.notes,
            Section.PROJECTS: dossier.projects,
            Section.TASKS: dossier.tasks,
            Section.COMMITMENTS: dossier.commitments,
            Section.PROBLEMS: dossier.problems,
        }[self]


_COLUMNS: dict[Section, tuple[RecordColumn, ...]] = {
    Section.CONTACTS: (
        RecordColumn(mark("姓名"), lambda c: c.name + (tr("（主要）") if c.is_primary else "")),
        RecordColumn(mark("职务"), lambda c: c.title),
        RecordColumn(mark("手机"), lambda c: c.mobile),
        RecordColumn(mark("电话"), lambda c: c.phone),
        RecordColumn(mark("邮箱"), lambda c: c.email),
    ),
    Section.VISITS: (
        RecordColumn(mark("拜访日期"), lambda v: format_date(v.visited_on)),
        RecordColumn(mark("地点"), lambda v: v.place),
        RecordColumn(mark("拜访目的"), lambda v: v.purpose),
        RecordColumn(mark("我方人员"), lambda v: join_names(v.participants)),
        RecordColumn(mark("记录人"), lambda v: v.author_name),
    ),
    Section.NOTES: (
        RecordColumn(mark("轮次"), lambda n: tr("第 {number} 轮", number=n.round_no)),
        RecordColumn(mark("日期"), lambda n: format_date(n.held_on)),
        RecordColumn(mark("对方诉求"), lambda n: n.their_asks),
        RecordColumn(mark("我方条件"), lambda n: n.our_offers),
        RecordColumn(mark("分歧点"), lambda n: n.sticking_points),
        RecordColumn(mark("下轮时间"), lambda n: format_date(n.next_round_on)),
    ),
    Section.PROJECTS: (
        RecordColumn(mark("项目名称"), lambda p: p.name),
        RecordColumn(mark("阶段"), lambda p: vocabulary_label(ProjectStage, p.stage)),
        RecordColumn(mark("阶段日期"), lambda p: format_date(p.stage_on)),
        RecordColumn(mark("合同投资额"), lambda p: format_money(p.contract_amount)),
        RecordColumn(mark("包抓责任人"), lambda p: p.responsible_name),
    ),
    Section.TASKS: (
        RecordColumn(mark("任务"), lambda t: t.title),
        RecordColumn(mark("责任人"), lambda t: t.owner_name),
        RecordColumn(mark("时限"), lambda t: format_date(t.due_on)),
        RecordColumn(mark("状态"), _task_status),
    ),
    Section.COMMITMENTS: (
        RecordColumn(mark("承诺内容"), lambda c: c.content),
        RecordColumn(mark("兑现期限"), lambda c: format_date(c.due_on)),
        RecordColumn(mark("状态"), _commitment_status),
    ),
    Section.PROBLEMS: (
        RecordColumn(mark("诉求"), lambda p: p.title),
        RecordColumn(mark("责任人"), lambda p: p.owner_name),
        RecordColumn(mark("办结时限"), lambda p: format_date(p.deadline)),
        RecordColumn(mark("状态"), _problem_status),
    ),
}


def honours_text(honours: tuple[HonourView, ...]) -> str:
    """One line per honour, as the enterprise list tags it: ``2024 专精特新“小巨人”（第五批）``."""
    return "\n".join(honour_tag(honour.kind, honour.year, honour.batch) for honour in honours)


def links_text(links: tuple[ChainLinkView, ...]) -> str:
    """One line per chain link: ``新能源汽车 · 动力电池（补链）``."""
    return "\n".join(
        tr(
            "{chain} · {link}（{kind}）",
            chain=link.chain_name,
            link=link.link_name,
            kind=vocabulary_label(LinkKind, link.kind),
        )
        for link in links
    )


def intent_level_text(level: str) -> str:
    return vocabulary_label(IntentLevel, level) if level else ""
