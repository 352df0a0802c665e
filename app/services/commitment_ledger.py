"""The commitments ledger (政策兑现台账): every promise made to an enterprise, from negotiation
rounds or entered directly, with who promised it, when it is due and what became of it.

A commitment is 待兑现 (pending), 已兑现 (honoured, with the day), or 已撤回 (withdrawn, with the
reason; never deleted). 已逾期 is computed: pending and due before today. Every change is one
unit of work, so it reaches the outbox and the history and syncs like any edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from app.database.tables import (
    CommitmentRow,
    EnterpriseRow,
    MemberRow,
    NegotiationNoteRow,
    ProjectRow,
)
from app.domain.errors import NotFoundError, ValidationError
from app.domain.ids import new_id
from app.domain.negotiation import REASON_LIMIT, CommitmentDraft, NoteDraft, validate_note_draft
from app.domain.vocabulary import CommitmentStatus
from app.i18n import tr
from app.services.commitment_ledger_views import (
    LedgerCounts,
    LedgerDraft,
    LedgerEntry,
    LedgerFilter,
    LedgerPage,
    LedgerStatus,
)
from app.services.follow_up_ledgers import (
    LIST_LIMIT,
    FormChoices,
    LedgerColumns,
    LedgerScope,
    check_member,
    check_project,
    form_choices,
    live_enterprise,
    matching,
    projects_of,
)
from app.services.negotiation_views import ProjectChoice
from app.services.visit_choices import VisitChoices
from app.services.workspace import Workspace

_COLUMNS = LedgerColumns(
    id=CommitmentRow.id,
    deleted=CommitmentRow.deleted,
    person=CommitmentRow.promised_by_id,
    enterprise_id=CommitmentRow.enterprise_id,
    project_id=CommitmentRow.project_id,
    texts=(CommitmentRow.content, CommitmentRow.withdrawn_reason),
)


class CommitmentLedgerService:
    """Reads the ledger and makes the changes a bureau user makes in it."""

    def __init__(self, workspace: Workspace, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._workspace = workspace
        self._database = workspace.database
        self._today = today
        self.enterprise_choices = VisitChoices(workspace, today)
        """The enterprise picker's look-ups (any part of the name, pinyin initials, USCC)."""

    # -- reading ---------------------------------------------------------------------------------

    def page(self, filter_: LedgerFilter | None = None, limit: int = LIST_LIMIT) -> LedgerPage:
        """Matching commitments: pending ones by due date (overdue first), then the rest."""
        filter_ = filter_ or LedgerFilter()
        today = self._today()
        state = _state_expression(today)
        with self._database.read() as session:
            base, condition = self._matching(session, filter_)
            counted = dict(
                session.execute(
                    base.with_only_columns(state, func.count(CommitmentRow.id))
                    .where(condition)
                    .group_by(state)
                ).all()
            )
            counts = LedgerCounts(**{key: counted.get(key, 0) for key in _COUNT_KEYS})
            if filter_.status is not None:
                condition = and_(condition, _status_condition(filter_.status, today))
            ids = session.scalars(
                base.where(condition)
                .order_by(
                    case((CommitmentRow.status == CommitmentStatus.PENDING.value, 0), else_=1),
                    CommitmentRow.due_on.asc().nulls_last(),
                    CommitmentRow.id,
                )
                .limit(limit)
            ).all()
            rows = _entries(session, ids, today)
        return LedgerPage(rows, counts.matching(filter_.status), counts, today)

    def _matching(
        self, session: Session, filter_: LedgerFilter
    ) -> tuple[Select[str], ColumnElement[bool]]:
        return matching(
            session,
            self._workspace.current_member_id(),
            filter_.scope,
            filter_.text,
            _COLUMNS,
            filter_.enterprise_id,
            filter_.project_id,
        )

    def of_enterprise(self, enterprise_id: str) -> LedgerPage:
        """Every commitment made to one enterprise, whoever made it (for its dossier)."""
        return self.page(LedgerFilter(scope=LedgerScope.ALL, enterprise_id=enterprise_id))

    def entry(self, commitment_id: str) -> LedgerEntry:
        """One commitment as the ledger shows it (the edit dialog starts from this)."""
        today = self._today()
        with self._database.read() as session:
            row = _live(session, commitment_id)
            enterprise = session.get(EnterpriseRow, row.enterprise_id)
            project = session.get(ProjectRow, row.project_id) if row.project_id else None
            promiser = session.get(MemberRow, row.promised_by_id) if row.promised_by_id else None
            note = (
                session.get(NegotiationNoteRow, row.negotiation_note_id)
                if row.negotiation_note_id
                else None
            )
            return _entry(
                row,
                enterprise.name if enterprise else "",
                project.name if project else None,
                promiser.name if promiser else None,
                note.round_no if note else None,
                note.held_on if note else None,
                today,
            )

    def form_choices(self, commitment_id: str | None = None) -> FormChoices:
        """Who may be named as the promiser: my squad, plus the commitment's own promiser."""
        with self._database.read() as session:
            row = _live(session, commitment_id) if commitment_id else None
            return form_choices(
                session,
                self._workspace.current_member_id(),
                also=[row.promised_by_id if row else None],
            )

    def projects_of(self, enterprise_id: str) -> tuple[ProjectChoice, ...]:
        with self._database.read() as session:
            return projects_of(session, enterprise_id)

    def today(self) -> dt.date:
        return self._today()

    # -- writing ---------------------------------------------------------------------------------

    def add(self, draft: LedgerDraft) -> str:
        """Enter a commitment directly (no negotiation round); pending; its new id."""
        if not draft.enterprise_id:
            raise ValidationError("enterprise_id", tr("请选择企业"))
        commitment = _validated(draft.commitment, self._today())
        commitment_id = commitment.id or new_id()
        with self._database.write(self._workspace.actor()) as session:
            enterprise = live_enterprise(session, draft.enterprise_id)
            check_project(session, enterprise.id, draft.project_id or None)
            promiser = commitment.promised_by_id or self._workspace.current_member_id()
            check_member(session, "promised_by_id", promiser)
            if session.get(CommitmentRow, commitment_id) is not None:
                raise ValueError(f"commitment {commitment_id} exists")
            session.add(
                CommitmentRow(
                    id=commitment_id,
                    enterprise_id=enterprise.id,
                    project_id=draft.project_id or None,
                    promised_by_id=promiser,
                    content=commitment.content,
                    due_on=commitment.due_on,
                    status=CommitmentStatus.PENDING.value,
                    withdrawn_reason="",
                )
            )
        return commitment_id

    def edit(self, commitment_id: str, draft: LedgerDraft) -> None:
        """Change what was promised, by whom, by when; and, for a directly entered one, the
        enterprise and project (a round's commitment keeps the round's)."""
        commitment = _validated(draft.commitment, self._today())
        with self._database.write(self._workspace.actor()) as session:
            row = _live(session, commitment_id)
            project_id = draft.project_id or None
            moved = draft.enterprise_id != row.enterprise_id or project_id != row.project_id
            if moved and row.negotiation_note_id is not None:
                raise ValidationError(
                    "enterprise_id",
                    tr("这项承诺来自洽谈记录，企业和项目随洽谈记录，请在洽谈记录中修改"),
                )
            if moved:
                enterprise = live_enterprise(session, draft.enterprise_id)
                check_project(session, enterprise.id, project_id)
                row.enterprise_id = enterprise.id
                row.project_id = project_id
            if commitment.promised_by_id is not None:
                check_member(session, "promised_by_id", commitment.promised_by_id)
                row.promised_by_id = commitment.promised_by_id
            row.content = commitment.content
            row.due_on = commitment.due_on

    def mark_honoured(self, commitment_id: str, on: dt.date | None = None) -> None:
        """Record that the promise was kept on ``on`` (today when not given)."""
        today = self._today()
        on = on or today
        if on > today:
            raise ValidationError("honoured_on", tr("兑现日期不能晚于今天"))
        with self._database.write(self._workspace.actor()) as session:
            row = _live(session, commitment_id)
            if row.status == CommitmentStatus.WITHDRAWN.value:
                raise ValidationError(
                    "status", tr("已撤回的承诺不能标记兑现；如已恢复，请先重新打开")
                )
            row.status = CommitmentStatus.HONOURED.value
            row.honoured_on = on

    def reopen(self, commitment_id: str) -> None:
        """Put an honoured or withdrawn commitment back to pending (its date / reason cleared)."""
        with self._database.write(self._workspace.actor()) as session:
            row = _live(session, commitment_id)
            if row.status == CommitmentStatus.PENDING.value:
                return
            row.status = CommitmentStatus.PENDING.value
            row.honoured_on = None
            row.withdrawn_reason = ""

    def withdraw(self, commitment_id: str, reason: str) -> None:
        """Withdraw a pending commitment for a reason the user states (it stays in the ledger)."""
        reason = " ".join(reason.split())
        if not reason:
            raise ValidationError("withdrawn_reason", tr("请说明撤回原因"))
        if len(reason) > REASON_LIMIT:
            raise ValidationError(
                "withdrawn_reason", tr("撤回原因不能超过 {limit} 个字", limit=REASON_LIMIT)
            )
        with self._database.write(self._workspace.actor()) as session:
            row = _live(session, commitment_id)
            if row.status == CommitmentStatus.HONOURED.value:
                raise ValidationError("status", tr("这项承诺已兑现，不能撤回"))
            row.status = CommitmentStatus.WITHDRAWN.value
            row.withdrawn_reason = reason


