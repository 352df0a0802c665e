"""Squads and their members (the app's users)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database.tables.base import Base, Synced, ref


class SquadRow(Synced, Base):
    __tablename__ = "squads"

    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str | None] = mapped_column(String(6))
    focus: Mapped[str] = mapped_column(Text, default="")


class MemberRow(Synced, Base):
    __tablename__ = "members"

    name: Mapped[str] = mapped_column(String(50))
    username: Mapped[str | None] = mapped_column(String(50), index=True)
    squad_id: Mapped[str | None] = ref("squads")
    role: Mapped[str] = mapped_column(String(20), default="member")
    title: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
