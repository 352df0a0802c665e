"""The workbench's three lists as table models over frozen rows: my tasks (with a tick box that
completes one), recent visits, and the 需要关注 items."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from enum import IntEnum
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush

from app.i18n import mark, tr
from app.services.workbench_views import (
    AttentionItem,
    AttentionKind,
    RecentVisit,
    TaskBucket,
    WorkbenchTask,
)
from ui.formatting import format_date, linked_text, muted_brush, warning_brush

AnyIndex = QModelIndex | QPersistentModelIndex
ENTERPRISE_ROLE = Qt.ItemDataRole.UserRole + 2
_Row = TypeVar("_Row", WorkbenchTask, RecentVisit, AttentionItem)


class _RowsModel(QAbstractTableModel, Generic[_Row]):
    """Read-only rows with an enterprise id; subclasses say what each column shows."""

    titles: ClassVar[tuple[str, ...]] = ()
    """Source titles in column order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[_Row, ...] = ()

    def set_rows(self, rows: Sequence[_Row]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> _Row:
        return self._rows[row]

    @property
    def rows(self) -> tuple[_Row, ...]:
        return self._rows

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.titles)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, index.column())
        if role == ENTERPRISE_ROLE:
            return row.enterprise_id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.titles)
        ):
            return tr(self.titles[section])
        return None

    @abstractmethod
    def _text(self, row: _Row, column: int) -> str: ...

    def _tooltip(self, row: _Row, column: int) -> str | None:
        return self._text(row, column) or None

    def _foreground(self, row: _Row, column: int) -> QBrush | None:
        return None


class TaskColumn(IntEnum):
    DONE = 0
    DUE = 1
    WHEN = 2
    TITLE = 3
    LINKED = 4


class MyTaskModel(_RowsModel[WorkbenchTask]):
    """My open tasks; ticking one asks for it to be completed (``completion_requested``)."""

    titles = (
        mark("完成"),
        mark("截止日期"),
        mark("提醒"),
        mark("任务"),
        mark("关联企业 / 项目"),
    )
    completion_requested = Signal(str)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == TaskColumn.DONE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole:
            if index.isValid() and index.column() == TaskColumn.DONE:
                return Qt.CheckState.Unchecked  # done tasks leave the list
            return None
        return super().data(index, role)

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role == Qt.ItemDataRole.CheckStateRole
            and index.isValid()
            and index.column() == TaskColumn.DONE
            and value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        ):
            self.completion_requested.emit(self.row_at(index.row()).id)
            return True
        return False

    def _tooltip(self, row: WorkbenchTask, column: int) -> str | None:
        if column == TaskColumn.DONE:
            return tr("标记完成（空格键或 Ctrl+D）")
        return super()._tooltip(row, column)

    def _text(self, row: WorkbenchTask, column: int) -> str:
        match column:
            case TaskColumn.DONE:
                return ""
            case TaskColumn.DUE:
                return format_date(row.due_on)
            case TaskColumn.WHEN:
                return bucket_label(row.bucket)
            case TaskColumn.TITLE:
                return row.title
            case _:
                return linked_text(row.enterprise_name, row.project_name)

    def _foreground(self, row: WorkbenchTask, column: int) -> QBrush | None:
        if row.bucket is TaskBucket.OVERDUE and column in (TaskColumn.DUE, TaskColumn.WHEN):
            return warning_brush()
        if row.bucket is TaskBucket.UPCOMING and column == TaskColumn.WHEN:
            return muted_brush()
        return None


def bucket_label(bucket: TaskBucket) -> str:
    match bucket:
        case TaskBucket.OVERDUE:
            return tr("已逾期")
        case TaskBucket.TODAY:
            return tr("今天到期")
        case TaskBucket.UPCOMING:
            return tr("7 天内")


class VisitColumn(IntEnum):
    DATE = 0
    ENTERPRISE = 1
    AUTHOR = 2
    PURPOSE = 3


class RecentVisitModel(_RowsModel[RecentVisit]):
    titles = (
        mark("拜访日期"),
        mark("企业"),
        mark("记录人"),
        mark("拜访目的"),
    )

    def _text(self, row: RecentVisit, column: int) -> str:
        match column:
            case VisitColumn.DATE:
                return format_date(row.visited_on)
            case VisitColumn.ENTERPRISE:
                return row.enterprise_name
            case VisitColumn.AUTHOR:
                return row.author_name
            case _:
                return row.purpose


class AttentionColumn(IntEnum):
    KIND = 0
    TITLE = 1
    ENTERPRISE = 2
    DAYS = 3
    OWNER = 4


class AttentionModel(_RowsModel[AttentionItem]):
    titles = (
        mark("类别"),
        mark("事项"),
        mark("企业"),
        mark("已过"),
        mark("责任人"),
    )

    def _text(self, row: AttentionItem, column: int) -> str:
        match column:
            case AttentionColumn.KIND:
                return attention_label(row.kind)
            case AttentionColumn.TITLE:
                if row.kind is AttentionKind.VISIT_UNWRITTEN and not row.title:
                    return tr("（未填写拜访目的）")
                return row.title
            case AttentionColumn.ENTERPRISE:
                return row.enterprise_name
            case AttentionColumn.DAYS:
                if row.kind is AttentionKind.SIGNED_NOT_STARTED:
                    return tr("签约 {days} 天", days=row.days)
                if row.kind is AttentionKind.VISIT_UNWRITTEN:
                    return tr("拜访后 {days} 天", days=row.days)
                return tr("逾期 {days} 天", days=row.days)
            case _:
                return row.owner_name

    def _tooltip(self, row: AttentionItem, column: int) -> str | None:
        if column != AttentionColumn.DAYS:
            return super()._tooltip(row, column)
        match row.kind:
            case AttentionKind.COMMITMENT_OVERDUE:
                return tr("承诺兑现期限：{date}", date=format_date(row.since))
            case AttentionKind.PROBLEM_OVERDUE:
                return tr("诉求办结期限：{date}", date=format_date(row.since))
            case AttentionKind.SIGNED_NOT_STARTED:
                return tr("签约日期：{date}", date=format_date(row.since))
            case AttentionKind.VISIT_UNWRITTEN:
                return tr("拜访日期：{date}；洽谈内容还没有填写", date=format_date(row.since))

    def _foreground(self, row: AttentionItem, column: int) -> QBrush | None:
        return warning_brush() if column == AttentionColumn.DAYS else None


def attention_label(kind: AttentionKind) -> str:
    match kind:
        case AttentionKind.COMMITMENT_OVERDUE:
            return tr("承诺逾期未兑现")
        case AttentionKind.PROBLEM_OVERDUE:
            return tr("诉求超期未办结")
        case AttentionKind.SIGNED_NOT_STARTED:
            return tr("签约3个月未开工")
        case AttentionKind.VISIT_UNWRITTEN:
            return tr("拜访纪要未填写")
