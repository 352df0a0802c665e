"""The workbench page (工作台): my tasks due, the squad's recent visits, and what needs attention
(overdue commitments and problems, projects signed but not started, visits not yet written up,
open sync conflicts).

Every row opens its record with Enter or a double-click: a task its visit or enterprise, a visit
itself, a project itself, a commitment or problem its enterprise. Space or Ctrl+D (or the tick
box) completes the selected task.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import mark, tr
from app.services.workbench import RECENT_VISIT_DAYS, UPCOMING_DAYS
from app.services.workbench_views import (
    AttentionItem,
    AttentionKind,
    RecentVisit,
    TaskBucket,
    WorkbenchOverview,
    WorkbenchTask,
)
from ui.formatting import format_date
from ui.task_runner import TaskRunner
from ui.widgets.list_table import list_table
from ui.workbench.workbench_models import AttentionModel, MyTaskModel, RecentVisitModel

if TYPE_CHECKING:
    from PySide6.QtCore import QAbstractItemModel

    from app.services.workbench import WorkbenchService

_MUTED = "color: #5f6b7a;"
_WARNING = "#b3261e"
_WEEKDAYS = (
    mark("星期一"),
    mark("星期二"),
    mark("星期三"),
    mark("星期四"),
    mark("星期五"),
    mark("星期六"),
    mark("星期日"),
)


class _Tile(QFrame):
    """One figure on the summary strip: a big number over its caption."""

    def __init__(self, caption: str, tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workbenchTile")
        self.setStyleSheet(
            "#workbenchTile { background: #f6f8fb; border: 1px solid #dde2e8; border-radius: 6px; }"
        )
        self.setToolTip(tip)
        self.number = QLabel("–", self)
        self.number.setStyleSheet("font-size: 22px; font-weight: 600; color: #2b4a6f;")
        label = QLabel(caption, self)
        label.setStyleSheet(_MUTED)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(2)
        layout.addWidget(self.number)
        layout.addWidget(label)

    def set_value(self, value: int, *, warn: bool = False) -> None:
        self.number.setText(str(value))
        colour = _WARNING if warn and value else "#2b4a6f"
        self.number.setStyleSheet(f"font-size: 22px; font-weight: 600; color: {colour};")


class WorkbenchPage(QWidget):
    """What the current member should look at first today."""

    enterprise_activated = Signal(str)
    visit_activated = Signal(str)
    project_activated = Signal(str)
    conflicts_requested = Signal()
    task_changed = Signal(str)
    overview_loaded = Signal()

    def __init__(
        self, service: WorkbenchService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._generation = 0
        self.task_model = MyTaskModel(self)
        self.task_model.completion_requested.connect(self._on_task_model_completion_requested)
        self.visit_model = RecentVisitModel(self)
        self.attention_model = AttentionModel(self)

        self.heading = QLabel(tr("正在载入…"), self)
        self.heading.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.conflicts_button = QPushButton(self)
        self.conflicts_button.setStyleSheet(
            "QPushButton { color: #b3261e; background: #fdecea; border: 1px solid #f2b8b5;"
            " border-radius: 4px; padding: 4px 12px; }"
        )
        self.conflicts_button.setToolTip(tr("同步时双方改了同一处，需要有人决定保留哪一个"))
        self.conflicts_button.clicked.connect(self.conflicts_requested)
        self.conflicts_button.hide()
        self._message = QLabel(self)
        self._message.setStyleSheet(_MUTED)
        self.tiles = {
            "overdue": _Tile(tr("已逾期"), tr("我的待办中已过截止日期的任务"), self),
            "today": _Tile(tr("今天到期"), tr("我的待办中今天到期的任务"), self),
            "upcoming": _Tile(
                tr("{days} 天内到期", days=UPCOMING_DAYS),
                tr("我的待办中今后 {days} 天内到期的任务", days=UPCOMING_DAYS),
                self,
            ),
            "visits": _Tile(
                tr("近 {days} 天拜访", days=RECENT_VISIT_DAYS),
                tr("本小分队近 {days} 天（含今天）的拜访记录", days=RECENT_VISIT_DAYS),
                self,
            ),
            "attention": _Tile(
                tr("需要关注"),
                tr(
                    "逾期未兑现的承诺、超期未办结的诉求、签约满规定月数（见单位设置）仍未开工的项目、"
                    "近 {days} 天还没写洽谈内容的拜访",
                    days=RECENT_VISIT_DAYS,
                ),
                self,
            ),
        }
        self.task_table = self._table(self.task_model, (40, 120, 72, 220))
        self.visit_table = self._table(self.visit_model, (120, 220, 64))
        self.attention_table = self._table(self.attention_model, (112, 180, 180, 84))
        self.complete_action = QAction(tr("标记完成"), self.task_table)
        self.complete_action.setShortcuts([QKeySequence("Space"), QKeySequence("Ctrl+D")])
        self.complete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.complete_action.triggered.connect(self._on_complete_action_triggered)
        self.task_table.addAction(self.complete_action)
        self.task_table.setToolTip(tr("空格键或 Ctrl+D：标记完成；Enter：打开关联的拜访或企业"))

        strip = QHBoxLayout()
        strip.setSpacing(10)
        for tile in self.tiles.values():
            strip.addWidget(tile)
        strip.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.conflicts_button)
        left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(self._section(tr("我的待办"), self.task_table))
        left.addWidget(
            self._section(tr("近 {days} 天拜访", days=RECENT_VISIT_DAYS), self.visit_table)
        )
        left.setChildrenCollapsible(False)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(left)
        body.addWidget(self._section(tr("需要关注"), self.attention_table))
        body.setStretchFactor(0, 5)
        body.setStretchFactor(1, 6)
        body.setSizes([500, 600])
        body.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(strip)
        layout.addWidget(body, 1)
        layout.addWidget(self._message)

    def refresh(self) -> None:
        self._generation += 1
        generation, service = self._generation, self._service

        def on_success(overview: WorkbenchOverview) -> None:
            if generation == self._generation:
                self._on_overview_loaded(overview)

        def on_failure(error: AppError) -> None:
            self.heading.setText(error.message)

        self._runner.submit(lambda _token: service.overview(), on_success, on_failure, owner=self)

    # -- building --------------------------------------------------------------------------------

    def _table(self, model: QAbstractItemModel, widths: tuple[int, ...]) -> QTableView:
        table = list_table(model, self, widths=widths)
        table.activated.connect(self._on_table_activated)  # Enter or a double-click
        return table

    def _section(self, title: str, table: QTableView) -> QWidget:
        section = QWidget(self)
        label = QLabel(title, section)
        label.setStyleSheet("font-weight: 600; padding: 2px 0;")
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(label)
        layout.addWidget(table, 1)
        return section

    # -- handlers --------------------------------------------------------------------------------

    def _on_overview_loaded(self, overview: WorkbenchOverview) -> None:
        today = overview.today
        date = tr(
            "{date} {weekday}", date=format_date(today), weekday=tr(_WEEKDAYS[today.weekday()])
        )
        if overview.member_name:
            who = (
                tr("{name} · {squad}", name=overview.member_name, squad=overview.squad_name)
                if overview.squad_name
                else overview.member_name
            )
        else:
            who = tr("全部数据（未设置当前用户）")
        self.heading.setText(tr("{who}　{date}", who=who, date=date))
        kept = [table.currentIndex().row() for table in self._tables()]
        self.task_model.set_rows(overview.tasks)
        self.visit_model.set_rows(overview.recent_visits)
        self.tiles["overdue"].set_value(overview.count(TaskBucket.OVERDUE), warn=True)
        self.tiles["today"].set_value(overview.count(TaskBucket.TODAY))
        self.tiles["upcoming"].set_value(overview.count(TaskBucket.UPCOMING))
        self.tiles["visits"].set_value(len(overview.recent_visits))
        self.attention_model.set_rows(overview.attention + overview.unwritten_visits)
        self.tiles["attention"].set_value(self.attention_model.rowCount(), warn=True)
        conflicts = overview.open_conflicts
        self.conflicts_button.setText(tr("{count} 处同步冲突待处理 · 去处理", count=conflicts))
        self.conflicts_button.setVisible(conflicts > 0)
        for table, row in zip(self._tables(), kept, strict=True):
            count = table.model().rowCount()
            if row >= 0 and count:  # the same place (a done task's neighbour): keys go on working
                table.selectRow(min(row, count - 1))
        self.overview_loaded.emit()

    def _tables(self) -> tuple[QTableView, ...]:
        return (self.task_table, self.visit_table, self.attention_table)

    def _on_table_activated(self, index: QModelIndex) -> None:
        model = index.model()
        if model is self.task_model:
            self._open_task(self.task_model.row_at(index.row()))
        elif model is self.visit_model:
            self._open_visit(self.visit_model.row_at(index.row()))
        elif model is self.attention_model:
            self._open_attention(self.attention_model.row_at(index.row()))

    def _open_task(self, task: WorkbenchTask) -> None:
        if task.visit_id:
            self.visit_activated.emit(task.visit_id)
        elif task.enterprise_id:
            self.enterprise_activated.emit(task.enterprise_id)

    def _open_visit(self, visit: RecentVisit) -> None:
        self.visit_activated.emit(visit.id)

    def _open_attention(self, item: AttentionItem) -> None:
        match item.kind:
            case AttentionKind.SIGNED_NOT_STARTED:
                self.project_activated.emit(item.record_id)
            case AttentionKind.VISIT_UNWRITTEN:
                self.visit_activated.emit(item.record_id)
            case _:  # commitments and problems are kept in the enterprise's dossier
                self.enterprise_activated.emit(item.enterprise_id)

    def _on_complete_action_triggered(self) -> None:
        row = self.task_table.currentIndex().row()
        if 0 <= row < self.task_model.rowCount():
            self._on_task_model_completion_requested(self.task_model.row_at(row).id)

    def _on_task_model_completion_requested(self, task_id: str) -> None:
        service = self._service
        title = next((t.title for t in self.task_model.rows if t.id == task_id), "")

        def on_success(_result: None) -> None:
            self._message.setText(tr("已标记完成：{title}", title=title))
            self.task_changed.emit(task_id)
            self.refresh()

        def on_failure(error: AppError) -> None:
            self._message.setText(error.message)

        self._runner.submit(
            lambda _token: service.complete_task(task_id), on_success, on_failure, owner=self
        )
