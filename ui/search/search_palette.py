"""The search palette (Ctrl+K): type, see results grouped by kind, Enter opens one.

A frameless popup over the main window: a search box on top and the results below, updated
as the user types (after a short pause; the search runs on the task runner, and an answer
to an older query than the one on screen is dropped). Up/Down move through the hits across
the groups, Enter or a click opens one (``record_activated``), Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import tr
from app.search.results import SearchResults
from app.search.service import SearchService
from ui.search.search_result_delegate import SearchResultDelegate
from ui.search.search_results_model import SearchResultsModel
from ui.task_runner import CancelToken, TaskRunner

DEBOUNCE_MS = 120
WIDTH = 720
HEIGHT = 520
TOP_MARGIN = 72
COMPACT_HEIGHT = 150


class SearchPalette(QDialog):
    """Emits ``record_activated(kind, record_id, enterprise_id)`` for the hit the user opens
    (``enterprise_id`` is the enterprise the record belongs to: contacts and notes open
    through it), then closes. ``results_shown`` follows every answer put on screen."""

    record_activated = Signal(str, str, str)
    results_shown = Signal()

    def __init__(
        self, service: SearchService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self._service = service
        self._runner = runner
        self._asked = 0  # number of the latest query sent; older answers are dropped
        self._token: CancelToken | None = None
        self.setObjectName("searchPalette")
        self._full = QSize(WIDTH, HEIGHT)

        frame = QFrame(self)
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)

        self.query_edit = QLineEdit(frame)
        self.query_edit.setPlaceholderText(
            tr("搜索企业、联系人、拜访、洽谈、项目（可输入拼音首字母、信用代码、电话）")
        )
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.setAccessibleName(tr("搜索"))
        font = self.query_edit.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.query_edit.setFont(font)
        self.query_edit.setMinimumHeight(self.query_edit.sizeHint().height() + 10)
        self.query_edit.installEventFilter(self)

        self.model = SearchResultsModel(self)
        self.results_view = QListView(frame)
        self.results_view.setModel(self.model)
        self.results_view.setItemDelegate(SearchResultDelegate(self.results_view))
        self.results_view.setFrameShape(QFrame.Shape.NoFrame)
        self.results_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results_view.setMouseTracking(True)
        self.results_view.clicked.connect(self._on_results_view_clicked)

        self.message_label = QLabel(frame)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)
        self.message_label.setEnabled(False)  # the palette's muted text colour
        self._stack = QStackedLayout()
        self._stack.addWidget(self.message_label)
        self._stack.addWidget(self.results_view)

        self.keys_label = QLabel(tr("↑ ↓ 选择　Enter 打开　Esc 关闭"), frame)
        self.keys_label.setEnabled(False)
        self.keys_label.setAlignment(Qt.AlignmentFlag.AlignRight)

        layout = QVBoxLayout(frame)
        layout.setContentsMargins(10, 10, 10, 8)
        layout.setSpacing(8)
        layout.addWidget(self.query_edit)
        layout.addLayout(self._stack, 1)
        layout.addWidget(self.keys_label)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.query_edit.textChanged.connect(self._on_query_edit_text_changed)
        self._show_message(self._hint())

    # -- opening ------------------------------------------------------------------------------

    def open_palette(self) -> None:
        """Show over the parent window, the last query selected so typing replaces it."""
        self._place()
        self.show()  # a popup: it takes the keyboard, and a click outside closes it
        self.query_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_edit.selectAll()

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            window = parent.window()
            self._full = QSize(
                min(WIDTH, max(420, window.width() - 80)),
                min(HEIGHT, max(280, window.height() - TOP_MARGIN - 40)),
            )
            left = (window.width() - self._full.width()) // 2
            self.move(window.mapToGlobal(QPoint(left, TOP_MARGIN)))
        self._fit()

    def _fit(self) -> None:
        """Full height with results; just the box and a line or two with a message."""
        showing_results = self._stack.currentWidget() is self.results_view
        height = self._full.height() if showing_results else COMPACT_HEIGHT
        self.resize(self._full.width(), height)

    # -- searching ----------------------------------------------------------------------------

    def search_now(self) -> None:
        """Search for what is in the box without waiting for the pause."""
        self._timer.stop()
        self._ask(self.query_edit.text())

    def _on_query_edit_text_changed(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self._cancel()
            self.model.set_results(None)
            self._show_message(self._hint())
            self.results_shown.emit()
            return
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        self._ask(self.query_edit.text())

    def _ask(self, query: str) -> None:
        if not query.strip():
            return
        self._cancel()
        self._asked += 1
        number = self._asked
        service = self._service
        self._token = self._runner.submit(
            lambda _token: service.search(query),
            lambda results: self._on_search_finished(number, results),
            lambda error: self._on_search_failed(number, error),
            owner=self,
        )

    def _cancel(self) -> None:
        if self._token is not None:
            self._token.cancel()
            self._token = None

    def _on_search_finished(self, number: int, results: SearchResults) -> None:
        if number != self._asked:
            return  # an answer to a query the user has typed past
        self._token = None
        self.model.set_results(results)
        if results.is_empty:
            self._show_message(tr("没有找到“{query}”", query=results.query.strip()))
        else:
            self._stack.setCurrentWidget(self.results_view)
            self._fit()
            self._select(self._first_hit())
        self.results_shown.emit()

    def _on_search_failed(self, number: int, error: AppError) -> None:
        if number == self._asked:
            self._token = None
            self.model.set_results(None)
            self._show_message(error.message)
            self.results_shown.emit()

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self._stack.setCurrentWidget(self.message_label)
        self._fit()

    @staticmethod
    def _hint() -> str:
        return tr(
            "输入企业名称中的任意字词、拼音首字母（如 hwjs）、统一社会信用代码、"
            "联系人姓名或电话、拜访和洽谈记录中的内容"
        )

    # -- moving and opening -------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self._on_query_key(event):
                return True
        return super().eventFilter(watched, event)

    def _on_query_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        steps = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_PageDown: 5,
            Qt.Key.Key_PageUp: -5,
        }
        if key in steps:
            self._move(steps[Qt.Key(key)])
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._timer.isActive() or self._token is not None:
                self._activate_when_answered()
            else:
                self._activate(self.results_view.currentIndex())
            return True
        return False

    def _activate_when_answered(self) -> None:
        """Enter pressed before the answer came: open the first hit of that answer."""

        def open_first() -> None:
            self.results_shown.disconnect(open_first)
            self._activate(self.results_view.currentIndex())

        self.results_shown.connect(open_first)
        if self._timer.isActive():
            self.search_now()

    def _first_hit(self) -> int | None:
        rows = self.model.hit_rows()
        return rows[0] if rows else None

    def _move(self, step: int) -> None:
        rows = self.model.hit_rows()
        if not rows:
            return
        current = self.results_view.currentIndex().row()
        if current not in rows:
            self._select(rows[0])
            return
        position = max(0, min(len(rows) - 1, rows.index(current) + step))
        self._select(rows[position])

    def _select(self, row: int | None) -> None:
        if row is None:
            self.results_view.clearSelection()
            return
        index = self.model.index(row, 0)
        self.results_view.setCurrentIndex(index)
        if row == self._first_hit() and row > 0:
            self.results_view.scrollTo(self.model.index(row - 1, 0))  # its heading too
        self.results_view.scrollTo(index)

    def _on_results_view_clicked(self, index: QModelIndex) -> None:
        self._activate(index)

    def _activate(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        hit = self.model.row_at(index.row()).hit
        if hit is None:
            return
        self.hide()
        self.record_activated.emit(hit.kind.value, hit.record_id, hit.enterprise_id)
