"""Exact money. Stored as integer 分 (fen); entered and shown in 万元 / 亿元. Never float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import total_ordering

from app.domain.errors import ValidationError
from app.i18n import tr

_FEN_PER_WAN = 1_000_000  # 1 万元 = 10,000 元 = 1,000,000 分
_WAN_PER_YI = 10_000


@total_ordering
@dataclass(frozen=True, slots=True)
class Money:
    """An amount of Chinese yuan held exactly as integer fen."""

    fen: int

    @classmethod
    def from_wan(cls, wan: Decimal | int | str) -> Money:
        value = Decimal(wan) * _FEN_PER_WAN
        if value != value.to_integral_value():
            raise ValueError(f"{wan} 万元 is finer than one fen")
        return cls(int(value))

    @classmethod
    def from_yuan(cls, yuan: Decimal | int | str) -> Money:
        value = Decimal(yuan) * 100
        if value != value.to_integral_value():
            raise ValueError(f"{yuan} 元 is finer than one fen")
        return cls(int(value))

    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    @property
    def wan(self) -> Decimal:
        return Decimal(self.fen) / _FEN_PER_WAN

    @property
    def yi(self) -> Decimal:
        return self.wan / _WAN_PER_YI

    def __add__(self, other: Money) -> Money:
        return Money(self.fen + other.fen)

    def __sub__(self, other: Money) -> Money:
        return Money(self.fen - other.fen)

    def __lt__(self, other: Money) -> bool:
        return self.fen < other.fen

    def __bool__(self) -> bool:
        return self.fen != 0

    def format(self) -> str:
        """Human form: 亿元 from one 亿 up, else 万元; trailing zeros dropped."""
        if abs(self.wan) >= _WAN_PER_YI:
            return tr("{amount}亿元", amount=_plain(self.yi, 4))
        return tr("{amount}万元", amount=_plain(self.wan, 4))


def _plain(value: Decimal, places: int) -> str:
    quantised = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(quantised.normalize(), "f")
    return text


def parse_wan(raw: str, field: str) -> Money:
    """Parse user input in 万元 (digits, optional decimals, thousands separators, 亿 suffix)."""
    text = raw.strip().replace(",", "").replace("，", "").replace(" ", "")
    multiplier = Decimal(1)
    for suffix, factor in (("亿元", _WAN_PER_YI), ("亿", _WAN_PER_YI), ("万元", 1), ("万", 1)):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            multiplier = Decimal(factor)
            break
    try:
        value = Decimal(text) * multiplier
    except InvalidOperation:
        raise ValidationError(field, tr("金额“{raw}”不是数字", raw=raw)) from None
    if not value.is_finite():
        raise ValidationError(field, tr("金额“{raw}”不是数字", raw=raw))
    if value < 0:
        raise ValidationError(field, tr("金额不能为负数"))
    fen = value * _FEN_PER_WAN
    if fen != fen.to_integral_value():
        raise ValidationError(field, tr("金额最小单位为分"))
    return Money(int(fen))
