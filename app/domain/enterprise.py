"""Enterprise dossiers: which fields a user edits, and the rules each must satisfy."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.domain.contact import ContactDraft
from app.domain.errors import ValidationError
from app.domain.industries import validate_industry_code
from app.domain.money import Money, parse_wan
from app.domain.names import name_key, pinyin_initials
from app.domain.regions import is_known_region
from app.domain.uscc import region_of_uscc, validate_uscc
from app.domain.vocabulary import HonourKind, IntentLevel
from app.i18n import mark, tr

TEXT_LIMITS: Mapping[str, int] = {
    "name": 200,
    "legal_representative": 50,
    "headquarters": 200,
    "address": 300,
    "website": 200,
    "water_need": 100,
    "power_need": 100,
}
LONG_TEXT = ("profile", "investment_intent", "site_preference")

FIELD_LABELS: Mapping[str, str] = {
    "name": mark("企业名称"),
    "uscc": mark("统一社会信用代码"),
    "region_code": mark("行政区划"),
    "industry_code": mark("行业代码"),
    "registered_capital": mark("注册资本"),
    "legal_representative": mark("法定代表人"),
    "headquarters": mark("总部所在地"),
    "address": mark("地址"),
    "founded_on": mark("成立日期"),
    "website": mark("网站"),
    "profile": mark("企业简介"),
    "investment_intent": mark("投资意向"),
    "intent_level": mark("意向强度"),
    "land_mu": mark("用地需求（亩）"),
    "water_need": mark("用水需求"),
    "power_need": mark("用电需求"),
    "workforce_need": mark("用工需求（人）"),
    "site_preference": mark("选址偏好"),
    "tags": mark("标签"),
    "squad_id": mark("所属小分队"),
    "owner_id": mark("包抓责任人"),
}
EDITABLE_FIELDS = frozenset(FIELD_LABELS)
FIRST_HONOUR_YEAR = 1949
# 2015-06-30, 2015/6/30, 2015.6.30, 2015年6月30日 (any separators), or 20150630.
_DATE_FORMS = (
    re.compile(r"^(\d{4})\D{1,2}(\d{1,2})\D{1,2}(\d{1,2})\D?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_TRAILING_UNIT = re.compile(r"\s*[^\d.\s]+$")  # 亩, 人, mu …


@dataclass(frozen=True, slots=True)
class HonourDraft:
    """The enterprise on one honour list (kind, year, batch); ``entry_id`` once saved."""

    kind: str
    year: int
    batch: str = ""
    entry_id: str | None = None


@dataclass(frozen=True, slots=True)
class EnterpriseEdit:
    """One save of the dossier editor: fields, and the whole wanted lists of the rest.

    ``enterprise_id`` None creates. ``fields`` are the changed fields (all of them on create).
    A list left None is not touched; a tuple is what the enterprise has after the save.
    """

    enterprise_id: str | None
    fields: Mapping[str, Any]
    contacts: tuple[ContactDraft, ...] | None = None
    honours: tuple[HonourDraft, ...] | None = None
    link_ids: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class EnterpriseIdentity:
    """The derived matching keys of an enterprise name."""

    name_key: str
    name_initials: str


def identity_of(name: str) -> EnterpriseIdentity:
    return EnterpriseIdentity(name_key=name_key(name), name_initials=pinyin_initials(name))


def label(field: str) -> str:
    return tr(FIELD_LABELS.get(field, field))


def validate_enterprise_changes(
    changes: Mapping[str, Any], *, creating: bool, today: dt.date | None = None
) -> dict[str, Any]:
    """Check and normalise edited fields; raise ``ValidationError`` naming the first bad one."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    today = today or dt.date.today()
    clean: dict[str, Any] = {}
    for field, value in changes.items():
        clean[field] = _check_field(field, value, today)
    if creating and not clean.get("name"):
        raise ValidationError("name", tr("请填写{field}", field=label("name")))
    if clean.get("uscc") and not clean.get("region_code") and "region_code" not in changes:
        clean["region_code"] = region_of_uscc(clean["uscc"])
    return clean


