"""The services the 报表 page works with, handed in together by ``ui/main.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.reports import ReportService
    from app.services.visit_choices import VisitChoices
    from app.services.weekly_figures import WeeklyFiguresService
    from app.services.workspace import Workspace


@dataclass(frozen=True)
class ReportPageServices:
    figures: WeeklyFiguresService
    """The week's figures shown live on the page."""
    reports: ReportService
    """Every printed report."""
    choices: VisitChoices
    """Enterprises to pick for a pre-trip brief."""

    @classmethod
    def for_workspace(cls, workspace: Workspace) -> ReportPageServices:
        from app.services.reports import ReportService
        from app.services.visit_choices import VisitChoices
        from app.services.weekly_figures import WeeklyFiguresService

        return cls(
            figures=WeeklyFiguresService(workspace),
            reports=ReportService(workspace),
            choices=VisitChoices(workspace),
        )
