"""Negotiation rounds (洽谈记录) per enterprise, optionally per project, and the commitments made in
them, which live on in the commitments ledger (政策兑现) as pending entries with a due date.

Saving a round is one unit of work: the note and every commitment change commit together. The
editor saves as the user types (``partial=True``: half-typed commitments wait), and once more,
strictly, when the user saves and closes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from sqlalchemy import case, false, func, select
from sqlalchemy.orm import Session, aliased

from app.database.tables import (
    CommitmentRow,
    EnterpriseRow,
    MemberRow,
    NegotiationNoteRow,
    ProjectRow,
)
from app.domain.errors import NotFoundError, ValidationError
from app.domain.negotiation import (
    CommitmentDraft,
    NoteDraft,
    validate_note_draft,
    without_incomplete_commitments,
)
from app.domain.vocabulary import CommitmentStatus
from app.i18n import tr
from app.services.lookups import member_names
from app.services.member_choices import squad_members
from app.services.negotiation_views import (
    CommitmentView,
    NoteDetail,
    NoteForm,
    NoteRound,
    ProjectChoice,
    SavedNote,
)
from app.services.workspace import Workspace


class NegotiationService:
    """Read and write negotiation rounds and their commitments."""

    def __init__(self, workspace: Workspace, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._workspace = workspace
        self._database = workspace.database
        self._today = today

    # -- reading ---------------------------------------------------------------------------------

    def rounds(self, enterprise_id: str) -> tuple[NoteRound, ...]:
        """The enterprise's rounds, newest first."""
        author = aliased(MemberRow)
        counts = (
            select(
                CommitmentRow.negotiation_note_id.label("note_id"),
                func.count(CommitmentRow.id).label("total"),
                func.sum(
                    case((CommitmentRow.status == CommitmentStatus.PENDING.value, 1), else_=0)
                ).label("pending"),
            )
            .where(CommitmentRow.enterprise_id == enterprise_id, CommitmentRow.deleted == false())
            .group_by(CommitmentRow.negotiation_note_id)
            .subquery()
        )
        query = (
            select(
                NegotiationNoteRow, ProjectRow.name, author.name, counts.c.total, counts.c.pending
            )
            .outerjoin(ProjectRow, ProjectRow.id == NegotiationNoteRow.project_id)
            .outerjoin(author, author.id == NegotiationNoteRow.author_id)
            .outerjoin(counts, counts.c.note_id == NegotiationNoteRow.id)
            .where(
                NegotiationNoteRow.enterprise_id == enterprise_id,
                NegotiationNoteRow.deleted == false(),
            )
            .order_by(
                NegotiationNoteRow.held_on.desc(),
                NegotiationNoteRow.round_no.desc(),
                NegotiationNoteRow.id,
            )
        )
        with self._database.read() as session:
            return tuple(
                NoteRound(
                    id=note.id,
                    round_no=note.round_no,
                    held_on=note.held_on,
                    project_id=note.project_id,
                    project_name=project or "",
                    author_name=author_name or "",
                    their_asks=note.their_asks,
                    our_offers=note.our_offers,
                    sticking_points=note.sticking_points,
                    next_round=note.next_round,
                    next_round_on=note.next_round_on,
                    commitments=total or 0,
                    pending_commitments=int(pending or 0),
                )
                for note, project, author_name, total, pending in session.execute(query)
            )

    def form(self, enterprise_id: str, note_id: str | None = None) -> NoteForm:
        """Everything the editor shows for a new round (``note_id`` None) or an existing one."""
        member_id = self._workspace.current_member_id()
        with self._database.read() as session:
            enterprise = _live_enterprise(session, enterprise_id)
            note = _detail(session, _live_note(session, note_id)) if note_id else None
            if note is not None and note.enterprise_id != enterprise_id:
                raise NotFoundError(tr("找不到该洽谈记录（{id}）", id=note_id))
            member = session.get(MemberRow, member_id) if member_id else None
            if member is not None and member.deleted:
                member = None
            promisers = [c.promised_by_id for c in note.commitments] if note else []
            projects = session.execute(
                select(ProjectRow.id, ProjectRow.name)
                .where(ProjectRow.enterprise_id == enterprise_id, ProjectRow.deleted == false())
                .order_by(ProjectRow.name, ProjectRow.id)
            ).all()
            return NoteForm(
                enterprise_id=enterprise_id,
                enterprise_name=enterprise.name,
                today=self._today(),
                current_member_id=member.id if member else None,
                members=squad_members(
                    session,
                    member.squad_id if member else None,
                    also=[member.id if member else None, *promisers],
                ),
                projects=tuple(ProjectChoice(pid, name) for pid, name in projects),
                next_rounds=tuple(
                    (project_id, _next_round(session, enterprise_id, project_id, note_id))
                    for project_id in [None, *(pid for pid, _name in projects)]
                ),
                note=note,
                latest_project_id=session.scalar(
                    select(NegotiationNoteRow.project_id)
                    .join(ProjectRow, ProjectRow.id == NegotiationNoteRow.project_id)
                    .where(
                        NegotiationNoteRow.enterprise_id == enterprise_id,
                        NegotiationNoteRow.deleted == false(),
                        ProjectRow.deleted == false(),
                    )
                    .order_by(NegotiationNoteRow.held_on.desc(), NegotiationNoteRow.round_no.desc())
                    .limit(1)
                ),
            )

    def detail(self, note_id: str) -> NoteDetail:
        with self._database.read() as session:
            return _detail(session, _live_note(session, note_id))

    # -- writing ---------------------------------------------------------------------------------

    def save(
        self,
        enterprise_id: str,
        note_id: str,
        draft: NoteDraft,
        *,
        partial: bool = False,
        discard: Iterable[str] = (),
    ) -> SavedNote:
        """Create or update the round ``note_id`` and its commitments in one unit of work.

        ``partial`` (an autosave) leaves out commitments not yet complete and does not insist on a
        free round number. ``discard`` names commitments added by mistake: only ones never synced
        may go (tombstoned); a promise others may have seen is withdrawn with a reason instead.
        """
        if partial:
            draft = without_incomplete_commitments(draft)
        clean = validate_note_draft(draft, today=self._today())
        member_id = self._workspace.current_member_id()
        with self._database.write(self._workspace.actor()) as session:
            _check_project(session, enterprise_id, clean.project_id)
            _check_members(session, [c.promised_by_id for c in clean.commitments])
            note = session.get(NegotiationNoteRow, note_id)
            if note is not None and (note.deleted or note.enterprise_id != enterprise_id):
                raise NotFoundError(tr("找不到该洽谈记录（{id}）", id=note_id))
            if not partial:
                _check_round_free(session, enterprise_id, clean, note_id)
            created = note is None
            if note is None:
                note = NegotiationNoteRow(
                    id=note_id, enterprise_id=enterprise_id, author_id=member_id
                )
            note.project_id = clean.project_id
            note.round_no = clean.round_no
            note.held_on = clean.held_on
            note.their_asks = clean.their_asks
            note.our_offers = clean.our_offers
            note.sticking_points = clean.sticking_points
            note.next_round = clean.next_round
            note.next_round_on = clean.next_round_on
            session.add(note)
            session.flush()
            _apply_commitments(session, note, clean.commitments, member_id)
            _discard(session, note.id, discard)
            return SavedNote(note.id, created)

    def discard_draft(self, note_id: str) -> None:
        """Take back a round created in an editor the user abandoned, with its commitments.

        Only a round nobody else can have seen (never synced, nor any of its commitments) goes.
        """
        with self._database.write(self._workspace.actor()) as session:
            note = session.get(NegotiationNoteRow, note_id)
            if note is None or note.deleted:
                return
            commitments = list(_commitments_of(session, note_id))
            if note.row_version or any(c.row_version for c in commitments):
                raise ValidationError(
                    "note", tr("这份洽谈记录已同步，不能放弃；可以修改它或撤回其中的承诺")
                )
            note.deleted = True
            for commitment in commitments:
                commitment.deleted = True


