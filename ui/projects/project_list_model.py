"""The project list: every project loaded at once (20,000 at most), sorted and filtered by a
proxy. Amounts are shown with ``Money.format()`` and sorted by their exact value (``SORT_ROLE``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.domain.money import Money
from app.domain.vocabulary import ProjectStage
from app.i18n import mark, tr
from app.services.projects import ProjectListRow
from ui.formatting import format_date, format_money

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
ENTERPRISE_ROLE = Qt.ItemDataRole.UserRole + 3


class Column(IntEnum):
    NAME = 0
    ENTERPRISE = 1
    STAGE = 2
    STAGE_ON = 3
    CONTRACT = 4
    PHASE1 = 5
    FUNDED = 6
    RESPONSIBLE = 7
    SQUAD = 8

    @property
    def title(self) -> str:
        return tr(_TITLES[self])

    @property
    def is_amount(self) -> bool:
        return self in (Column.CONTRACT, Column.PHASE1, Column.FUNDED)


_TITLES = {
    Column.NAME: mark("项目名称"),
    Column.ENTERPRISE: mark("企业"),
    Column.STAGE: mark("阶段"),
    Column.STAGE_ON: mark("阶段日期"),
    Column.CONTRACT: mark("合同投资额"),
    Column.PHASE1: mark("一期投资"),
    Column.FUNDED: mark("实际到资累计"),
    Column.RESPONSIBLE: mark("包抓责任人"),
    Column.SQUAD: mark("小分队"),
}
_HEADER_TIPS = {
    Column.FUNDED: mark("该项目全部到资记录之和"),
    Column.RESPONSIBLE: mark("谁签约、谁跟踪、谁落实"),
}


def _amount(value: Money | None) -> float:
    """Sort key of an amount; a missing amount sorts below zero.

    A float (exact for fen below 2**53): PySide6 6.11 hands Python ints past 32 bits to Qt as a
    different variant type than small ones, and the proxy then compares some pairs wrongly.
    """
    return -1.0 if value is None else float(value.fen)


def _text(row: ProjectListRow, column: Column) -> str:
    match column:
        case Column.NAME:
            return row.name
        case Column.ENTERPRISE:
            return row.enterprise_name
        case Column.STAGE:
            return row.stage.label
        case Column.STAGE_ON:
            return format_date(row.stage_on)
        case Column.CONTRACT:
            return format_money(row.contract_amount)
        case Column.PHASE1:
            return format_money(row.phase1_amount)
        case Column.FUNDED:
            return format_money(row.funded_total) if row.funded_total else ""
        case Column.RESPONSIBLE:
            return row.responsible_name
        case Column.SQUAD:
            return row.squad_name


def _sort_key(row: ProjectListRow, column: Column) -> Any:
    match column:
        case Column.STAGE:
            return row.stage.order * 10 + (1 if row.stage is ProjectStage.SUSPENDED else 0)
        case Column.STAGE_ON:
            return (row.stage_on or dt.date.min).toordinal()
        case Column.CONTRACT:
            return _amount(row.contract_amount)
        case Column.PHASE1:
            return _amount(row.phase1_amount)
        case Column.FUNDED:
            return _amount(row.funded_total)
        case _:
            return _text(row, column)


class ProjectListModel(QAbstractTableModel):
    """All loaded ``ProjectListRow``s; ``set_rows`` replaces them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[ProjectListRow, ...] = ()

    def set_rows(self, rows: Sequence[ProjectListRow]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ProjectListRow:
        return self._rows[row]

    def row_of(self, project_id: str) -> int | None:
        for number, row in enumerate(self._rows):
            if row.id == project_id:
                return number
        return None

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
        if role == SORT_ROLE:
            return _sort_key(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.is_amount:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.NAME, Column.ENTERPRISE):
            return _text(row, column)
        if role == ID_ROLE:
            return row.id
        if role == ENTERPRISE_ROLE:
            return row.enterprise_id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole and column in _HEADER_TIPS:
            return tr(_HEADER_TIPS[column])
        if role == Qt.ItemDataRole.TextAlignmentRole and column.is_amount:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ProjectFilterProxy(QSortFilterProxyModel):
    """Keeps projects at one stage (or all) whose name, enterprise, 责任人 or squad has the text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stage: ProjectStage | None = None
        self._text = ""
        self.setSortRole(SORT_ROLE)
        self.setSortLocaleAware(True)

    @property
    def stage(self) -> ProjectStage | None:
        return self._stage

    def set_stage(self, stage: ProjectStage | None) -> None:
        if stage != self._stage:
            self.beginFilterChange()
            self._stage = stage
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        text = text.strip().casefold()
        if text != self._text:
            self.beginFilterChange()
            self._text = text
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ProjectListModel) or source_parent.isValid():
            return True
        row = model.row_at(source_row)
        if self._stage is not None and row.stage is not self._stage:
            return False
        if not self._text:
            return True
        haystack = (row.name, row.enterprise_name, row.responsible_name, row.squad_name)
        return any(self._text in field.casefold() for field in haystack)
