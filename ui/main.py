"""The desktop app's entry point and the one place that wires it together.

What runs when:

1. ``main`` parses the command line, reads the language from Settings, creates the
   ``QApplication``, registers the shipped CJK font, Qt's translations and the crash handler.
2. ``Desktop.start`` shows the main window at once (pages greyed out, "正在打开数据库…") and
   opens/migrates the database on the task runner's thread.
3. When the database is open: an empty one gets the first-start choice (or, with ``--demo``, the
   demo data) first; then the page factories are handed to the window, which builds the page
   open when it was last closed (at first the enterprise library) and loads its rows. Other
   pages are built, and query, when first shown.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.errors import AppError, DatabaseProblem
from app.i18n import LANGUAGES, current_language, set_language, tr
from app.paths import resolve_data_dir
from app.settings import LANGUAGE, Settings
from ui.app_setup import CrashHandler, QtTranslations, create_application, register_fonts
from ui.first_start import DemoLoader, FirstStartDialog
from ui.main_window import MainWindow, PageFactory, PageKey
from ui.task_runner import CancelToken, TaskRunner

if TYPE_CHECKING:
    from app.services.workspace import Workspace
    from ui.record_router import RecordRouter
    from ui.reports.report_files import ReportFolder
    from ui.sync.sync_session import SyncSession

WINDOW_STATE_FILE = "window.ini"


def parse_arguments(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our options, and whatever is left for Qt (e.g. ``-platform``)."""
    parser = argparse.ArgumentParser(prog="squaddesk", description=tr("SquadDesk 招商小分队工作台"))
    parser.add_argument(
        "--data-dir",
        help="data directory (default: SQUADDESK_DATA_DIR or the per-user data directory)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="load demo data into an empty database without asking"
    )
    parser.add_argument("--lang", choices=sorted(LANGUAGES), help="UI language for this run")
    parser.add_argument("--quit-after-ms", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--screenshot",
        metavar="PNG",
        help="save a picture of the window once the first rows are shown, then quit",
    )
    return parser.parse_known_args(list(argv))


class StartupClock:
    """Milliseconds since this process started (from /proc on Linux, else since ``main``)."""

    def __init__(self) -> None:
        self._started = time.perf_counter() - _process_age()

    def elapsed_ms(self) -> float:
        return (time.perf_counter() - self._started) * 1000


def _process_age() -> float:
    try:
        stat = Path("/proc/self/stat").read_text()
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0
    return max(age, 0.0)


@dataclass(frozen=True)
class OpenedWorkspace:
    workspace: Workspace
    empty: bool
    demo_label: str | None


_PRELOADED = (
    "app.database.opening",
    "app.services.enterprises",
    "ui.enterprises.enterprise_page",  # the first page (modules only; no widgets are made)
    "app.services.visits",
)


def start_preloading() -> None:
    """Import the database layer and the first page's modules on a background thread while
    the window comes up: the imports take most of a cold start."""

    def preload() -> None:
        for name in _PRELOADED:
            importlib.import_module(name)

    threading.Thread(target=preload, name="preload", daemon=True).start()


def open_workspace(data_dir: Path, _token: CancelToken) -> OpenedWorkspace:
    """Runs on the task runner: open (create, migrate) the database, look at what is in it."""
    from app.database.opening import open_local_database
    from app.services import (  # noqa: F401  (imported here, off the GUI thread)
        enterprises,
        sync_account,
        sync_status,
        visits,
    )
    from app.services.workspace import Workspace

    workspace = Workspace(open_local_database(data_dir), data_dir)
    return OpenedWorkspace(workspace, workspace.is_empty(), workspace.demo_label())


