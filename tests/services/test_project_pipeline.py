"""The project pipeline on hand-built data ("today" is 2026-11-25): creating and editing projects,
stage moves guarded by the bureau's evidence rules, evidence, and 实际到资 (funding). The
responsible cadre and the 责任清单 are in test_project_cadres.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import project_fixtures
import pytest
from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.tables import (
    AttachmentRow,
    FundingEntryRow,
    OutboxEntry,
    ProjectRow,
    StageChangeRow,
)
from app.domain.bureau_rules import BureauRules
from app.domain.errors import NotFoundError, ValidationError
from app.domain.money import Money
from app.domain.project import MissingEvidenceError
from app.domain.vocabulary import AttachmentKind, ProjectStage
from app.services.bureau_settings import BureauSettingsService
from app.services.project_detail import ProjectDetailService
from app.services.project_editing import ProjectEditingService
from app.services.project_funding import ProjectFundingService
from app.services.project_pipeline import ProjectPipelineService
from app.services.workspace import Workspace

uid = project_fixtures.uid
draft = project_fixtures.draft
make_file = project_fixtures.make_file
count_rows = project_fixtures.count_rows
negotiating = project_fixtures.negotiating
workspace = project_fixtures.workspace
editing = project_fixtures.editing
pipeline = project_fixtures.pipeline
funding = project_fixtures.funding
detail = project_fixtures.detail
TODAY = project_fixtures.TODAY
ME, COLLEAGUE, STRANGER = project_fixtures.ME, project_fixtures.COLLEAGUE, project_fixtures.STRANGER
ENTERPRISE, LINK = project_fixtures.ENTERPRISE, project_fixtures.LINK


# -- creating and editing --------------------------------------------------------------------------


def test_create_defaults_squad_and_responsible_and_records_the_first_stage(
    workspace: Workspace, editing: ProjectEditingService, detail: ProjectDetailService
) -> None:
    project_id = editing.create(draft(chain_link_id=LINK), stage=ProjectStage.NEGOTIATING)
    shown = detail.detail(project_id)
    assert shown.squad_name == "新材料小分队"
    assert shown.responsible_name == "李明"
    assert shown.chain_link_name == "新材料产业链 · 碳纤维"
    assert shown.stage is ProjectStage.NEGOTIATING and shown.stage_on == TODAY
    assert shown.contract_amount == Money.from_wan(50000)
    assert [(c.from_stage, c.to_stage, c.changed_by_name) for c in shown.stage_history] == [
        (None, ProjectStage.NEGOTIATING, "李明")
    ]
    with workspace.database.read() as s:
        tables = {e.table_name for e in s.scalars(select(OutboxEntry))}
    assert {"projects", "project_stage_changes"} <= tables


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"enterprise_id": None}, "enterprise_id"),
        ({"enterprise_id": uid(99)}, "enterprise_id"),
        ({"land_mu": Decimal("-1")}, "land_mu"),
        ({"phase1_amount": Money.from_wan(60000)}, "phase1_amount"),
        ({"chain_link_id": uid(98)}, "chain_link_id"),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_written(
    workspace: Workspace, editing: ProjectEditingService, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        editing.create(draft(**fields))
    assert raised.value.field == field
    assert count_rows(workspace, ProjectRow) == 0


def test_a_project_cannot_start_past_negotiation(editing: ProjectEditingService) -> None:
    with pytest.raises(ValidationError) as raised:
        editing.create(draft(), stage=ProjectStage.SIGNED)
    assert raised.value.field == "stage"


def test_edit_changes_the_fields_in_one_unit_of_work(
    workspace: Workspace, editing: ProjectEditingService, detail: ProjectDetailService
) -> None:
    project_id = negotiating(editing)
    editing.update(project_id, draft(name="碳纤维二期", contract_amount=Money.from_wan(80000)))
    shown = detail.detail(project_id)
    assert shown.name == "碳纤维二期" and shown.contract_amount == Money.from_wan(80000)
    with pytest.raises(ValidationError) as raised:
        editing.update(project_id, draft(phase1_amount=Money.from_wan(90000)))
    assert raised.value.field == "phase1_amount" and "一期" in raised.value.message
    assert detail.detail(project_id).phase1_amount == Money.from_wan(20000)


# -- stage moves and evidence ----------------------------------------------------------------------


def test_signing_without_the_agreement_is_refused_then_passes_once_it_is_attached(
    workspace: Workspace,
    tmp_path: Path,
    editing: ProjectEditingService,
    pipeline: ProjectPipelineService,
    detail: ProjectDetailService,
) -> None:
    project_id = negotiating(editing)
    before = count_rows(workspace, OutboxEntry)
    with pytest.raises(MissingEvidenceError) as raised:
        pipeline.move(project_id, ProjectStage.SIGNED, dt.date(2026, 11, 20), "签约仪式")
    assert isinstance(raised.value, ValidationError) and raised.value.field == "evidence"
    assert "签约" in raised.value.message and "协议" in raised.value.message
    assert [(m.gate, m.kind) for m in raised.value.missing] == [
        (ProjectStage.SIGNED, AttachmentKind.AGREEMENT)
    ]
    assert count_rows(workspace, StageChangeRow) == 1
    assert count_rows(workspace, OutboxEntry) == before
    assert detail.detail(project_id).stage is ProjectStage.NEGOTIATING

    pipeline.add_evidence(project_id, AttachmentKind.AGREEMENT, make_file(tmp_path, "协议.pdf"))
    pipeline.move(project_id, ProjectStage.SIGNED, dt.date(2026, 11, 20), "签约仪式")

    shown = detail.detail(project_id)
    assert shown.stage is ProjectStage.SIGNED and shown.signed_on == dt.date(2026, 11, 20)
    path = [(c.from_stage, c.to_stage, c.changed_on, c.changed_by_name, c.note)
            for c in shown.stage_history]  # fmt: skip
    assert path == [
        (None, ProjectStage.NEGOTIATING, dt.date(2026, 9, 1), "李明", ""),
        (ProjectStage.NEGOTIATING, ProjectStage.SIGNED, dt.date(2026, 11, 20), "李明", "签约仪式"),
    ]
    signed_gate = shown.evidence.gates[0]
    assert signed_gate.gate is ProjectStage.SIGNED and signed_gate.complete and signed_gate.reached
    with workspace.database.read() as s:
        tables = [e.table_name for e in s.scalars(select(OutboxEntry))]
    assert tables.count("project_stage_changes") == 2 and "attachments" in tables


def test_a_skip_needs_the_evidence_of_every_gate_it_crosses(
    workspace: Workspace,
    tmp_path: Path,
    editing: ProjectEditingService,
    pipeline: ProjectPipelineService,
) -> None:
    project_id = negotiating(editing)
    pipeline.add_evidence(project_id, AttachmentKind.AGREEMENT, make_file(tmp_path, "协议.pdf"))
    with pytest.raises(MissingEvidenceError) as raised:
        pipeline.move(project_id, ProjectStage.STARTED, dt.date(2026, 11, 20))
    assert [(m.gate, m.kind) for m in raised.value.missing] == [
        (ProjectStage.REGISTERED, AttachmentKind.BUSINESS_LICENCE),
        (ProjectStage.STARTED, AttachmentKind.GROUNDBREAKING_PHOTO),
    ]
    message = raised.value.message
    assert "营业执照" in message and "开工照片" in message and "协议" not in message
    pipeline.add_evidence(
        project_id, AttachmentKind.BUSINESS_LICENCE, make_file(tmp_path, "执照.jpg")
    )
    pipeline.add_evidence(
        project_id, AttachmentKind.GROUNDBREAKING_PHOTO, make_file(tmp_path, "奠基.jpg")
    )
    pipeline.move(project_id, ProjectStage.STARTED, dt.date(2026, 11, 20))
    with workspace.database.read() as s:
        project = s.get(ProjectRow, project_id)
        assert project is not None
        assert project.stage == "started" and project.signed_on == dt.date(2026, 11, 20)


def test_termination_needs_a_reason_and_a_reached_gate_is_not_asked_again(
    workspace: Workspace,
    tmp_path: Path,
    editing: ProjectEditingService,
    pipeline: ProjectPipelineService,
) -> None:
    project_id = negotiating(editing)
    pipeline.add_evidence(project_id, AttachmentKind.AGREEMENT, make_file(tmp_path, "协议.pdf"))
    pipeline.move(project_id, ProjectStage.SIGNED, dt.date(2026, 10, 1))
    pipeline.move(project_id, ProjectStage.SUSPENDED, dt.date(2026, 10, 5), "企业资金紧张")
    with pytest.raises(ValidationError) as raised:
        pipeline.move(project_id, ProjectStage.TERMINATED, dt.date(2026, 10, 9), "  ")
    assert raised.value.field == "note"
    with workspace.database.read() as s:
        agreement = s.scalars(select(AttachmentRow)).one()
    with workspace.database.write(Actor(ME)) as s:
        row = s.get(AttachmentRow, agreement.id)
        assert row is not None
        row.deleted = True
    # Back from 暂缓 to 签约: that gate was crossed before, so its evidence is not asked again.
    pipeline.move(project_id, ProjectStage.SIGNED, dt.date(2026, 10, 8))
    pipeline.move(project_id, ProjectStage.TERMINATED, dt.date(2026, 10, 9), "企业另选址")
    assert pipeline.allowed_targets(project_id) == ()


def test_moves_keep_to_the_stage_rules_and_dates(
    editing: ProjectEditingService, pipeline: ProjectPipelineService
) -> None:
    project_id = negotiating(editing)
    with pytest.raises(ValidationError) as raised:
        pipeline.move(project_id, ProjectStage.LEAD, dt.date(2026, 11, 1))
    assert raised.value.field == "stage"
    with pytest.raises(ValidationError) as raised:
        pipeline.move(project_id, ProjectStage.SUSPENDED, dt.date(2026, 8, 1))
    assert raised.value.field == "changed_on"
    with pytest.raises(ValidationError) as raised:
        pipeline.move(project_id, ProjectStage.SUSPENDED, TODAY + dt.timedelta(days=1))
    assert raised.value.field == "changed_on"
    with pytest.raises(NotFoundError):
        pipeline.move(uid(77), ProjectStage.SIGNED, TODAY)


def test_bureau_rules_decide_which_evidence_a_gate_needs(
    workspace: Workspace, editing: ProjectEditingService, pipeline: ProjectPipelineService
) -> None:
    project_id = negotiating(editing)
    settings = BureauSettingsService(workspace)
    settings.save(BureauRules(evidence={ProjectStage.REGISTERED: (AttachmentKind.FUNDS_PROOF,)}))
    assert pipeline.missing_for(project_id, ProjectStage.SIGNED) == ()
    pipeline.move(project_id, ProjectStage.SIGNED, dt.date(2026, 11, 1))
    with pytest.raises(MissingEvidenceError) as raised:
        pipeline.move(project_id, ProjectStage.REGISTERED, dt.date(2026, 11, 2))
    assert "到资凭证" in raised.value.message and "注册" in raised.value.message
    status = pipeline.evidence_status(project_id)
    needs = {gate.gate: [n.kind for n in gate.needs] for gate in status.gates}
    assert needs[ProjectStage.SIGNED] == [] and needs[ProjectStage.REGISTERED] == [
        AttachmentKind.FUNDS_PROOF
    ]


def test_a_funds_proof_filed_with_an_entry_counts_as_evidence(
    workspace: Workspace,
    tmp_path: Path,
    editing: ProjectEditingService,
    pipeline: ProjectPipelineService,
    funding: ProjectFundingService,
) -> None:
    BureauSettingsService(workspace).save(
        BureauRules(evidence={ProjectStage.SIGNED: (AttachmentKind.FUNDS_PROOF,)})
    )
    project_id = negotiating(editing)
    funding.add(project_id, dt.date(2026, 11, 2), Money.from_wan(100), "定金",
                proof=make_file(tmp_path, "回单.pdf"))  # fmt: skip
    pipeline.move(project_id, ProjectStage.SIGNED, dt.date(2026, 11, 3))
    assert count_rows(workspace, AttachmentRow, owner_table="funding_entries") == 1


def test_evidence_kinds_are_limited_to_the_four(
    editing: ProjectEditingService, pipeline: ProjectPipelineService, tmp_path: Path
) -> None:
    project_id = negotiating(editing)
    with pytest.raises(ValidationError) as raised:
        pipeline.add_evidence(project_id, AttachmentKind.PHOTO, make_file(tmp_path, "a.jpg"))
    assert raised.value.field == "kind"


# -- funding ---------------------------------------------------------------------------------------


def test_funding_total_and_the_over_contract_notice(
    workspace: Workspace,
    editing: ProjectEditingService,
    funding: ProjectFundingService,
    detail: ProjectDetailService,
) -> None:
    project_id = editing.create(draft(contract_amount=Money.from_wan(1000), phase1_amount=None))
    first = funding.add(project_id, dt.date(2026, 10, 1), Money.from_wan(600), "首笔")
    assert first.cumulative == Money.from_wan(600) and first.notice == ""
    second = funding.add(project_id, dt.date(2026, 11, 1), Money.from_wan("500.5"))
    assert second.cumulative == Money.from_wan("1100.5")
    assert "超过合同投资额" in second.notice and "1100.5万元" in second.notice
    edited = funding.edit(second.entry_id, dt.date(2026, 11, 1), Money.from_wan(300), "更正")
    assert edited.cumulative == Money.from_wan(900) and edited.notice == ""
    removed = funding.remove(first.entry_id)
    assert removed.cumulative == Money.from_wan(300)
    shown = detail.detail(project_id)
    assert [e.amount for e in shown.funding] == [Money.from_wan(300)]
    assert shown.funded_total == Money.from_wan(300)
    assert shown.funding_rate == Decimal("0.3")
    assert count_rows(workspace, FundingEntryRow) == 2  # tombstoned, not deleted
    assert funding.restore(first.entry_id).cumulative == Money.from_wan(900)


@pytest.mark.parametrize(
    ("day", "amount", "field"),
    [
        (dt.date(2026, 11, 1), Money.zero(), "amount"),
        (TODAY + dt.timedelta(days=3), Money.from_wan(1), "received_on"),
    ],
)
def test_a_bad_funding_entry_is_refused(
    workspace: Workspace,
    editing: ProjectEditingService,
    funding: ProjectFundingService,
    day: dt.date,
    amount: Money,
    field: str,
) -> None:
    project_id = negotiating(editing)
    with pytest.raises(ValidationError) as raised:
        funding.add(project_id, day, amount)
    assert raised.value.field == field
    assert count_rows(workspace, FundingEntryRow) == 0


def test_a_missing_proof_file_writes_nothing(
    workspace: Workspace, editing: ProjectEditingService, funding: ProjectFundingService,
    tmp_path: Path,
) -> None:  # fmt: skip
    project_id = negotiating(editing)
    with pytest.raises(ValidationError) as raised:
        funding.add(project_id, TODAY, Money.from_wan(5), proof=tmp_path / "nope.pdf")
    assert raised.value.field == "proof"
    assert count_rows(workspace, FundingEntryRow) == 0
