"""Merging duplicate dossiers keeps every record, syncs the moves, and can be undone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import false, func, select

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import (
    AttachmentRow,
    ChainLinkRow,
    CommitmentRow,
    ContactRow,
    DirectoryEntryRow,
    EnterpriseLinkRow,
    EnterpriseRow,
    HonourDirectoryRow,
    IndustryChainRow,
    LocalSetting,
    MemberRow,
    NegotiationNoteRow,
    OutboxEntry,
    ProblemRow,
    ProjectRow,
    SquadRow,
    Synced,
    TaskRow,
    VisitRow,
)
from app.domain.errors import NotFoundError, ValidationError
from app.domain.money import Money
from app.domain.uscc import make_uscc
from app.services.enterprise_merge import EnterpriseMergeService, receipt_key
from app.services.enterprises import EnterpriseService
from app.services.workspace import CURRENT_MEMBER, Workspace

ME = "0190b6a0-0000-7000-8000-000000000001"
USCC = make_uscc("9", "1", "620102", "MA7KX3Q2")
CHILD_TABLES: tuple[tuple[type[Synced], str], ...] = (
    (VisitRow, "enterprise_id"),
    (NegotiationNoteRow, "enterprise_id"),
    (ContactRow, "enterprise_id"),
    (ProjectRow, "enterprise_id"),
    (TaskRow, "enterprise_id"),
    (CommitmentRow, "enterprise_id"),
    (ProblemRow, "enterprise_id"),
    (EnterpriseLinkRow, "enterprise_id"),
    (DirectoryEntryRow, "enterprise_id"),
    (AttachmentRow, "owner_id"),
)


@dataclass(frozen=True)
class Pair:
    survivor: str
    merged: str
    third: str


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    database = open_local_database(tmp_path)
    with database.write(Actor(None)) as session:
        squad = SquadRow(name="新材料招商小分队")
        session.add(squad)
        session.flush()
        session.add(MemberRow(id=ME, name="李明", squad_id=squad.id))
        session.add(LocalSetting(key=CURRENT_MEMBER, value=ME))
    yield Workspace(database, tmp_path)
    database.dispose()


def _children(enterprise_id: str, n: int) -> list[Synced]:
    """``n`` records of every kind that hangs under an enterprise."""
    rows: list[Synced] = []
    day = dt.date(2025, 3, 1)
    for i in range(n):
        rows += [
            VisitRow(enterprise_id=enterprise_id, visited_on=day, purpose=f"拜访{i}"),
            NegotiationNoteRow(enterprise_id=enterprise_id, held_on=day, round_no=i + 1),
            ContactRow(enterprise_id=enterprise_id, name=f"联系人{i}"),
            ProjectRow(enterprise_id=enterprise_id, name=f"项目{i}"),
            TaskRow(enterprise_id=enterprise_id, title=f"任务{i}"),
            CommitmentRow(enterprise_id=enterprise_id, content=f"承诺{i}"),
            ProblemRow(enterprise_id=enterprise_id, title=f"诉求{i}", raised_on=day),
            AttachmentRow(
                owner_table="enterprises",
                owner_id=enterprise_id,
                sha256=f"{i:064x}",
                filename=f"照片{i}.jpg",
                kind="photo",
            ),
        ]
    return rows


@pytest.fixture
def pair(workspace: Workspace) -> Pair:
    with workspace.database.write(workspace.actor()) as session:
        chain = IndustryChainRow(name="新能源汽车")
        session.add(chain)
        session.flush()
        links = [ChainLinkRow(chain_id=chain.id, name=f"环节{i}") for i in range(3)]
        directory = HonourDirectoryRow(kind="little_giant", year=2024, batch="第六批", title="")
        session.add_all([*links, directory])
        survivor = EnterpriseRow(
            name="兰州金川新材料有限公司",
            name_key="x1",
            tags="重点目标,链主企业",
            legal_representative="",
            intent_level="unknown",
        )
        merged = EnterpriseRow(
            name="兰州金川新材料有限责任公司",
            name_key="x2",
            uscc=USCC,
            region_code="620102",
            registered_capital=Money.from_wan(5000),
            legal_representative="王强",
            tags="链主企业,优先跟进",
            intent_level="strong",
            land_mu=None,
        )
        third = EnterpriseRow(name="别的企业有限公司", name_key="x3")
        session.add_all([survivor, merged, third])
        session.flush()
        session.add_all(_children(survivor.id, 1))
        session.add_all(_children(merged.id, 2))
        session.add_all(
            [
                EnterpriseLinkRow(enterprise_id=survivor.id, link_id=links[0].id),
                EnterpriseLinkRow(enterprise_id=merged.id, link_id=links[1].id),
                EnterpriseLinkRow(enterprise_id=merged.id, link_id=links[2].id),
                DirectoryEntryRow(
                    directory_id=directory.id, enterprise_name=merged.name, enterprise_id=merged.id
                ),
            ]
        )
        # A record deleted before the merge stays with the merged enterprise.
        session.add(ContactRow(enterprise_id=merged.id, name="已删联系人", deleted=True))
        return Pair(survivor.id, merged.id, third.id)


def _owned(workspace: Workspace, enterprise_id: str) -> dict[str, set[str]]:
    """Ids of the live records of every kind under the enterprise."""
    found: dict[str, set[str]] = {}
    with workspace.database.read() as session:
        for table, column in CHILD_TABLES:
            ids = session.scalars(
                select(table.id).where(
                    getattr(table, column) == enterprise_id, table.deleted == false()
                )
            )
            found[table.__tablename__] = set(ids)  # type: ignore[attr-defined]
    return found


def _enterprise(workspace: Workspace, enterprise_id: str) -> EnterpriseRow:
    with workspace.database.read() as session:
        row = session.get(EnterpriseRow, enterprise_id)
        assert row is not None
        return row


def test_merging_moves_every_record_to_the_survivor(workspace: Workspace, pair: Pair) -> None:
    before_survivor = _owned(workspace, pair.survivor)
    before_merged = _owned(workspace, pair.merged)
    assert all(before_merged.values()), "every kind of record is there to move"

    receipt = EnterpriseMergeService(workspace).merge(pair.survivor, pair.merged)

    after = _owned(workspace, pair.survivor)
    for table, ids in after.items():
        assert ids == before_survivor[table] | before_merged[table], table
    assert not any(_owned(workspace, pair.merged).values())
    assert receipt.count("visits") == 2
    assert receipt.count("enterprise_links") == 2
    assert receipt.count("attachments") == 2
    assert receipt.count("contacts") == 2  # the contact deleted earlier is not moved
    merged = _enterprise(workspace, pair.merged)
    assert merged.deleted


def test_merging_fills_blank_fields_and_unites_tags(workspace: Workspace, pair: Pair) -> None:
    receipt = EnterpriseMergeService(workspace).merge(pair.survivor, pair.merged)
    survivor = _enterprise(workspace, pair.survivor)
    assert survivor.name == "兰州金川新材料有限公司"
    assert survivor.uscc == USCC
    assert survivor.legal_representative == "王强"
    assert survivor.registered_capital == Money.from_wan(5000)
    assert survivor.intent_level == "strong"
    assert survivor.tags == "重点目标,链主企业,优先跟进"
    assert {f.field for f in receipt.filled} >= {"uscc", "legal_representative", "intent_level"}
    assert receipt.tags_added == ("优先跟进",)


def test_the_outbox_carries_every_move_and_the_receipt_is_kept(
    workspace: Workspace, pair: Pair
) -> None:
    receipt = EnterpriseMergeService(workspace).merge(pair.survivor, pair.merged)
    with workspace.database.read() as session:
        entries = session.scalars(
            select(OutboxEntry).where(OutboxEntry.op.in_(("patch", "delete")))
        ).all()
        stored = session.get(LocalSetting, receipt_key(pair.survivor, pair.merged))
    moves = {
        (e.table_name, e.row_id)
        for e in entries
        if e.fields.get("enterprise_id") == pair.survivor
        or e.fields.get("owner_id") == pair.survivor
    }
    assert moves == {(rows.table, row_id) for rows in receipt.moved for row_id in rows.ids}
    assert ("enterprises", pair.merged) in {(e.table_name, e.row_id) for e in entries}
    assert stored is not None
    assert EnterpriseMergeService(workspace).receipts_for(pair.survivor) == (receipt,)
    dossier = EnterpriseService(workspace).dossier(pair.survivor)
    assert [note.merged_id for note in dossier.merges] == [pair.merged]


def test_undo_restores_both_enterprises_and_every_parent(workspace: Workspace, pair: Pair) -> None:
    before_survivor = _owned(workspace, pair.survivor)
    before_merged = _owned(workspace, pair.merged)
    original = _enterprise(workspace, pair.survivor)
    service = EnterpriseMergeService(workspace)
    receipt = service.merge(pair.survivor, pair.merged)

    result = service.undo_merge(receipt)

    assert _owned(workspace, pair.survivor) == before_survivor
    assert _owned(workspace, pair.merged) == before_merged
    survivor, merged = _enterprise(workspace, pair.survivor), _enterprise(workspace, pair.merged)
    assert not merged.deleted
    for field in ("uscc", "legal_representative", "registered_capital", "intent_level", "tags"):
        assert getattr(survivor, field) == getattr(original, field), field
    assert result.moved_back == receipt.total_moved
    assert result.left_behind == ()
    assert "已撤销合并" in result.message
    assert service.receipts_for(pair.survivor) == ()
    with pytest.raises(NotFoundError, match="已经撤销过了"):
        service.undo_merge(receipt)


def test_undo_leaves_records_moved_elsewhere_since_and_says_so(
    workspace: Workspace, pair: Pair
) -> None:
    service = EnterpriseMergeService(workspace)
    receipt = service.merge(pair.survivor, pair.merged)
    visit_id = next(rows.ids[0] for rows in receipt.moved if rows.table == "visits")
    with workspace.database.write(workspace.actor()) as session:
        visit = session.get(VisitRow, visit_id)
        assert visit is not None
        visit.enterprise_id = pair.third
        survivor = session.get(EnterpriseRow, pair.survivor)
        assert survivor is not None
        survivor.legal_representative = "赵六"  # edited after the merge: kept

    result = service.undo_merge(receipt)

    assert result.left_behind == (("visits", 1),)
    assert "1 条拜访记录" in result.message
    assert result.kept_fields == ("legal_representative",)
    assert visit_id in _owned(workspace, pair.third)["visits"]
    assert _enterprise(workspace, pair.survivor).legal_representative == "赵六"


def test_merging_an_enterprise_with_itself_or_a_deleted_one_is_refused(
    workspace: Workspace, pair: Pair
) -> None:
    service = EnterpriseMergeService(workspace)
    with pytest.raises(ValidationError):
        service.merge(pair.survivor, pair.survivor)
    EnterpriseService(workspace).delete(pair.third)
    with pytest.raises(NotFoundError):
        service.merge(pair.survivor, pair.third)
    with workspace.database.read() as session:
        count = session.scalar(select(func.count()).select_from(LocalSetting))
        assert not session.get(LocalSetting, receipt_key(pair.survivor, pair.third))
    assert count


def test_preview_counts_what_would_move_and_what_would_be_filled(
    workspace: Workspace, pair: Pair
) -> None:
    preview = EnterpriseMergeService(workspace).preview(pair.survivor, pair.merged)
    assert preview.first.count("visits") == 1
    assert preview.second.count("visits") == 2
    assert preview.second.count("enterprise_links") == 2
    assert preview.second.count("directory_entries") == 1
    assert "legal_representative" in preview.fills[0]
    assert preview.fills[1] == ()
