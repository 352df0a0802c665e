"""Base of list models that hold one page of rows at a time and fetch the next on demand.

The rows are frozen views with an ``id``, selected by a filter value; a subclass says how to
query one page (``_page_work``) and how to show a row (``data``). Queries run on the task runner, so
``data()`` never touches the database; results that arrive for an older query are dropped.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Signal

from app.domain.errors import AppError
from ui.task_runner import CancelToken, TaskRunner

PAGE_SIZE = 200
AnyIndex = QModelIndex | QPersistentModelIndex


class _Row(Protocol):
    @property
    def id(self) -> str: ...


class _Page(Protocol):
    @property
    def rows(self) -> tuple[Any, ...]: ...

    @property
    def total(self) -> int: ...

    @property
    def offset(self) -> int: ...


FilterT = TypeVar("FilterT")
RowT = TypeVar("RowT", bound=_Row)


class PagedTableModel(QAbstractTableModel, Generic[FilterT, RowT]):
    """Holds the loaded rows of one query; ``reload`` starts over, ``fetchMore`` appends."""

    rows_loaded = Signal(int)  # total matches, after a reload
    load_failed = Signal(str)

    def __init__(self, runner: TaskRunner, filter_: FilterT, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._filter = filter_
        self._rows: list[RowT] = []
        self._total = 0
        self._generation = 0
        self._tokens: list[CancelToken] = []
        self._fetching = False
        self._loaded_once = False
        self._requested = False

    # -- for subclasses --------------------------------------------------------------------------

    @abstractmethod
    def _page_work(self, offset: int, limit: int) -> Callable[[CancelToken], _Page]:
        """A work function for the runner that returns one page of the current query."""
        ...

    # -- public ----------------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many rows match the current query (more than are loaded, usually)."""
        return self._total

    @property
    def loaded_once(self) -> bool:
        """True once the first result has arrived."""
        return self._loaded_once

    @property
    def requested(self) -> bool:
        """True once ``reload`` has been called (the model is in use)."""
        return self._requested

    @property
    def filter(self) -> FilterT:
        return self._filter

    def set_filter(self, filter_: FilterT) -> None:
        """Show the rows ``filter_`` selects (a no-op when it is the current one)."""
        if filter_ != self._filter:
            self._filter = filter_
            self.reload()

    def row_at(self, row: int) -> RowT:
        return self._rows[row]

    def row_of(self, record_id: str) -> int | None:
        for number, row in enumerate(self._rows):
            if row.id == record_id:
                return number
        return None

    def reload(self, keep_loaded: bool = False) -> None:
        """Query again from the top; ``keep_loaded`` re-reads as many rows as are loaded now."""
        self._requested = True
        self._generation += 1
        self._cancel_pending()
        self._fetching = False
        limit = PAGE_SIZE
        if keep_loaded and len(self._rows) > PAGE_SIZE:
            limit = -(-len(self._rows) // PAGE_SIZE) * PAGE_SIZE
        generation = self._generation
        self._submit(
            self._page_work(0, limit),
            lambda page: self._on_reload_done(generation, page),
        )

    def cancel(self) -> None:
        """Drop any result still on its way (the model is going away)."""
        self._generation += 1
        self._cancel_pending()

    # -- Qt model interface ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:
        if parent.isValid() or self._fetching:
            return False
        return len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation = self._generation
        offset = len(self._rows)
        self._submit(
            self._page_work(offset, PAGE_SIZE),
            lambda page: self._on_more_done(generation, offset, page),
        )

    # -- internals -------------------------------------------------------------------------------

    def _submit(self, work: Callable[[CancelToken], _Page], done: Callable[[_Page], None]) -> None:
        def on_failure(error: AppError) -> None:
            self._fetching = False
            self.load_failed.emit(error.message)

        self._tokens = [token for token in self._tokens if not token.cancelled]
        self._tokens.append(self._runner.submit(work, done, on_failure, owner=self))

    def _cancel_pending(self) -> None:
        for token in self._tokens:
            token.cancel()
        self._tokens.clear()

    def _on_reload_done(self, generation: int, page: _Page) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._rows = list(page.rows)
        self._total = max(page.total, len(self._rows))
        self.endResetModel()
        self._loaded_once = True
        self.rows_loaded.emit(self._total)

    def _on_more_done(self, generation: int, offset: int, page: _Page) -> None:
        if generation != self._generation or offset != len(self._rows):
            return
        self._fetching = False
        if not page.rows:
            self._total = len(self._rows)  # the list shrank meanwhile
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self._rows.extend(page.rows)
        self._total = max(page.total, len(self._rows))
        self.endInsertRows()
