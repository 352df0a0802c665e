"""Reads the project services share inside their own session: the live project, its stage
changes, the furthest stage it reached, and its evidence files."""

from __future__ import annotations

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.database.tables import AttachmentRow, FundingEntryRow, ProjectRow, StageChangeRow
from app.domain.bureau_rules import EVIDENCE_KINDS
from app.domain.errors import NotFoundError
from app.domain.project import highest_reached
from app.domain.vocabulary import AttachmentKind, ProjectStage
from app.i18n import tr
from app.services.project_views import EvidenceFile

PROJECTS = "projects"
FUNDING_ENTRIES = "funding_entries"


def live_project(session: Session, project_id: str) -> ProjectRow:
    project = session.get(ProjectRow, project_id)
    if project is None or project.deleted:
        raise NotFoundError(tr("找不到该项目（{id}）", id=project_id))
    return project


def stage_changes(session: Session, project_id: str) -> list[StageChangeRow]:
    """The project's live stage changes, oldest first."""
    return list(
        session.scalars(
            select(StageChangeRow)
            .where(StageChangeRow.project_id == project_id, StageChangeRow.deleted == false())
            .order_by(StageChangeRow.changed_on, StageChangeRow.created_at, StageChangeRow.id)
        )
    )


def furthest_stage(project: ProjectRow, changes: list[StageChangeRow]) -> ProjectStage | None:
    """The furthest pipeline stage the project has ever been at (its history and its stage)."""
    seen: list[ProjectStage | None] = [_stage(project.stage)]
    for change in changes:
        seen += [_stage(change.from_stage), _stage(change.to_stage)]
    return highest_reached(seen)


def evidence_files(session: Session, project_id: str) -> tuple[EvidenceFile, ...]:
    """Evidence attached to the project, plus 到资凭证 filed with its live funding entries."""
    kinds = [kind.value for kind in EVIDENCE_KINDS]
    entries = select(FundingEntryRow.id).where(
        FundingEntryRow.project_id == project_id, FundingEntryRow.deleted == false()
    )
    on_project = (AttachmentRow.owner_table == PROJECTS) & (AttachmentRow.owner_id == project_id)
    on_entries = (
        (AttachmentRow.owner_table == FUNDING_ENTRIES)
        & AttachmentRow.owner_id.in_(entries)
        & (AttachmentRow.kind == AttachmentKind.FUNDS_PROOF.value)
    )
    rows = session.scalars(
        select(AttachmentRow)
        .where(
            AttachmentRow.deleted == false(),
            AttachmentRow.kind.in_(kinds),
            on_project | on_entries,
        )
        .order_by(AttachmentRow.created_at, AttachmentRow.id)
    )
    return tuple(
        EvidenceFile(
            id=row.id,
            filename=row.filename,
            kind=AttachmentKind(row.kind),
            owner_table=row.owner_table,
            sha256=row.sha256,
            created_at=row.created_at,
        )
        for row in rows
    )


def _stage(value: str | None) -> ProjectStage | None:
    if not value:
        return None
    try:
        return ProjectStage(value)
    except ValueError:
        return None
