"""One project as its detail panel shows it, read in one session: fields, stage history with who
moved it, 实际到资 with its total and 到位率, evidence per gate, the 责任清单, the commitments and
problems of the project, and its line of 包抓责任人."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import false, select
from sqlalchemy.orm import Session, aliased

from app.database.tables import (
    AttachmentRow,
    CommitmentRow,
    EnterpriseRow,
    FundingEntryRow,
    MemberRow,
    ProblemRow,
    SquadRow,
    TaskRow,
)
from app.domain.money import Money
from app.domain.project import allowed_moves
from app.domain.vocabulary import (
    AttachmentKind,
    CommitmentStatus,
    ProblemStatus,
    ProjectStage,
    TaskStatus,
)
from app.services.bureau_settings import load_rules
from app.services.chains import link_label
from app.services.lookups import member_names
from app.services.project_editing import read_responsible_history
from app.services.project_pipeline import evidence_status
from app.services.project_records import (
    FUNDING_ENTRIES,
    evidence_files,
    furthest_stage,
    live_project,
    stage_changes,
)
from app.services.project_views import (
    CommitmentLine,
    EvidenceFile,
    FundingEntryView,
    ProblemLine,
    ProjectDetail,
    ResponsibilityView,
)
from app.services.projects import read_stage_history
from app.services.workspace import Workspace


class ProjectDetailService:
    """Reads ``ProjectDetail``."""

    def __init__(self, workspace: Workspace, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._database = workspace.database
        self._today = today

    def detail(self, project_id: str) -> ProjectDetail:
        today = self._today()
        with self._database.read() as session:
            project = live_project(session, project_id)
            enterprise = session.get(EnterpriseRow, project.enterprise_id)
            squad = session.get(SquadRow, project.squad_id) if project.squad_id else None
            names = member_names(session, [project.responsible_id])
            funding = _funding(session, project_id)
            stage = ProjectStage(project.stage)
            reached = furthest_stage(project, stage_changes(session, project_id))
            return ProjectDetail(
                id=project.id,
                name=project.name,
                enterprise_id=project.enterprise_id,
                enterprise_name=enterprise.name if enterprise else "",
                squad_id=project.squad_id,
                squad_name=squad.name if squad else "",
                responsible_id=project.responsible_id,
                responsible_name=names.get(project.responsible_id or "", ""),
                chain_link_id=project.chain_link_id,
                chain_link_name=link_label(session, project.chain_link_id),
                stage=stage,
                stage_on=project.stage_on,
                signed_on=project.signed_on,
                content=project.content,
                site=project.site,
                land_mu=project.land_mu,
                contract_amount=project.contract_amount,
                phase1_amount=project.phase1_amount,
                stage_history=read_stage_history(session, project_id),
                allowed_moves=allowed_moves(stage),
                funding=funding,
                funded_total=sum((entry.amount for entry in funding), Money.zero()),
                evidence=evidence_status(
                    load_rules(session), evidence_files(session, project_id), reached
                ),
                tasks=_tasks(session, project_id, today),
                commitments=_commitments(session, project_id, today),
                problems=_problems(session, project_id, today),
                responsible_history=read_responsible_history(session, project),
                today=today,
            )


def _funding(session: Session, project_id: str) -> tuple[FundingEntryView, ...]:
    entries = list(
        session.scalars(
            select(FundingEntryRow)
            .where(FundingEntryRow.project_id == project_id, FundingEntryRow.deleted == false())
            .order_by(FundingEntryRow.received_on, FundingEntryRow.created_at, FundingEntryRow.id)
        )
    )
    proofs: dict[str, list[EvidenceFile]] = {}
    if entries:
        for row in session.scalars(
            select(AttachmentRow)
            .where(
                AttachmentRow.owner_table == FUNDING_ENTRIES,
                AttachmentRow.owner_id.in_([entry.id for entry in entries]),
                AttachmentRow.deleted == false(),
            )
            .order_by(AttachmentRow.created_at, AttachmentRow.id)
        ):
            proofs.setdefault(row.owner_id, []).append(
                EvidenceFile(
                    row.id,
                    row.filename,
                    _kind(row.kind),
                    row.owner_table,
                    row.sha256,
                    row.created_at,
                )
            )
    return tuple(
        FundingEntryView(
            entry.id, entry.received_on, entry.amount, entry.note, tuple(proofs.get(entry.id, ()))
        )
        for entry in entries
    )


def _tasks(session: Session, project_id: str, today: dt.date) -> tuple[ResponsibilityView, ...]:
    owner = aliased(MemberRow)
    query = (
        select(TaskRow, owner.name)
        .outerjoin(owner, owner.id == TaskRow.owner_id)
        .where(TaskRow.project_id == project_id, TaskRow.deleted == false())
        .order_by(
            (TaskRow.status == TaskStatus.DONE.value).asc(),
            TaskRow.due_on.asc().nulls_last(),
            TaskRow.created_at,
            TaskRow.id,
        )
    )
    return tuple(
        ResponsibilityView(
            id=task.id,
            title=task.title,
            owner_id=task.owner_id,
            owner_name=name or "",
            detail=task.detail,
            due_on=task.due_on,
            status=TaskStatus(task.status),
            overdue_days=(
                max(0, (today - task.due_on).days)
                if task.status == TaskStatus.OPEN.value and task.due_on is not None
                else 0
            ),
        )
        for task, name in session.execute(query)
    )


def _commitments(session: Session, project_id: str, today: dt.date) -> tuple[CommitmentLine, ...]:
    promiser = aliased(MemberRow)
    query = (
        select(CommitmentRow, promiser.name)
        .outerjoin(promiser, promiser.id == CommitmentRow.promised_by_id)
        .where(CommitmentRow.project_id == project_id, CommitmentRow.deleted == false())
        .order_by(CommitmentRow.due_on.asc().nulls_last(), CommitmentRow.id)
    )
    lines = []
    for row, name in session.execute(query):
        status = CommitmentStatus(row.status)
        lines.append(
            CommitmentLine(
                id=row.id,
                content=row.content,
                promised_by_name=name or "",
                due_on=row.due_on,
                status=status,
                honoured_on=row.honoured_on,
                overdue=status is CommitmentStatus.PENDING
                and row.due_on is not None
                and row.due_on < today,
            )
        )
    return tuple(lines)


def _problems(session: Session, project_id: str, today: dt.date) -> tuple[ProblemLine, ...]:
    owner = aliased(MemberRow)
    query = (
        select(ProblemRow, owner.name)
        .outerjoin(owner, owner.id == ProblemRow.owner_id)
        .where(ProblemRow.project_id == project_id, ProblemRow.deleted == false())
        .order_by(ProblemRow.raised_on.desc(), ProblemRow.id)
    )
    lines = []
    for row, name in session.execute(query):
        status = ProblemStatus(row.status)
        lines.append(
            ProblemLine(
                id=row.id,
                title=row.title,
                owner_name=name or "",
                raised_on=row.raised_on,
                deadline=row.deadline,
                status=status,
                resolution=row.resolution,
                overdue=status is ProblemStatus.OPEN
                and row.deadline is not None
                and row.deadline < today,
            )
        )
    return tuple(lines)


def _kind(value: str) -> AttachmentKind:
    try:
        return AttachmentKind(value)
    except ValueError:
        return AttachmentKind.DOCUMENT
