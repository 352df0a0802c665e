"""The shipped GB/T 2260 and GB/T 4754-2017 code lists and their lookups."""

from __future__ import annotations

from collections import Counter

import pytest

from app.domain import regions
from app.domain.errors import ValidationError
from app.domain.industries import (
    LEVELS,
    industries,
    industry,
    industry_path,
    is_known_industry,
    validate_industry_code,
)
from app.domain.regions import (
    county_level_regions,
    current_regions,
    is_known_region,
    province_of,
    region,
    region_name,
)

# ---- GB/T 2260 ------------------------------------------------------------------------------


def test_current_district_is_known_with_its_full_name() -> None:
    found = region("110101")
    assert found is not None
    assert found.current
    assert "东城区" in found.name
    assert found.name == "北京市东城区"
    assert region_name("620102") == "甘肃省兰州市城关区"
    assert region_name("110000") == "北京市"


def test_abolished_district_is_known_but_not_current() -> None:
    found = region("110103")
    assert found is not None
    assert is_known_region("110103")
    assert not found.current
    assert "崇文区" in found.name
    assert found not in current_regions()


def test_unknown_codes() -> None:
    for code in ("990000", "110199", "", "11010", "abcdef"):
        assert not is_known_region(code)
        assert region_name(code) is None


def test_province_of() -> None:
    assert province_of("620102") == "甘肃省"
    assert province_of("62") == "甘肃省"
    assert province_of("810000") == "香港特别行政区"
    assert province_of("990000") is None
    assert province_of("x") is None


def test_counts_are_plausible() -> None:
    table = regions._table()
    assert 6000 < len(table) < 8000  # current and abolished codes since 1980
    current = current_regions()
    assert 3000 < len(current) < 4000
    assert sum(1 for r in current if r.level == "province") == 34
    counties = county_level_regions()
    assert 2700 < len(counties) < 3000  # about 2,850 county-level divisions today
    assert all(r.current and r.level == "county" and r.county != "市辖区" for r in counties)
    assert [r.code for r in current] == sorted(r.code for r in current)


def test_county_level_regions_of_one_province() -> None:
    gansu = county_level_regions("62")
    assert 80 <= len(gansu) <= 90
    assert all(r.code.startswith("62") and r.province == "甘肃省" for r in gansu)
    assert "620102" in {r.code for r in gansu}
    assert all(len(r.code) == 6 and r.code.isdigit() for r in gansu)


def test_the_code_list_is_read_once_however_many_lookups() -> None:
    """A timing here would be a timed unit test (the benchmarks in bench/ time things); what a
    user notices is that lookups after the first do not read the list again."""
    regions._table.cache_clear()
    assert is_known_region("110101")
    assert is_known_region("620102") and not is_known_region("999999")
    assert regions._table.cache_info().misses == 1


# ---- GB/T 4754-2017 -------------------------------------------------------------------------


def test_counts_per_level() -> None:
    counts = Counter(i.level for i in industries())
    assert counts == {"section": 20, "division": 97, "group": 473, "class": 1381}
    assert len(industries("class")) == 1381
    assert [i.code for i in industries("section")] == list("ABCDEFGHIJKLMNOPQRST")


def test_tree_is_consistent() -> None:
    for entry in industries():
        if entry.level == "section":
            assert entry.parent is None
            continue
        assert entry.parent is not None
        parent = industry(entry.parent)
        assert parent is not None
        assert LEVELS.index(parent.level) == LEVELS.index(entry.level) - 1
        if entry.level != "division":
            assert entry.code.startswith(parent.code)


def test_2017_specific_codes() -> None:
    found = industry("4853")
    assert found is not None
    assert found.name == "地下综合管廊工程建筑"
    assert [i.code for i in industry_path("4853")] == ["E", "48", "485", "4853"]
    assert industry_path("4853")[0].name == "建筑业"
    design = industry("6520")
    assert design is not None
    assert design.name == "集成电路设计"
    assert [i.code for i in industry_path("6520")] == ["I", "65", "652", "6520"]
    storage = industry("6550")  # 集成电路设计 in the 2011 edition
    assert storage is not None
    assert storage.name == "信息处理和存储支持服务"
    assert is_known_industry("7224")  # 供应链管理服务, 2019 amendment


def test_section_letter_prefix_is_accepted() -> None:
    assert validate_industry_code("C3985") == "3985"
    assert validate_industry_code("3985") == "3985"
    assert validate_industry_code(" c３９８５ ") == "3985"
    assert validate_industry_code("c") == "C"
    assert validate_industry_code("E48") == "48"
    assert industry("C3985") == industry("3985")
    assert industry_path("C3985")[0].code == "C"


@pytest.mark.parametrize("raw", ["9999", "A3985", "C39X", "Z", "12345"])
def test_bad_codes_are_rejected_naming_field_and_code(raw: str) -> None:
    assert not is_known_industry(raw)
    with pytest.raises(ValidationError) as caught:
        validate_industry_code(raw)
    assert caught.value.field == "industry_code"
    assert "行业代码" in caught.value.message
    assert raw in caught.value.message


def test_wrong_section_letter_names_the_right_one() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_industry_code("A3985", field="industry")
    assert caught.value.field == "industry"
    assert "C" in caught.value.message.replace("A3985", "")


def test_unknown_level_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        industries("subclass")
