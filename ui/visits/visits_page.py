"""The visits page (拜访): the visit list and detail, the trips, and the visit form.

``new_visit`` (Ctrl+N anywhere, 新建拜访 in a dossier) and ``edit_visit`` (Enter/F2 on the
list, 编辑 in the detail) open the form in place of the list; Esc brings the list back with the
visit selected. A closed form lives on, hidden, until its last save has gone through. Drafts a
crash left behind are offered back in a bar above the list.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QTableView, QTabWidget, QVBoxLayout, QWidget

from app.domain.errors import AppError
from app.i18n import tr
from app.services.visit_drafts import VisitDraft
from ui.task_runner import CancelToken, TaskRunner
from ui.visits.draft_bar import DraftBar
from ui.visits.trips_panel import TripsPanel
from ui.visits.visit_autosave import DRAFT, SAVED
from ui.visits.visit_browser import VisitBrowser
from ui.visits.visit_detail_view import VisitDetailView
from ui.visits.visit_editor import VisitEditor
from ui.visits.visit_form_start import VisitFormStart, load_form_start
from ui.visits.visit_list_model import VisitListModel
from ui.visits.visit_services import VisitServices
from ui.widgets.filter_line_edit import FilterLineEdit
from ui.widgets.message_bar import UndoMessageBar

_BROWSE, _EDIT = range(2)
_VISITS_TAB, _TRIPS_TAB = range(2)


class VisitsPage(QWidget):
    """Visits and trips; the visit form opens in place of the lists."""

    enterprise_activated = Signal(str)
    list_loaded = Signal(int)
    visit_shown = Signal(str)
    history_requested = Signal(str, str)  # table name, row id
    save_state_changed = Signal(str, str)  # "saving" | "saved" | "failed", message
    editor_opened = Signal(object)  # VisitEditor
    visit_print_requested = Signal(str)  # visit id: preview its 拜访纪要
    drafts_checked = Signal(int)  # how many drafts are offered

    def __init__(
        self, services: VisitServices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._editor: VisitEditor | None = None
        self._finishing: list[VisitEditor] = []
        self._drafts_checked = False

        self._browser = VisitBrowser(services.visits, services.attachments, runner, self)
        self._browser.enterprise_activated.connect(self.enterprise_activated)
        self._browser.list_loaded.connect(self.list_loaded)
        self._browser.visit_shown.connect(self.visit_shown)
        self._browser.edit_requested.connect(self.edit_visit)
        self._browser.history_requested.connect(self.history_requested)
        self._browser.print_requested.connect(self.visit_print_requested)
        self._draft_bar = DraftBar(self)
        self._draft_bar.recover_clicked.connect(self._on_draft_bar_recover_clicked)
        self._draft_bar.discard_confirmed.connect(self._on_draft_bar_discard_confirmed)
        self._trips = TripsPanel(services.trips, runner, self)
        self._trips.visit_activated.connect(self._on_trips_visit_activated)
        self._trips.history_requested.connect(self.history_requested)
        self._problem = QLabel(self)
        self._problem.setStyleSheet("color: #b3261e; padding: 4px 8px;")
        self._problem.hide()

        visits_tab = QWidget(self)
        visits_layout = QVBoxLayout(visits_tab)
        visits_layout.setContentsMargins(0, 0, 0, 0)
        visits_layout.setSpacing(0)
        visits_layout.addWidget(self._draft_bar)
        visits_layout.addWidget(self._problem)
        visits_layout.addWidget(self._browser, 1)
        self._tabs = QTabWidget(self)
        self._tabs.setDocumentMode(True)
        self._tabs.addTab(visits_tab, tr("拜访记录"))
        self._tabs.addTab(self._trips, tr("出行"))
        self._tabs.currentChanged.connect(self._on_tabs_current_changed)
        self._editor_holder = QWidget(self)
        self._editor_layout = QVBoxLayout(self._editor_holder)
        self._editor_layout.setContentsMargins(0, 0, 0, 0)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._tabs)
        self._stack.addWidget(self._editor_holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

    # -- public ----------------------------------------------------------------------------------

    @property
    def model(self) -> VisitListModel:
        return self._browser.model

    @property
    def table(self) -> QTableView:
        return self._browser.table

    @property
    def filter_edit(self) -> FilterLineEdit:
        return self._browser.filter_edit

    @property
    def count_label(self) -> QLabel:
        return self._browser.count_label

    @property
    def detail_view(self) -> VisitDetailView:
        return self._browser.detail_view

    @property
    def message_bar(self) -> UndoMessageBar:
        return self._browser.message_bar

    @property
    def draft_bar(self) -> DraftBar:
        return self._draft_bar

    @property
    def trips_panel(self) -> TripsPanel:
        return self._trips

    @property
    def editor(self) -> VisitEditor | None:
        """The open visit form, if any."""
        return self._editor

    def refresh(self) -> None:
        self._browser.refresh()
        if self._tabs.currentIndex() == _TRIPS_TAB:
            self._trips.refresh()
        if not self._drafts_checked:
            self._drafts_checked = True
            self._check_drafts()

    def focus_filter(self) -> None:
        self._close_editor()
        self._tabs.setCurrentIndex(_VISITS_TAB)
        self._browser.focus_filter()

    def show_visit(self, visit_id: str) -> None:
        """Show this visit in the list and its detail (closing the form, which keeps saving)."""
        self._close_editor()
        self._tabs.setCurrentIndex(_VISITS_TAB)
        self._browser.show_visit(visit_id)

    def new_visit(self, enterprise_id: str | None = None) -> None:
        """Open the form for a new visit (of this enterprise, when given)."""
        self._load_form(lambda token: load_form_start(self._services, enterprise_id=enterprise_id))

    def edit_visit(self, visit_id: str) -> None:
        if self._editor is not None and self._editor.visit_id == visit_id:
            self._stack.setCurrentIndex(_EDIT)
            self._editor.focus_first_field()
            return
        self._load_form(lambda token: load_form_start(self._services, visit_id=visit_id))

    def print_visit(self) -> None:
        """Ctrl+P: the summary of the visit in the open form (saved first), else of the visit
        selected in the list."""
        if self._editor is not None and self._stack.currentIndex() == _EDIT:
            self._editor.request_print()
            return
        visit_id = self._browser.selected_id if self._tabs.currentIndex() == _VISITS_TAB else None
        if visit_id is None:
            self._browser.message_bar.show_message(tr("请先选择一条拜访记录，再打印纪要"))
            return
        self.visit_print_requested.emit(visit_id)

    def save_now(self) -> None:
        """Save what the open form holds without waiting (Ctrl+S in the form does this too)."""
        if self._editor is not None:
            self._editor.save_now()

    # -- the form --------------------------------------------------------------------------------

    def _load_form(self, work: Callable[[CancelToken], VisitFormStart]) -> None:
        self._problem.hide()
        self._runner.submit(
            work,
            on_success=self._open_editor,
            on_failure=self._on_form_failed,
            owner=self,
        )

    def _open_editor(self, start: VisitFormStart) -> None:
        self._retire(self._editor)
        editor = VisitEditor(self._services, self._runner, start, self._editor_holder)
        editor.save_state_changed.connect(self.save_state_changed)
        editor.history_requested.connect(self.history_requested)
        editor.close_requested.connect(self._on_editor_close_requested)
        editor.visit_created.connect(self._on_editor_visit_created)
        editor.print_requested.connect(self.visit_print_requested)
        self._editor = editor
        self._editor_layout.addWidget(editor)
        self._stack.setCurrentIndex(_EDIT)
        editor.show()
        editor.focus_first_field()
        if start.draft is not None:
            self._check_drafts()
        self.editor_opened.emit(editor)

    def _on_form_failed(self, error: AppError) -> None:
        self._problem.setText(error.message)
        self._problem.show()

    def _close_editor(self) -> None:
        editor = self._editor
        if editor is None:
            return
        self._editor = None
        self._stack.setCurrentIndex(_BROWSE)
        self._retire(editor)

    def _on_editor_close_requested(self) -> None:
        editor = self._editor
        self._close_editor()
        self._tabs.setCurrentIndex(_VISITS_TAB)
        if editor is not None and editor.visit_id is not None:
            self._browser.show_visit(editor.visit_id)
            self._browser.reload_list()
        self._browser.focus_table()

    def _on_editor_visit_created(self, _visit_id: str) -> None:
        self._browser.reload_list()

    def _retire(self, editor: VisitEditor | None) -> None:
        """Hide a closed form; delete it once everything it holds is saved."""
        if editor is None:
            return
        editor.save_now()
        editor.hide()
        if editor.autosaver.state == DRAFT:
            # No enterprise yet, so nothing can reach the database: the text is in its draft
            # file (written just now, ahead of this check on the runner), offered in the bar.
            self._editor_layout.removeWidget(editor)
            editor.deleteLater()
            self._check_drafts()
            return
        self._finishing.append(editor)
        editor.save_state_changed.connect(self._on_finishing_editor_state_changed)
        self._on_finishing_editor_state_changed()

    def _on_finishing_editor_state_changed(self, *_state: str) -> None:
        for editor in list(self._finishing):
            if editor.autosaver.idle and editor.autosaver.state == SAVED:
                self._finishing.remove(editor)
                self._editor_layout.removeWidget(editor)
                editor.deleteLater()

    # -- drafts ----------------------------------------------------------------------------------

    def _check_drafts(self) -> None:
        store = self._services.drafts
        self._runner.submit(
            lambda _token: store.load_all(),
            on_success=self._on_drafts_loaded,
            owner=self,
        )

    def _on_drafts_loaded(self, drafts: tuple[VisitDraft, ...]) -> None:
        working = {
            editor.autosaver.draft_id
            for editor in (*self._finishing, self._editor)
            if editor is not None
        }
        self._draft_bar.show_drafts(drafts, working)
        self.drafts_checked.emit(len(self._draft_bar.drafts))

    def _on_draft_bar_recover_clicked(self, draft: VisitDraft) -> None:
        self._load_form(lambda token: load_form_start(self._services, draft=draft))

    def _on_draft_bar_discard_confirmed(self, draft: VisitDraft) -> None:
        store = self._services.drafts
        self._runner.submit(
            lambda _token: store.discard(draft.draft_id),
            on_success=lambda _result: self._check_drafts(),
            owner=self,
        )

    # -- trips -----------------------------------------------------------------------------------

    def _on_tabs_current_changed(self, index: int) -> None:
        if index == _TRIPS_TAB and not self._trips.loaded:
            self._trips.refresh()

    def _on_trips_visit_activated(self, visit_id: str) -> None:
        self.show_visit(visit_id)
        self.visit_shown.connect(self._browser.focus_table, Qt.ConnectionType.SingleShotConnection)
