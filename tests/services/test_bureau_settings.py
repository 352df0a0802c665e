"""Bureau settings: defaults, saving, who may save, and reading them back on another laptop."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import BureauSettingRow, LocalSetting, MemberRow, OutboxEntry, SquadRow
from app.domain.bureau_rules import (
    BureauRules,
    Cohort,
    KpiFormula,
    KpiKey,
    gates_crossed,
    missing_evidence_message,
)
from app.domain.errors import AppError, ValidationError
from app.domain.vocabulary import AttachmentKind, ProjectStage, Role
from app.services.bureau_settings import DECLARED, BureauSettingsService
from app.services.workspace import CURRENT_MEMBER, Workspace

SQUAD = "0190b6a0-0000-7000-8000-000000000001"
ADMIN = "0190b6a0-0000-7000-8000-000000000011"
MEMBER = "0190b6a0-0000-7000-8000-000000000012"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    database = open_local_database(tmp_path)
    with database.write(Actor(None, source="import")) as s:
        s.add(SquadRow(id=SQUAD, name="新材料小分队"))
        s.flush()
        s.add(MemberRow(id=ADMIN, name="周局", squad_id=SQUAD, role=Role.ADMIN.value))
        s.add(MemberRow(id=MEMBER, name="李明", squad_id=SQUAD, role=Role.MEMBER.value))
    yield Workspace(database, tmp_path)
    database.dispose()


def be(workspace: Workspace, member_id: str) -> None:
    with workspace.database.write(Actor(None, source="import")) as s:
        s.merge(LocalSetting(key=CURRENT_MEMBER, value=member_id))


def test_an_empty_table_means_the_documented_defaults(workspace: Workspace) -> None:
    rules = BureauSettingsService(workspace).rules()
    assert rules == BureauRules()
    assert rules.not_started_months == 3
    assert rules.evidence[ProjectStage.SIGNED] == (AttachmentKind.AGREEMENT,)
    assert rules.formula(KpiKey.START).reached is ProjectStage.STARTED


def test_saved_rules_read_back_and_sync_as_ordinary_changes(workspace: Workspace) -> None:
    service = BureauSettingsService(workspace)
    with workspace.database.read() as s:
        before = len(s.scalars(select(OutboxEntry.device_seq)).all())
    wanted = replace(
        BureauRules(),
        not_started_months=6,
        evidence={ProjectStage.STARTED: (AttachmentKind.GROUNDBREAKING_PHOTO,)},
    ).with_formula(KpiFormula(KpiKey.START, Cohort.ALL, ProjectStage.STARTED, False, True))
    assert service.save(wanted) == wanted
    assert service.rules() == wanted
    with workspace.database.read() as s:
        entries = s.scalars(select(OutboxEntry.table_name).order_by(OutboxEntry.device_seq)).all()
        keys = set(s.scalars(select(BureauSettingRow.key)))
    assert set(entries[before:]) == {"bureau_settings"}
    assert keys == {declared.key for declared in DECLARED}
    service.save(wanted)  # nothing differs: no new rows, no new outbox entries
    with workspace.database.read() as s:
        assert len(s.scalars(select(BureauSettingRow)).all()) == len(DECLARED)


def test_only_admins_may_change_the_rules_once_signed_in(workspace: Workspace) -> None:
    service = BureauSettingsService(workspace)
    be(workspace, MEMBER)
    assert not service.can_edit()
    with pytest.raises(AppError, match="管理员"):
        service.save(replace(BureauRules(), not_started_months=4))
    be(workspace, ADMIN)
    assert service.can_edit()
    assert service.save(replace(BureauRules(), not_started_months=4)).not_started_months == 4


def test_out_of_range_values_are_refused_naming_the_setting(workspace: Workspace) -> None:
    with pytest.raises(ValidationError, match="未开工的月数") as refused:
        BureauSettingsService(workspace).save(replace(BureauRules(), not_started_months=0))
    assert refused.value.field == "not_started_months"
    assert BureauSettingsService(workspace).rules() == BureauRules()


def test_two_offline_admins_agree_on_the_value_written_last(workspace: Workspace) -> None:
    rows = [  # as a pull leaves them: the later write first, then the earlier one
        ("0190b6a0-0000-7000-8000-000000000091", "not_started_months", "5", "2026-11-02"),
        ("0190b6a0-0000-7000-8000-000000000092", "not_started_months", "4", "2026-11-01"),
        ("0190b6a0-0000-7000-8000-000000000093", "link_quiet_days", '"garbled"', "2026-11-02"),
    ]
    with workspace.database.engine.begin() as connection:
        for row_id, key, value, day in rows:
            connection.execute(
                text(
                    "INSERT INTO bureau_settings (id, created_at, updated_at, row_version,"
                    " deleted, key, value) VALUES (:id, :at, :at, 1, 0, :key, :value)"
                ),
                {"id": row_id, "at": f"{day} 08:00:00.000000+00:00", "key": key, "value": value},
            )
    rules = BureauSettingsService(workspace).rules()
    assert rules.not_started_months == 5
    assert rules.link_quiet_days == 90  # an unreadable value falls back to the default
    BureauSettingsService(workspace).save(rules)
    with workspace.database.read() as s:
        live = s.scalars(
            select(BureauSettingRow.value).where(
                BureauSettingRow.key == "not_started_months", BureauSettingRow.deleted.is_(False)
            )
        ).all()
    assert live == ["5"]


def test_gates_crossed_by_a_skipping_move_and_the_message_naming_what_is_missing() -> None:
    assert gates_crossed(ProjectStage.NEGOTIATING, ProjectStage.STARTED) == (
        ProjectStage.SIGNED,
        ProjectStage.REGISTERED,
        ProjectStage.STARTED,
    )
    assert gates_crossed(ProjectStage.STARTED, ProjectStage.REGISTERED) == ()
    assert gates_crossed(None, ProjectStage.TERMINATED) == ()
    rules = BureauRules()
    missing = rules.missing_evidence(
        gates_crossed(ProjectStage.NEGOTIATING, ProjectStage.STARTED),
        [AttachmentKind.BUSINESS_LICENCE],
    )
    message = missing_evidence_message(missing)
    assert "“签约”需要：协议" in message
    assert "“开工”需要：开工照片" in message
    assert "营业执照" not in message


def test_formula_text_names_its_numerator_and_cohort() -> None:
    text = BureauRules().formula(KpiKey.FULFILMENT).describe()
    assert text.startswith("履约率 = 本年度截至期末签约的项目中")
    assert "“注册”" in text and "实际到资" in text
    assert "合同投资额" in BureauRules().formula(KpiKey.FUNDING).describe()
