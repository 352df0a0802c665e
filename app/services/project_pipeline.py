"""Moving a project through the pipeline (线索 → 在谈 → 签约 → 注册 → 开工 → 竣工 → 投产, exits
解约 / 暂缓), guarded by the bureau's evidence rules, and the evidence itself.

A move is refused, with nothing written, when ``check_move`` forbids it or when a gate it
crosses for the first time (from the furthest stage the project ever reached) lacks evidence the
bureau requires (``BureauRules``): the message names each missing kind and its gate. A move that
passes writes its stage change, the project's stage and, on a first signing (a skip included),
its 签约 date, in one unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy.orm import Session

from app.database.tables import StageChangeRow
from app.domain.bureau_rules import (
    EVIDENCE_KINDS,
    GATES,
    BureauRules,
    MissingEvidence,
    gates_crossed,
    missing_evidence_message,
)
from app.domain.errors import ValidationError
from app.domain.project import (
    MissingEvidenceError,
    allowed_moves,
    check_exit_reason,
    check_move,
    check_not_future,
    first_signing,
)
from app.domain.vocabulary import AttachmentKind, ProjectStage
from app.i18n import tr
from app.services.attachments import AttachmentService, AttachmentView
from app.services.bureau_settings import load_rules
from app.services.project_records import (
    PROJECTS,
    evidence_files,
    furthest_stage,
    live_project,
    stage_changes,
)
from app.services.project_views import EvidenceFile, EvidenceNeed, EvidenceStatus, GateEvidence
from app.services.workspace import Workspace

NOTE_LIMIT = 2000


class ProjectPipelineService:
    """Stage moves and evidence of one project at a time."""

    def __init__(
        self,
        workspace: Workspace,
        today: Callable[[], dt.date] = dt.date.today,
        attachments: AttachmentService | None = None,
    ) -> None:
        self._workspace = workspace
        self._database = workspace.database
        self._today = today
        self._attachments = attachments or AttachmentService(workspace)

    # -- reading ---------------------------------------------------------------------------------

    def allowed_targets(self, project_id: str) -> tuple[ProjectStage, ...]:
        """Where the project may move from its current stage."""
        with self._database.read() as session:
            return allowed_moves(ProjectStage(live_project(session, project_id).stage))

    def missing_for(self, project_id: str, target: ProjectStage) -> tuple[MissingEvidence, ...]:
        """What a move to ``target`` would still lack (empty: the evidence is all there)."""
        with self._database.read() as session:
            return _missing(session, project_id, target)

    def evidence_status(self, project_id: str) -> EvidenceStatus:
        """Per gate: the kinds the bureau requires, each with its files or missing."""
        with self._database.read() as session:
            project = live_project(session, project_id)
            reached = furthest_stage(project, stage_changes(session, project_id))
            return evidence_status(
                load_rules(session), evidence_files(session, project_id), reached
            )

    # -- writing ---------------------------------------------------------------------------------

    def move(self, project_id: str, target: ProjectStage, on: dt.date, note: str = "") -> str:
        """Move the project to ``target`` on ``on``; the new stage change's id.

        Raises ``ValidationError`` (``MissingEvidenceError`` for missing evidence, field
        "evidence") naming the problem; nothing is written then.
        """
        note = note.strip()
        check_not_future("changed_on", on, self._today(), tr("阶段变更日期"))
        check_exit_reason(target, note)
        if len(note) > NOTE_LIMIT:
            raise ValidationError("note", tr("说明不能超过 {limit} 个字", limit=NOTE_LIMIT))
        with self._database.write(self._workspace.actor()) as session:
            project = live_project(session, project_id)
            changes = stage_changes(session, project_id)
            current = ProjectStage(project.stage)
            last_on = max((change.changed_on for change in changes), default=None)
            check_move(current, target, on, last_on)
            missing = _missing(session, project_id, target)
            if missing:
                raise MissingEvidenceError(missing_evidence_message(missing), missing)
            change = StageChangeRow(
                project_id=project.id,
                from_stage=current.value,
                to_stage=target.value,
                changed_on=on,
                changed_by_id=self._workspace.current_member_id(),
                note=note,
            )
            session.add(change)
            project.stage = target.value
            project.stage_on = on
            project.signed_on = first_signing(project.signed_on, target, on)
            session.flush()
            return change.id

    def add_evidence(self, project_id: str, kind: AttachmentKind, path: Path) -> AttachmentView:
        """Attach the file at ``path`` to the project as evidence of ``kind``."""
        if kind not in EVIDENCE_KINDS:
            raise ValidationError("kind", tr("“{kind}”不是证据材料的类型", kind=kind.label))
        with self._database.read() as session:
            live_project(session, project_id)
        return self._attachments.add_file(PROJECTS, project_id, path, kind.value)


def evidence_status(
    rules: BureauRules, files: Iterable[EvidenceFile], reached: ProjectStage | None
) -> EvidenceStatus:
    """The gates with their requirements met or not, given the project's evidence files."""
    by_kind: dict[AttachmentKind, list[EvidenceFile]] = {}
    for file in files:
        by_kind.setdefault(file.kind, []).append(file)
    required = {kind for gate in GATES for kind in rules.evidence.get(gate, ())}
    gates = tuple(
        GateEvidence(
            gate=gate,
            reached=reached is not None and reached.order >= gate.order,
            needs=tuple(
                EvidenceNeed(kind, tuple(by_kind.get(kind, ())))
                for kind in rules.evidence.get(gate, ())
            ),
        )
        for gate in GATES
    )
    other = tuple(file for kind, found in by_kind.items() if kind not in required for file in found)
    return EvidenceStatus(gates, other)


def _missing(
    session: Session, project_id: str, target: ProjectStage
) -> tuple[MissingEvidence, ...]:
    project = live_project(session, project_id)
    gates = gates_crossed(furthest_stage(project, stage_changes(session, project_id)), target)
    if not gates:
        return ()
    present = {file.kind for file in evidence_files(session, project_id)}
    return load_rules(session).missing_evidence(gates, present)
