"""What one spreadsheet cell means for one field: text as shown, and the value to validate.

Cells come as openpyxl gives them (str, int, float, datetime, date, bool) or as CSV text.
Full-width digits and Latin letters become half-width everywhere (names keep their full-width
brackets: ``（）`` is the registered form). Dates may be Excel dates, Excel serial numbers,
``2026-01-05``, ``2026/1/5``, ``2026年1月5日`` or ``20260105``; amounts are in 万元 unless the
text or the header says 亿元/万元/元.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from app.domain.enterprise import label, parse_form_value
from app.domain.errors import ValidationError
from app.domain.industries import industries, industry
from app.domain.money import Money, parse_wan
from app.domain.regions import current_regions, is_known_region
from app.domain.uscc import normalise_uscc
from app.i18n import tr

_HALF_WIDTH = {
    **{0xFF10 + n: 0x30 + n for n in range(10)},
    **{0xFF21 + n: 0x41 + n for n in range(26)},
    **{0xFF41 + n: 0x61 + n for n in range(26)},
    0x3000: 0x20,
}
_TIME_PART = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_EXCEL_SERIAL = (1, 100_000)  # 1900-01-01 … 2173: a plain number in a date column
_CURRENCY = ("人民币", "RMB", "CNY", "¥", "￥")


def half_width(text: str) -> str:
    """Full-width digits and Latin letters (and the ideographic space) made half-width."""
    return text.translate(_HALF_WIDTH)


def cell_text(value: object) -> str:
    """The cell as a person reads it: dates as 2026-01-05, 5000.0 as 5000, text trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return tr("是") if value else tr("否")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return _number_text(value)
    return str(value).strip()


def _number_text(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)).normalize(), "f")


def field_value(field: str, value: object, header: str = "", unit: str = "") -> Any:
    """The value of ``field`` as ``validate_enterprise_changes`` takes it, or None when blank.

    Raises ``ValidationError(field, …)`` when the cell cannot be read as that field.
    ``unit`` is the unit the column header names (亿元, 万元, 元) for amounts.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if field == "founded_on":
        return _date(value)
    if field == "registered_capital":
        return _money(value, unit)
    if field == "land_mu" and isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(_number_text(float(value)))
    if field == "workforce_need" and isinstance(value, float) and value.is_integer():
        return int(value)
    if field == "workforce_need" and isinstance(value, int) and not isinstance(value, bool):
        return value
    text = half_width(cell_text(value)).strip()
    if not text:
        return None
    if field == "region_code":
        return _region(text)
    if field == "industry_code":
        return _industry(text)
    if field == "uscc":
        return normalise_uscc(text)  # spaces inside, full width, lower case
    if field in ("land_mu", "workforce_need"):
        return parse_form_value(field, text)
    return text


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        low, high = _EXCEL_SERIAL
        if number.is_integer() and low <= number < high:
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(number))
    text = _TIME_PART.sub("", half_width(cell_text(value)).strip())
    parsed = parse_form_value("founded_on", text)
    assert isinstance(parsed, dt.date)
    return parsed


def _money(value: object, unit: str) -> Money:
    field = "registered_capital"
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = _number_text(float(value))
    else:
        text = half_width(cell_text(value)).strip()
    for mark in _CURRENCY:
        text = text.replace(mark, "")
    text = text.strip()
    if text.endswith(("美元", "港元", "港币", "欧元", "日元")):
        raise ValidationError(
            field,
            tr("{field}“{value}”不是人民币金额，请换算成万元", field=label(field), value=text),
        )
    suffixed = text.endswith(("亿元", "亿", "万元", "万"))
    if not suffixed and (text.endswith("元") or (unit == "元" and text)):
        try:
            return Money.from_yuan(Decimal(text.removesuffix("元").replace(",", "")))
        except (InvalidOperation, ValueError):
            raise ValidationError(field, tr("金额“{raw}”不是数字", raw=text)) from None
    if not suffixed and unit in ("亿元", "亿"):
        text += "亿"
    return parse_wan(text, field)


def _region(text: str) -> str:
    code = text.split()[0]
    if code.isdigit():
        return code
    found = _region_codes_by_name().get(text.replace(" ", ""))
    if found is None:
        raise ValidationError(
            "region_code",
            tr(
                "{field}“{value}”既不是 6 位区划代码，"
                "也不是完整的地区名称（如 江苏省苏州市吴中区）",
                field=label("region_code"),
                value=text,
            ),
        )
    return found


def _industry(text: str) -> str:
    code = text.split()[0]
    if industry(code) is not None:
        return code
    found = _industry_codes_by_name().get(text.replace(" ", ""))
    return found if found is not None else code  # the domain names what is wrong with it


@cache
def _region_codes_by_name() -> dict[str, str]:
    """Full and short names of current regions → code (a name used twice is left out)."""
    by_name: dict[str, str] = {}
    twice: set[str] = set()
    for region in current_regions():
        if not is_known_region(region.code):
            continue
        for name in {region.name, region.county or region.prefecture or region.province}:
            if not name or name == "市辖区":
                continue
            if name in by_name and by_name[name] != region.code:
                twice.add(name)
            by_name.setdefault(name, region.code)
    return {name: code for name, code in by_name.items() if name not in twice}


@cache
def _industry_codes_by_name() -> dict[str, str]:
    """Industry names → the most general code that carries the name."""
    by_name: dict[str, str] = {}
    for entry in industries():
        by_name.setdefault(entry.name, entry.code)
    return by_name
