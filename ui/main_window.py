"""The main window: navigation on the left, one page at a time, menus and a status bar.

Pages are made by factories handed in by ``ui/main.py`` and created when first shown, so a
cold start builds (and queries for) only the page the user sees.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QStatusBar,
    QWidget,
)

from app.i18n import current_language, tr
from app.version import app_version
from ui.page_keys import PageKey
from ui.task_runner import TaskRunner
from ui.window_menus import WindowActions, build_menus
from ui.window_state import WindowState

BUSY_DELAY_MS = 300
PageFactory = Callable[[], QWidget]
__all__ = ["MainWindow", "PageFactory", "PageKey"]


_NAVIGATION_STYLE = """
QListWidget#navigation { background: #f3f5f8; border: none; border-right: 1px solid #dde2e8;
    outline: 0; padding-top: 8px; }
QListWidget#navigation::item { padding: 9px 18px; color: #2f3b48; }
QListWidget#navigation::item:selected { background: #2b4a6f; color: white; }
QListWidget#navigation::item:hover:!selected { background: #e4e9f0; }
QListWidget#navigation::item:disabled { color: #a8b0ba; }
"""


class MainWindow(QMainWindow):
    """The shell around the pages. It knows pages only through their factories."""

    language_chosen = Signal(str)
    page_created = Signal(object, object)  # PageKey, the page widget
    rebuilt = Signal()
    sync_now_requested = Signal()
    account_requested = Signal()
    new_visit_requested = Signal()
    new_enterprise_requested = Signal()
    new_project_requested = Signal()
    import_requested = Signal()
    bureau_settings_requested = Signal()
    search_requested = Signal()
    save_requested = Signal()
    print_requested = Signal()
    brief_requested = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        data_dir: Path,
        window_state: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._data_dir = data_dir
        self._window_state = WindowState(window_state)
        self._factories: dict[PageKey, PageFactory] = {}
        self._pages: dict[PageKey, QWidget] = {}
        self._current: PageKey | None = None
        self._demo = False
        self._demo_skipped = False
        self._rebuild_pending = False
        self._badges: dict[PageKey, int] = {}
        self._status_factories: dict[str, Callable[[], QWidget]] = {}
        self.status_widgets: dict[str, QWidget] = {}
        self.about_box: QMessageBox | None = None
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._on_busy_timer_timeout)
        runner.busy_changed.connect(self._on_runner_busy_changed)
        runner.all_done.connect(self._on_runner_all_done)
        self._build()
        self._window_state.restore_window(self)

    # -- public ----------------------------------------------------------------------------------

    @property
    def current_page_key(self) -> PageKey | None:
        return self._current

    @property
    def busy_label(self) -> QLabel:
        return self._busy_label

    @property
    def navigation(self) -> QListWidget:
        return self._navigation

    def page(self, key: PageKey) -> QWidget | None:
        """The page widget, if it has been created."""
        return self._pages.get(key)

    def page_action(self, key: PageKey) -> QAction:
        return self._actions.pages[key]

    @property
    def actions_of_window(self) -> WindowActions:
        """The menu bar's actions (made again on a rebuild)."""
        return self._actions

    @property
    def new_visit_action(self) -> QAction:
        return self._actions.new_visit

    @property
    def new_enterprise_action(self) -> QAction:
        return self._actions.new_enterprise

    @property
    def save_action(self) -> QAction:
        return self._actions.save

    @property
    def search_action(self) -> QAction:
        return self._actions.search

    @property
    def sync_now_action(self) -> QAction:
        return self._actions.sync_now

    def attach_pages(
        self, factories: Mapping[PageKey, PageFactory], start: PageKey | None = None
    ) -> None:
        """Make the pages available (the database is open); show ``start``, by default the page
        open when the window was last closed (else the enterprise library)."""
        self._factories = dict(factories)
        self._enable_navigation()
        self.show_page(start or self._last_page())

    def set_data_status(self, *, demo: bool, demo_skipped: bool = False) -> None:
        """Say in the title and status bar whether this is demo data (or demo was refused)."""
        self._demo = demo
        self._demo_skipped = demo_skipped
        self._update_data_status()

    @property
    def status_widget(self) -> QWidget | None:
        """The sync corner of the status bar."""
        return self.status_widgets.get("sync")

    def set_status_widget_factory(self, factory: Callable[[], QWidget], slot: str = "sync") -> None:
        """A permanent status-bar corner ("sync", "save"), made again when the window is rebuilt."""
        self._status_factories[slot] = factory
        self._add_status_widget(self.statusBar(), slot)

    def set_page_badge(self, key: PageKey, count: int) -> None:
        """A count after the page's name in the navigation ("冲突 (3)"); 0 hides it."""
        self._badges[key] = count
        self._navigation.item(list(PageKey).index(key)).setText(self._page_label(key))

    def refresh_current_page(self) -> None:
        """Reload what is on screen (after a sync brought changes)."""
        page = self._pages.get(self._current) if self._current else None
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    def show_status_message(self, text: str, timeout_ms: int = 8000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def show_page(self, key: PageKey) -> None:
        if key not in self._factories:
            return
        page = self._pages.get(key)
        if page is None:
            page = self._factories[key]()
            self._pages[key] = page
            self._stack.addWidget(page)
            self.page_created.emit(key, page)
            created = True
        else:
            created = False
        self._current = key
        self._stack.setCurrentWidget(page)
        if created:
            self._window_state.restore_page(key.name, page)
        self._navigation.blockSignals(True)
        self._navigation.setCurrentRow(list(PageKey).index(key))
        self._navigation.blockSignals(False)
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    def rebuild(self) -> None:
        """Recreate every widget so each string is translated again (after a language change)."""
        if self._runner.busy:
            self._rebuild_pending = True  # let answers for the old widgets arrive first
            return
        self._rebuild_pending = False
        self._pages.clear()
        for action in self.actions():
            self.removeAction(action)  # the old shortcuts must not linger until deletion
        self.menuBar().clear()
        self._actions_owner.deleteLater()
        self._build()
        if self._factories:
            self._enable_navigation()
            if self._current is not None:
                self.show_page(self._current)
        self._update_data_status()
        self.rebuilt.emit()

    # -- building --------------------------------------------------------------------------------

    def _build(self) -> None:
        self._navigation = QListWidget()
        self._navigation.setObjectName("navigation")
        self._navigation.setStyleSheet(_NAVIGATION_STYLE)
        self._navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        font = self._navigation.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self._navigation.setFont(font)
        for key in PageKey:
            item = QListWidgetItem(self._page_label(key))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self._navigation.addItem(item)
        # Wide enough for the longest page name with a count ("Industry chains", "冲突 (12)").
        metrics = self._navigation.fontMetrics()
        widest = max(metrics.horizontalAdvance(f"{key.title} (99)") for key in PageKey)
        self._navigation.setFixedWidth(max(128, widest + 40))
        self._navigation.currentRowChanged.connect(self._on_navigation_current_row_changed)
        self._stack = QStackedWidget()
        waiting = QLabel(tr("正在打开数据库…"))
        waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        waiting.setStyleSheet("color: #7a8591;")
        self._stack.addWidget(waiting)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._navigation)
        layout.addWidget(self._stack, 1)
        self.setCentralWidget(central)
        self._actions_owner = QWidget(self)
        self._actions_owner.hide()
        self._actions = build_menus(self, self._actions_owner)
        self._build_status_bar()
        self._update_data_status()

    def _build_status_bar(self) -> None:
        status = QStatusBar()
        self._data_label = QLabel()
        self._data_label.setStyleSheet("color: #5f6b7a; padding-left: 6px;")
        self._data_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long data-dir path must not hold the window wider than half a 1366 screen.
        self._data_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        status.addWidget(self._data_label, 1)
        # A still label, not an animated bar: animation would keep taking the GIL from the
        # database thread while it works.
        self._busy_label = QLabel(tr("正在处理…"))
        self._busy_label.setStyleSheet("color: #8a5a00; padding-right: 8px;")
        status.addPermanentWidget(self._busy_label)
        self._busy_label.hide()
        for slot in self._status_factories:
            self._add_status_widget(status, slot)
        self.setStatusBar(status)
        status.show()  # a status bar set on a visible window (a rebuild) stays hidden otherwise

    def _add_status_widget(self, status: QStatusBar, slot: str) -> None:
        factory = self._status_factories.get(slot)
        if factory is not None:
            widget = factory()
            self.status_widgets[slot] = widget
            status.addPermanentWidget(widget)

    def _last_page(self) -> PageKey:
        name = self._window_state.last_page()
        key = PageKey.__members__.get(name or "", PageKey.ENTERPRISES)
        return key if key in self._factories else PageKey.ENTERPRISES

    def _page_label(self, key: PageKey) -> str:
        count = self._badges.get(key, 0)
        return tr("{title} ({count})", title=key.title, count=count) if count else key.title

    def _enable_navigation(self) -> None:
        for row, key in enumerate(PageKey):
            available = key in self._factories
            item = self._navigation.item(row)
            flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
            item.setFlags(flags if available else Qt.ItemFlag.NoItemFlags)
            self._actions.pages[key].setEnabled(available)
        for action in self._actions.needing_data:
            action.setEnabled(bool(self._factories))

    def _update_data_status(self) -> None:
        parts = [tr("数据目录：{path}", path=str(self._data_dir))]
        title = tr("SquadDesk 招商小分队工作台")
        if self._demo:
            parts.append(tr("演示数据"))
            title = tr("{title} — 演示数据", title=title)
        if self._demo_skipped:
            parts.append(tr("已有数据，未载入演示数据"))
        self._data_label.setText("  ·  ".join(parts))
        self.setWindowTitle(title)

    # -- window state ----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        pages = {key.name: page for key, page in self._pages.items()}
        self._window_state.save(self, self._current.name if self._current else None, pages)
        super().closeEvent(event)

    # -- handlers --------------------------------------------------------------------------------

    def _on_navigation_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(PageKey):
            self.show_page(list(PageKey)[row])

    def focus_page_filter(self) -> None:
        """Ctrl+F: put the cursor in the current page's filter."""
        page = self._pages.get(self._current) if self._current else None
        if page is None:
            return
        focus_filter = getattr(page, "focus_filter", None)
        if callable(focus_filter):
            focus_filter()
            return
        line_edit = page.findChild(QLineEdit)
        if line_edit is not None:
            line_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            line_edit.selectAll()

    def choose_language(self, code: str) -> None:
        if code != current_language():
            self.language_chosen.emit(code)

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, tr("关于 SquadDesk"), "", parent=self)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            "<p><b>{name}</b></p><p>{version}</p><p>{data_dir}</p>".format(
                name=tr("SquadDesk 招商小分队工作台"),
                version=tr("版本 {version}", version=app_version()),
                data_dir=tr("数据目录：{path}", path=str(self._data_dir)),
            )
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._on_about_box_finished)
        self.about_box = box
        box.open()

    def _on_about_box_finished(self, _result: int) -> None:
        self.about_box = None

    def _on_runner_busy_changed(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self._busy_label.hide()

    def _on_busy_timer_timeout(self) -> None:
        if self._runner.busy:
            self._busy_label.show()

    def _on_runner_all_done(self) -> None:
        if self._rebuild_pending:
            QTimer.singleShot(0, self.rebuild)
