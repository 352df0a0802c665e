"""GB/T 4754-2017 《国民经济行业分类》 (with its 2019 amendment No. 1): 门类 → 大类 → 中类 → 小类.

The code list ships as ``resources/data/gb4754/industries.tsv`` (see the README there). Codes:

* section (门类): one letter A–T, e.g. "C" 制造业
* division (大类): two digits, e.g. "39"
* group (中类): three digits, e.g. "398"
* class (小类): four digits, e.g. "3985"

A group with a single class shares its name with it and the class code ends in 0 (019 / 0190
其他农业). Codes are accepted with or without the section letter in front ("C3985" and "3985"
are the same); the canonical form is the bare number (the letter for sections).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from app.domain.errors import ValidationError
from app.i18n import tr
from resources import resource_path

LEVELS = ("section", "division", "group", "class")
"""Levels from the top: 门类, 大类, 中类, 小类."""

_LEVEL_BY_LENGTH = {2: "division", 3: "group", 4: "class"}


@dataclass(frozen=True, slots=True)
class Industry:
    """One entry of the classification; ``parent`` is the parent's code (None for a section)."""

    code: str
    name: str
    level: str
    parent: str | None


@cache
def _table() -> dict[str, Industry]:
    path = resource_path("data", "gb4754", "industries.tsv")
    table: dict[str, Industry] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            code, name, level, parent = line.rstrip("\n").split("\t")
            table[code] = Industry(code=code, name=name, level=level, parent=parent or None)
    return table


@cache
def _section_of_division() -> dict[str, str]:
    return {i.code: i.parent for i in _table().values() if i.level == "division" and i.parent}


def _clean(raw: str) -> str:
    chars: list[str] = []
    for char in raw:
        point = ord(char)
        if 0xFF01 <= point <= 0xFF5E:  # full-width ASCII → half-width
            char = chr(point - 0xFEE0)
        if not char.isspace():
            chars.append(char.upper() if "a" <= char <= "z" else char)
    return "".join(chars)


def _canonical(raw: str) -> str | None:
    """The canonical code for ``raw`` if it is a known code in any accepted form, else None."""
    text = _clean(raw)
    table = _table()
    if len(text) == 1:
        return text if text in table and table[text].level == "section" else None
    letter = ""
    if text[:1].isalpha():
        letter, text = text[0], text[1:]
    if not (text.isascii() and text.isdigit() and len(text) in _LEVEL_BY_LENGTH):
        return None
    if text not in table:
        return None
    if letter and _section_of_division().get(text[:2]) != letter:
        return None
    return text


def industry(code: str) -> Industry | None:
    """The entry for ``code`` ("C3985", "3985", "c", "39" …), or None if there is none."""
    canonical = _canonical(code)
    return _table()[canonical] if canonical is not None else None


def is_known_industry(code: str) -> bool:
    """Whether ``code`` names an entry of GB/T 4754-2017 (at any level)."""
    return _canonical(code) is not None


def industry_path(code: str) -> list[Industry]:
    """The chain from the section down to ``code`` (e.g. E → 48 → 485 → 4853); [] if unknown."""
    found = industry(code)
    chain: list[Industry] = []
    table = _table()
    while found is not None:
        chain.append(found)
        found = table[found.parent] if found.parent is not None else None
    chain.reverse()
    return chain


def industries(level: str | None = None) -> list[Industry]:
    """Every entry in code order (sections before their divisions), or only those of ``level``."""
    if level is not None and level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    return [i for i in _table().values() if level is None or i.level == level]


def validate_industry_code(raw: str, field: str = "industry_code") -> str:
    """The canonical code, or ``ValidationError(field, …)`` naming the code and the problem."""
    text = _clean(raw)
    if not text:
        raise ValidationError(field, tr("请填写行业代码"))
    canonical = _canonical(text)
    if canonical is not None:
        return canonical
    digits = text[1:] if text[:1].isalpha() and len(text) > 1 else text
    well_formed = (len(text) == 1 and "A" <= text <= "Z") or (
        digits.isascii() and digits.isdigit() and len(digits) in _LEVEL_BY_LENGTH
    )
    if not well_formed:
        raise ValidationError(
            field,
            tr(
                "行业代码“{code}”格式不正确：应为门类字母（A–T）或 2–4 位数字，"
                "可带门类字母，如 C3985",
                code=text,
            ),
        )
    if digits in _table() and len(text) > len(digits):
        expected = _section_of_division()[digits[:2]]
        raise ValidationError(
            field,
            tr(
                "行业代码“{code}”的门类字母与代码不符：{digits} 属于门类 {expected}",
                code=text,
                digits=digits,
                expected=expected,
            ),
        )
    raise ValidationError(
        field,
        tr("行业代码“{code}”不在《国民经济行业分类》（GB/T 4754—2017）中", code=text),
    )