# -- helpers ---------------------------------------------------------------------------------------

_COUNT_KEYS = ("pending", "overdue", "honoured", "withdrawn")


def _state_expression(today: dt.date) -> ColumnElement[str]:
    return case(
        (
            and_(
                CommitmentRow.status == CommitmentStatus.PENDING.value,
                CommitmentRow.due_on < today,
            ),
            LedgerStatus.OVERDUE.value,
        ),
        else_=CommitmentRow.status,
    )


def _status_condition(status: LedgerStatus, today: dt.date) -> ColumnElement[bool]:
    if status is LedgerStatus.OVERDUE:
        return and_(
            CommitmentRow.status == CommitmentStatus.PENDING.value, CommitmentRow.due_on < today
        )
    return CommitmentRow.status == status.value


def _entry(
    row: CommitmentRow,
    enterprise: str,
    project: str | None,
    promised_by: str | None,
    round_no: int | None,
    held_on: dt.date | None,
    today: dt.date,
) -> LedgerEntry:
    overdue = 0
    if row.status == CommitmentStatus.PENDING.value and row.due_on is not None:
        overdue = max(0, (today - row.due_on).days)
    return LedgerEntry(
        id=row.id,
        enterprise_id=row.enterprise_id,
        enterprise_name=enterprise,
        project_id=row.project_id,
        project_name=project or "",
        content=row.content,
        promised_by_id=row.promised_by_id,
        promised_by_name=promised_by or "",
        due_on=row.due_on,
        status=CommitmentStatus(row.status),
        honoured_on=row.honoured_on,
        withdrawn_reason=row.withdrawn_reason or "",
        negotiation_note_id=row.negotiation_note_id,
        round_no=round_no,
        held_on=held_on,
        overdue_days=overdue,
    )


