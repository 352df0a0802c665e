"""The workbench page (工作台): today's tasks, the squad's recent visits, and what needs
attention — each row opens its enterprise on double-click."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import mark, tr
from app.services.workbench import RECENT_VISIT_DAYS, SIGNED_NOT_STARTED_MONTHS, UPCOMING_DAYS
from app.services.workbench_views import TaskBucket, WorkbenchOverview
from ui.formatting import format_date
from ui.task_runner import TaskRunner
from ui.widgets.list_table import list_table
from ui.workbench.workbench_models import (
    ENTERPRISE_ROLE,
    AttentionModel,
    MyTaskModel,
    RecentVisitModel,
)

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
    overview_loaded = Signal()

    def __init__(
        self, service: WorkbenchService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._generation = 0
        self.task_model = MyTaskModel(self)
        self.visit_model = RecentVisitModel(self)
        self.attention_model = AttentionModel(self)

        self.heading = QLabel(tr("正在载入…"), self)
        self.heading.setStyleSheet("font-size: 16px; font-weight: 600;")
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
                    "逾期未兑现的承诺、超期未办结的诉求、签约满 {months} 个月仍未开工的项目",
                    months=SIGNED_NOT_STARTED_MONTHS,
                ),
                self,
            ),
        }
        self.task_table = self._table(self.task_model, (120, 72, 220))
        self.visit_table = self._table(self.visit_model, (120, 220, 64))
        self.attention_table = self._table(self.attention_model, (112, 180, 180, 84))

        strip = QHBoxLayout()
        strip.setSpacing(10)
        for tile in self.tiles.values():
            strip.addWidget(tile)
        strip.addStretch(1)
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
        layout.addWidget(self.heading)
        layout.addLayout(strip)
        layout.addWidget(body, 1)

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
        table.doubleClicked.connect(self._on_table_double_clicked)
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
        self.task_model.set_rows(overview.tasks)
        self.visit_model.set_rows(overview.recent_visits)
        self.attention_model.set_rows(overview.attention)
        self.tiles["overdue"].set_value(overview.count(TaskBucket.OVERDUE), warn=True)
        self.tiles["today"].set_value(overview.count(TaskBucket.TODAY))
        self.tiles["upcoming"].set_value(overview.count(TaskBucket.UPCOMING))
        self.tiles["visits"].set_value(len(overview.recent_visits))
        self.tiles["attention"].set_value(len(overview.attention), warn=True)
        self.overview_loaded.emit()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        enterprise_id = index.data(ENTERPRISE_ROLE)
        if enterprise_id:
            self.enterprise_activated.emit(enterprise_id)
