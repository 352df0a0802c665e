"""实际到资: the dated amounts a project has actually received, their running total, and the
到资凭证 filed with them.

An entry with a 凭证 file is one unit of work: the bytes go to the blob store first (as
``AttachmentService`` does), then the entry and its attachment row commit together. A total
past the contract amount is allowed (contracts are revised after the fact) but comes back as a
notice for the user to check.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.database.tables import AttachmentRow, FundingEntryRow, ProjectRow
from app.domain.errors import NotFoundError, ValidationError
from app.domain.money import Money
from app.domain.project import check_funding
from app.domain.vocabulary import AttachmentKind
from app.i18n import tr
from app.services.attachments import MAX_BYTES
from app.services.project_records import FUNDING_ENTRIES, live_project
from app.services.project_views import FundingChange
from app.services.workspace import Workspace
from app.storage.blobs import BlobStore

NOTE_LIMIT = 2000


class ProjectFundingService:
    """Add, correct and remove a project's 实际到资 entries."""

    def __init__(self, workspace: Workspace, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._workspace = workspace
        self._database = workspace.database
        self._today = today
        self._blobs = BlobStore.for_data_dir(workspace.data_dir)

    def cumulative(self, project_id: str) -> Money:
        with self._database.read() as session:
            live_project(session, project_id)
            return _total(session, project_id)

    def add(
        self,
        project_id: str,
        received_on: dt.date,
        amount: Money,
        note: str = "",
        proof: Path | None = None,
    ) -> FundingChange:
        """A new entry (with its 到资凭证 file when given); the new total and any notice."""
        note = _checked(received_on, amount, note, self._today())
        stored = self._store_proof(proof) if proof is not None else None
        with self._database.write(self._workspace.actor()) as session:
            project = live_project(session, project_id)
            entry = FundingEntryRow(
                project_id=project.id, received_on=received_on, amount=amount, note=note
            )
            session.add(entry)
            session.flush()
            if stored is not None and proof is not None:
                session.add(_proof_row(entry.id, proof, *stored))
            session.flush()
            return _change(session, project, entry.id)

    def edit(
        self, entry_id: str, received_on: dt.date, amount: Money, note: str = ""
    ) -> FundingChange:
        """Correct an entry's date, amount or note."""
        note = _checked(received_on, amount, note, self._today())
        with self._database.write(self._workspace.actor()) as session:
            entry = _live_entry(session, entry_id)
            entry.received_on = received_on
            entry.amount = amount
            entry.note = note
            session.flush()
            return _change(session, live_project(session, entry.project_id), entry.id)

    def attach_proof(self, entry_id: str, path: Path) -> None:
        """File a 到资凭证 with an existing entry."""
        stored = self._store_proof(path)
        with self._database.write(self._workspace.actor()) as session:
            _live_entry(session, entry_id)
            session.add(_proof_row(entry_id, path, *stored))

    def remove(self, entry_id: str) -> FundingChange:
        """Tombstone an entry (``restore`` brings it back)."""
        with self._database.write(self._workspace.actor()) as session:
            entry = _live_entry(session, entry_id)
            entry.deleted = True
            session.flush()
            return _change(session, live_project(session, entry.project_id), entry.id)

    def restore(self, entry_id: str) -> FundingChange:
        with self._database.write(self._workspace.actor()) as session:
            entry = session.get(FundingEntryRow, entry_id)
            if entry is None:
                raise NotFoundError(tr("找不到该到资记录（{id}）", id=entry_id))
            entry.deleted = False
            session.flush()
            return _change(session, live_project(session, entry.project_id), entry.id)

    def _store_proof(self, path: Path) -> tuple[str, str, int]:
        """Copy the file into the blob store: (sha256, mime, size)."""
        if not path.is_file():
            raise ValidationError("proof", tr("找不到文件“{path}”", path=str(path)))
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValidationError(
                "proof",
                tr(
                    "文件“{name}”太大（{size} MB），附件最大 {limit} MB",
                    name=path.name,
                    size=size // (1024 * 1024),
                    limit=MAX_BYTES // (1024 * 1024),
                ),
            )
        try:
            sha256 = self._blobs.put_file(path)
        except OSError as error:
            raise ValidationError(
                "proof", tr("无法读取文件“{name}”：{reason}", name=path.name, reason=error.strerror)
            ) from error
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return sha256, mime, size


def over_contract_notice(total: Money, contract: Money | None) -> str:
    """The notice shown when the funds received exceed the contract amount ("" otherwise)."""
    if contract is None or contract.fen <= 0 or not contract < total:
        return ""
    return tr(
        "实际到资累计 {total} 已超过合同投资额 {contract}，请核对到资记录或合同投资额",
        total=total.format(),
        contract=contract.format(),
    )


def _checked(received_on: dt.date, amount: Money, note: str, today: dt.date) -> str:
    check_funding(received_on, amount, today)
    note = note.strip()
    if len(note) > NOTE_LIMIT:
        raise ValidationError("note", tr("说明不能超过 {limit} 个字", limit=NOTE_LIMIT))
    return note


def _proof_row(entry_id: str, path: Path, sha256: str, mime: str, size: int) -> AttachmentRow:
    return AttachmentRow(
        owner_table=FUNDING_ENTRIES,
        owner_id=entry_id,
        sha256=sha256,
        filename=path.name[:255],
        mime=mime,
        size=size,
        kind=AttachmentKind.FUNDS_PROOF.value,
        caption="",
    )


def _change(session: Session, project: ProjectRow, entry_id: str) -> FundingChange:
    total = _total(session, project.id)
    return FundingChange(entry_id, total, over_contract_notice(total, project.contract_amount))


def _total(session: Session, project_id: str) -> Money:
    amounts = session.scalars(
        select(FundingEntryRow.amount).where(
            FundingEntryRow.project_id == project_id, FundingEntryRow.deleted == false()
        )
    )
    return sum(amounts, Money.zero())


def _live_entry(session: Session, entry_id: str) -> FundingEntryRow:
    entry = session.get(FundingEntryRow, entry_id)
    if entry is None or entry.deleted:
        raise NotFoundError(tr("找不到该到资记录（{id}）", id=entry_id))
    return entry
