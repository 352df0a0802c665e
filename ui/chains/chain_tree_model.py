"""Industry chains as a two-level tree: chain → links, with per-link counts and gap flags."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.i18n import mark, tr
from app.services.chain_views import ChainMap, ChainView, LinkGap, LinkView
from ui.chains.link_card import gap_text
from ui.formatting import format_date, muted_brush, warning_brush

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
_CHAIN_LEVEL = 0  # internalId of a chain row; a link row stores its chain's row + 1


class Column(IntEnum):
    NAME = 0
    LEADER = 1
    POSITION = 2
    KIND = 3
    TARGETS = 4
    VISITS = 5
    RECENT = 6
    PROJECTS = 7
    GAP = 8

    def title(self, quiet_days: int) -> str:
        return tr(_TITLES[self], days=quiet_days)

    @property
    def is_count(self) -> bool:
        return self in (Column.TARGETS, Column.VISITS, Column.RECENT, Column.PROJECTS)


_TITLES = {
    Column.NAME: mark("产业链 / 环节"),
    Column.LEADER: mark("链长"),
    Column.POSITION: mark("位置"),
    Column.KIND: mark("类别"),
    Column.TARGETS: mark("目标企业"),
    Column.VISITS: mark("拜访次数"),
    Column.RECENT: mark("近{days}天拜访"),
    Column.PROJECTS: mark("项目"),
    Column.GAP: mark("缺口"),
}


def header_tip(column: Column, quiet_days: int) -> str | None:
    match column:
        case Column.TARGETS:
            return tr("放在该环节上的企业个数（同一企业只计一次）")
        case Column.VISITS:
            return tr(
                "对该环节目标企业的拜访，加上标注了该环节的其他拜访（截至今天，每条只计一次）"
            )
        case Column.RECENT:
            return tr("其中近 {days} 天（含今天）的拜访次数", days=quiet_days)
        case Column.PROJECTS:
            return tr("标注了该环节的项目个数（不含已解约项目）")
        case Column.GAP:
            return tr(
                "环节没有目标企业，或近 {days} 天没有拜访过任何目标企业时，标为缺口",
                days=quiet_days,
            )
        case _:
            return None


class ChainTreeModel(QAbstractItemModel):
    """Read-only tree over a ``ChainMap``; ``set_map`` replaces it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._map: ChainMap | None = None
        self._chains: tuple[ChainView, ...] = ()

    def set_map(self, chain_map: ChainMap) -> None:
        self.beginResetModel()
        self._map = chain_map
        self._chains = chain_map.chains
        self.endResetModel()

    def link_at(self, index: AnyIndex) -> LinkView | None:
        if not index.isValid() or index.internalId() == _CHAIN_LEVEL:
            return None
        return self._chains[index.internalId() - 1].links[index.row()]

    def chain_at(self, index: AnyIndex) -> ChainView | None:
        if not index.isValid():
            return None
        if index.internalId() == _CHAIN_LEVEL:
            return self._chains[index.row()]
        return self._chains[index.internalId() - 1]

    def index_of_link(self, link_id: str) -> QModelIndex:
        for chain_row, chain in enumerate(self._chains):
            for link_row, link in enumerate(chain.links):
                if link.id == link_id:
                    return self.createIndex(link_row, 0, chain_row + 1)
        return QModelIndex()

    # -- Qt model interface ----------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _CHAIN_LEVEL)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _CHAIN_LEVEL:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _CHAIN_LEVEL)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._chains)
        if parent.column() != 0 or parent.internalId() != _CHAIN_LEVEL:
            return 0
        return len(self._chains[parent.row()].links)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return len(Column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = Column(index.column())
        link = self.link_at(index)
        if link is None:
            return self._chain_data(self._chains[index.row()], column, role)
        return self._link_data(link, column, role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return Column(section).title(self._quiet_days)
        if role == Qt.ItemDataRole.ToolTipRole:
            return header_tip(Column(section), self._quiet_days)
        return None

    # -- internals -------------------------------------------------------------------------------

    def _chain_data(self, chain: ChainView, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case Column.NAME:
                    return chain.name
                case Column.LEADER:
                    return chain.leader
                case Column.KIND:
                    return tr("{count} 个环节", count=len(chain.links))
                case Column.GAP:
                    return tr("{count} 个缺口", count=chain.gap_count) if chain.gap_count else ""
            return ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is Column.NAME and chain.description:
                return chain.description
            if column is Column.LEADER:
                return tr("链长：{leader}", leader=chain.leader) if chain.leader else None
        if role == Qt.ItemDataRole.FontRole and column is Column.NAME:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column is Column.GAP and chain.gap_count:
            return warning_brush()
        if role == ID_ROLE:
            return chain.id
        return None

    def _link_data(self, link: LinkView, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case Column.NAME:
                    return link.name
                case Column.POSITION:
                    return link.position.label
                case Column.KIND:
                    return link.kind.label
                case Column.TARGETS:
                    return str(link.target_count)
                case Column.VISITS:
                    return str(link.visit_count)
                case Column.RECENT:
                    return str(link.recent_visit_count)
                case Column.PROJECTS:
                    return str(link.project_count)
                case Column.GAP:
                    return gap_text(link, self._quiet_days)
            return ""
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.GAP and link.gap is not None:
            return self._gap_reason(link)
        if role == Qt.ItemDataRole.ToolTipRole and column.is_count:
            return header_tip(column, self._quiet_days)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.is_count:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column is Column.GAP and link.gap is not None:
                return warning_brush()
            if column.is_count and link.target_count == 0:
                return muted_brush()
        if role == ID_ROLE:
            return link.id
        return None

    @property
    def _quiet_days(self) -> int:
        return self._map.quiet_days if self._map else 0

    def _gap_reason(self, link: LinkView) -> str:
        if link.gap is LinkGap.NO_TARGETS:
            return tr("该环节还没有目标企业：请补充招商目标")
        since = format_date(self._map.recent_since) if self._map else ""
        if link.last_visit_on is None:
            return tr("自 {since} 起没有拜访过该环节的目标企业（从未拜访）", since=since)
        return tr(
            "自 {since} 起没有拜访过该环节的目标企业（最近一次拜访：{last}）",
            since=since,
            last=format_date(link.last_visit_on),
        )
