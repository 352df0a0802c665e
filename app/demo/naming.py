"""Demo enterprise names and places: unique registered names with their pinyin initials, built
from the county-level places of the demo's provinces.
"""

from __future__ import annotations

import random
from functools import cache
from typing import NamedTuple

from app.demo.draws import Weighted
from app.demo.vocabulary import BLOCKED_BRANDS, BRAND_CHARS, PROVINCES
from app.domain.names import name_key, pinyin_initials
from app.domain.regions import county_level_regions

_PLACEHOLDER_PREFECTURES = frozenset({"市辖区", "县", "省直辖县级行政区划", ""})
LEGAL_FORM = Weighted(("有限公司", "股份有限公司", "集团有限公司", "有限责任公司"), (60, 22, 8, 10))
MAJOR_LEGAL_FORM = Weighted(("集团有限公司", "股份有限公司", "集团股份有限公司"), (45, 45, 10))
TECH_WORD = Weighted(("", "科技", "技术"), (45, 45, 10))


class Place(NamedTuple):
    code: str
    full_name: str
    province: str
    city: str
    county_city: str  # short name when the county is a 县级市, else ""
    macro: str


@cache
def places_by_province() -> tuple[tuple[Place, ...], ...]:
    """Current county-level places for each province of ``PROVINCES``, in code order."""
    result = []
    for province in PROVINCES:
        places = []
        for prefix in province.city_prefixes:
            for region in county_level_regions(prefix):
                prefecture = region.prefecture
                city = (
                    province.short
                    if prefecture in _PLACEHOLDER_PREFECTURES
                    else (prefecture.removesuffix("市"))
                )
                county = region.county.removesuffix("市") if region.county.endswith("市") else ""
                places.append(
                    Place(region.code, region.name, province.short, city, county, province.macro)
                )
        result.append(tuple(places))
    return tuple(result)


class Namer:
    """Makes unique enterprise names and their pinyin initials (computed per name part)."""

    def __init__(self) -> None:
        self.brands = [
            first + second
            for first in dict.fromkeys(BRAND_CHARS)
            for second in dict.fromkeys(BRAND_CHARS)
            if first != second and first + second not in BLOCKED_BRANDS
        ]
        self.keys: set[str] = set()
        self._initials: dict[str, str] = {}
        # Brand characters read the same alone and in pairs (a test checks every pair), so a
        # brand's initials are its characters' initials: 80 lookups instead of 5,000.
        self._initials.update(
            (brand, self.initials(brand[0]) + self.initials(brand[1])) for brand in self.brands
        )

    def initials(self, *parts: str) -> str:
        out = []
        for part in parts:
            text = self._initials.get(part)
            if text is None:
                text = self._initials[part] = pinyin_initials(part)
            out.append(text)
        return "".join(out)

    def make(
        self, rng: random.Random, place: Place, words: tuple[str, ...], major: bool = False
    ) -> tuple[str, str, str]:
        """A new name not used before (by normalised key): (name, brand, initials). Major
        enterprises are groups or joint-stock companies named after their home region."""
        while True:
            brand = rng.choice(self.brands)
            word = rng.choice(words)
            tech = "" if word.endswith(("科技", "技术")) else TECH_WORD.draw(rng)
            legal = (MAJOR_LEGAL_FORM if major else LEGAL_FORM).draw(rng)
            form = rng.random() * (0.64 if major else 1.0)
            if form < 0.42:
                parts: tuple[str, ...] = (place.city, brand, word, tech, legal)
            elif form < 0.64:
                parts = (place.province, brand, word, tech, legal)
            elif form < 0.72 and place.county_city:
                parts = (place.county_city, brand, word, tech, legal)
            else:
                parts = (brand, word, tech, "（", place.city, "）", legal)
            name = "".join(parts)
            key = name_key(name)
            if key not in self.keys:
                self.keys.add(key)
                return name, brand, self.initials(*parts)