def page_factories(
    workspace: Workspace, runner: TaskRunner, report_folder: ReportFolder | None = None
) -> dict[PageKey, PageFactory]:
    """How each page is made from its service. Imports wait until a page is first shown."""

    def workbench() -> QWidget:
        from app.services.workbench import WorkbenchService
        from ui.workbench.workbench_page import WorkbenchPage

        return WorkbenchPage(WorkbenchService(workspace), runner)

    def enterprises() -> QWidget:
        from app.services.attachments import AttachmentService
        from app.services.enterprise_merge import EnterpriseMergeService
        from app.services.enterprises import EnterpriseService
        from ui.enterprises.enterprise_page import EnterprisePage

        return EnterprisePage(
            EnterpriseService(workspace),
            runner,
            merge_service=EnterpriseMergeService(workspace),
            attachments=AttachmentService(workspace),
        )

    def visits() -> QWidget:
        from ui.visits.visit_services import VisitServices
        from ui.visits.visits_page import VisitsPage

        return VisitsPage(VisitServices.for_workspace(workspace), runner)

    def projects() -> QWidget:
        from ui.projects.project_services import ProjectServices
        from ui.projects.projects_page import ProjectsPage

        return ProjectsPage(ProjectServices.for_workspace(workspace), runner)

    def dashboard() -> QWidget:
        from app.services.kpi import KpiService
        from app.services.overdue import OverdueService
        from app.services.project_facts_cache import ProjectFactsSource
        from ui.dashboard.dashboard_page import DashboardPage

        facts = ProjectFactsSource(workspace.database)  # the project history, read once for both
        return DashboardPage(
            KpiService(workspace, facts=facts), OverdueService(workspace, facts=facts), runner
        )

    def ledger() -> QWidget:
        from app.services.commitment_ledger import CommitmentLedgerService
        from app.services.problems import ProblemService
        from ui.ledger.ledger_page import LedgerPage

        return LedgerPage(CommitmentLedgerService(workspace), ProblemService(workspace), runner)

    def chains() -> QWidget:
        from ui.chains.chain_services import ChainServices
        from ui.chains.chains_page import ChainsPage

        return ChainsPage(ChainServices.for_workspace(workspace), runner)

    def honours() -> QWidget:
        from app.services.honour_directories import HonourDirectoryService
        from ui.honours.honours_page import HonoursPage

        return HonoursPage(HonourDirectoryService(workspace), runner)

    def tasks() -> QWidget:
        from app.services.tasks import TaskService
        from ui.tasks.tasks_page import TasksPage

        return TasksPage(TaskService(workspace), runner)

    def reports() -> QWidget:
        from ui.reports.report_page_services import ReportPageServices
        from ui.reports.reports_page import ReportsPage

        return ReportsPage(ReportPageServices.for_workspace(workspace), runner, report_folder)

    def conflicts() -> QWidget:
        from app.services.conflicts import ConflictService
        from app.services.rejected_changes import RejectedChangeService
        from ui.sync.conflicts_page import ConflictsPage

        return ConflictsPage(ConflictService(workspace), RejectedChangeService(workspace), runner)

    return {
        PageKey.WORKBENCH: workbench,
        PageKey.ENTERPRISES: enterprises,
        PageKey.VISITS: visits,
        PageKey.PROJECTS: projects,
        PageKey.DASHBOARD: dashboard,
        PageKey.LEDGER: ledger,
        PageKey.CHAINS: chains,
        PageKey.HONOURS: honours,
        PageKey.TASKS: tasks,
        PageKey.REPORTS: reports,
        PageKey.CONFLICTS: conflicts,
    }


