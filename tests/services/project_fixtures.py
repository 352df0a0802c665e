"""A hand-built workspace for the project service tests ("today" is 2026-11-25): two squads,
three members (李明 is "me", a bureau admin), one enterprise and one chain link.

Test modules bind the fixtures they use (``workspace = project_fixtures.workspace``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import (
    ChainLinkRow,
    EnterpriseRow,
    IndustryChainRow,
    LocalSetting,
    MemberRow,
    SquadRow,
)
from app.domain.money import Money
from app.domain.project import ProjectDraft
from app.domain.vocabulary import ProjectStage
from app.services.project_detail import ProjectDetailService
from app.services.project_editing import ProjectEditingService
from app.services.project_funding import ProjectFundingService
from app.services.project_pipeline import ProjectPipelineService
from app.services.workspace import CURRENT_MEMBER, Workspace

TODAY = dt.date(2026, 11, 25)


def uid(n: int) -> str:
    return f"0190b6a0-0000-7000-8000-{n:012d}"


SQUAD, OTHER_SQUAD = uid(1), uid(2)
ME, COLLEAGUE, STRANGER = uid(11), uid(12), uid(13)
ENTERPRISE = uid(21)
CHAIN, LINK = uid(41), uid(42)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    database = open_local_database(tmp_path)
    with database.write(Actor(None, source="import")) as s:
        s.add(SquadRow(id=SQUAD, name="新材料小分队"))
        s.add(SquadRow(id=OTHER_SQUAD, name="装备小分队"))
        s.flush()
        for mid, name, squad in ((ME, "李明", SQUAD), (COLLEAGUE, "王芳", SQUAD),
                                 (STRANGER, "赵强", OTHER_SQUAD)):  # fmt: skip
            s.add(
                MemberRow(
                    id=mid, name=name, squad_id=squad, role="admin" if mid == ME else "member"
                )
            )
        s.add(
            EnterpriseRow(id=ENTERPRISE, name="甲材料有限公司", name_key="甲材料", squad_id=SQUAD)
        )
        s.add(IndustryChainRow(id=CHAIN, name="新材料产业链", leader_name="张链长"))
        s.flush()
        s.add(ChainLinkRow(id=LINK, chain_id=CHAIN, name="碳纤维"))
        s.add(LocalSetting(key=CURRENT_MEMBER, value=ME))
    yield Workspace(database, tmp_path)
    database.dispose()


@pytest.fixture
def editing(workspace: Workspace) -> ProjectEditingService:
    return ProjectEditingService(workspace, lambda: TODAY)


@pytest.fixture
def pipeline(workspace: Workspace) -> ProjectPipelineService:
    return ProjectPipelineService(workspace, lambda: TODAY)


@pytest.fixture
def funding(workspace: Workspace) -> ProjectFundingService:
    return ProjectFundingService(workspace, lambda: TODAY)


@pytest.fixture
def detail(workspace: Workspace) -> ProjectDetailService:
    return ProjectDetailService(workspace, lambda: TODAY)


def draft(**fields: object) -> ProjectDraft:
    values: dict[str, object] = {
        "name": "碳纤维复合材料项目",
        "enterprise_id": ENTERPRISE,
        "contract_amount": Money.from_wan(50000),
        "phase1_amount": Money.from_wan(20000),
        "land_mu": Decimal("120.5"),
        "site": "高新区",
    }
    values.update(fields)
    return ProjectDraft(**values)  # type: ignore[arg-type]


def make_file(tmp_path: Path, name: str, content: bytes = b"scan") -> Path:
    path = tmp_path / "files" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content + name.encode())
    return path


def count_rows(workspace: Workspace, table: type, **where: object) -> int:
    with workspace.database.read() as s:
        query = select(func.count()).select_from(table)
        for column, value in where.items():
            query = query.where(getattr(table, column) == value)
        return int(s.scalar(query) or 0)


def negotiating(editing: ProjectEditingService) -> str:
    return editing.create(draft(), stage=ProjectStage.NEGOTIATING, stage_on=dt.date(2026, 9, 1))
