"""Industry chains written and read back: chains, links and targets; the map's counts and gaps on
hand-built data ("today" is 2026-11-25) under the bureau's rule for quiet links."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import (
    ChainLinkRow,
    EnterpriseLinkRow,
    EnterpriseRow,
    IndustryChainRow,
    LocalSetting,
    MemberRow,
    OutboxEntry,
    ProjectRow,
    SquadRow,
    VisitRow,
)
from app.domain.bureau_rules import BureauRules
from app.domain.chain import ChainDraft, LinkDraft
from app.domain.errors import AppError, NotFoundError, ValidationError
from app.domain.vocabulary import ChainPosition, LinkKind
from app.services.bureau_settings import BureauSettingsService
from app.services.chain_editing import ChainEditingService
from app.services.chains import ChainService, LinkGap, LinkView
from app.services.workspace import CURRENT_MEMBER, Workspace

TODAY = dt.date(2026, 11, 25)


def uid(n: int) -> str:
    return f"0190b6a0-0000-7000-8000-{n:012d}"


SQUAD = uid(1)
LEADER, MEMBER = uid(11), uid(12)
E1, E2, E3, GONE = uid(21), uid(22), uid(23), uid(24)


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    database = open_local_database(tmp_path)
    with database.write(Actor(None, source="import")) as s:
        s.add(SquadRow(id=SQUAD, name="新能源小分队"))
        s.flush()
        s.add(MemberRow(id=LEADER, name="张队长", squad_id=SQUAD, role="leader"))
        s.add(MemberRow(id=MEMBER, name="李队员", squad_id=SQUAD, role="member"))
        for eid, name, gone in (
            (E1, "甲电池有限公司", False),
            (E2, "乙材料有限公司", False),
            (E3, "丙储能有限公司", False),
            (GONE, "丁已注销有限公司", True),
        ):
            s.add(EnterpriseRow(id=eid, name=name, name_key=name, squad_id=SQUAD, deleted=gone))
        s.add(LocalSetting(key=CURRENT_MEMBER, value=LEADER))
    yield Workspace(database, tmp_path)
    database.dispose()


@pytest.fixture
def editing(workspace: Workspace) -> ChainEditingService:
    return ChainEditingService(workspace)


@pytest.fixture
def chains(workspace: Workspace) -> ChainService:
    return ChainService(workspace, lambda: TODAY)


def _be(workspace: Workspace, member_id: str | None) -> None:
    with workspace.database.write(Actor(None, source="import")) as s:
        row = s.get(LocalSetting, CURRENT_MEMBER)
        if member_id is None:
            if row is not None:
                s.delete(row)
        elif row is None:
            s.add(LocalSetting(key=CURRENT_MEMBER, value=member_id))
        else:
            row.value = member_id


def _visit(workspace: Workspace, enterprise: str, on: dt.date, link: str | None = None) -> None:
    with workspace.database.write(Actor(None, source="import")) as s:
        s.add(VisitRow(enterprise_id=enterprise, visited_on=on, chain_link_id=link))


def _project(workspace: Workspace, enterprise: str, link: str | None, stage: str) -> None:
    with workspace.database.write(Actor(None, source="import")) as s:
        s.add(ProjectRow(name=f"{stage}项目", enterprise_id=enterprise, chain_link_id=link,
                         stage=stage))  # fmt: skip


def _links(chains: ChainService) -> dict[str, LinkView]:
    (chain,) = chains.chain_map().chains
    return {link.name: link for link in chain.links}


def _outbox(workspace: Workspace, row_id: str) -> list[OutboxEntry]:
    with workspace.database.read() as s:
        return list(
            s.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.row_id == row_id)
                .order_by(OutboxEntry.device_seq)
            )
        )


@pytest.fixture
def battery(editing: ChainEditingService) -> dict[str, str]:
    """新能源汽车产业链 with three links: 正极材料 (上游), 动力电池 (中游), 回收利用 (下游)."""
    chain = editing.create_chain(ChainDraft(" 新能源汽车产业链 ", "王强", "副市长", "整车带动"))
    ids = {"chain": chain}
    for name, position, kind in (
        ("正极材料", ChainPosition.UPSTREAM, LinkKind.FILL),
        ("动力电池", ChainPosition.MIDSTREAM, LinkKind.STRENGTHEN),
        ("回收利用", ChainPosition.DOWNSTREAM, LinkKind.EXTEND),
    ):
        ids[name] = editing.create_link(chain, LinkDraft(name, position, kind))
    return ids


def test_a_chain_with_its_leader_links_and_targets_reads_back(
    editing: ChainEditingService, chains: ChainService, battery: dict[str, str]
) -> None:
    editing.add_target(battery["动力电池"], E1, "龙头企业")
    editing.add_target(battery["动力电池"], E2)
    chain_map = chains.chain_map()
    (chain,) = chain_map.chains
    assert (chain.name, chain.leader, chain.description) == (
        "新能源汽车产业链",
        "王强 副市长",
        "整车带动",
    )
    assert [(link.name, link.position, link.kind) for link in chain.links] == [
        ("正极材料", ChainPosition.UPSTREAM, LinkKind.FILL),
        ("动力电池", ChainPosition.MIDSTREAM, LinkKind.STRENGTHEN),
        ("回收利用", ChainPosition.DOWNSTREAM, LinkKind.EXTEND),
    ]
    targets = chains.link_enterprises(battery["动力电池"])
    assert [(t.name, t.note) for t in targets] == [
        ("乙材料有限公司", ""),
        ("甲电池有限公司", "龙头企业"),
    ]
    assert chain.target_count == 2


def test_links_without_targets_are_flagged_and_a_target_clears_the_flag(
    editing: ChainEditingService, chains: ChainService, battery: dict[str, str]
) -> None:
    editing.add_target(battery["动力电池"], E1)
    _visit(editing._workspace, E1, d(11, 1))
    links = _links(chains)
    assert links["正极材料"].gaps == (LinkGap.NO_TARGETS, LinkGap.NO_RECENT_VISIT)
    assert links["回收利用"].gap is LinkGap.NO_TARGETS
    assert links["动力电池"].gaps == ()
    assert chains.chain_map().chains[0].gap_count == 2

    editing.add_target(battery["正极材料"], E2)
    assert _links(chains)["正极材料"].gaps == (LinkGap.NO_RECENT_VISIT,)  # a target, no visit
    _visit(editing._workspace, E2, d(10, 30))
    assert _links(chains)["正极材料"].gaps == ()


def test_counts_follow_the_bureau_rule_for_quiet_links(
    workspace: Workspace, editing: ChainEditingService, chains: ChainService,
    battery: dict[str, str],
) -> None:  # fmt: skip
    link = battery["动力电池"]
    editing.add_target(link, E1)
    editing.add_target(link, E2)
    for on in (d(11, 20), d(9, 1), d(3, 3)):
        _visit(workspace, E1, on)
    _visit(workspace, E2, d(8, 15))
    _visit(workspace, E2, d(11, 30))  # after today: not counted
    counted = _links(chains)["动力电池"]
    assert chains.chain_map().quiet_days == 90  # the default rule
    assert (counted.target_count, counted.visit_count, counted.recent_visit_count) == (2, 4, 2)
    assert counted.last_visit_on == d(11, 20)

    _be(workspace, None)  # bureau settings are an admin's (or a laptop not signed in)
    BureauSettingsService(workspace).save(dataclasses.replace(BureauRules(), link_quiet_days=30))
    chain_map = chains.chain_map()
    assert (chain_map.quiet_days, chain_map.recent_since) == (30, d(10, 27))
    assert chain_map.chains[0].links[1].recent_visit_count == 1

    BureauSettingsService(workspace).save(dataclasses.replace(BureauRules(), link_quiet_days=5))
    quiet = _links(chains)["动力电池"]
    assert quiet.gaps == (LinkGap.NO_RECENT_VISIT,)
    assert quiet.last_visit_on == d(11, 20)


def test_tagged_visits_and_projects_count_under_their_link(
    workspace: Workspace, editing: ChainEditingService, chains: ChainService,
    battery: dict[str, str],
) -> None:  # fmt: skip
    recycling = battery["回收利用"]
    editing.add_target(recycling, E1)
    _visit(workspace, E1, d(11, 2), recycling)  # a target's visit, tagged: counted once
    _visit(workspace, E3, d(11, 3), recycling)  # not a target, but tagged with the link
    _visit(workspace, E3, d(11, 4))  # neither: not counted
    _visit(workspace, GONE, d(11, 5), recycling)  # a deleted enterprise: not counted
    for stage in ("lead", "signed", "producing", "terminated"):
        _project(workspace, E3, recycling, stage)
    _project(workspace, E1, None, "signed")  # untagged: not on the link
    counted = _links(chains)["回收利用"]
    assert (counted.visit_count, counted.recent_visit_count) == (2, 2)
    assert counted.last_visit_on == d(11, 3)
    assert (counted.project_count, counted.signed_project_count) == (3, 2)
    (chain,) = chains.chain_map().chains
    assert (chain.visit_count, chain.project_count, chain.signed_project_count) == (2, 3, 2)
    targets = chains.link_enterprises(recycling)
    assert [(t.name, t.visit_count, t.project_count) for t in targets] == [("甲电池有限公司", 1, 1)]


def test_names_are_required_and_unique_and_duplicates_refused(
    editing: ChainEditingService, battery: dict[str, str]
) -> None:
    with pytest.raises(ValidationError) as error:
        editing.create_chain(ChainDraft("  "))
    assert (error.value.field, error.value.message) == ("name", "请填写名称")
    with pytest.raises(ValidationError, match="已有名为“新能源汽车产业链”的产业链"):
        editing.create_chain(ChainDraft("新能源汽车产业链"))
    with pytest.raises(ValidationError, match="本产业链已有名为“动力电池”的环节"):
        editing.create_link(battery["chain"], LinkDraft("动力电池"))
    with pytest.raises(ValidationError, match="本产业链已有名为“动力电池”的环节"):
        editing.update_link(battery["正极材料"], LinkDraft("动力电池"))
    other = editing.create_chain(ChainDraft("新材料产业链"))
    editing.create_link(other, LinkDraft("动力电池"))  # the same name in another chain is fine
    editing.add_target(battery["动力电池"], E1)
    with pytest.raises(ValidationError, match="“甲电池有限公司”已是环节“动力电池”的目标企业"):
        editing.add_target(battery["动力电池"], E1)
    with pytest.raises(NotFoundError):
        editing.add_target(battery["动力电池"], GONE)


def test_removing_and_adding_a_target_again_reuses_its_record(
    workspace: Workspace, editing: ChainEditingService, chains: ChainService,
    battery: dict[str, str],
) -> None:  # fmt: skip
    link = battery["动力电池"]
    first = editing.add_target(link, E1, "首次")
    editing.remove_target(link, E1)
    assert chains.link_enterprises(link) == ()
    assert editing.add_target(link, E1, "再次") == first
    assert [t.note for t in chains.link_enterprises(link)] == ["再次"]
    assert [entry.op for entry in _outbox(workspace, first)] == ["insert", "delete", "patch"]


def test_edits_write_only_what_changed_to_the_outbox(
    workspace: Workspace, editing: ChainEditingService, battery: dict[str, str]
) -> None:
    chain = battery["chain"]
    editing.update_chain(chain, ChainDraft("新能源汽车产业链", "王强", "市长", "整车带动"))
    entries = _outbox(workspace, chain)
    assert [entry.op for entry in entries] == ["insert", "patch"]
    assert entries[-1].fields == {"leader_title": "市长"}
    link = battery["正极材料"]
    editing.update_link(link, LinkDraft("正极材料", ChainPosition.UPSTREAM, LinkKind.BUILD))
    assert _outbox(workspace, link)[-1].fields == {"kind": "build"}


def test_links_move_within_their_position_and_reorder(
    editing: ChainEditingService, chains: ChainService, battery: dict[str, str]
) -> None:
    chain = battery["chain"]
    anode = editing.create_link(chain, LinkDraft("负极材料", ChainPosition.UPSTREAM))
    editing.move_link(anode, -1)  # up among the upstream links, past 正极材料
    order = [link.name for link in chains.chain_map().chains[0].links]
    assert order == ["负极材料", "正极材料", "动力电池", "回收利用"]
    editing.move_link(anode, -1)  # already first upstream: nothing happens
    editing.move_link(battery["正极材料"], -1)
    order = [link.name for link in chains.chain_map().chains[0].links]
    assert order == ["正极材料", "负极材料", "动力电池", "回收利用"]
    editing.reorder_links(chain, [battery["回收利用"], battery["动力电池"]])
    order = [link.name for link in chains.chain_map().chains[0].links]
    assert order == ["回收利用", "动力电池", "正极材料", "负极材料"]


def test_a_link_in_use_cannot_be_deleted_until_it_is_emptied(
    workspace: Workspace, editing: ChainEditingService, chains: ChainService,
    battery: dict[str, str],
) -> None:  # fmt: skip
    link = battery["动力电池"]
    editing.add_target(link, E1)
    _visit(workspace, E3, d(11, 1), link)
    with pytest.raises(ValidationError) as error:
        editing.delete_link(link)
    assert error.value.message == (
        "不能删除环节“动力电池”：还有1 家目标企业、1 条拜访记录标注在该环节上，"
        "请先移除目标企业、改标这些记录"
    )
    with pytest.raises(ValidationError, match="不能删除产业链“新能源汽车产业链”：环节“动力电池”"):
        editing.delete_chain(battery["chain"])
    editing.remove_target(link, E1)
    with workspace.database.write(Actor(None, source="import")) as s:
        for visit in s.scalars(select(VisitRow).where(VisitRow.chain_link_id == link)):
            visit.chain_link_id = None
    editing.delete_link(link)
    assert [link.name for link in chains.chain_map().chains[0].links] == ["正极材料", "回收利用"]
    assert _outbox(workspace, link)[-1].fields == {"deleted": True}


def test_deleting_a_chain_tombstones_its_links(
    workspace: Workspace, editing: ChainEditingService, chains: ChainService,
    battery: dict[str, str],
) -> None:  # fmt: skip
    editing.delete_chain(battery["chain"])
    assert chains.chain_map().chains == ()
    assert chains.link_choices() == ()
    with workspace.database.read() as s:
        assert s.get(IndustryChainRow, battery["chain"]).deleted  # type: ignore[union-attr]
        links = s.scalars(select(ChainLinkRow).where(ChainLinkRow.chain_id == battery["chain"]))
        assert all(link.deleted for link in links)


def test_plain_members_may_not_write_chains(
    workspace: Workspace, editing: ChainEditingService, battery: dict[str, str]
) -> None:
    _be(workspace, MEMBER)
    assert not editing.can_edit()
    with pytest.raises(AppError, match="只有小分队队长或单位管理员可以修改产业链"):
        editing.add_target(battery["动力电池"], E1)
    with pytest.raises(AppError):
        editing.create_chain(ChainDraft("新材料产业链"))
    _be(workspace, None)  # a laptop not signed in to a bureau
    assert editing.can_edit()
    editing.add_target(battery["动力电池"], E1)
    with workspace.database.read() as s:
        assert s.scalar(select(EnterpriseLinkRow.enterprise_id)) == E1


def test_link_choices_and_an_enterprises_links(
    editing: ChainEditingService, chains: ChainService, battery: dict[str, str]
) -> None:
    editing.create_chain(ChainDraft("新材料产业链"))
    choices = chains.link_choices()
    assert [choice.label for choice in choices] == [
        "新能源汽车产业链 · 正极材料",
        "新能源汽车产业链 · 动力电池",
        "新能源汽车产业链 · 回收利用",
    ]
    assert {choice.chain_id for choice in choices} == {battery["chain"]}
    editing.add_target(battery["回收利用"], E1)
    assert chains.enterprise_link_ids(E1) == (battery["回收利用"],)
    assert chains.enterprise_link_ids(E2) == ()
