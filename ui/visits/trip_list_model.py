"""Trips, latest first, one page of ``TripListRow`` at a time, with days and visits."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from app.domain.vocabulary import LeaderType
from app.i18n import mark, tr
from app.services.trips import TripFilter, TripListRow, TripPage
from ui.formatting import format_date
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.paged_table_model import PagedTableModel

if TYPE_CHECKING:
    from app.services.trips import TripService

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    TITLE = 0
    DATES = 1
    DAYS = 2
    DESTINATION = 3
    VISITS = 4
    SQUAD = 5
    LEADER = 6

    @property
    def title(self) -> str:
        return tr(_TITLES[self])


_TITLES = {
    Column.TITLE: mark("出行"),
    Column.DATES: mark("日期"),
    Column.DAYS: mark("天数"),
    Column.DESTINATION: mark("目的地"),
    Column.VISITS: mark("拜访"),
    Column.SQUAD: mark("小分队"),
    Column.LEADER: mark("带队领导"),
}


def leader_label(key: str) -> str:
    try:
        return LeaderType(key).label
    except ValueError:
        return key


def _text(row: TripListRow, column: Column) -> str:
    match column:
        case Column.TITLE:
            return row.title
        case Column.DATES:
            return tr(
                "{start} — {end}", start=format_date(row.start_on), end=format_date(row.end_on)
            )
        case Column.DAYS:
            return tr("{n} 天", n=row.days)
        case Column.DESTINATION:
            return row.destination
        case Column.VISITS:
            return tr("{n} 次", n=row.visit_count)
        case Column.SQUAD:
            return row.squad_name
        case Column.LEADER:
            return leader_label(row.leader_type)


class TripListModel(PagedTableModel[TripFilter, TripListRow]):
    def __init__(
        self, service: TripService, runner: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(runner, TripFilter(), parent)
        self._service = service

    def _page_work(self, offset: int, limit: int) -> Callable[[CancelToken], TripPage]:
        service, filter_ = self._service, self._filter
        return lambda _token: service.page(filter_, offset, limit)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        row = self.row_at(index.row())
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.TITLE, Column.DESTINATION):
            return _text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.DAYS, Column.VISITS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(Column)
        ):
            return Column(section).title
        return None
