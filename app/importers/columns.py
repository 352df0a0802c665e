"""Which enterprise field each column of a list holds: known headers and the editable mapping.

Headers are matched after normalising (全角→半角, case, spaces, a trailing ``*`` or ``:``) and
with a bracketed unit removed (注册资本（万元） → 注册资本). The mapping is a plain value: the
caller may change it with ``with_field`` and hand it back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain.enterprise import FIELD_LABELS
from app.i18n import mark, tr

NOT_IMPORTED = ""
CONTACT_FIELDS = ("contact_name", "contact_title", "contact_phone")
"""A primary contact (联系人) made for a new enterprise from these three columns."""

CONTACT_LABELS: Mapping[str, str] = {
    "contact_name": mark("联系人"),
    "contact_title": mark("联系人职务"),
    "contact_phone": mark("联系电话"),
}

ENTERPRISE_FIELDS = (
    "name",
    "uscc",
    "industry_code",
    "region_code",
    "registered_capital",
    "legal_representative",
    "headquarters",
    "address",
    "founded_on",
    "website",
    "profile",
    "investment_intent",
    "intent_level",
    "land_mu",
    "water_need",
    "power_need",
    "workforce_need",
    "site_preference",
    "tags",
)
IMPORT_FIELDS = ENTERPRISE_FIELDS + CONTACT_FIELDS
"""Every field a column can be mapped to, in the order the mapping step lists them."""

_ALIASES: Mapping[str, tuple[str, ...]] = {
    "name": (
        "企业名称",
        "单位名称",
        "公司名称",
        "企业全称",
        "单位全称",
        "名称",
        "企业",
        "name",
        "company",
        "companyname",
        "enterprise",
        "enterprisename",
    ),
    "uscc": (
        "统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "统一代码",
        "uscc",
        "creditcode",
        "unifiedsocialcreditcode",
        "socialcreditcode",
    ),
    "industry_code": (
        "所属行业",
        "行业代码",
        "行业",
        "行业分类",
        "国民经济行业",
        "industry",
        "industrycode",
    ),
    "region_code": (
        "行政区划",
        "行政区划代码",
        "地区代码",
        "区划代码",
        "所在地区",
        "地区",
        "region",
        "regioncode",
    ),
    "registered_capital": ("注册资本", "注册资金", "registeredcapital", "capital"),
    "legal_representative": ("法定代表人", "法人", "法人代表", "legalrepresentative"),
    "headquarters": ("总部", "总部所在地", "总部地址", "headquarters", "hq"),
    "address": ("地址", "注册地址", "企业地址", "详细地址", "通讯地址", "address"),
    "founded_on": (
        "成立日期",
        "成立时间",
        "注册日期",
        "founded",
        "foundedon",
        "established",
        "datefounded",
    ),
    "website": ("网站", "网址", "官网", "企业网站", "website", "url"),
    "profile": ("企业简介", "公司简介", "简介", "profile"),
    "investment_intent": ("投资意向", "意向", "investmentintent", "intent"),
    "intent_level": ("意向强度", "意向等级", "intentlevel"),
    "land_mu": ("用地需求", "用地", "用地面积", "land", "landneed"),
    "water_need": ("用水需求", "用水", "waterneed"),
    "power_need": ("用电需求", "用电", "powerneed"),
    "workforce_need": ("用工需求", "用工", "workforceneed"),
    "site_preference": ("选址偏好", "选址", "sitepreference"),
    "tags": ("标签", "tags", "tag"),
    "contact_name": ("联系人", "联系人姓名", "contact", "contactperson", "contactname"),
    "contact_title": ("职务", "联系人职务", "title", "contacttitle"),
    "contact_phone": (
        "联系电话",
        "电话",
        "手机",
        "手机号",
        "联系方式",
        "phone",
        "mobile",
        "contactphone",
    ),
}
_FIELD_OF_HEADER = {alias: field for field, aliases in _ALIASES.items() for alias in aliases}
_UNIT = re.compile(r"\(([^()]*)\)$")
_NOISE = re.compile(r"[\s*:_\-]+")


def field_label(field: str) -> str:
    """What users call ``field`` (translated); ``不导入`` for a column left out."""
    if field == NOT_IMPORTED:
        return tr("不导入")
    if field in CONTACT_LABELS:
        return tr(CONTACT_LABELS[field])
    return tr(FIELD_LABELS.get(field, field))


def header_key(header: str) -> str:
    """A header as matched: half-width, lower case, no spaces or marks, unit removed."""
    text = unicodedata.normalize("NFKC", header).lower()
    text = _NOISE.sub("", text)
    return _UNIT.sub("", text)


def header_unit(header: str) -> str:
    """The unit a header names in brackets (注册资本（亿元） → 亿元), else ""."""
    text = _NOISE.sub("", unicodedata.normalize("NFKC", header))
    found = _UNIT.search(text)
    return found.group(1) if found else ""


def known_field(header: str) -> str | None:
    return _FIELD_OF_HEADER.get(header_key(header))


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """For each column of the sheet, the field it is imported into (``NOT_IMPORTED``: none)."""

    fields: tuple[str, ...]

    @classmethod
    def detect(cls, headers: Sequence[str]) -> ColumnMapping:
        """Known headers mapped automatically; a field goes to the first column that names it."""
        taken: set[str] = set()
        fields: list[str] = []
        for header in headers:
            field = known_field(header) if header else None
            if field is None or field in taken:
                fields.append(NOT_IMPORTED)
            else:
                taken.add(field)
                fields.append(field)
        return cls(tuple(fields))

    @classmethod
    def from_dict(cls, columns: Mapping[int, str], width: int) -> ColumnMapping:
        """From {column number (0-based): field}; columns not named are not imported."""
        return cls(tuple(columns.get(column, NOT_IMPORTED) for column in range(width)))

    def with_field(self, column: int, field: str) -> ColumnMapping:
        """This mapping with ``column`` imported into ``field`` (taken off any other column)."""
        if field != NOT_IMPORTED and field not in IMPORT_FIELDS:
            raise ValueError(f"not an import field: {field!r}")
        fields = [NOT_IMPORTED if f == field and field else f for f in self.fields]
        while len(fields) <= column:
            fields.append(NOT_IMPORTED)
        fields[column] = field
        return ColumnMapping(tuple(fields))

    def field_of(self, column: int) -> str:
        return self.fields[column] if 0 <= column < len(self.fields) else NOT_IMPORTED

    def column_of(self, field: str) -> int | None:
        return self.fields.index(field) if field in self.fields else None

    def mapped(self) -> tuple[tuple[int, str], ...]:
        """(column, field) of every imported column, left to right."""
        return tuple((column, f) for column, f in enumerate(self.fields) if f)

    @property
    def has_name(self) -> bool:
        return "name" in self.fields

    def recognised(self) -> int:
        return sum(1 for field in self.fields if field)
