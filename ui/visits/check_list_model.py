"""A list of frozen rows with a check box each (who went on a trip, which visits it holds)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex
RowT = TypeVar("RowT")


class CheckListModel(QAbstractListModel, Generic[RowT]):
    """Rows shown by ``text``; identified by ``key``; Space toggles a row in the view."""

    def __init__(
        self,
        text: Callable[[RowT], str],
        key: Callable[[RowT], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._text = text
        self._key = key
        self._rows: tuple[RowT, ...] = ()
        self._checked: set[str] = set()

    def set_rows(self, rows: Sequence[RowT], checked: Iterable[str]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self._checked = set(checked)
        self.endResetModel()

    def row_at(self, row: int) -> RowT:
        return self._rows[row]

    def checked_keys(self) -> tuple[str, ...]:
        return tuple(self._key(row) for row in self._rows if self._key(row) in self._checked)

    def set_checked(self, key: str, checked: bool) -> None:
        for number, row in enumerate(self._rows):
            if self._key(row) == key:
                self.setData(
                    self.index(number),
                    Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked,
                    Qt.ItemDataRole.CheckStateRole,
                )

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row)
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = self._key(row) in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        key = self._key(self._rows[index.row()])
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._checked.add(key)
        else:
            self._checked.discard(key)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True