def _entries(session: Session, ids: Sequence[str], today: dt.date) -> tuple[LedgerEntry, ...]:
    """The ledger lines of ``ids``, in that order, with the names they show."""
    if not ids:
        return ()
    promiser = aliased(MemberRow)
    query = (
        select(
            CommitmentRow,
            EnterpriseRow.name,
            ProjectRow.name,
            promiser.name,
            NegotiationNoteRow.round_no,
            NegotiationNoteRow.held_on,
        )
        .join(EnterpriseRow, EnterpriseRow.id == CommitmentRow.enterprise_id)
        .outerjoin(ProjectRow, ProjectRow.id == CommitmentRow.project_id)
        .outerjoin(promiser, promiser.id == CommitmentRow.promised_by_id)
        .outerjoin(NegotiationNoteRow, NegotiationNoteRow.id == CommitmentRow.negotiation_note_id)
        .where(CommitmentRow.id.in_(ids))
    )
    found = {
        row.id: _entry(row, enterprise, project, promised_by, round_no, held_on, today)
        for row, enterprise, project, promised_by, round_no, held_on in session.execute(query)
    }
    return tuple(found[commitment_id] for commitment_id in ids if commitment_id in found)


def _validated(commitment: CommitmentDraft, today: dt.date) -> CommitmentDraft:
    """The commitment under the negotiation rules (content trimmed, limits, a due date), with
    the field a ledger form shows: ``content`` or ``due_on``."""
    if not commitment.content.strip():
        raise ValidationError("content", tr("请填写承诺内容"))
    if commitment.due_on is None:
        raise ValidationError("due_on", tr("请填写兑现期限"))
    probe = NoteDraft(round_no=1, held_on=today, commitments=(replace(commitment, id="ledger"),))
    try:
        clean = validate_note_draft(probe, today=today).commitments[0]
    except ValidationError as error:
        raise ValidationError("content", error.message) from error
    return replace(clean, id=commitment.id, withdrawn_reason="")


def _live(session: Session, commitment_id: str | None) -> CommitmentRow:
    row = session.get(CommitmentRow, commitment_id) if commitment_id else None
    if row is None or row.deleted:
        raise NotFoundError(tr("找不到该承诺（{id}）", id=commitment_id))
    return row