class Desktop(QObject):
    """One running desktop session: runner, window, workspace, and the start-up sequence."""

    pages_attached = Signal()
    first_rows_shown = Signal(float)  # ms since process start
    exit_requested = Signal(int)

    def __init__(
        self,
        data_dir: Path,
        settings: Settings,
        *,
        demo: bool = False,
        watch_network: bool = False,
        qt_translations: QtTranslations | None = None,
        clock: StartupClock | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._settings = settings
        self._demo_requested = demo
        self._watch_network = watch_network
        self.sync: SyncSession | None = None
        self.router: RecordRouter | None = None
        self._qt_translations = qt_translations
        self._clock = clock or StartupClock()
        self._workspace: Workspace | None = None
        self._rows_reported = False
        self._first_page_seen = False
        self.first_start_dialog: FirstStartDialog | None = None
        self.demo_loader: DemoLoader | None = None
        self.problem_box: QMessageBox | None = None
        self.runner = TaskRunner(self)
        window_state = QSettings(str(data_dir / WINDOW_STATE_FILE), QSettings.Format.IniFormat)
        self._window_state = window_state  # also remembers the folder reports were saved in
        self.window = MainWindow(self.runner, data_dir, window_state)
        self.window.language_chosen.connect(self._on_window_language_chosen)
        self.window.page_created.connect(self._on_window_page_created)

    @property
    def workspace(self) -> Workspace | None:
        return self._workspace

    def start(self) -> None:
        self.window.show()
        data_dir = self._data_dir
        self.runner.submit(
            lambda token: open_workspace(data_dir, token),
            on_success=self._on_workspace_opened,
            on_failure=self._on_workspace_failed,
        )

    def shutdown(self) -> None:
        """Finish queued database work and close the database (after the event loop ends)."""
        if self.sync is not None:
            self.sync.shutdown()  # asks a running sync to stop and waits for its thread
        self.runner.shutdown()
        if self._workspace is not None:
            self._workspace.database.dispose()

    # -- start-up --------------------------------------------------------------------------------

    def _on_workspace_opened(self, opened: OpenedWorkspace) -> None:
        from ui.record_router import RecordRouter
        from ui.sync.sync_session import SyncSession

        self._workspace = opened.workspace
        self.sync = SyncSession(
            opened.workspace,
            self.window,
            self.runner,
            watch_network=self._watch_network,
            parent=self,
        )
        self.sync.start()
        self.router = RecordRouter(
            opened.workspace, self.window, self.runner, self._report_folder(), parent=self
        )
        if not opened.empty:
            is_demo = opened.demo_label is not None
            self._attach(demo=is_demo, demo_skipped=self._demo_requested and not is_demo)
        elif self._demo_requested:
            self._load_demo()
        else:
            self._ask_first_start()

    def _ask_first_start(self) -> None:
        dialog = FirstStartDialog(self.window)
        dialog.demo_chosen.connect(self._load_demo)
        dialog.blank_chosen.connect(self._on_first_start_dialog_blank_chosen)
        dialog.server_chosen.connect(self._on_first_start_dialog_server_chosen)
        self.first_start_dialog = dialog
        dialog.open()

    def _on_first_start_dialog_blank_chosen(self) -> None:
        self._attach(demo=False)

    def _on_first_start_dialog_server_chosen(self) -> None:
        assert self.sync is not None
        flow = self.sync.start_first_sync()
        flow.finished.connect(self._on_first_sync_finished)
        flow.cancelled.connect(self._ask_first_start)

    def _on_first_sync_finished(self, message: str) -> None:
        self._attach(demo=False)
        if message:
            self.window.show_status_message(message, 0)

    def _load_demo(self) -> None:
        assert self._workspace is not None
        loader = DemoLoader(self.runner, self._workspace.database, self.window)
        loader.loaded.connect(self._on_demo_loader_loaded)
        loader.failed.connect(self._on_demo_loader_failed)
        self.demo_loader = loader
        loader.start()

    def _on_demo_loader_loaded(self, _summary: object) -> None:
        self._attach(demo=True)

    def _on_demo_loader_failed(self, message: str) -> None:
        self._attach(demo=False)
        self.window.show_status_message(tr("未能载入演示数据：{reason}", reason=message), 0)

    def _attach(self, *, demo: bool, demo_skipped: bool = False) -> None:
        assert self._workspace is not None
        self.window.set_data_status(demo=demo, demo_skipped=demo_skipped)
        self.window.attach_pages(
            page_factories(self._workspace, self.runner, self._report_folder())
        )
        self.pages_attached.emit()

    def _report_folder(self) -> ReportFolder:
        from ui.reports.report_files import ReportFolder

        return ReportFolder(self._window_state)

    def _on_workspace_failed(self, error: AppError) -> None:
        title = tr("无法打开数据库") if isinstance(error, DatabaseProblem) else tr("无法启动")
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            title,
            error.message,
            QMessageBox.StandardButton.Close,
            self.window,
        )
        box.setInformativeText(tr("SquadDesk 将退出，数据库文件没有被改动。"))
        box.finished.connect(self._on_problem_box_finished)
        self.problem_box = box
        box.open()

    def _on_problem_box_finished(self, _result: int) -> None:
        self.exit_requested.emit(1)

    # -- first rows (start-up measurement) -------------------------------------------------------

    def _on_window_page_created(self, _key: PageKey, page: Any) -> None:
        if self._rows_reported or self._first_page_seen:
            return
        self._first_page_seen = True  # the page restored from last time, often the library
        list_loaded = getattr(page, "list_loaded", None)
        if list_loaded is not None:
            list_loaded.connect(self._on_first_page_list_loaded)
        else:
            QTimer.singleShot(0, lambda: self._on_first_page_list_loaded(0))

    def _on_first_page_list_loaded(self, _total: int) -> None:
        if self._rows_reported:
            return
        self._rows_reported = True
        self.window.repaint()  # the rows are on screen when the time is taken
        self.first_rows_shown.emit(self._clock.elapsed_ms())

    # -- language --------------------------------------------------------------------------------

    def _on_window_language_chosen(self, language: str) -> None:
        set_language(language)
        self._settings.set(LANGUAGE, language)
        if self._qt_translations is not None:
            self._qt_translations.install(language)
        self.window.rebuild()


def main(argv: Sequence[str] | None = None) -> int:
    clock = StartupClock()
    start_preloading()
    options, qt_arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    data_dir = resolve_data_dir(options.data_dir)
    settings = Settings(data_dir)
    set_language(options.lang or settings.get(LANGUAGE))

    app = create_application([sys.argv[0], *qt_arguments])
    register_fonts()
    qt_translations = QtTranslations(app)
    qt_translations.install(current_language())
    crash_handler = CrashHandler(data_dir / "logs")
    crash_handler.install()

    desktop = Desktop(
        data_dir,
        settings,
        demo=options.demo,
        watch_network=True,
        qt_translations=qt_translations,
        clock=clock,
    )
    desktop.exit_requested.connect(app.exit)
    if options.quit_after_ms is not None:
        delay = max(options.quit_after_ms, 0)

        def report(ms: float) -> None:
            print(f"startup_ms={ms:.0f}", flush=True)
            QTimer.singleShot(delay, app.quit)

        desktop.first_rows_shown.connect(report)
    if options.screenshot:
        target = Path(options.screenshot)

        def save_screenshot(_ms: float) -> None:
            def shoot() -> None:
                target.parent.mkdir(parents=True, exist_ok=True)
                desktop.window.grab().save(str(target))
                print(tr("已保存窗口截图：{path}", path=str(target)), flush=True)
                app.quit()

            QTimer.singleShot(300, shoot)  # let the dossier of the first row paint too

        desktop.first_rows_shown.connect(save_screenshot)
    desktop.start()
    code = app.exec()
    desktop.window.close()
    desktop.shutdown()
    crash_handler.uninstall()
    return code


if __name__ == "__main__":
    sys.exit(main())
