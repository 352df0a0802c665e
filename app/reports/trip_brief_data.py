"""What a pre-trip brief (出访前企业简报) prints, read in one unit of work as frozen values.

Per enterprise, the dossier reader gives the essentials, contacts, visits, problems, tasks and
projects; on top of it come the outcomes of the last visits and the open commitments with who
promised them. “Open” means: commitments 待兑现 (overdue ones included), problems 办理中 (past
their deadline included), tasks not done; projects are all live projects, whatever their stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import false, select

from app.database.tables import CommitmentRow, MemberRow, ProblemRow, SquadRow, VisitRow
from app.domain.errors import NotFoundError, ValidationError
from app.domain.vocabulary import CommitmentStatus, ProblemStatus, TaskStatus
from app.i18n import tr
from app.reports.visit_summary_data import (
    CommitmentLine,
    ProblemLine,
    commitment_lines,
    problem_lines,
)
from app.services.bureau_settings import load_rules
from app.services.dossier import load_dossier
from app.services.enterprise_views import Dossier, TaskSummary, VisitSummary
from app.services.workspace import Workspace

RECENT_VISITS = 5


@dataclass(frozen=True, slots=True)
class RecentVisit:
    visit: VisitSummary
    outcomes: str


@dataclass(frozen=True, slots=True)
class EnterpriseBrief:
    dossier: Dossier
    visit_count: int
    recent_visits: tuple[RecentVisit, ...]
    """The last ``RECENT_VISITS`` visits, newest first."""
    open_commitments: tuple[CommitmentLine, ...]
    open_problems: tuple[ProblemLine, ...]
    open_tasks: tuple[TaskSummary, ...]


@dataclass(frozen=True, slots=True)
class TripBriefData:
    bureau_name: str
    squad_name: str
    """The squad of whoever prints the brief (empty when no member is chosen)."""
    enterprises: tuple[EnterpriseBrief, ...]


def wanted_ids(enterprise_ids: Sequence[str]) -> tuple[str, ...]:
    """The ids in the order given, blanks and repeats dropped; ``ValidationError`` when none."""
    ids = tuple(dict.fromkeys(i.strip() for i in enterprise_ids if i and i.strip()))
    if not ids:
        raise ValidationError("enterprise_ids", tr("请至少选择一家企业"))
    return ids


def load_trip_brief(workspace: Workspace, enterprise_ids: Sequence[str]) -> TripBriefData:
    """The brief's data; ``NotFoundError`` naming the first unknown or deleted enterprise."""
    ids = wanted_ids(enterprise_ids)
    member_id = workspace.current_member_id()
    with workspace.database.read() as session:
        briefs: list[EnterpriseBrief] = []
        for enterprise_id in ids:
            dossier = load_dossier(session, enterprise_id)
            if dossier.enterprise.deleted:
                raise NotFoundError(tr("找不到该企业（{id}）", id=enterprise_id))
            recent = dossier.visits[:RECENT_VISITS]
            outcomes: dict[str, str] = {
                visit_id: text
                for visit_id, text in session.execute(
                    select(VisitRow.id, VisitRow.outcomes).where(
                        VisitRow.id.in_([v.id for v in recent])
                    )
                )
            }
            briefs.append(
                EnterpriseBrief(
                    dossier=dossier,
                    visit_count=len(dossier.visits),
                    recent_visits=tuple(RecentVisit(v, outcomes.get(v.id, "")) for v in recent),
                    open_commitments=commitment_lines(
                        session,
                        CommitmentRow.enterprise_id == enterprise_id,
                        CommitmentRow.status == CommitmentStatus.PENDING.value,
                    ),
                    open_problems=problem_lines(
                        session,
                        ProblemRow.enterprise_id == enterprise_id,
                        ProblemRow.status == ProblemStatus.OPEN.value,
                    ),
                    open_tasks=tuple(
                        task for task in dossier.tasks if task.status != TaskStatus.DONE.value
                    ),
                )
            )
        squad_name = ""
        if member_id:
            squad_name = (
                session.scalar(
                    select(SquadRow.name)
                    .join(MemberRow, MemberRow.squad_id == SquadRow.id)
                    .where(MemberRow.id == member_id, SquadRow.deleted == false())
                )
                or ""
            )
        return TripBriefData(load_rules(session).bureau_name, squad_name, tuple(briefs))
