"""The list filters' side of the index: ``matching_clause`` / ``matching_ids``."""

from __future__ import annotations

import datetime as dt

import search_fixtures
from search_fixtures import add_enterprise, add_visit
from sqlalchemy import select

from app.database.tables import EnterpriseRow
from app.search.matching import matching_clause, matching_ids
from app.search.service import refresh_index
from app.services.enterprises import EnterpriseService
from app.services.workspace import Workspace

workspace = search_fixtures.workspace


def test_enterprise_ids_by_name_initials_uscc_and_metacharacters(workspace: Workspace) -> None:
    huawei = add_enterprise(workspace, "华为技术有限公司", legal_representative="赵明")
    percent = add_enterprise(workspace, "百分之100%科技有限公司")
    other = add_enterprise(workspace, "兰州新材料有限责任公司")
    refresh_index(workspace)  # recent edits wait for the next search or filter
    with workspace.database.read() as session:
        assert matching_ids(session, "enterprise", "为技") == [huawei]
        assert matching_ids(session, "enterprise", "hwjs") == [huawei]
        assert matching_ids(session, "enterprise", "赵明") == [huawei]
        assert matching_ids(session, "enterprise", "%") == [percent]
        assert set(matching_ids(session, "enterprise", "公司")) == {huawei, percent, other}
        assert matching_ids(session, "enterprise", "公司 兰州") == [other]
        assert len(matching_ids(session, "enterprise", "公司", limit=2)) == 2


def test_the_clause_combines_with_other_conditions(workspace: Workspace) -> None:
    add_enterprise(workspace, "华为技术有限公司")
    kept = add_enterprise(workspace, "华为数字能源有限公司", tags="重点目标")
    refresh_index(workspace)  # recent edits wait for the next search or filter
    with workspace.database.read() as session:
        statement = select(EnterpriseRow.id).where(
            matching_clause("enterprise", "华为"), EnterpriseRow.tags == "重点目标"
        )
        assert list(session.scalars(statement)) == [kept]
        everything = select(EnterpriseRow.id).where(matching_clause("enterprise", "  "))
        assert len(list(session.scalars(everything))) == 2


def test_visits_match_by_their_text_or_their_enterprise_newest_first(
    workspace: Workspace,
) -> None:
    huawei = add_enterprise(workspace, "华为技术有限公司")
    other = add_enterprise(workspace, "兰州新材料有限责任公司")
    old = add_visit(workspace, huawei, dt.date(2025, 1, 2), purpose="回访")
    new = add_visit(workspace, other, dt.date(2026, 3, 4), discussion="对方计划与华为合作")
    add_visit(workspace, other, dt.date(2026, 5, 6), discussion="风电")
    refresh_index(workspace)  # recent edits wait for the next search or filter
    with workspace.database.read() as session:
        assert matching_ids(session, "visit", "华为") == [new, old]
        assert matching_ids(session, "visit", "华为 回访") == [old]
        assert matching_ids(session, "visit", "回") == [old]


def test_tombstoned_rows_do_not_match(workspace: Workspace) -> None:
    huawei = add_enterprise(workspace, "华为技术有限公司")
    EnterpriseService(workspace).delete(huawei)
    refresh_index(workspace)  # recent edits wait for the next search or filter
    with workspace.database.read() as session:
        assert matching_ids(session, "enterprise", "华为") == []