# -- helpers ---------------------------------------------------------------------------------------


def _live_enterprise(session: Session, enterprise_id: str) -> EnterpriseRow:
    enterprise = session.get(EnterpriseRow, enterprise_id)
    if enterprise is None or enterprise.deleted:
        raise NotFoundError(tr("找不到该企业（{id}）", id=enterprise_id))
    return enterprise


def _live_note(session: Session, note_id: str | None) -> NegotiationNoteRow:
    note = session.get(NegotiationNoteRow, note_id) if note_id else None
    if note is None or note.deleted:
        raise NotFoundError(tr("找不到该洽谈记录（{id}）", id=note_id))
    return note


def _commitments_of(session: Session, note_id: str) -> Iterable[CommitmentRow]:
    return session.scalars(
        select(CommitmentRow)
        .where(CommitmentRow.negotiation_note_id == note_id)
        .order_by(CommitmentRow.created_at, CommitmentRow.id)
    )


def _detail(session: Session, note: NegotiationNoteRow) -> NoteDetail:
    commitments = [c for c in _commitments_of(session, note.id) if not c.deleted]
    names = member_names(session, [note.author_id, *(c.promised_by_id for c in commitments)])
    return NoteDetail(
        id=note.id,
        enterprise_id=note.enterprise_id,
        project_id=note.project_id,
        round_no=note.round_no,
        held_on=note.held_on,
        their_asks=note.their_asks,
        our_offers=note.our_offers,
        sticking_points=note.sticking_points,
        next_round=note.next_round,
        next_round_on=note.next_round_on,
        author_name=names.get(note.author_id or "", ""),
        synced=bool(note.row_version),
        commitments=tuple(
            CommitmentView(
                id=c.id,
                content=c.content,
                due_on=c.due_on,
                promised_by_id=c.promised_by_id,
                promised_by_name=names.get(c.promised_by_id or "", ""),
                status=CommitmentStatus(c.status),
                withdrawn_reason=c.withdrawn_reason,
                honoured_on=c.honoured_on,
                synced=bool(c.row_version),
            )
            for c in commitments
        ),
    )


