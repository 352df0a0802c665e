"""Opens what pages ask for: a record on its page, the search palette, history, negotiation
notes, new records.

Made by ``ui/main.py`` once the database is open (like the sync session). Pages announce
wishes by signal — ``history_requested(table, id)``, ``note_requested(enterprise, note)``,
``visit_requested(enterprise)``, ``visit_print_requested(visit)`` (its 拜访纪要),
``save_state_changed(state, message)`` — and never know which dialog answers them; the router
connects each page as it is created and keeps the dialogs and report previews it opened, so
tests and the window can reach them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QWidget

from app.i18n import tr
from ui.main_window import MainWindow, PageKey
from ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from app.services.workspace import Workspace
    from ui.reports.report_files import ReportFolder
    from ui.reports.report_launcher import ReportLauncher
    from ui.search.search_palette import SearchPalette
    from ui.widgets.save_status import SaveStatusLabel

# Search result kinds → the page that shows them and its method taking the record id.
_OPEN_BY_KIND = {
    "enterprise": (PageKey.ENTERPRISES, "show_enterprise"),
    "visit": (PageKey.VISITS, "show_visit"),
    "project": (PageKey.PROJECTS, "show_project"),
}


class RecordRouter(QObject):
    def __init__(
        self,
        workspace: Workspace,
        window: MainWindow,
        runner: TaskRunner,
        report_folder: ReportFolder | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self.window = window
        self._runner = runner
        self._report_folder = report_folder
        self._reports: ReportLauncher | None = None
        self.palette: SearchPalette | None = None
        self.dialogs: list[QDialog] = []
        window.page_created.connect(self._on_window_page_created)
        window.new_visit_requested.connect(self._on_window_new_visit_requested)
        window.new_enterprise_requested.connect(self.open_new_enterprise)
        window.new_project_requested.connect(self.open_new_project)
        window.bureau_settings_requested.connect(self.open_bureau_settings)
        window.import_requested.connect(self.open_import)
        window.search_requested.connect(self.open_search)
        window.save_requested.connect(self._on_window_save_requested)
        window.print_requested.connect(self._on_window_print_requested)
        window.brief_requested.connect(self._on_window_brief_requested)
        window.rebuilt.connect(self._on_window_rebuilt)
        window.set_status_widget_factory(self._make_save_status, slot="save")

    # -- opening things --------------------------------------------------------------------------

    def open_search(self) -> None:
        if self.palette is None:
            from app.search.service import SearchService
            from ui.search.search_palette import SearchPalette

            self.palette = SearchPalette(SearchService(self._workspace), self._runner, self.window)
            self.palette.record_activated.connect(self._on_palette_record_activated)
        self.palette.open_palette()

    def open_new_visit(self, enterprise_id: str | None) -> None:
        self.window.show_page(PageKey.VISITS)
        page = self.window.page(PageKey.VISITS)
        if page is not None:
            page.new_visit(enterprise_id)  # type: ignore[attr-defined]

    def open_new_enterprise(self) -> None:
        self.window.show_page(PageKey.ENTERPRISES)
        page = self.window.page(PageKey.ENTERPRISES)
        if page is not None:
            page.new_enterprise()  # type: ignore[attr-defined]

    def open_new_project(self) -> None:
        self.window.show_page(PageKey.PROJECTS)
        page = self.window.page(PageKey.PROJECTS)
        if page is not None:
            page.new_project()  # type: ignore[attr-defined]

    def open_bureau_settings(self) -> None:
        from app.services.bureau_settings import BureauSettingsService
        from ui.settings.bureau_settings_dialog import BureauSettingsDialog

        dialog = BureauSettingsDialog(
            BureauSettingsService(self._workspace), self._runner, self.window
        )
        dialog.saved.connect(lambda _rules: self.window.refresh_current_page())
        self._keep(dialog)

    def open_import(self) -> None:
        """文件 → 导入企业名单… (Ctrl+I): the import wizard; pages reload when it changed data."""
        from app.services.enterprise_import import EnterpriseImportService
        from ui.importing.import_dialog import EnterpriseImportDialog

        dialog = EnterpriseImportDialog(
            EnterpriseImportService(self._workspace), self._runner, self.window
        )
        dialog.import_finished.connect(lambda _count: self.window.refresh_current_page())
        dialog.import_undone.connect(lambda _message: self.window.refresh_current_page())
        self._keep(dialog)

    def open_history(self, table: str, row_id: str) -> None:
        from app.services.history import HistoryService
        from ui.history.history_dialog import HistoryDialog

        # No title: the dialog names the record itself ("拜访 · 2026年11月20日 …").
        dialog = HistoryDialog(
            HistoryService(self._workspace), self._runner, table, row_id, "", self.window
        )
        self._keep(dialog, modal=False)

    def open_note(self, enterprise_id: str, note_id: str) -> None:
        from app.services.negotiations import NegotiationService
        from ui.negotiations.note_editor import NegotiationNoteDialog

        dialog = NegotiationNoteDialog(
            NegotiationService(self._workspace),
            self._runner,
            enterprise_id,
            note_id or None,
            self.window,
        )
        self._connect_saving(dialog)
        dialog.finished.connect(lambda _result: self.window.refresh_current_page())
        self._keep(dialog)

    def open_record(self, kind: str, record_id: str, enterprise_id: str = "") -> None:
        """Show a record found by search (contacts and notes open their enterprise)."""
        if kind == "note" and enterprise_id:
            self.open_enterprise(enterprise_id)
            self.open_note(enterprise_id, record_id)
            return
        if kind in _OPEN_BY_KIND:
            key, method = _OPEN_BY_KIND[kind]
            self.window.show_page(key)
            show = getattr(self.window.page(key), method, None)
            if callable(show):
                show(record_id)
            return
        if enterprise_id:
            self.open_enterprise(enterprise_id)

    @property
    def reports(self) -> ReportLauncher:
        """Opens the report previews (kept so the tests and the window can reach them)."""
        if self._reports is None:
            from ui.reports.report_files import ReportFolder
            from ui.reports.report_launcher import ReportLauncher

            folder = self._report_folder or ReportFolder()
            self._reports = ReportLauncher(self._runner, folder, self.window)
            self._reports.failed.connect(self._on_reports_failed)
        return self._reports

    def open_visit_summary(self, visit_id: str) -> None:
        """拜访纪要 of the visit, in a preview window to print or save."""
        from app.services.reports import ReportService

        service = ReportService(self._workspace)
        self.reports.preview(tr("拜访纪要"), lambda: service.visit_summary(visit_id))

    def open_trip_brief(self, enterprise_ids: Sequence[str]) -> None:
        """出访前简报 of these enterprises, in a preview window."""
        from app.services.reports import ReportService

        service = ReportService(self._workspace)
        chosen = tuple(enterprise_ids)
        self.reports.preview(tr("出访前简报"), lambda: service.trip_brief(chosen))

    def open_enterprise(self, enterprise_id: str) -> None:
        self.window.show_page(PageKey.ENTERPRISES)
        show = getattr(self.window.page(PageKey.ENTERPRISES), "show_enterprise", None)
        if callable(show):
            show(enterprise_id)

    # -- wiring pages ----------------------------------------------------------------------------

    def _on_window_page_created(self, _key: PageKey, page: Any) -> None:
        connections = {
            "enterprise_activated": self.open_enterprise,
            "visit_activated": lambda visit_id: self.open_record("visit", visit_id),
            "history_requested": self.open_history,
            "note_requested": self.open_note,
            "visit_requested": self.open_new_visit,
            "project_activated": lambda project_id: self.open_record("project", project_id),
            "conflicts_requested": lambda: self.window.show_page(PageKey.CONFLICTS),
            "visit_print_requested": self.open_visit_summary,
        }
        for name, slot in connections.items():
            signal = getattr(page, name, None)
            if signal is not None:
                signal.connect(slot)
        self._connect_saving(page)

    def _connect_saving(self, source: QObject) -> None:
        signal = getattr(source, "save_state_changed", None)
        if signal is not None:
            signal.connect(self._on_save_state_changed)

    def _on_save_state_changed(self, state: str, message: str) -> None:
        label = self.window.status_widgets.get("save")
        if label is not None:
            label.show_state(state, message)  # type: ignore[attr-defined]

    def _on_window_new_visit_requested(self) -> None:
        """Ctrl+N: a visit to the enterprise whose dossier is open, else to one chosen next."""
        enterprise_id = None
        if self.window.current_page_key is PageKey.ENTERPRISES:
            shown = getattr(self.window.page(PageKey.ENTERPRISES), "shown_enterprise_id", None)
            enterprise_id = shown() if callable(shown) else None
        self.open_new_visit(enterprise_id)

    def _on_window_save_requested(self) -> None:
        key = self.window.current_page_key
        page = self.window.page(key) if key is not None else None
        save_now = getattr(page, "save_now", None)
        if callable(save_now):
            save_now()

    def _on_window_print_requested(self) -> None:
        """Ctrl+P: the summary of the visit open on the visits page (its form or its row)."""
        page = self.window.page(PageKey.VISITS)
        if self.window.current_page_key is PageKey.VISITS and page is not None:
            page.print_visit()  # type: ignore[attr-defined]
            return
        self.window.show_status_message(tr("在“拜访”页选中一条拜访记录，再按 Ctrl+P 打印拜访纪要"))

    def _on_window_brief_requested(self) -> None:
        """文件 → 打印出访前简报…: the brief of the enterprise whose dossier is open."""
        shown = getattr(self.window.page(PageKey.ENTERPRISES), "shown_enterprise_id", None)
        enterprise_id = shown() if callable(shown) else None
        if self.window.current_page_key is PageKey.ENTERPRISES and enterprise_id:
            self.open_trip_brief((enterprise_id,))
            return
        self.window.show_status_message(
            tr("在企业库中打开一家企业的档案，再打印出访前简报；多家企业请在“报表”页选择")
        )

    def _on_reports_failed(self, message: str) -> None:
        self.window.show_status_message(message)

    def _on_palette_record_activated(self, kind: str, record_id: str, enterprise_id: str) -> None:
        self.open_record(kind, record_id, enterprise_id)

    def _on_window_rebuilt(self) -> None:
        self.palette = None  # made again, in the new language, when next asked for

    def _forget(self, dialog: QDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)

    def _make_save_status(self) -> QWidget:
        from ui.widgets.save_status import SaveStatusLabel

        label: SaveStatusLabel = SaveStatusLabel()
        return label

    def _keep(self, dialog: QDialog, *, modal: bool = True) -> None:
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _result: self._forget(dialog))
        if modal:
            dialog.open()
        else:
            dialog.show()  # history may stay open beside the record it explains
