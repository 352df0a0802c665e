"""Attachments: photos, scans and evidence files linked to any record."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database.tables.base import Base, Synced


class AttachmentRow(Synced, Base):
    """A file attached to any record; the bytes live content-addressed by SHA-256."""

    __tablename__ = "attachments"

    owner_table: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[str] = mapped_column(String(36), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(30), default="document")
    caption: Mapped[str] = mapped_column(Text, default="")
