"""The pages of the main window, in navigation order (Ctrl+1 … Ctrl+0 follow this order)."""

from __future__ import annotations

from enum import Enum

from app.i18n import mark, tr


class PageKey(Enum):
    WORKBENCH = mark("工作台")
    ENTERPRISES = mark("企业库")
    VISITS = mark("拜访")
    PROJECTS = mark("项目")
    DASHBOARD = mark("督办")
    LEDGER = mark("承诺诉求")
    CHAINS = mark("产业链")
    HONOURS = mark("荣誉名录")
    TASKS = mark("任务")
    REPORTS = mark("报表")
    CONFLICTS = mark("冲突")

    @property
    def title(self) -> str:
        return tr(self.value)

    @property
    def shortcut(self) -> str | None:
        """Ctrl+1 … Ctrl+9, Ctrl+0 for the tenth page; later pages have none."""
        number = list(PageKey).index(self) + 1
        if number > 10:
            return None
        return f"Ctrl+{number % 10}"
