"""企业诉求: problems enterprises asked us to solve, past-deadline ones in red, with 办结率 and
按期办结率 for a chosen period.

Keys on the list: N 登记, F2 编辑, Ctrl+D 办结, Ctrl+Shift+D 重新打开, Delete 删除 (with 撤销),
Ctrl+H 历史, Enter 打开企业.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from app.domain.vocabulary import ProblemStatus
from app.i18n import tr
from app.services.problem_views import (
    CLOSURE_RATE_DEFINITION,
    ON_TIME_RATE_DEFINITION,
    ClosurePeriod,
    ProblemEntry,
    ProblemFilter,
    ProblemPage,
    ProblemState,
)
from app.services.problems import ProblemService
from ui.formatting import format_date
from ui.ledger.closing_dialog import Ask
from ui.ledger.entry_table_model import EntryTableModel
from ui.ledger.ledger_columns import PROBLEM_COLUMNS, ProblemColumn, problem_closed
from ui.ledger.ledger_tab import LedgerTab
from ui.ledger.problem_dialog import ProblemDialog
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.undoable_delete import UndoableDelete

_WIDTHS = {
    ProblemColumn.ENTERPRISE: 200,
    ProblemColumn.PROJECT: 170,
    ProblemColumn.TITLE: 180,
    ProblemColumn.OWNER: 70,
    ProblemColumn.RAISED_ON: 120,
    ProblemColumn.DEADLINE: 120,
    ProblemColumn.STATUS: 130,
    ProblemColumn.RESOLVED_ON: 120,
}


class ProblemsTab(LedgerTab):
    TABLE = "problems"

    def __init__(
        self, service: ProblemService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        model: EntryTableModel[ProblemEntry, ProblemColumn] = EntryTableModel(
            ProblemColumn, PROBLEM_COLUMNS, problem_closed
        )
        super().__init__(
            runner,
            model,
            [(tr("全部"), ""), *((state.label, state.value) for state in ProblemState)],
            {int(column): width for column, width in _WIDTHS.items()},
            tr("筛选：诉求、企业、项目、负责人或办结情况"),
            parent,
        )
        model.setParent(self)
        self._service = service
        self.period_combo = QComboBox(self)
        for period in ClosurePeriod:
            self.period_combo.addItem(period.label, period.value)
        self.period_combo.setCurrentIndex(self.period_combo.findData(ClosurePeriod.YEAR.value))
        self.period_combo.setToolTip(tr("办结率按所选期间内提出的诉求计算"))
        self.period_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.filter_bar.insertWidget(self.filter_bar.count() - 2, QLabel(tr("统计期间"), self))
        self.filter_bar.insertWidget(self.filter_bar.count() - 2, self.period_combo)
        self.add_common_actions(tr("登记诉求…"))
        self.resolve_action = self.add_action(tr("办结…"), ["Ctrl+D"], self._on_resolve_triggered)
        self.reopen_action = self.add_action(
            tr("重新打开"), ["Ctrl+Shift+D"], self._on_reopen_triggered
        )
        self.delete_action = self.add_action(tr("删除"), ["Delete"], self._on_delete_triggered)
        self.add_trailing_actions()
        definitions = tr(CLOSURE_RATE_DEFINITION) + "\n" + tr(ON_TIME_RATE_DEFINITION)
        self.definition_label.setText(definitions)
        self.summary_label.setToolTip(definitions)
        self._undo = UndoableDelete(runner, self.message_bar, service.delete, service.restore, self)
        self._undo.deleted.connect(self._on_undo_changed)
        self._undo.restored.connect(self._on_undo_changed)
        self.update_actions()

    def selected_entry(self) -> ProblemEntry | None:
        entry = self.selected()
        assert entry is None or isinstance(entry, ProblemEntry)
        return entry

    @property
    def period(self) -> ClosurePeriod:
        return ClosurePeriod(self.period_combo.currentData())

    # -- LedgerTab -------------------------------------------------------------------------------

    def page_work(self) -> Callable[[CancelToken], ProblemPage]:
        service, period = self._service, self.period
        status = self.status_value
        filter_ = ProblemFilter(
            state=ProblemState(status) if status else None,
            scope=self.scope,
            text=self.filter_edit.text(),
        )
        return lambda _token: service.page(filter_, period)

    def show_page(self, page: ProblemPage) -> None:
        counts, closure = page.counts, page.closure
        if closure.start is None:
            period = tr("历来")
        else:
            period = tr(
                "{period}（{start}起）", period=self.period.label, start=format_date(closure.start)
            )
        self.summary_label.setText(
            tr(
                "办理中 {open}（其中已超期 {overdue}） · 已办结 {resolved}  ｜  "
                "{period}提出 {raised} 件：办结率 {rate} · 按期办结率 {on_time}",
                open=counts.open + counts.overdue,
                overdue=counts.overdue,
                resolved=counts.resolved,
                period=period,
                raised=closure.raised,
                rate=closure.closure_rate.text,
                on_time=closure.on_time_rate.text,
            )
        )

    def update_actions(self) -> None:
        entry = self.selected_entry()
        status = entry.status if entry is not None else None
        for action in (self.edit_action, self.history_action, self.open_action):
            action.setEnabled(entry is not None)
        self.delete_action.setEnabled(entry is not None)
        self.resolve_action.setEnabled(status is ProblemStatus.OPEN)
        self.reopen_action.setEnabled(status is ProblemStatus.RESOLVED)

    def edit(self, record_id: str | None) -> None:
        dialog = ProblemDialog(self._service, self._runner, record_id, self)
        dialog.saved.connect(
            lambda saved_id: self.saved(
                saved_id, tr("诉求已保存") if record_id else tr("已登记诉求")
            )
        )
        self.dialog = dialog
        dialog.open()

    # -- actions ---------------------------------------------------------------------------------

    def _on_resolve_triggered(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.status is not ProblemStatus.OPEN:
            return
        service = self._service

        def resolve(text: str, day: dt.date | None) -> None:
            service.resolve(entry.id, text, day)

        self.ask(
            Ask(
                title=tr("办结诉求"),
                caption=tr(
                    "{enterprise}：{title}", enterprise=entry.enterprise_name, title=entry.title
                ),
                confirm=tr("办结"),
                text_label=tr("办结情况"),
                text_field="resolution",
                text_placeholder=tr("怎么解决的、结果如何，如：已协调供电公司完成增容"),
                date_label=tr("办结日期"),
                date_field="resolved_on",
            ),
            resolve,
            tr("已办结：{title}", title=entry.title),
            earliest=entry.raised_on,
            text=entry.resolution,
        )

    def _on_reopen_triggered(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.status is not ProblemStatus.RESOLVED:
            return
        service = self._service
        self.change(
            entry.id,
            lambda: service.reopen(entry.id),
            tr("已重新打开，改为办理中：{title}", title=entry.title),
        )

    def _on_delete_triggered(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self._undo.delete(entry.id, entry.title)

    def _on_undo_changed(self, problem_id: str) -> None:
        self.entry_changed.emit(problem_id)
        self.reload()
