"""统一社会信用代码 (Unified Social Credit Code, GB 32100-2015).

Eighteen characters from ``ALPHABET`` (digits and capital letters without I, O, Z, S, V):

====== ===============================================================
pos 1  登记管理部门码 (registration department)
pos 2  机构类别码 (organisation category, per department)
3–8    登记管理机关行政区划码 (GB/T 2260 division code of the registrar)
9–17   主体标识码 / 组织机构代码 (GB 11714: 8 body characters + check character)
pos 18 校验码 (check character over positions 1–17, modulo 31)
====== ===============================================================

Department and category codes follow the table of GB 32100-2015 with its later additions
(A 中央军委改革和编制办公室, N 农业, Y 其他), see ``CATEGORIES``.

The region must be a code in the shipped GB/T 2260 list, including abolished codes (old
registrations keep the code they were issued under). ``NATIONAL_REGION`` (100000) is also accepted:
registrars at national level (e.g. 中央编办 for central organs) use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.domain.errors import ValidationError
from app.domain.regions import is_known_region
from app.i18n import tr

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters a USCC may contain; a character's value is its index."""

WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
"""Weights of positions 1–17 (3**(i-1) mod 31)."""

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
"""GB 11714 weights of the eight body characters of an organisation code."""

NATIONAL_REGION = "100000"
"""Region code used by national-level registrars; not a GB/T 2260 division but valid here."""

CATEGORIES: Mapping[str, Mapping[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "2": {"1": "外国常驻新闻机构", "9": "其他"},
    "3": {
        "1": "律师执业机构",
        "2": "公证处",
        "3": "基层法律服务所",
        "4": "司法鉴定机构",
        "5": "仲裁委员会",
        "9": "其他",
    },
    "4": {"1": "外国在华文化中心", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "6": {
        "1": "外国旅游部门常驻代表机构",
        "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
        "9": "其他",
    },
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},
    "8": {"1": "基层工会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他"},
    "N": {
        "1": "组级集体经济组织",
        "2": "村级集体经济组织",
        "3": "乡镇级集体经济组织",
        "9": "其他",
    },
    "Y": {"1": "其他"},
}
"""Valid 机构类别码 (pos 2) for each 登记管理部门码 (pos 1), with the category names."""

DEPARTMENTS: Mapping[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}
"""Names of the 登记管理部门码 (pos 1)."""

_VALUES = {char: value for value, char in enumerate(ALPHABET)}
_EXCLUDED_LETTERS = "IOZSV"


def _one_of(choices: Iterable[str]) -> str:
    codes = list(choices)
    if len(codes) == 1:
        return codes[0]
    return tr("{codes} 之一", codes="、".join(codes))


def normalise_uscc(raw: str) -> str:
    """Remove all whitespace (also U+3000), turn full-width ASCII into half-width, upper-case."""
    chars: list[str] = []
    for char in raw:
        point = ord(char)
        if 0xFF01 <= point <= 0xFF5E:
            char = chr(point - 0xFEE0)
        if char.isspace():
            continue
        chars.append(char.upper() if "a" <= char <= "z" else char)
    return "".join(chars)


def uscc_check_char(first17: str) -> str:
    """The 18th character for ``first17`` (17 characters from ``ALPHABET``)."""
    if len(first17) != 17 or any(char not in _VALUES for char in first17):
        raise ValueError(f"need 17 characters from the USCC alphabet, got {first17!r}")
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """GB 11714 check character of an eight-character organisation code body (0-9, A-Z)."""
    if len(body8) != 8 or not body8.isascii() or not all(c.isdigit() or c.isupper() for c in body8):
        raise ValueError(f"need 8 characters 0-9/A-Z, got {body8!r}")
    total = sum(
        (int(char) if char.isdigit() else ord(char) - ord("A") + 10) * weight
        for char, weight in zip(body8, ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def region_of_uscc(code: str) -> str:
    """The registrar's division code (positions 3–8) of a USCC."""
    text = normalise_uscc(code)
    if len(text) != 18:
        raise ValueError(f"a USCC has 18 characters, got {len(text)}")
    return text[2:8]


def make_uscc(dept: str, category: str, region: str, org_body8: str) -> str:
    """Build a valid code from its parts, computing both check characters.

    Raises ``ValueError`` when a part is not valid (this is for generated data, not user input).
    """
    dept, category = normalise_uscc(dept), normalise_uscc(category)
    region, body = normalise_uscc(region), normalise_uscc(org_body8)
    if category not in CATEGORIES.get(dept, {}):
        raise ValueError(f"no category {category!r} under department {dept!r}")
    if region != NATIONAL_REGION and not is_known_region(region):
        raise ValueError(f"unknown GB/T 2260 region {region!r}")
    if len(body) != 8 or any(char not in _VALUES for char in body):
        raise ValueError(f"organisation code body must be 8 USCC characters, got {org_body8!r}")
    first17 = dept + category + region + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def validate_uscc(raw: str, field: str = "uscc") -> str:
    """The canonical 18-character code, or ``ValidationError(field, …)`` saying what is wrong.

    Lower case, full-width characters and spaces are accepted and normalised first.
    """
    code = normalise_uscc(raw)
    if not code:
        raise ValidationError(field, tr("请填写统一社会信用代码"))
    if len(code) != 18:
        raise ValidationError(
            field, tr("统一社会信用代码应为 18 位，当前为 {count} 位", count=len(code))
        )
    for position, char in enumerate(code, start=1):
        if char in _VALUES:
            continue
        if char in _EXCLUDED_LETTERS:
            message = tr(
                "统一社会信用代码第 {position} 位“{char}”不是合法字符："
                "代码不使用字母 I、O、Z、S、V",
                position=position,
                char=char,
            )
        else:
            message = tr(
                "统一社会信用代码第 {position} 位“{char}”不是合法字符：只能是数字或大写字母",
                position=position,
                char=char,
            )
        raise ValidationError(field, message)

    dept, category, region = code[0], code[1], code[2:8]
    if dept not in CATEGORIES:
        raise ValidationError(
            field,
            tr(
                "统一社会信用代码第 1 位登记管理部门码“{char}”无效，应为 {allowed}",
                char=dept,
                allowed=_one_of(CATEGORIES),
            ),
        )
    if category not in CATEGORIES[dept]:
        raise ValidationError(
            field,
            tr(
                "统一社会信用代码第 2 位机构类别码“{char}”与登记管理部门码“{dept}”不符，"
                "应为 {allowed}",
                char=category,
                dept=dept,
                allowed=_one_of(CATEGORIES[dept]),
            ),
        )
    if not region.isdigit():
        raise ValidationError(
            field,
            tr("统一社会信用代码第 3–8 位行政区划码“{region}”应为 6 位数字", region=region),
        )
    if region != NATIONAL_REGION and not is_known_region(region):
        raise ValidationError(
            field,
            tr(
                "统一社会信用代码第 3–8 位行政区划码“{region}”不是有效的行政区划代码",
                region=region,
            ),
        )
    org_expected = org_code_check_char(code[8:16])
    if code[16] != org_expected:
        raise ValidationError(
            field,
            tr(
                "统一社会信用代码第 9–17 位组织机构代码校验位错误："
                "第 17 位应为“{expected}”，实际为“{actual}”",
                expected=org_expected,
                actual=code[16],
            ),
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            field,
            tr(
                "统一社会信用代码校验码错误：按前 17 位计算，第 18 位应为“{expected}”，"
                "实际为“{actual}”，请核对整个代码",
                expected=expected,
                actual=code[17],
            ),
        )
    return code
