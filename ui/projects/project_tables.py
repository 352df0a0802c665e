"""The small tables of the project detail panel: their columns, declared once, and one look."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QTableView, QWidget

from app.domain.vocabulary import ProblemStatus, TaskStatus
from app.i18n import mark, tr
from app.services.project_views import ProblemLine, ResponsibilityView, ResponsibleSpell
from app.services.projects import StageChangeView
from ui.formatting import format_date, format_money, join_names
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordColumn


def _move_text(change: StageChangeView) -> str:
    if change.from_stage is None:
        return change.to_stage.label
    return tr("{before} → {after}", before=change.from_stage.label, after=change.to_stage.label)


def _local_date(spell_time: dt.datetime | None) -> str:
    if not isinstance(spell_time, dt.datetime):
        return tr("（建档时）")
    return format_date(spell_time.astimezone().date())


def _spell_by(spell: ResponsibleSpell) -> str:
    if spell.changed_by_name and spell.source:
        return tr("{name}（{source}）", name=spell.changed_by_name, source=spell.source)
    return spell.changed_by_name or spell.source


def _spell_until(spell: ResponsibleSpell) -> str:
    return tr("至今") if spell.until is None else _local_date(spell.until)


def _task_status(line: ResponsibilityView) -> str:
    if line.status is TaskStatus.DONE:
        return line.status.label
    if line.overdue_days:
        return tr("逾期 {days} 天", days=line.overdue_days)
    return line.status.label


def _problem_status(line: ProblemLine) -> str:
    # ProblemStatus.OPEN and TaskStatus.OPEN share the value "open", so the vocabulary's label
    # table gives 待办 for both; a problem being handled reads 办理中.
    return tr("办理中") if line.status is ProblemStatus.OPEN else line.status.label


def _overdue(flag: bool) -> str:
    return tr("（已逾期）") if flag else ""


HISTORY_COLUMNS = (
    RecordColumn(mark("日期"), lambda c: format_date(c.changed_on)),
    RecordColumn(mark("阶段变化"), _move_text),
    RecordColumn(mark("经办人"), lambda c: c.changed_by_name),
    RecordColumn(mark("说明"), lambda c: c.note),
)

RESPONSIBLE_COLUMNS = (
    RecordColumn(mark("包抓责任人"), lambda s: s.member_name),
    RecordColumn(mark("起"), lambda s: _local_date(s.since)),
    RecordColumn(mark("止"), _spell_until),
    RecordColumn(mark("变更人"), _spell_by),
)

FUNDING_COLUMNS = (
    RecordColumn(mark("到资日期"), lambda e: format_date(e.received_on)),
    RecordColumn(mark("金额"), lambda e: format_money(e.amount)),
    RecordColumn(mark("到资凭证"), lambda e: join_names(p.filename for p in e.proofs)),
    RecordColumn(mark("说明"), lambda e: e.note),
)

TASK_COLUMNS = (
    RecordColumn(mark("责任"), lambda t: t.title),
    RecordColumn(mark("人员"), lambda t: t.owner_name),
    RecordColumn(mark("措施"), lambda t: " ".join(t.detail.split())),
    RecordColumn(mark("时限"), lambda t: format_date(t.due_on)),
    RecordColumn(mark("状态"), _task_status),
)

COMMITMENT_COLUMNS = (
    RecordColumn(mark("承诺事项"), lambda c: c.content),
    RecordColumn(mark("承诺人"), lambda c: c.promised_by_name),
    RecordColumn(mark("兑现期限"), lambda c: format_date(c.due_on) + _overdue(c.overdue)),
    RecordColumn(mark("状态"), lambda c: c.status.label),
)

PROBLEM_COLUMNS = (
    RecordColumn(mark("诉求"), lambda p: p.title),
    RecordColumn(mark("承办人"), lambda p: p.owner_name),
    RecordColumn(mark("提出日期"), lambda p: format_date(p.raised_on)),
    RecordColumn(mark("办结时限"), lambda p: format_date(p.deadline) + _overdue(p.overdue)),
    RecordColumn(mark("状态"), _problem_status),
    RecordColumn(mark("办理结果"), lambda p: p.resolution),
)


def detail_table(
    model: QAbstractItemModel, parent: QWidget, widths: tuple[int, ...] = ()
) -> QTableView:
    table = list_table(model, parent, widths=widths)
    table.setMinimumHeight(90)
    return table
