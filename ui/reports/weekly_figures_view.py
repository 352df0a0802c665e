"""The week's figures live on screen (一周一快报 before it is printed): tiles, the projects
behind the milestone figures, and every figure's definition (口径)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from app.domain.vocabulary import ProjectStage
from app.i18n import tr
from app.services.weekly_figures_views import Figure, FigureDefinition, IsoWeek, WeeklyFigures
from ui.reports.weekly_projects_model import ENTERPRISE_ROLE, WeeklyProjectsModel
from ui.widgets.list_table import list_table

_MUTED = "color: #5f6b7a;"
MILESTONES = {
    Figure.SIGNED: ProjectStage.SIGNED,
    Figure.STARTED: ProjectStage.STARTED,
    Figure.COMPLETED: ProjectStage.COMPLETED,
    Figure.PRODUCING: ProjectStage.PRODUCING,
}


class FigureTile(QFrame):
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


class WeeklyFiguresView(QWidget):
    """Shows one ``WeeklyFigures``; a double-click on a project asks for its enterprise."""

    enterprise_activated = Signal(str)

    def __init__(
        self, definitions: Sequence[FigureDefinition], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._definitions = {d.figure: d for d in definitions}
        self.projects_model = WeeklyProjectsModel(self)
        self.tiles: dict[Figure, FigureTile] = {
            figure: FigureTile(d.name, d.definition, self)
            for figure, d in self._definitions.items()
            if figure is not Figure.SCOPE
        }
        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.table = list_table(self.projects_model, self, widths=(80, 130, 240, 240, 110, 130))
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table_title = QLabel(tr("本周阶段变化的项目"), self)
        self.table_title.setStyleSheet("font-weight: 600; padding: 2px 0;")
        self.definitions_label = QLabel(self._definitions_html(), self)
        self.definitions_label.setWordWrap(True)
        self.definitions_label.setTextFormat(Qt.TextFormat.RichText)
        self.definitions_label.setStyleSheet("color: #4a5563;")

        grid = QGridLayout()
        grid.setSpacing(10)
        top = (Figure.TRIP_DAYS, Figure.ENTERPRISES_VISITED, Figure.VISITS)
        for column, figure in enumerate(top):
            grid.addWidget(self.tiles[figure], 0, column)
        for column, figure in enumerate(MILESTONES):
            grid.addWidget(self.tiles[figure], 1, column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addLayout(grid)
        layout.addWidget(self.table_title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.definitions_label)

    def show_figures(self, figures: WeeklyFigures) -> None:
        scope = figures.squad_name or tr("全局")
        self.heading.setText(
            tr("一周一快报 · {week} · {scope}", week=week_title(figures.week), scope=scope)
        )
        self.tiles[Figure.TRIP_DAYS].show_value(
            tr("{n} 天", n=figures.trip_days), tr("{n} 次行程", n=figures.trip_count)
        )
        self.tiles[Figure.ENTERPRISES_VISITED].show_value(
            tr("{n} 家", n=figures.enterprises_visited)
        )
        self.tiles[Figure.VISITS].show_value(tr("{n} 次", n=figures.visit_count))
        for figure, stage in MILESTONES.items():
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

    def set_definitions(self, definitions: Sequence[FigureDefinition]) -> None:
        """The 口径 for the bureau's reporting week (they name its first and last weekday)."""
        self._definitions = {d.figure: d for d in definitions}
        for figure, tile in self.tiles.items():
            if figure in self._definitions:
                tile.setToolTip(self._definitions[figure].definition)
        self.definitions_label.setText(self._definitions_html())

    def show_problem(self, message: str) -> None:
        self.heading.setText(message)

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
            elif figure not in MILESTONES:
                lines.append(
                    tr(
                        "{name}：{definition}",
                        name=f"<b>{html.escape(definition.name)}</b>",
                        definition=html.escape(definition.definition),
                    )
                )
        items = "".join(f"<li>{line}</li>" for line in lines)
        return tr("<b>口径说明</b>") + f"<ul style='margin: 2px 0 0 -20px;'>{items}</ul>"

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        enterprise_id = index.data(ENTERPRISE_ROLE)
        if enterprise_id:
            self.enterprise_activated.emit(enterprise_id)


def week_title(week: IsoWeek) -> str:
    return tr("{year} 年第 {week} 周", year=week.year, week=week.week)
