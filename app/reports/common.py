"""Small pieces every report builder shares: the issuer line, file names, amounts."""

from __future__ import annotations

import re
from decimal import Decimal

from app.domain.money import Money
from app.i18n import tr

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def issuer_line(bureau_name: str, squad_name: str = "") -> str:
    """“江淮市投资促进局 · 新能源小分队”: who issues the document (never empty)."""
    parts = [part for part in (bureau_name.strip(), squad_name.strip()) if part]
    return " · ".join(parts) if parts else tr("招商小分队")


def file_stem(*parts: str) -> str:
    """A file name (no suffix) from ``parts`` joined by “-”, safe on Windows, macOS and Linux."""
    joined = "-".join(part.strip() for part in parts if part and part.strip())
    return (_UNSAFE.sub("_", joined).strip(" .") or "report")[:120]


def wan(amount: Money | None) -> Decimal | None:
    """An amount in 万元 for a ``ColumnKind.WAN`` cell (``None`` stays empty)."""
    return None if amount is None else amount.wan


def wan_text(amount: Money | None) -> str:
    """“12,345.67 万元” for running text and tiles; “—” when unknown."""
    if amount is None:
        return "—"
    return tr("{amount} 万元", amount=f"{amount.wan:,.2f}")
