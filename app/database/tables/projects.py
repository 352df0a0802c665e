"""Projects from lead to production, their stage history, funds received and problems raised."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database.tables.base import Base, Synced, ref
from app.database.types import MoneyType
from app.domain.money import Money


class ProjectRow(Synced, Base):
    __tablename__ = "projects"

    name: Mapped[str] = mapped_column(String(200))
    enterprise_id: Mapped[str] = ref("enterprises", nullable=False)
    squad_id: Mapped[str | None] = ref("squads")
    responsible_id: Mapped[str | None] = ref("members")
    chain_link_id: Mapped[str | None] = ref("chain_links")
    stage: Mapped[str] = mapped_column(String(20), default="lead", index=True)
    stage_on: Mapped[dt.date | None] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text, default="")
    site: Mapped[str] = mapped_column(String(200), default="")
    land_mu: Mapped[Decimal | None] = mapped_column(Numeric(12, 2, asdecimal=True))
    contract_amount: Mapped[Money | None] = mapped_column(MoneyType())
    phase1_amount: Mapped[Money | None] = mapped_column(MoneyType())
    signed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)


class StageChangeRow(Synced, Base):
    """One dated move of a project through the pipeline (append-only)."""

    __tablename__ = "project_stage_changes"

    project_id: Mapped[str] = ref("projects", nullable=False)
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    changed_on: Mapped[dt.date] = mapped_column(Date, index=True)
    changed_by_id: Mapped[str | None] = ref("members")
    note: Mapped[str] = mapped_column(Text, default="")


class FundingEntryRow(Synced, Base):
    """Capital actually received (实际到资), dated; the running sum is the cumulative figure."""

    __tablename__ = "funding_entries"

    project_id: Mapped[str] = ref("projects", nullable=False)
    received_on: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Money] = mapped_column(MoneyType())
    note: Mapped[str] = mapped_column(Text, default="")


class ProblemRow(Synced, Base):
    """A problem the enterprise asked us to solve (诉求), with owner, deadline and closure."""

    __tablename__ = "problems"

    enterprise_id: Mapped[str] = ref("enterprises", nullable=False)
    project_id: Mapped[str | None] = ref("projects")
    owner_id: Mapped[str | None] = ref("members")
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")
    raised_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
