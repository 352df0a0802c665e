"""Bureau-wide rules (单位设置): evidence per gate, overdue thresholds, KPI formulas.

One row per setting key, its value JSON. Written by bureau admins and synced to every laptop;
``app.services.bureau_settings`` declares the keys, their types and defaults.
"""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database.tables.base import Base, Synced


class BureauSettingRow(Synced, Base):
    __tablename__ = "bureau_settings"

    key: Mapped[str] = mapped_column(String(60), index=True)
    value: Mapped[str] = mapped_column(Text)
