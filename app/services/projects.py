"""Project follow-up (项目跟踪): the project list with amounts, stage counts and stage history."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session, aliased

from app.database.tables import (
    EnterpriseRow,
    FundingEntryRow,
    MemberRow,
    ProjectRow,
    SquadRow,
    StageChangeRow,
)
from app.domain.errors import NotFoundError
from app.domain.money import Money
from app.domain.vocabulary import PIPELINE, ProjectStage
from app.i18n import tr
from app.services.workspace import Workspace

ALL_STAGES: tuple[ProjectStage, ...] = (
    *PIPELINE,
    ProjectStage.TERMINATED,
    ProjectStage.SUSPENDED,
)
"""Every stage in display order: the pipeline, then the exits."""


@dataclass(frozen=True, slots=True)
class ProjectListRow:
    id: str
    name: str
    enterprise_id: str
    enterprise_name: str
    stage: ProjectStage
    stage_on: dt.date | None
    contract_amount: Money | None
    phase1_amount: Money | None
    funded_total: Money
    """实际到资累计: the sum of the project's funding entries."""
    responsible_name: str
    squad_id: str | None
    squad_name: str


@dataclass(frozen=True, slots=True)
class ProjectList:
    rows: tuple[ProjectListRow, ...]
    stage_counts: tuple[tuple[ProjectStage, int], ...]
    """Every stage of ``ALL_STAGES`` with its number of projects (zeros included)."""


@dataclass(frozen=True, slots=True)
class StageChangeView:
    id: str
    from_stage: ProjectStage | None
    to_stage: ProjectStage
    changed_on: dt.date
    changed_by_name: str
    note: str


class ProjectService:
    """Projects as the project page reads them."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._database = workspace.database

    def list_projects(self) -> ProjectList:
        """Every live project, newest stage change first, with its cumulative funds received."""
        funded = (
            select(
                FundingEntryRow.project_id.label("project_id"),
                func.sum(FundingEntryRow.amount).label("total"),
            )
            .where(FundingEntryRow.deleted == false())
            .group_by(FundingEntryRow.project_id)
            .subquery()
        )
        responsible = aliased(MemberRow)
        query = (
            select(
                ProjectRow.id,
                ProjectRow.name,
                ProjectRow.enterprise_id,
                EnterpriseRow.name,
                ProjectRow.stage,
                ProjectRow.stage_on,
                ProjectRow.contract_amount,
                ProjectRow.phase1_amount,
                funded.c.total,
                responsible.name,
                ProjectRow.squad_id,
                SquadRow.name,
            )
            .join(EnterpriseRow, EnterpriseRow.id == ProjectRow.enterprise_id)
            .outerjoin(responsible, responsible.id == ProjectRow.responsible_id)
            .outerjoin(SquadRow, SquadRow.id == ProjectRow.squad_id)
            .outerjoin(funded, funded.c.project_id == ProjectRow.id)
            .where(ProjectRow.deleted == false())
            .order_by(ProjectRow.stage_on.desc().nulls_last(), ProjectRow.name, ProjectRow.id)
        )
        with self._database.read() as session:
            rows = tuple(
                ProjectListRow(
                    id=project_id,
                    name=name,
                    enterprise_id=enterprise_id,
                    enterprise_name=enterprise,
                    stage=ProjectStage(stage),
                    stage_on=stage_on,
                    contract_amount=contract,
                    phase1_amount=phase1,
                    funded_total=_money(total),
                    responsible_name=responsible_name or "",
                    squad_id=squad_id,
                    squad_name=squad or "",
                )
                for (
                    project_id,
                    name,
                    enterprise_id,
                    enterprise,
                    stage,
                    stage_on,
                    contract,
                    phase1,
                    total,
                    responsible_name,
                    squad_id,
                    squad,
                ) in session.execute(query)
            )
        counts = Counter(row.stage for row in rows)
        return ProjectList(rows, tuple((stage, counts[stage]) for stage in ALL_STAGES))

    def stage_history(self, project_id: str) -> tuple[StageChangeView, ...]:
        """The project's dated moves through the pipeline, oldest first."""
        with self._database.read() as session:
            project = session.get(ProjectRow, project_id)
            if project is None or project.deleted:
                raise NotFoundError(tr("找不到该项目（{id}）", id=project_id))
            return read_stage_history(session, project_id)


def read_stage_history(session: Session, project_id: str) -> tuple[StageChangeView, ...]:
    """``stage_history`` inside the caller's session (the project is known to exist)."""
    who = aliased(MemberRow)
    query = (
        select(StageChangeRow, who.name)
        .outerjoin(who, who.id == StageChangeRow.changed_by_id)
        .where(StageChangeRow.project_id == project_id, StageChangeRow.deleted == false())
        .order_by(StageChangeRow.changed_on, StageChangeRow.created_at, StageChangeRow.id)
    )
    return tuple(
        StageChangeView(
            id=change.id,
            from_stage=ProjectStage(change.from_stage) if change.from_stage else None,
            to_stage=ProjectStage(change.to_stage),
            changed_on=change.changed_on,
            changed_by_name=name or "",
            note=change.note,
        )
        for change, name in session.execute(query)
    )


def _money(total: object) -> Money:
    """A summed amount: ``Money`` through the column type, or raw fen, or nothing to sum."""
    if total is None:
        return Money.zero()
    if isinstance(total, Money):
        return total
    assert isinstance(total, int)
    return Money(total)