def _check_field(field: str, value: Any, today: dt.date) -> Any:
    if field in TEXT_LIMITS or field in LONG_TEXT or field == "tags":
        text = _text(field, value)
        limit = TEXT_LIMITS.get(field)
        if limit is not None and len(text) > limit:
            raise ValidationError(
                field, tr("{field}不能超过 {limit} 个字", field=label(field), limit=limit)
            )
        if field == "name" and not text:
            raise ValidationError(field, tr("请填写{field}", field=label(field)))
        if field == "tags":
            return ",".join(dict.fromkeys(t.strip() for t in _split_tags(text) if t.strip()))
        return text
    if value is None or value == "":
        return None
    if field == "uscc":
        return validate_uscc(str(value), field)
    if field == "region_code":
        code = str(value).strip()
        if not (len(code) == 6 and code.isdigit() and is_known_region(code)):
            raise ValidationError(
                field, tr("{field}“{code}”不在 GB/T 2260 代码表中", field=label(field), code=code)
            )
        return code
    if field == "industry_code":
        return validate_industry_code(str(value), field)
    if field == "registered_capital":
        if not isinstance(value, Money) or value.fen < 0:
            raise ValidationError(field, tr("{field}必须是不小于零的金额", field=label(field)))
        return value
    if field == "founded_on":
        if not isinstance(value, dt.date) or value > today:
            raise ValidationError(field, tr("{field}不能晚于今天", field=label(field)))
        return value
    if field == "land_mu":
        amount = Decimal(str(value))
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(
                field, tr("{field}必须是不小于零、最多两位小数的数字", field=label(field))
            )
        return amount
    if field == "workforce_need":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(field, tr("{field}必须是不小于零的整数", field=label(field)))
        return value
    if field == "intent_level":
        try:
            return IntentLevel.parse(str(value)).value
        except ValueError:
            raise ValidationError(
                field, tr("{field}“{value}”无效", field=label(field), value=value)
            ) from None
    return str(value)  # squad_id / owner_id: checked against the database by the service


def _text(field: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(field, tr("{field}必须是文字", field=label(field)))
    return value.strip()


def _split_tags(text: str) -> list[str]:
    for separator in ("，", "、", ";", "；", " "):
        text = text.replace(separator, ",")
    return text.split(",")


def validate_honour(draft: HonourDraft, today: dt.date | None = None) -> HonourDraft:
    """The draft with a known kind, a plausible year and a trimmed batch."""
    this_year = (today or dt.date.today()).year
    try:
        kind = HonourKind.parse(draft.kind).value
    except ValueError:
        raise ValidationError("honour_kind", tr("请选择荣誉类别")) from None
    if not FIRST_HONOUR_YEAR <= draft.year <= this_year + 1:
        raise ValidationError(
            "honour_year",
            tr(
                "年份应在 {first} 到 {last} 之间",
                first=FIRST_HONOUR_YEAR,
                last=this_year + 1,
            ),
        )
    batch = draft.batch.strip()
    if len(batch) > 50:
        raise ValidationError("honour_batch", tr("批次不能超过 {limit} 个字", limit=50))
    return HonourDraft(kind=kind, year=draft.year, batch=batch, entry_id=draft.entry_id)


def parse_form_value(field: str, raw: str) -> Any:
    """What a form's text box means for ``field``: money in 万元, dates, numbers, codes.

    Empty text means "not recorded" (None, or "" for text fields). Raises ``ValidationError``
    naming the field when the text cannot be read; the value's rules are checked later by
    ``validate_enterprise_changes``.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    if field in TEXT_LIMITS or field in LONG_TEXT or field == "tags":
        return raw.strip()
    if not text:
        return None
    if field == "registered_capital":
        return parse_wan(text, field)
    if field == "founded_on":
        return _parse_date(field, text)
    if field == "land_mu":
        amount = _TRAILING_UNIT.sub("", text)
        try:
            return Decimal(amount)
        except ArithmeticError:
            raise ValidationError(
                field, tr("{field}“{value}”不是数字", field=label(field), value=raw.strip())
            ) from None
    if field == "workforce_need":
        count = _TRAILING_UNIT.sub("", text)
        if not count.isdigit():
            raise ValidationError(field, tr("{field}必须是不小于零的整数", field=label(field)))
        return int(count)
    if field in ("region_code", "industry_code", "uscc"):
        return text.split()[0] if field != "uscc" else text
    return text


def _parse_date(field: str, text: str) -> dt.date:
    for form in _DATE_FORMS:
        found = form.match(text)
        if found:
            try:
                return dt.date(*(int(part) for part in found.groups()))
            except ValueError:
                break
    raise ValidationError(
        field,
        tr(
            "{field}“{value}”不是有效日期，请按 2015-06-30 的格式填写",
            field=label(field),
            value=text,
        ),
    )


def is_blank(field: str, value: Any) -> bool:
    """Whether a stored field value says "nothing recorded" (merging fills such fields)."""
    if field == "intent_level":
        return value in (None, "", IntentLevel.UNKNOWN.value)
    return value is None or value == ""
