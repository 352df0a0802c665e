"""Frozen rows of the overdue lists (督办清单) and the per-cadre summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.domain.vocabulary import ProjectStage
from app.i18n import mark, tr


class OverdueList(StrEnum):
    NOT_STARTED = "not_started"
    THREE_NOTS = "three_nots"
    COMMITMENTS = "commitments"
    PROBLEMS = "problems"


class ThreeNot(StrEnum):
    """The three 三未 conditions a project can be in at once."""

    UNFULFILLED = "unfulfilled"
    NOT_STARTED = "not_started"
    NOT_PRODUCING = "not_producing"

    @property
    def label(self) -> str:
        return tr(_THREE_NOT_LABELS[self])


_THREE_NOT_LABELS = {
    ThreeNot.UNFULFILLED: mark("未履约"),
    ThreeNot.NOT_STARTED: mark("未开工"),
    ThreeNot.NOT_PRODUCING: mark("未建成投产"),
}


@dataclass(frozen=True, slots=True)
class OverdueFilter:
    """Rows of one squad and/or one responsible cadre (None: all)."""

    squad_id: str | None = None
    cadre_id: str | None = None


@dataclass(frozen=True, slots=True)
class NextAction:
    """The earliest open task of the project (or, without a project, of the enterprise)."""

    task_id: str
    title: str
    owner_name: str
    due_on: dt.date | None


@dataclass(frozen=True, slots=True)
class OverdueRow:
    """One item someone must act on. ``cadre_*`` is who answers for it (包抓责任人 for a
    project, whoever promised a commitment, the owner of a problem)."""

    list: OverdueList
    id: str
    """The project, commitment or problem id."""
    title: str
    """Project name, the commitment's content or the problem's title."""
    project_id: str | None
    project_name: str
    enterprise_id: str
    enterprise_name: str
    squad_id: str | None
    squad_name: str
    cadre_id: str | None
    cadre_name: str
    since: dt.date
    """The day it fell due (deadline, or signing/starting date + the bureau's months)."""
    overdue_days: int
    """Days from ``since`` to today."""
    basis: dt.date | None
    """What the deadline counts from: signing date, start date, promise due date, deadline."""
    stage: ProjectStage | None
    """The project's stage today (project lists)."""
    tags: tuple[ThreeNot, ...]
    """三未 only: which of the three apply, in their fixed order."""
    next_action: NextAction | None


@dataclass(frozen=True, slots=True)
class CadreLoad:
    """How many overdue items one cadre answers for, by list (``cadre_id`` None: no one)."""

    cadre_id: str | None
    cadre_name: str
    squad_name: str
    not_started: int
    three_nots: int
    commitments: int
    problems: int
    longest_overdue_days: int

    @property
    def total(self) -> int:
        """Distinct items: a project on both project lists is counted under each list, but the
        total counts the not-started list inside 三未 once."""
        return self.three_nots + self.commitments + self.problems


@dataclass(frozen=True, slots=True)
class OverdueBoard:
    """All four lists and the per-cadre summary, computed with the same today."""

    today: dt.date
    not_started_months: int
    unfulfilled_months: int
    not_producing_months: int
    not_started: tuple[OverdueRow, ...]
    three_nots: tuple[OverdueRow, ...]
    commitments: tuple[OverdueRow, ...]
    problems: tuple[OverdueRow, ...]
    by_cadre: tuple[CadreLoad, ...]

    def rows(self, which: OverdueList) -> tuple[OverdueRow, ...]:
        return {
            OverdueList.NOT_STARTED: self.not_started,
            OverdueList.THREE_NOTS: self.three_nots,
            OverdueList.COMMITMENTS: self.commitments,
            OverdueList.PROBLEMS: self.problems,
        }[which]

    @property
    def item_count(self) -> int:
        """Distinct items to act on (签约未开工 projects are all inside 三未)."""
        return len(self.three_nots) + len(self.commitments) + len(self.problems)
