"""Hand-built projects with dated stage history and funds, for the KPI and overdue tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import (
    EnterpriseRow,
    FundingEntryRow,
    MemberRow,
    ProjectRow,
    SquadRow,
    StageChangeRow,
)
from app.domain.money import Money
from app.domain.vocabulary import PIPELINE, ProjectStage
from app.services.workspace import Workspace

D = dt.date


def uid(n: int) -> str:
    return f"0190b6a0-0000-7000-8000-{n:012d}"


SQUAD_A, SQUAD_B = uid(1), uid(2)
ME, COLLEAGUE, STRANGER = uid(11), uid(12), uid(13)
E1, E2 = uid(21), uid(22)


def open_workspace(tmp_path: Path) -> Workspace:
    """Two squads, three cadres, two enterprises (E1 of squad A, E2 of squad B)."""
    database = open_local_database(tmp_path)
    with database.write(Actor(None, source="import")) as s:
        s.add(SquadRow(id=SQUAD_A, name="新材料小分队"))
        s.add(SquadRow(id=SQUAD_B, name="装备小分队"))
        s.flush()
        for mid, name, squad in ((ME, "李明", SQUAD_A), (COLLEAGUE, "王芳", SQUAD_A),
                                 (STRANGER, "赵强", SQUAD_B)):  # fmt: skip
            s.add(MemberRow(id=mid, name=name, squad_id=squad))
        s.flush()
        s.add(EnterpriseRow(id=E1, name="甲材料有限公司", name_key="甲材料", squad_id=SQUAD_A))
        s.add(EnterpriseRow(id=E2, name="乙装备有限公司", name_key="乙装备", squad_id=SQUAD_B))
    return Workspace(database, tmp_path)


def add_project(
    session: Session,
    project_id: str,
    name: str,
    history: Sequence[tuple[ProjectStage, dt.date]],
    *,
    squad: str = SQUAD_A,
    enterprise: str = E1,
    responsible: str | None = ME,
    contract_wan: int | None = None,
    funds: Sequence[tuple[dt.date, int]] = (),
    deleted: bool = False,
) -> None:
    """A project whose denormalised columns agree with its stage history (oldest first)."""
    last_stage, last_on = history[-1]
    signed = [on for stage, on in history if stage in PIPELINE[2:]]
    session.add(
        ProjectRow(
            id=project_id,
            name=name,
            enterprise_id=enterprise,
            squad_id=squad,
            responsible_id=responsible,
            stage=last_stage.value,
            stage_on=last_on,
            signed_on=min(signed) if signed else None,
            contract_amount=None if contract_wan is None else Money.from_wan(contract_wan),
            deleted=deleted,
        )
    )
    session.flush()
    previous: ProjectStage | None = None
    for stage, on in history:
        session.add(
            StageChangeRow(
                project_id=project_id,
                from_stage=previous.value if previous else None,
                to_stage=stage.value,
                changed_on=on,
                changed_by_id=responsible,
            )
        )
        previous = stage
    for on, wan in funds:
        session.add(
            FundingEntryRow(project_id=project_id, received_on=on, amount=Money.from_wan(wan))
        )
    session.flush()
