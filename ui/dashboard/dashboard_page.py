"""督办与指标: the KPI dashboard (rates with their formulas, 新签约/新开工/新竣工/新投产, the
trend, the projects behind any figure) and the overdue lists, for a period and a squad or the
whole bureau. All database work runs on the task runner."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.bureau_rules import KpiKey
from app.domain.errors import AppError
from app.domain.period import Period
from app.domain.vocabulary import ProjectStage
from app.i18n import tr
from app.services.kpi import MILESTONES, milestone_name
from app.services.kpi_views import KpiDashboard
from app.services.overdue_views import OverdueBoard, OverdueFilter
from app.services.weekly_figures_views import SquadOption
from ui.dashboard.dashboard_columns import (
    DRILL_CELLS,
    DrillColumn,
    DrillRow,
    drill_rows_of_figure,
    drill_rows_of_milestone,
)
from ui.dashboard.dashboard_models import ENTERPRISE_ROLE, PROJECT_ROLE, RowsModel, SortedRows
from ui.dashboard.kpi_cards import KpiCard, MilestoneTile
from ui.dashboard.overdue_panel import OverduePanel
from ui.dashboard.period_chooser import PeriodChooser
from ui.dashboard.trend_chart import TrendChart
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.list_table import list_table

if TYPE_CHECKING:
    from app.services.kpi import KpiService
    from app.services.overdue import OverdueService

_DRILL_WIDTHS = (70, 200, 200, 120, 120, 70, 110, 110, 80, 110)
Selection = KpiKey | ProjectStage


class DashboardPage(QWidget):
    """Pick a period and a squad; read the figures, how each is computed, and who is late."""

    project_activated = Signal(str)
    enterprise_activated = Signal(str)
    list_loaded = Signal(int)
    """The overdue lists arrived: how many items need acting on."""
    dashboard_loaded = Signal(object)  # KpiDashboard

    def __init__(
        self,
        kpi_service: KpiService,
        overdue_service: OverdueService,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._kpi = kpi_service
        self._overdue = overdue_service
        self._runner = runner
        self._dashboard: KpiDashboard | None = None
        self._board: OverdueBoard | None = None
        self._selected: Selection = KpiKey.FULFILMENT
        self._generation = {"kpi": 0, "overdue": 0}

        title = QLabel(tr("督办与指标"), self)
        title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.period_chooser = PeriodChooser(kpi_service.today(), self)
        self.period_chooser.period_changed.connect(self._on_period_chooser_changed)
        self.squad_combo = QComboBox(self)
        self.squad_combo.addItem(tr("全局（全部小分队）"), "")
        self.squad_combo.setMinimumContentsLength(12)
        self.squad_combo.currentIndexChanged.connect(self._on_squad_combo_changed)
        self.heading = QLabel(tr("正在计算…"), self)
        self.heading.setStyleSheet("font-weight: 600;")

        self.cards = {key: KpiCard(key.label, self) for key in KpiKey}
        for key, card in self.cards.items():
            card.clicked.connect(lambda key=key: self._select(key))
        self.tiles = {stage: MilestoneTile(milestone_name(stage), self) for stage in MILESTONES}
        for stage, tile in self.tiles.items():
            tile.clicked.connect(lambda stage=stage: self._select(stage))
        self.scope_note = QLabel(self)
        self.scope_note.setWordWrap(True)
        self.scope_note.setStyleSheet("color: #4a5563; font-size: 11px;")
        self.chart = TrendChart(self)
        self.drill_title = QLabel(self)
        self.drill_title.setStyleSheet("font-weight: 600; padding: 2px 0;")
        self.drill_model: RowsModel[DrillRow] = RowsModel(
            DrillColumn, DRILL_CELLS, (lambda r: r.project_id, lambda r: r.enterprise_id), self
        )
        self.drill_proxy = SortedRows(self)
        self.drill_proxy.setSourceModel(self.drill_model)
        self.drill_table = list_table(self.drill_proxy, self, widths=_DRILL_WIDTHS)
        self.drill_table.setSortingEnabled(True)
        self.drill_table.doubleClicked.connect(self._on_drill_table_double_clicked)
        self.overdue_panel = OverduePanel(self)
        self.overdue_panel.project_activated.connect(self.project_activated)
        self.overdue_panel.enterprise_activated.connect(self.enterprise_activated)

        header = QHBoxLayout()
        header.addWidget(title)
        header.addSpacing(12)
        header.addWidget(self.period_chooser)
        header.addStretch(1)
        header.addWidget(QLabel(tr("范围"), self))
        header.addWidget(self.squad_combo)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_kpi_tab(), tr("指标看板"))
        self.tabs.addTab(self.overdue_panel, tr("督办清单"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)

    # -- public ----------------------------------------------------------------------------------

    @property
    def period(self) -> Period:
        return self.period_chooser.period

    @property
    def dashboard(self) -> KpiDashboard | None:
        return self._dashboard

    @property
    def board(self) -> OverdueBoard | None:
        return self._board

    def set_period(self, period: Period) -> None:
        self.period_chooser.set_period(period)  # reloads the figures

    def refresh(self) -> None:
        """Reload the squads, the figures and the overdue lists."""
        service = self._kpi
        self._submit(lambda _token: service.squads(), self._on_squads_loaded)
        self._reload_dashboard()
        self._reload_overdue()

    def show_overdue(self) -> None:
        self.tabs.setCurrentWidget(self.overdue_panel)

    # -- building --------------------------------------------------------------------------------

    def _build_kpi_tab(self) -> QWidget:
        top = QWidget(self)
        cards = QGridLayout()
        cards.setSpacing(8)
        for column, card in enumerate(self.cards.values()):
            cards.addWidget(card, 0, column)
            cards.setColumnStretch(column, 1)
        tiles = QHBoxLayout()
        tiles.setSpacing(8)
        for tile in self.tiles.values():
            tiles.addWidget(tile, 1)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 6, 0, 0)
        top_layout.setSpacing(6)
        top_layout.addLayout(cards)
        top_layout.addLayout(tiles)
        top_layout.addWidget(self.scope_note)
        top_layout.addWidget(self.chart, 1)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.drill_title)
        bottom_layout.addWidget(self.drill_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        return splitter

    # -- handlers --------------------------------------------------------------------------------

    def _on_period_chooser_changed(self, _period: Period) -> None:
        self._reload_dashboard()

    def _on_squad_combo_changed(self, _index: int) -> None:
        self._reload_dashboard()
        self._reload_overdue()

    def _on_squads_loaded(self, squads: tuple[SquadOption, ...]) -> None:
        keep = self.squad_combo.currentData()
        self.squad_combo.blockSignals(True)
        while self.squad_combo.count() > 1:
            self.squad_combo.removeItem(1)
        for squad in squads:
            self.squad_combo.addItem(squad.name, squad.id)
        found = self.squad_combo.findData(keep)
        self.squad_combo.setCurrentIndex(max(found, 0))
        self.squad_combo.blockSignals(False)
        if found < 0:
            self._on_squad_combo_changed(0)

    def _on_dashboard_loaded(self, dashboard: KpiDashboard) -> None:
        self._dashboard = dashboard
        scope = dashboard.squad_name or tr("全局")
        self.heading.setText(tr("{period} · {scope}", period=dashboard.period.label, scope=scope))
        for figure in dashboard.figures:
            self.cards[figure.key].show_figure(figure)
        for count in dashboard.milestones:
            self.tiles[count.stage].show_count(count)
        self.scope_note.setText(tr("说明：{note}", note=dashboard.scope_note))
        self.chart.show_trend(dashboard.trend)
        self._show_selection()
        self.dashboard_loaded.emit(dashboard)

    def _on_board_loaded(self, board: OverdueBoard) -> None:
        self._board = board
        self.overdue_panel.show_board(board)
        self.list_loaded.emit(board.item_count)

    def _on_drill_table_double_clicked(self, index: QModelIndex) -> None:
        project_id = index.data(PROJECT_ROLE)
        if project_id:
            self.project_activated.emit(project_id)
        elif index.data(ENTERPRISE_ROLE):
            self.enterprise_activated.emit(index.data(ENTERPRISE_ROLE))

    def _on_load_failed(self, error: AppError) -> None:
        self.heading.setText(error.message)

    # -- internals -------------------------------------------------------------------------------

    def _select(self, selection: Selection) -> None:
        self._selected = selection
        self._show_selection()

    def _show_selection(self) -> None:
        for key, card in self.cards.items():
            card.set_selected(key is self._selected)
        for stage, tile in self.tiles.items():
            tile.set_selected(stage is self._selected)
        dashboard = self._dashboard
        if dashboard is None:
            return
        is_rate = isinstance(self._selected, KpiKey)
        self.drill_table.setColumnHidden(DrillColumn.COUNTED, not is_rate)
        self.drill_table.setColumnHidden(DrillColumn.SIGNED, not is_rate)
        self.drill_table.setColumnHidden(DrillColumn.STAGE, not is_rate)
        self.drill_table.setColumnHidden(DrillColumn.FUNDED, not is_rate)
        if isinstance(self._selected, KpiKey):
            figure = dashboard.figure(self._selected)
            self.drill_model.set_rows(drill_rows_of_figure(figure))
            self.drill_table.setColumnHidden(DrillColumn.REACHED, figure.reached_stage is None)
            self.drill_title.setText(
                tr(
                    "{name}的项目：共 {total} 个，计入分子（✔）{counted} 个",
                    name=figure.name,
                    total=figure.denominator,
                    counted=figure.numerator,
                )
                if figure.projects
                else tr("{name}：本期没有计入的项目", name=figure.name)
            )
            self.drill_table.sortByColumn(DrillColumn.COUNTED, Qt.SortOrder.AscendingOrder)
        else:
            count = dashboard.milestone(self._selected)
            self.drill_model.set_rows(drill_rows_of_milestone(count))
            self.drill_table.setColumnHidden(DrillColumn.REACHED, False)
            self.drill_title.setText(
                tr(
                    "{name}的项目：{n} 个，合同投资额 {amount}",
                    name=count.name,
                    n=count.count,
                    amount=count.amount.format(),
                )
                if count.projects
                else tr("{name}：本期没有", name=count.name)
            )
            self.drill_table.sortByColumn(DrillColumn.REACHED, Qt.SortOrder.AscendingOrder)

    def _reload_dashboard(self) -> None:
        self._generation["kpi"] += 1
        generation, service = self._generation["kpi"], self._kpi
        period, squad_id = self.period, self.squad_combo.currentData() or None
        self.heading.setText(tr("{period} · 正在计算…", period=period.label))

        def done(dashboard: KpiDashboard) -> None:
            if generation == self._generation["kpi"]:
                self._on_dashboard_loaded(dashboard)

        self._submit(lambda _token: service.dashboard(period, squad_id), done)

    def _reload_overdue(self) -> None:
        self._generation["overdue"] += 1
        generation, service = self._generation["overdue"], self._overdue
        where = OverdueFilter(squad_id=self.squad_combo.currentData() or None)

        def done(board: OverdueBoard) -> None:
            if generation == self._generation["overdue"]:
                self._on_board_loaded(board)

        self._submit(lambda _token: service.board(where), done)

    def _submit(self, work: Callable[[CancelToken], Any], done: Callable[[Any], None]) -> None:
        self._runner.submit(work, done, self._on_load_failed, owner=self)
