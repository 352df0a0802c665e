"""The projects behind the week's 新签约 / 新开工 / 新竣工 / 新投产 figures, as a table."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.domain.vocabulary import ProjectStage
from app.i18n import mark, tr
from app.services.weekly_figures_views import MilestoneProject
from ui.formatting import format_date, format_money

AnyIndex = QModelIndex | QPersistentModelIndex
ENTERPRISE_ROLE = Qt.ItemDataRole.UserRole + 2


class Column(IntEnum):
    MILESTONE = 0
    DATE = 1
    PROJECT = 2
    ENTERPRISE = 3
    AMOUNT = 4
    SQUAD = 5
    RESPONSIBLE = 6

    @property
    def title(self) -> str:
        return tr(_TITLES[self])


_TITLES = {
    Column.MILESTONE: mark("类别"),
    Column.DATE: mark("变更日期"),
    Column.PROJECT: mark("项目名称"),
    Column.ENTERPRISE: mark("企业"),
    Column.AMOUNT: mark("合同投资额"),
    Column.SQUAD: mark("小分队"),
    Column.RESPONSIBLE: mark("包抓责任人"),
}


def milestone_label(stage: ProjectStage) -> str:
    """新签约 / 新开工 / 新竣工 / 新投产."""
    match stage:
        case ProjectStage.SIGNED:
            return tr("新签约")
        case ProjectStage.STARTED:
            return tr("新开工")
        case ProjectStage.COMPLETED:
            return tr("新竣工")
        case ProjectStage.PRODUCING:
            return tr("新投产")
        case _:
            return stage.label


def _text(row: MilestoneProject, column: Column) -> str:
    match column:
        case Column.MILESTONE:
            return milestone_label(row.stage)
        case Column.DATE:
            return format_date(row.changed_on)
        case Column.PROJECT:
            return row.project_name
        case Column.ENTERPRISE:
            return row.enterprise_name
        case Column.AMOUNT:
            return format_money(row.contract_amount)
        case Column.SQUAD:
            return row.squad_name
        case Column.RESPONSIBLE:
            return row.responsible_name


class WeeklyProjectsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[MilestoneProject, ...] = ()

    def set_rows(self, rows: Sequence[MilestoneProject]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> MilestoneProject:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.PROJECT, Column.ENTERPRISE):
            return _text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ENTERPRISE_ROLE:
            return row.enterprise_id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return Column(section).title
        if role == Qt.ItemDataRole.TextAlignmentRole and section == Column.AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
