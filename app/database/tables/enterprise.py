"""Enterprise dossiers, their contacts, honour directories and industry chains."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database.tables.base import Base, Synced, ref
from app.database.types import MoneyType
from app.domain.money import Money


class EnterpriseRow(Synced, Base):
    __tablename__ = "enterprises"

    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    name_initials: Mapped[str] = mapped_column(
        String(200), default="", server_default="", index=True
    )
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    region_code: Mapped[str | None] = mapped_column(String(6))
    industry_code: Mapped[str | None] = mapped_column(String(5))
    registered_capital: Mapped[Money | None] = mapped_column(MoneyType())
    legal_representative: Mapped[str] = mapped_column(String(50), default="")
    headquarters: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    website: Mapped[str] = mapped_column(String(200), default="")
    profile: Mapped[str] = mapped_column(Text, default="")
    investment_intent: Mapped[str] = mapped_column(Text, default="")
    intent_level: Mapped[str] = mapped_column(String(20), default="unknown")
    land_mu: Mapped[Decimal | None] = mapped_column(Numeric(12, 2, asdecimal=True))
    water_need: Mapped[str] = mapped_column(String(100), default="")
    power_need: Mapped[str] = mapped_column(String(100), default="")
    workforce_need: Mapped[int | None] = mapped_column(Integer)
    site_preference: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(Text, default="")
    squad_id: Mapped[str | None] = ref("squads")
    owner_id: Mapped[str | None] = ref("members")


class ContactRow(Synced, Base):
    __tablename__ = "contacts"

    enterprise_id: Mapped[str] = ref("enterprises", nullable=False)
    name: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    mobile: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(100), default="")
    wechat: Mapped[str] = mapped_column(String(50), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    is_primary: Mapped[bool] = mapped_column(default=False)


class HonourDirectoryRow(Synced, Base):
    """One published list: e.g. 2025 专精特新“小巨人” 第七批."""

    __tablename__ = "honour_directories"

    kind: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    batch: Mapped[str] = mapped_column(String(50), default="")
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(300), default="")


class DirectoryEntryRow(Synced, Base):
    """One enterprise on a list, matched to a dossier by USCC or exact registered name."""

    __tablename__ = "directory_entries"

    directory_id: Mapped[str] = ref("honour_directories", nullable=False)
    enterprise_name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    rank: Mapped[int | None] = mapped_column(Integer)
    enterprise_id: Mapped[str | None] = ref("enterprises")


class IndustryChainRow(Synced, Base):
    __tablename__ = "industry_chains"

    name: Mapped[str] = mapped_column(String(100))
    leader_name: Mapped[str] = mapped_column(String(50), default="")
    leader_title: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")


class ChainLinkRow(Synced, Base):
    __tablename__ = "chain_links"

    chain_id: Mapped[str] = ref("industry_chains", nullable=False)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[str] = mapped_column(String(20), default="midstream")
    kind: Mapped[str] = mapped_column(String(20), default="strengthen")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")


class EnterpriseLinkRow(Synced, Base):
    """An enterprise placed on a chain link (a target of that link, or already there)."""

    __tablename__ = "enterprise_links"

    enterprise_id: Mapped[str] = ref("enterprises", nullable=False)
    link_id: Mapped[str] = ref("chain_links", nullable=False)
    note: Mapped[str] = mapped_column(Text, default="")
