"""Declarative base and the sync metadata every synced row carries (DESIGN §5)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import Boolean, ForeignKey, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.database.types import UTCDateTime, id_column_type, utc_now
from app.domain.ids import new_id

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Synced:
    """Mixin for tables that sync: client-made UUIDv7 id, audit stamps, server version, tombstone.

    Rows are never physically deleted; ``deleted`` is the tombstone. ``row_version`` is the
    server's version of the row (0 until the server has accepted it).
    """

    synced: ClassVar[bool] = True

    id: Mapped[str] = mapped_column(id_column_type(), primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_by: Mapped[str | None] = mapped_column(String(36))
    row_version: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


SYNC_COLUMNS = frozenset({"id", "created_at", "updated_at", "updated_by", "row_version", "deleted"})


def ref(target: str, *, nullable: bool = True, index: bool = True) -> Any:
    """A foreign key to another synced table's id."""
    return mapped_column(
        id_column_type(), ForeignKey(f"{target}.id"), nullable=nullable, index=index
    )
