"""承诺与诉求: the commitments ledger (政策兑现台账) and enterprise problems (企业诉求), one tab
each. The page passes on what its tabs ask for: open an enterprise, show a record's history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from app.i18n import tr
from ui.ledger.commitments_tab import CommitmentsTab
from ui.ledger.problems_tab import ProblemsTab
from ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from app.services.commitment_ledger import CommitmentLedgerService
    from app.services.problems import ProblemService


class LedgerPage(QWidget):
    """Both lists; ``reload()`` reads them again (e.g. after a sync)."""

    enterprise_activated = Signal(str)
    history_requested = Signal(str, str)
    list_loaded = Signal(int)
    """A tab's list arrived, with how many entries match its filter."""

    def __init__(
        self,
        ledger_service: CommitmentLedgerService,
        problem_service: ProblemService,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("承诺与诉求"))
        title = QLabel(tr("承诺与诉求"), self)
        title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.commitments = CommitmentsTab(ledger_service, runner, self)
        self.problems = ProblemsTab(problem_service, runner, self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.commitments, tr("政策兑现台账"))
        self.tabs.addTab(self.problems, tr("企业诉求"))
        for tab in (self.commitments, self.problems):
            tab.enterprise_activated.connect(self.enterprise_activated)
            tab.history_requested.connect(self.history_requested)
            tab.list_loaded.connect(self.list_loaded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        """Read both lists again (the window calls this each time the page is shown)."""
        self.commitments.reload()
        self.problems.reload()

    def show_problems(self) -> None:
        self.tabs.setCurrentWidget(self.problems)

    def show_commitments(self) -> None:
        self.tabs.setCurrentWidget(self.commitments)
