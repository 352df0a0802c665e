"""Sync for one open workspace, wired into the main window.

Made by ``ui/main.py`` once the database is open. It builds the services and the controller,
adds the status-bar corner, the 同步 menu's handlers and the conflicts badge, opens 账户与同步
when asked, and runs the first-start "连接单位服务器" flow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QNetworkInformation
from PySide6.QtWidgets import QWidget

from ui.main_window import MainWindow, PageKey
from ui.sync.account_dialog import AccountDialog, AccountServiceLike
from ui.sync.controller import EngineFactory, SyncController, SyncEngineLike
from ui.sync.first_sync import FirstSync
from ui.sync.prompts import SyncPrompts
from ui.sync.status_widget import SyncStatusWidget
from ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from app.services.sync_status import SyncStatus
    from app.services.workspace import Workspace
    from app.sync.engine import SyncReport
    from app.sync.protocol import UserInfo


class SyncSession(QObject):
    def __init__(
        self,
        workspace: Workspace,
        window: MainWindow,
        database_runner: TaskRunner,
        *,
        watch_network: bool = False,
        engine_factory: EngineFactory | None = None,
        account_service: AccountServiceLike | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``engine_factory`` and ``account_service`` stand in for the network in tests."""
        super().__init__(parent)
        from app.services.sync_account import SyncAccountService
        from app.services.sync_status import SyncStatusService

        self.window = window
        self._database_runner = database_runner
        self._watch_network = watch_network
        self._account_service = account_service or SyncAccountService(workspace)
        self.account_dialog: AccountDialog | None = None
        self.first_sync: FirstSync | None = None

        def engine(password: str | None) -> SyncEngineLike:
            from app.sync.engine import SyncEngine  # on the sync thread

            return SyncEngine(workspace, password=password)

        self.controller = SyncController(
            engine_factory or engine,
            SyncStatusService(workspace),
            database_runner,
            parent=self,
        )
        self.prompts = SyncPrompts(self.controller, window)
        self.controller.account_needed.connect(self.open_account_dialog)
        self.controller.status_changed.connect(self._on_controller_status_changed)
        self.controller.sync_finished.connect(self._on_controller_sync_finished)
        window.sync_now_requested.connect(self.controller.sync_now)
        window.account_requested.connect(self.open_account_dialog)
        window.page_created.connect(self._on_window_page_created)
        window.set_status_widget_factory(self._make_status_widget)

    def start(self) -> None:
        self.controller.start()
        if self._watch_network:
            self._start_watching_network()

    def shutdown(self) -> None:
        self.controller.shutdown()

    def open_account_dialog(self) -> AccountDialog:
        """账户与同步 (one at a time)."""
        if self.account_dialog is not None:
            self.account_dialog.raise_()
            return self.account_dialog
        dialog = AccountDialog(
            self._account_service,
            self._database_runner,
            self.window,
            network_runner=self.controller.sync_runner,
        )
        dialog.signed_in.connect(self._on_account_dialog_signed_in)
        dialog.offline_chosen.connect(self._on_account_dialog_changed)
        dialog.signed_out.connect(self._on_account_dialog_signed_out)
        dialog.finished.connect(self._on_account_dialog_finished)
        self.account_dialog = dialog
        dialog.open()
        return dialog

    def start_first_sync(self) -> FirstSync:
        """First start: sign in, then the first sync with its progress."""
        flow = FirstSync(self.controller, self.open_account_dialog, self.window)
        self.first_sync = flow
        flow.start()
        return flow

    # -- handlers --------------------------------------------------------------------------------

    def _make_status_widget(self) -> QWidget:
        widget = SyncStatusWidget(self.controller)
        widget.conflicts_clicked.connect(self._on_status_widget_conflicts_clicked)
        widget.rejected_clicked.connect(self._on_status_widget_rejected_clicked)
        widget.account_clicked.connect(self.open_account_dialog)
        return widget

    def _on_account_dialog_signed_in(self, _user: UserInfo, password: str) -> None:
        self.controller.set_session_password(password)
        self.controller.account_changed(sync=True)

    def _on_account_dialog_changed(self) -> None:
        self.controller.account_changed()

    def _on_account_dialog_signed_out(self) -> None:
        self.controller.set_session_password(None)
        self.controller.account_changed()

    def _on_account_dialog_finished(self, _result: int) -> None:
        if self.account_dialog is not None:
            self.account_dialog.deleteLater()
        self.account_dialog = None

    def _on_controller_status_changed(self, status: SyncStatus) -> None:
        self.window.set_page_badge(PageKey.CONFLICTS, status.open_conflicts)

    def _on_controller_sync_finished(self, report: SyncReport) -> None:
        if report.pulled or report.merged or report.conflicts or report.rejected:
            self.window.refresh_current_page()  # something on screen may have changed

    def _on_window_page_created(self, key: PageKey, page: Any) -> None:
        if key is PageKey.CONFLICTS:
            page.changed.connect(self.controller.refresh_status)

    def _on_status_widget_conflicts_clicked(self) -> None:
        self._show_conflicts_page(rejected=False)

    def _on_status_widget_rejected_clicked(self) -> None:
        self._show_conflicts_page(rejected=True)

    def _show_conflicts_page(self, *, rejected: bool) -> None:
        self.window.show_page(PageKey.CONFLICTS)
        page = self.window.page(PageKey.CONFLICTS)
        show = getattr(page, "show_rejected" if rejected else "show_conflicts", None)
        if callable(show):
            show()

    def _start_watching_network(self) -> None:
        feature = QNetworkInformation.Feature.Reachability
        if not QNetworkInformation.loadBackendByFeatures(feature):
            return  # the back-off retries after an "offline" failure still apply
        information = QNetworkInformation.instance()
        if information is not None:
            information.reachabilityChanged.connect(self._on_network_reachability_changed)

    def _on_network_reachability_changed(
        self, reachability: QNetworkInformation.Reachability
    ) -> None:
        self.controller.network_reachable(reachability == QNetworkInformation.Reachability.Online)
