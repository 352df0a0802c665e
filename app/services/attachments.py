"""Attachments (附件): photos, scans and documents on any record, bytes kept by SHA-256.

Adding a file copies its bytes into the data dir's blob store first (fsynced, verified), then
records the attachment row in one unit of work; a crash in between leaves an unreferenced blob,
never a row naming bytes that are not there. Removing is a tombstone; the bytes stay (another
record or another laptop may name the same content).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import false, select

from app.database.tables import TABLE_BY_NAME, AttachmentRow, Synced
from app.domain.errors import NotFoundError, ValidationError
from app.domain.vocabulary import AttachmentKind
from app.i18n import tr
from app.services.workspace import Workspace
from app.storage.blobs import BlobStore

MAX_BYTES = 200 * 1024 * 1024
"""Larger files are refused with a message: a 200 MB scan is already a very large scan."""

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff"})


@dataclass(frozen=True, slots=True)
class AttachmentView:
    id: str
    owner_table: str
    owner_id: str
    sha256: str
    filename: str
    mime: str
    size: int
    kind: str
    caption: str
    created_at: dt.datetime
    available: bool
    """The bytes are on this laptop (a colleague's attachment may still be downloading)."""

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


class AttachmentService:
    """Attach files to records, list them, remove and restore them."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._database = workspace.database
        self._blobs = BlobStore.for_data_dir(workspace.data_dir)

    def list_for(self, owner_table: str, owner_id: str) -> tuple[AttachmentView, ...]:
        """Live attachments of one record, oldest first."""
        query = (
            select(AttachmentRow)
            .where(
                AttachmentRow.owner_id == owner_id,
                AttachmentRow.owner_table == owner_table,
                AttachmentRow.deleted == false(),
            )
            .order_by(AttachmentRow.created_at, AttachmentRow.id)
        )
        with self._database.read() as session:
            return tuple(self._view(row) for row in session.scalars(query))

    def add_file(
        self,
        owner_table: str,
        owner_id: str,
        path: Path,
        kind: str | None = None,
        caption: str = "",
    ) -> AttachmentView:
        """Copy ``path`` into the blob store and attach it to the record."""
        owner = _owner_table(owner_table)
        if not path.is_file():
            raise ValidationError("file", tr("找不到文件“{path}”", path=str(path)))
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValidationError(
                "file",
                tr(
                    "文件“{name}”太大（{size} MB），附件最大 {limit} MB",
                    name=path.name,
                    size=size // (1024 * 1024),
                    limit=MAX_BYTES // (1024 * 1024),
                ),
            )
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        chosen = kind or _kind_for(path, mime)
        if chosen not in {k.value for k in AttachmentKind}:
            raise ValidationError("kind", tr("附件类型“{kind}”无效", kind=chosen))
        try:
            sha256 = self._blobs.put_file(path)
        except OSError as error:
            raise ValidationError(
                "file", tr("无法读取文件“{name}”：{reason}", name=path.name, reason=error.strerror)
            ) from error
        with self._database.write(self._workspace.actor()) as session:
            parent = session.get(owner, owner_id)
            if parent is None or parent.deleted:
                raise NotFoundError(tr("要添加附件的记录已不存在（{id}）", id=owner_id))
            row = AttachmentRow(
                owner_table=owner_table,
                owner_id=owner_id,
                sha256=sha256,
                filename=path.name[:255],
                mime=mime,
                size=size,
                kind=chosen,
                caption=caption.strip(),
            )
            session.add(row)
            session.flush()
            return self._view(row)

    def remove(self, attachment_id: str) -> None:
        with self._database.write(self._workspace.actor()) as session:
            row = session.get(AttachmentRow, attachment_id)
            if row is None or row.deleted:
                raise NotFoundError(tr("找不到该附件（{id}）", id=attachment_id))
            row.deleted = True

    def restore(self, attachment_id: str) -> None:
        with self._database.write(self._workspace.actor()) as session:
            row = session.get(AttachmentRow, attachment_id)
            if row is None:
                raise NotFoundError(tr("找不到该附件（{id}）", id=attachment_id))
            row.deleted = False

    def path_of(self, sha256: str) -> Path:
        """Where the bytes are kept (they may not be there yet: see ``available``)."""
        return self._blobs.path(sha256)

    def thumbnail_path(self, sha256: str, size: int) -> Path:
        """Where a ``size``-pixel thumbnail of an image is cached (made by the UI)."""
        return self._workspace.data_dir / "thumbnails" / f"{sha256}-{size}.png"

    def _view(self, row: AttachmentRow) -> AttachmentView:
        try:
            available = self._blobs.has(row.sha256)
        except ValueError:
            available = False
        return AttachmentView(
            id=row.id,
            owner_table=row.owner_table,
            owner_id=row.owner_id,
            sha256=row.sha256,
            filename=row.filename,
            mime=row.mime,
            size=row.size,
            kind=row.kind,
            caption=row.caption,
            created_at=row.created_at,
            available=available,
        )


def _owner_table(name: str) -> type[Synced]:
    table = TABLE_BY_NAME.get(name)
    if table is None or name == "attachments":
        raise ValueError(f"attachments cannot belong to {name!r}")
    return table


def _kind_for(path: Path, mime: str) -> str:
    if mime.startswith("image/") or path.suffix.lower() in IMAGE_SUFFIXES:
        return AttachmentKind.PHOTO.value
    return AttachmentKind.DOCUMENT.value
