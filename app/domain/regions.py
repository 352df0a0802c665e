"""GB/T 2260 administrative division codes (行政区划代码), current and abolished.

The list ships as ``resources/data/gb2260/regions.tsv`` (see the README there for its source and
licence). Abolished codes are kept on purpose: a registration keeps the code of the district it was
made in, so a 统一社会信用代码 issued in 崇文区 (110103, merged into 东城区 in 2010) still carries
110103.

Each row has one code and the latest name the code carried; ``current`` tells whether that name is
still in use. The file is read once, on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from resources import resource_path

# Prefecture-level rows that are grouping placeholders, not places: left out of full names.
_PLACEHOLDERS = frozenset(
    {
        "市辖区",
        "县",
        "省直辖县级行政区划",
        "自治区直辖县级行政区划",
        "省直辖县级行政单位",
        "自治区直辖县级行政单位",
    }
)


@dataclass(frozen=True, slots=True)
class Region:
    """One six-digit division code with its latest name.

    ``province``/``prefecture``/``county`` are the names at each level ("" where the code is above
    that level, e.g. ``prefecture`` and ``county`` are "" for 110000); ``name`` is the full name
    such as "北京市东城区", with placeholder levels like 市辖区 left out.
    """

    code: str
    name: str
    province: str
    prefecture: str
    county: str
    current: bool

    @property
    def level(self) -> str:
        """ "province", "prefecture" or "county"."""
        if self.code.endswith("0000"):
            return "province"
        if self.code.endswith("00"):
            return "prefecture"
        return "county"


def _full_name(code: str, province: str, prefecture: str, county: str) -> str:
    if code.endswith("0000"):
        return province
    if code.endswith("00"):
        return province + prefecture
    middle = "" if prefecture in _PLACEHOLDERS else prefecture
    return province + middle + county


@cache
def _table() -> dict[str, Region]:
    path = resource_path("data", "gb2260", "regions.tsv")
    table: dict[str, Region] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            code, province, prefecture, county, current, _history = line.rstrip("\n").split("\t")
            table[code] = Region(
                code=code,
                name=_full_name(code, province, prefecture, county),
                province=province,
                prefecture=prefecture,
                county=county,
                current=current == "1",
            )
    return table


def region(code: str) -> Region | None:
    """The region with this exact six-digit code, current or abolished."""
    return _table().get(code.strip())


def is_known_region(code: str) -> bool:
    """Whether ``code`` is a GB/T 2260 code, including abolished ones (110103 崇文区 is known)."""
    return region(code) is not None


def region_name(code: str) -> str | None:
    """Full name such as "北京市东城区" for 110101, or None for an unknown code."""
    found = region(code)
    return found.name if found is not None else None


def province_of(code: str) -> str | None:
    """Name of the province-level division a code belongs to ("62…" → "甘肃省").

    Works on any code whose first two digits are a province, even one not itself in the list
    (the province is still known); None otherwise.
    """
    text = code.strip()
    if len(text) < 2 or not text[:2].isascii() or not text[:2].isdigit():
        return None
    found = _table().get(text[:2] + "0000")
    return found.province if found is not None else None


def current_regions() -> list[Region]:
    """Every code in use today (all levels), in code order."""
    return [found for found in _table().values() if found.current]


def county_level_regions(province_code_prefix: str | None = None) -> list[Region]:
    """Current county-level divisions (区、县、县级市、旗…), optionally within a code prefix.

    ``province_code_prefix`` is a code prefix such as "62" (甘肃省) or "6201" (兰州市). The
    placeholder rows named 市辖区 are not places and are left out.
    """
    prefix = (province_code_prefix or "").strip()
    return [
        found
        for found in _table().values()
        if found.current
        and found.level == "county"
        and found.county != "市辖区"
        and found.code.startswith(prefix)
    ]