def _next_round(
    session: Session, enterprise_id: str, project_id: str | None, except_id: str | None
) -> int:
    """One past the highest round so far: of the project when one is given, else of the
    enterprise (every project included), so rounds without a project keep counting on."""
    query = select(func.max(NegotiationNoteRow.round_no)).where(
        NegotiationNoteRow.enterprise_id == enterprise_id,
        NegotiationNoteRow.deleted == false(),
    )
    if project_id is not None:
        query = query.where(NegotiationNoteRow.project_id == project_id)
    if except_id is not None:
        query = query.where(NegotiationNoteRow.id != except_id)
    return (session.scalar(query) or 0) + 1


def _check_round_free(session: Session, enterprise_id: str, draft: NoteDraft, note_id: str) -> None:
    project = NegotiationNoteRow.project_id
    taken = session.scalars(
        select(NegotiationNoteRow).where(
            NegotiationNoteRow.enterprise_id == enterprise_id,
            NegotiationNoteRow.deleted == false(),
            NegotiationNoteRow.round_no == draft.round_no,
            NegotiationNoteRow.id != note_id,
            project.is_(None) if draft.project_id is None else project == draft.project_id,
        )
    ).first()
    if taken is not None:
        raise ValidationError(
            "round_no",
            tr(
                "第 {round} 轮已有洽谈记录（{date}），请改用第 {free} 轮",
                round=draft.round_no,
                date=tr(
                    "{year}年{month}月{day}日",
                    year=taken.held_on.year,
                    month=taken.held_on.month,
                    day=taken.held_on.day,
                ),
                free=_next_round(session, enterprise_id, draft.project_id, note_id),
            ),
        )


def _check_project(session: Session, enterprise_id: str, project_id: str | None) -> None:
    _live_enterprise(session, enterprise_id)
    if project_id is not None:
        project = session.get(ProjectRow, project_id)
        if project is None or project.deleted or project.enterprise_id != enterprise_id:
            raise ValidationError("project_id", tr("关联项目不属于该企业或已删除"))


def _check_members(session: Session, member_ids: Iterable[str | None]) -> None:
    for member_id in {m for m in member_ids if m}:
        member = session.get(MemberRow, member_id)
        if member is None or member.deleted:
            raise ValidationError("commitments", tr("承诺人不存在（{id}）", id=member_id))


def _apply_commitments(
    session: Session,
    note: NegotiationNoteRow,
    drafts: Iterable[CommitmentDraft],
    member_id: str | None,
) -> None:
    existing = {c.id: c for c in _commitments_of(session, note.id)}
    for number, draft in enumerate(drafts, start=1):
        row = existing.get(draft.id)
        if row is None:
            if session.get(CommitmentRow, draft.id) is not None:
                raise ValueError(f"commitment {draft.id} belongs to another note")
            session.add(
                CommitmentRow(
                    id=draft.id,
                    enterprise_id=note.enterprise_id,
                    project_id=note.project_id,
                    negotiation_note_id=note.id,
                    promised_by_id=draft.promised_by_id or member_id,
                    content=draft.content,
                    due_on=draft.due_on,
                    status=(
                        CommitmentStatus.WITHDRAWN if draft.withdrawn else CommitmentStatus.PENDING
                    ).value,
                    withdrawn_reason=draft.withdrawn_reason,
                )
            )
            continue
        row.deleted = False
        row.content = draft.content
        row.due_on = draft.due_on
        row.promised_by_id = draft.promised_by_id or row.promised_by_id or member_id
        row.project_id = note.project_id
        if draft.withdrawn:
            if row.status == CommitmentStatus.HONOURED.value:
                raise ValidationError(
                    "commitments", tr("第 {number} 项承诺已兑现，不能撤回", number=number)
                )
            row.status = CommitmentStatus.WITHDRAWN.value
            row.withdrawn_reason = draft.withdrawn_reason
        elif row.status == CommitmentStatus.WITHDRAWN.value:
            row.status = CommitmentStatus.PENDING.value
            row.withdrawn_reason = ""


def _discard(session: Session, note_id: str, commitment_ids: Iterable[str]) -> None:
    for commitment_id in commitment_ids:
        row = session.get(CommitmentRow, commitment_id)
        if row is None or row.deleted:
            continue
        if row.negotiation_note_id != note_id:
            raise ValueError(f"commitment {commitment_id} is not of note {note_id}")
        if row.row_version:
            raise ValidationError(
                "commitments",
                tr("承诺“{content}”已同步，不能删除，只能撤回并说明原因", content=row.content),
            )
        row.deleted = True
