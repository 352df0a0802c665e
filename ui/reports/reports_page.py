"""The reports page (报表): 一周一快报 for a chosen ISO week and squad, with its definitions."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.domain.vocabulary import ProjectStage
from app.i18n import tr
from app.services.weekly_figures_views import (
    Figure,
    IsoWeek,
    SquadOption,
    WeeklyFigures,
    weeks_in,
)
from ui.formatting import format_date
from ui.reports.weekly_projects_model import ENTERPRISE_ROLE, WeeklyProjectsModel
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.list_table import list_table

if TYPE_CHECKING:
    from app.services.weekly_figures import WeeklyFiguresService

_MUTED = "color: #5f6b7a;"
_MILESTONES = {
    Figure.SIGNED: ProjectStage.SIGNED,
    Figure.STARTED: ProjectStage.STARTED,
    Figure.COMPLETED: ProjectStage.COMPLETED,
    Figure.PRODUCING: ProjectStage.PRODUCING,
}


class _FigureTile(QFrame):
    """One figure: its name, its value, and (for milestones) the amount; the definition as tip."""

    def __init__(self, name: str, definition: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureTile")
        self.setStyleSheet(
            "#figureTile { background: #f6f8fb; border: 1px solid #dde2e8; border-radius: 6px; }"
        )
        self.setToolTip(definition)
        caption = QLabel(name, self)
        caption.setStyleSheet(_MUTED)
        self.value = QLabel("–", self)
        self.value.setStyleSheet("font-size: 22px; font-weight: 600; color: #2b4a6f;")
        self.detail = QLabel("", self)
        self.detail.setStyleSheet(_MUTED)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(2)
        layout.addWidget(caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def show_value(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)


class ReportsPage(QWidget):
    """一周一快报: pick the week and the squad; figures, their projects and their 口径."""

    enterprise_activated = Signal(str)
    figures_loaded = Signal(object)  # WeeklyFigures

    def __init__(
        self, service: WeeklyFiguresService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._generation = 0
        self._figures: WeeklyFigures | None = None
        self.projects_model = WeeklyProjectsModel(self)
        definitions = service.definitions()
        self._definitions = {d.figure: d for d in definitions}

        week = service.current_week()
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(week.year)
        self.week_spin = QSpinBox(self)
        self.week_spin.setRange(1, weeks_in(week.year))
        self.week_spin.setValue(week.week)
        self.year_spin.valueChanged.connect(self._on_year_spin_changed)
        self.week_spin.valueChanged.connect(self._on_week_spin_changed)
        self.range_label = QLabel(self)
        self.range_label.setStyleSheet(_MUTED)
        self.previous_button = QPushButton(tr("‹ 上一周"), self)
        self.previous_button.clicked.connect(self._on_previous_button_clicked)
        self.current_button = QPushButton(tr("本周"), self)
        self.current_button.clicked.connect(self._on_current_button_clicked)
        self.next_button = QPushButton(tr("下一周 ›"), self)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.squad_combo = QComboBox(self)
        self.squad_combo.addItem(tr("全局（全部小分队）"), "")
        self.squad_combo.setMinimumContentsLength(12)
        self.squad_combo.currentIndexChanged.connect(self._on_squad_combo_changed)

        self.tiles: dict[Figure, _FigureTile] = {
            figure: _FigureTile(d.name, d.definition, self)
            for figure, d in self._definitions.items()
            if figure is not Figure.SCOPE
        }
        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.table = self._build_table()
        self.table_title = QLabel(tr("本周阶段变化的项目"), self)
        self.table_title.setStyleSheet("font-weight: 600; padding: 2px 0;")
        self.definitions_label = QLabel(self._definitions_html(), self)
        self.definitions_label.setWordWrap(True)
        self.definitions_label.setTextFormat(Qt.TextFormat.RichText)
        self.definitions_label.setStyleSheet("color: #4a5563;")

        picker = QHBoxLayout()
        picker.addWidget(QLabel(tr("年份"), self))
        picker.addWidget(self.year_spin)
        picker.addWidget(QLabel(tr("周次"), self))
        picker.addWidget(self.week_spin)
        picker.addWidget(self.range_label)
        picker.addSpacing(8)
        picker.addWidget(self.previous_button)
        picker.addWidget(self.current_button)
        picker.addWidget(self.next_button)
        picker.addStretch(1)
        picker.addWidget(QLabel(tr("范围"), self))
        picker.addWidget(self.squad_combo)
        grid = QGridLayout()
        grid.setSpacing(10)
        top = (Figure.TRIP_DAYS, Figure.ENTERPRISES_VISITED, Figure.VISITS)
        for column, figure in enumerate(top):
            grid.addWidget(self.tiles[figure], 0, column)
        for column, figure in enumerate(_MILESTONES):
            grid.addWidget(self.tiles[figure], 1, column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(8)
        layout.addLayout(picker)
        layout.addWidget(self.heading)
        layout.addLayout(grid)
        layout.addWidget(self.table_title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.definitions_label)
        self._update_range_label()

    # -- public ----------------------------------------------------------------------------------

    @property
    def week(self) -> IsoWeek:
        return IsoWeek(self.year_spin.value(), self.week_spin.value())

    @property
    def figures(self) -> WeeklyFigures | None:
        return self._figures

    def set_week(self, week: IsoWeek) -> None:
        """Show ``week`` (the figures reload)."""
        self.year_spin.blockSignals(True)
        self.week_spin.blockSignals(True)
        self.year_spin.setValue(week.year)
        self.week_spin.setRange(1, weeks_in(week.year))
        self.week_spin.setValue(week.week)
        self.year_spin.blockSignals(False)
        self.week_spin.blockSignals(False)
        self._reload_figures()

    def refresh(self) -> None:
        """Reload the squad list, then the figures."""
        service = self._service
        self._submit(lambda _token: service.squads(), self._on_squads_loaded)
        self._reload_figures()

    # -- building --------------------------------------------------------------------------------

    def _build_table(self) -> QTableView:
        table = list_table(self.projects_model, self, widths=(80, 130, 240, 240, 110, 130))
        table.doubleClicked.connect(self._on_table_double_clicked)
        return table

    def _definitions_html(self) -> str:
        """Every definition once; the four milestone figures share one line."""
        lines = []
        for figure, definition in self._definitions.items():
            if figure is Figure.SIGNED:
                lines.append(
                    tr(
                        "{name}：阶段记录中在本周内变更为签约 / 开工 / 竣工 / 投产的项目个数"
                        "（每个项目计 1 次）及其合同投资额合计。",
                        name=f"<b>{html.escape(tr('新签约 / 新开工 / 新竣工 / 新投产'))}</b>",
                    )
                )
            elif figure not in _MILESTONES:
                lines.append(
                    tr(
                        "{name}：{definition}",
                        name=f"<b>{html.escape(definition.name)}</b>",
                        definition=html.escape(definition.definition),
                    )
                )
        items = "".join(f"<li>{line}</li>" for line in lines)
        return tr("<b>口径说明</b>") + f"<ul style='margin: 2px 0 0 -20px;'>{items}</ul>"

    # -- handlers --------------------------------------------------------------------------------

    def _on_year_spin_changed(self, year: int) -> None:
        self.week_spin.blockSignals(True)
        self.week_spin.setRange(1, weeks_in(year))
        self.week_spin.blockSignals(False)
        self._reload_figures()

    def _on_week_spin_changed(self, _week: int) -> None:
        self._reload_figures()

    def _on_previous_button_clicked(self) -> None:
        self.set_week(self.week.previous())

    def _on_current_button_clicked(self) -> None:
        self.set_week(self._service.current_week())

    def _on_next_button_clicked(self) -> None:
        self.set_week(self.week.next())

    def _on_squad_combo_changed(self, _index: int) -> None:
        self._reload_figures()

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
        if found < 0:  # the chosen squad is gone: show the bureau
            self._reload_figures()

    def _on_figures_loaded(self, figures: WeeklyFigures) -> None:
        self._figures = figures
        scope = figures.squad_name or tr("全局")
        self.heading.setText(
            tr("一周一快报 · {week} · {scope}", week=_week_title(figures.week), scope=scope)
        )
        self.tiles[Figure.TRIP_DAYS].show_value(
            tr("{n} 天", n=figures.trip_days), tr("{n} 次行程", n=figures.trip_count)
        )
        self.tiles[Figure.ENTERPRISES_VISITED].show_value(
            tr("{n} 家", n=figures.enterprises_visited)
        )
        self.tiles[Figure.VISITS].show_value(tr("{n} 次", n=figures.visit_count))
        for figure, stage in _MILESTONES.items():
            milestone = figures.milestone(stage)
            self.tiles[figure].show_value(
                tr("{n} 个", n=milestone.count),
                tr("合同投资额 {amount}", amount=milestone.amount.format()),
            )
        self.projects_model.set_rows(figures.projects)
        self.table_title.setText(
            tr("本周阶段变化的项目（{n} 项）", n=len(figures.projects))
            if figures.projects
            else tr("本周没有新签约、新开工、新竣工或新投产的项目")
        )
        self.figures_loaded.emit(figures)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        enterprise_id = index.data(ENTERPRISE_ROLE)
        if enterprise_id:
            self.enterprise_activated.emit(enterprise_id)

    def _on_load_failed(self, error: AppError) -> None:
        self.heading.setText(error.message)

    # -- internals -------------------------------------------------------------------------------

    def _reload_figures(self) -> None:
        self._update_range_label()
        self._generation += 1
        generation, service = self._generation, self._service
        week, squad_id = self.week, self.squad_combo.currentData() or None

        def done(figures: WeeklyFigures) -> None:
            if generation == self._generation:
                self._on_figures_loaded(figures)

        self._submit(lambda _token: service.figures(week, squad_id), done)

    def _update_range_label(self) -> None:
        week = self.week
        self.range_label.setText(
            tr(
                "{monday} — {sunday}",
                monday=format_date(week.monday),
                sunday=format_date(week.sunday),
            )
        )
        self.current_button.setEnabled(week != self._service.current_week())

    def _submit(self, work: Callable[[CancelToken], Any], done: Callable[[Any], None]) -> None:
        self._runner.submit(work, done, self._on_load_failed, owner=self)


def _week_title(week: IsoWeek) -> str:
    return tr("{year} 年第 {week} 周", year=week.year, week=week.week)
