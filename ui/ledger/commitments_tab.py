"""政策兑现台账: every commitment made to an enterprise, overdue ones in red, with 兑现率.

Keys on the list: N 新增, F2 编辑, Ctrl+D 标记兑现, Delete 撤回 (asks the reason), Ctrl+Shift+D
重新打开, Ctrl+H 历史, Enter 打开企业.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.domain.vocabulary import CommitmentStatus
from app.i18n import tr
from app.services.commitment_ledger import CommitmentLedgerService
from app.services.commitment_ledger_views import (
    HONOUR_RATE_DEFINITION,
    LedgerEntry,
    LedgerFilter,
    LedgerPage,
    LedgerStatus,
)
from ui.ledger.closing_dialog import Ask
from ui.ledger.commitment_dialog import CommitmentDialog
from ui.ledger.entry_table_model import EntryTableModel
from ui.ledger.ledger_columns import COMMITMENT_COLUMNS, CommitmentColumn, commitment_closed
from ui.ledger.ledger_tab import LedgerTab
from ui.task_runner import CancelToken, TaskRunner

_WIDTHS = {
    CommitmentColumn.ENTERPRISE: 200,
    CommitmentColumn.PROJECT: 170,
    CommitmentColumn.CONTENT: 260,
    CommitmentColumn.PROMISED_BY: 80,
    CommitmentColumn.DUE: 120,
    CommitmentColumn.STATUS: 130,
    CommitmentColumn.HONOURED_ON: 120,
    CommitmentColumn.SOURCE: 140,
}


class CommitmentsTab(LedgerTab):
    TABLE = "commitments"

    def __init__(
        self, service: CommitmentLedgerService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        model: EntryTableModel[LedgerEntry, CommitmentColumn] = EntryTableModel(
            CommitmentColumn, COMMITMENT_COLUMNS, commitment_closed
        )
        super().__init__(
            runner,
            model,
            [
                (tr("全部"), ""),
                *((status.label, status.value) for status in LedgerStatus),
            ],
            {int(column): width for column, width in _WIDTHS.items()},
            tr("筛选：承诺内容、企业、项目、承诺人或撤回原因"),
            parent,
        )
        model.setParent(self)
        self._service = service
        self.add_common_actions(tr("新增承诺…"))
        self.honour_action = self.add_action(tr("标记兑现…"), ["Ctrl+D"], self._on_honour_triggered)
        self.withdraw_action = self.add_action(tr("撤回…"), ["Delete"], self._on_withdraw_triggered)
        self.reopen_action = self.add_action(
            tr("重新打开"), ["Ctrl+Shift+D"], self._on_reopen_triggered
        )
        self.add_trailing_actions()
        self.definition_label.setText(tr(HONOUR_RATE_DEFINITION))
        self.summary_label.setToolTip(tr(HONOUR_RATE_DEFINITION))
        self.update_actions()

    def selected_entry(self) -> LedgerEntry | None:
        entry = self.selected()
        assert entry is None or isinstance(entry, LedgerEntry)
        return entry

    # -- LedgerTab -------------------------------------------------------------------------------

    def page_work(self) -> Callable[[CancelToken], LedgerPage]:
        service = self._service
        status = self.status_value
        filter_ = LedgerFilter(
            status=LedgerStatus(status) if status else None,
            scope=self.scope,
            text=self.filter_edit.text(),
        )
        return lambda _token: service.page(filter_)

    def show_page(self, page: LedgerPage) -> None:
        counts = page.counts
        self.summary_label.setText(
            tr(
                "待兑现 {open}（其中已逾期 {overdue}） · 已兑现 {honoured} · 已撤回 {withdrawn}"
                " · 兑现率 {rate}",
                open=counts.open,
                overdue=counts.overdue,
                honoured=counts.honoured,
                withdrawn=counts.withdrawn,
                rate=counts.honour_rate.text,
            )
        )

    def update_actions(self) -> None:
        entry = self.selected_entry()
        status = entry.status if entry is not None else None
        for action in (self.edit_action, self.history_action, self.open_action):
            action.setEnabled(entry is not None)
        self.honour_action.setEnabled(status is CommitmentStatus.PENDING)
        self.withdraw_action.setEnabled(status is CommitmentStatus.PENDING)
        self.reopen_action.setEnabled(status is not None and status is not CommitmentStatus.PENDING)

    def edit(self, record_id: str | None) -> None:
        dialog = CommitmentDialog(self._service, self._runner, record_id, self)
        dialog.saved.connect(
            lambda saved_id: self.saved(
                saved_id, tr("承诺已保存") if record_id else tr("已新增承诺")
            )
        )
        self.dialog = dialog
        dialog.open()

    # -- actions ---------------------------------------------------------------------------------

    def _on_honour_triggered(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.status is not CommitmentStatus.PENDING:
            return
        service = self._service

        def honour(_text: str, day: dt.date | None) -> None:
            service.mark_honoured(entry.id, day)

        self.ask(
            Ask(
                title=tr("标记兑现"),
                caption=tr("“{content}”已兑现于：", content=entry.content),
                confirm=tr("标记兑现"),
                date_label=tr("兑现日期"),
                date_field="honoured_on",
            ),
            honour,
            tr("已标记兑现：{content}", content=entry.content),
        )

    def _on_withdraw_triggered(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.status is not CommitmentStatus.PENDING:
            return
        service = self._service

        def withdraw(reason: str, _day: dt.date | None) -> None:
            service.withdraw(entry.id, reason)

        self.ask(
            Ask(
                title=tr("撤回承诺"),
                caption=tr(
                    "撤回“{content}”：承诺仍留在台账中，注明撤回原因，不计入兑现率。",
                    content=entry.content,
                ),
                confirm=tr("撤回"),
                text_label=tr("撤回原因"),
                text_field="withdrawn_reason",
                text_placeholder=tr("如：企业调整投资计划，不再需要该政策"),
            ),
            withdraw,
            tr("已撤回：{content}", content=entry.content),
        )

    def _on_reopen_triggered(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.status is CommitmentStatus.PENDING:
            return
        service = self._service
        self.change(
            entry.id,
            lambda: service.reopen(entry.id),
            tr("已重新打开，改为待兑现：{content}", content=entry.content),
        )
