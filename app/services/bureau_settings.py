"""Bureau settings (单位设置): the bureau's rules, stored as synced rows so every laptop of the
bureau follows the same ones.

Each setting is declared once below with its key, how it is read and written, and its default
(``BureauRules()``). A key missing from the table means its default. Two admins who set the
same key offline each leave a row; the row written last (by its ``updated_at``, then id) wins
on every laptop alike, and the next save tombstones the others.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.database.tables import BureauSettingRow, MemberRow
from app.domain.bureau_rules import (
    EVIDENCE_KINDS,
    GATES,
    BureauRules,
    Cohort,
    KpiFormula,
    KpiKey,
    check_rules,
)
from app.domain.errors import AppError
from app.domain.vocabulary import AttachmentKind, ProjectStage, Role
from app.i18n import tr
from app.services.workspace import Workspace

JsonValue = Any


@dataclass(frozen=True, slots=True)
class _Declared:
    key: str
    description: str
    read: Callable[[BureauRules, JsonValue], BureauRules]
    write: Callable[[BureauRules], JsonValue]


def _number(name: str) -> _Declared:
    def read(rules: BureauRules, value: JsonValue) -> BureauRules:
        if isinstance(value, int) and not isinstance(value, bool):
            changes: dict[str, Any] = {name: value}
            return replace(rules, **changes)
        return rules

    return _Declared(name, _DESCRIPTIONS[name], read, lambda rules: getattr(rules, name))


def _read_name(rules: BureauRules, value: JsonValue) -> BureauRules:
    return replace(rules, bureau_name=value.strip()) if isinstance(value, str) else rules


def _read_evidence(rules: BureauRules, value: JsonValue) -> BureauRules:
    if not isinstance(value, dict):
        return rules
    evidence: dict[ProjectStage, tuple[AttachmentKind, ...]] = {}
    for stage_key, kinds in value.items():
        if stage_key not in {gate.value for gate in GATES} or not isinstance(kinds, list):
            continue
        known = tuple(AttachmentKind(k) for k in kinds if k in {e.value for e in EVIDENCE_KINDS})
        if known:
            evidence[ProjectStage(stage_key)] = known
    return replace(rules, evidence=evidence)


def _write_evidence(rules: BureauRules) -> JsonValue:
    return {
        gate.value: [kind.value for kind in rules.evidence.get(gate, ())]
        for gate in GATES
        if rules.evidence.get(gate)
    }


def _formula(key: KpiKey) -> _Declared:
    def read(rules: BureauRules, value: JsonValue) -> BureauRules:
        if not isinstance(value, dict):
            return rules
        try:
            reached = value.get("reached")
            formula = KpiFormula(
                key=key,
                cohort=Cohort(value.get("cohort", Cohort.YEAR.value)),
                reached=ProjectStage(reached) if reached else None,
                or_funded=bool(value.get("or_funded", False)),
                exclude_terminated=bool(value.get("exclude_terminated", False)),
            )
        except ValueError:
            return rules
        return rules.with_formula(formula)

    def write(rules: BureauRules) -> JsonValue:
        formula = rules.formula(key)
        return {
            "cohort": formula.cohort.value,
            "reached": formula.reached.value if formula.reached else None,
            "or_funded": formula.or_funded,
            "exclude_terminated": formula.exclude_terminated,
        }

    return _Declared(f"kpi.{key.value}", f"KPI formula of {key.value}", read, write)


_DESCRIPTIONS = {
    "not_started_months": "Months after signing before a project not yet started is overdue",
    "unfulfilled_months": "Months after signing before a project not yet fulfilling is overdue",
    "not_producing_months": "Months after starting before a project not producing is overdue",
    "link_quiet_days": "Days without a visit before a chain link shows as a gap",
    "week_start": "ISO weekday a reporting week starts on (1 = Monday)",
}

DECLARED: tuple[_Declared, ...] = (
    _Declared(
        "bureau_name",
        "The bureau's name at the head of its reports",
        _read_name,
        lambda rules: rules.bureau_name,
    ),
    _Declared(
        "evidence", "Evidence kinds required to enter each gate", _read_evidence, _write_evidence
    ),
    *(_number(name) for name in _DESCRIPTIONS),
    *(_formula(key) for key in KpiKey),
)
"""Every bureau setting: key, meaning, and how it maps onto ``BureauRules``."""


def load_rules(session: Session) -> BureauRules:
    """The bureau's rules as stored (defaults where nothing is stored or a value is unreadable);
    for services that read them inside their own unit of work."""
    values = {key: value for key, (value, _row) in _winners(session).items()}
    rules = BureauRules()
    for declared in DECLARED:
        if declared.key in values:
            rules = declared.read(rules, values[declared.key])
    return rules


def _winners(session: Session) -> dict[str, tuple[JsonValue, BureauSettingRow]]:
    """Per key, the live row written last and its decoded value."""
    rows = session.scalars(
        select(BureauSettingRow)
        .where(BureauSettingRow.deleted == false())
        .order_by(BureauSettingRow.updated_at, BureauSettingRow.id)
    )
    winners: dict[str, tuple[JsonValue, BureauSettingRow]] = {}
    for row in rows:
        try:
            winners[row.key] = (json.loads(row.value), row)
        except ValueError:
            continue
    return winners


class BureauSettingsService:
    """Reads the rules for every service and screen; saves them for admins."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._database = workspace.database

    def rules(self) -> BureauRules:
        with self._database.read() as session:
            return load_rules(session)

    def can_edit(self) -> bool:
        """Bureau admins may; so may anyone on a laptop not signed in to a bureau (no member)."""
        member_id = self._workspace.current_member_id()
        if member_id is None:
            return True
        with self._database.read() as session:
            member = session.get(MemberRow, member_id)
            return member is None or member.role == Role.ADMIN.value

    def save(self, rules: BureauRules) -> BureauRules:
        """Store every setting that differs from what is stored, in one unit of work."""
        if not self.can_edit():
            raise AppError(tr("只有单位管理员可以修改单位设置"))
        check_rules(rules)
        with self._database.write(self._workspace.actor()) as session:
            stored = _winners(session)
            _drop_losers(session, stored.values())
            for declared in DECLARED:
                value = declared.write(rules)
                current = stored.get(declared.key)
                if current is not None and current[0] == value:
                    continue
                encoded = json.dumps(value, ensure_ascii=False, sort_keys=True)
                if current is None:
                    session.add(BureauSettingRow(key=declared.key, value=encoded))
                else:
                    current[1].value = encoded
            return load_rules(session)


def _drop_losers(session: Session, winners: Iterable[tuple[JsonValue, BureauSettingRow]]) -> None:
    keep = {row.id for _value, row in winners}
    for row in session.scalars(select(BureauSettingRow).where(BureauSettingRow.deleted == false())):
        if row.id not in keep:
            row.deleted = True
