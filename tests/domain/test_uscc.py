"""统一社会信用代码 validation (GB 32100-2015) against real and constructed codes."""

from __future__ import annotations

import pytest

from app.domain.errors import ValidationError
from app.domain.regions import is_known_region
from app.domain.uscc import (
    ALPHABET,
    CATEGORIES,
    make_uscc,
    normalise_uscc,
    org_code_check_char,
    region_of_uscc,
    uscc_check_char,
    validate_uscc,
)

REAL = "91110000600037341L"  # a published code: org code 60003734-1, registered in 北京市

BUILT = [
    make_uscc("9", "1", "620102", "MA7XQ3K1"),  # 企业, 甘肃省兰州市城关区
    make_uscc("5", "2", "440305", "5K8G2Q1T"),  # 民办非企业单位, 深圳市南山区
    make_uscc("9", "2", "110103", "L4M5N6P7"),  # 个体工商户, 崇文区 (abolished 2010)
    make_uscc("N", "2", "330106", "A0B1C2D3"),  # 村级集体经济组织, 杭州市西湖区
    make_uscc("Y", "1", "654301", "RTUWXY89"),  # 其他, 阿勒泰市
    make_uscc("1", "1", "100000", "00001312"),  # 机关 registered at national level
]
VALID = [REAL, *BUILT]


def _with_checks(first16: str) -> str:
    """Complete 16 characters with a correct organisation-code check and final check."""
    first17 = first16 + org_code_check_char(first16[8:16])
    return first17 + uscc_check_char(first17)


def _error(raw: str, field: str = "uscc") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_uscc(raw, field)
    return caught.value


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_are_accepted_unchanged(code: str) -> None:
    assert len(code) == 18
    assert validate_uscc(code) == code


def test_known_check_characters() -> None:
    assert org_code_check_char("60003734") == "1"
    assert uscc_check_char(REAL[:17]) == "L"
    # 11 - (sum mod 11): 0 → "0" (11), 2 → "9", 12 → "X" (10)
    assert org_code_check_char("00000000") == "0"
    assert org_code_check_char("00000001") == "9"
    assert org_code_check_char("00000006") == "X"


@pytest.mark.parametrize("code", VALID)
def test_every_single_character_substitution_is_rejected(code: str) -> None:
    for index in range(18):
        for char in ALPHABET:
            if char == code[index]:
                continue
            mutated = code[:index] + char + code[index + 1 :]
            # 31 is prime and no weight is 0 mod 31, so the final check always catches it …
            assert uscc_check_char(mutated[:17]) != mutated[17], mutated
            # … and validation refuses it (possibly for an earlier, more precise reason).
            with pytest.raises(ValidationError):
                validate_uscc(mutated)


def test_lower_case_full_width_and_spaces_are_normalised() -> None:
    assert validate_uscc("91110000600037341l") == REAL
    assert validate_uscc("９１１１００００６０００３７３４１ｌ") == REAL
    assert validate_uscc("\u3000 9111 0000 6000 3734 1L\t") == REAL
    assert normalise_uscc("ａｂ\u3000c d") == "ABCD"


def test_errors_name_the_field() -> None:
    error = _error("9111000060003734")
    assert error.field == "uscc"
    assert "统一社会信用代码" in error.message
    assert _error("9111000060003734", field="credit_code").field == "credit_code"


def test_wrong_length_says_how_many_characters_were_given() -> None:
    error = _error(REAL[:17])
    assert "18" in error.message
    assert "17" in error.message
    assert "19" in _error(REAL + "1").message
    assert "填写" in _error("  ").message


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_excluded_letters_are_reported_with_position(letter: str) -> None:
    error = _error(REAL[:9] + letter + REAL[10:])
    assert "第 10 位" in error.message
    assert f"“{letter}”" in error.message
    assert "I、O、Z、S、V" in error.message


def test_non_alphanumeric_character_is_reported_with_position() -> None:
    error = _error(REAL[:4] + "-" + REAL[5:])
    assert "第 5 位" in error.message
    assert "“-”" in error.message


def test_unknown_department_and_category_are_rejected() -> None:
    assert "登记管理部门码" in _error(_with_checks("B1110000" + "60003734")).message
    error = _error(_with_checks("94110000" + "60003734"))  # 工商 has categories 1, 2, 3 only
    assert "机构类别码" in error.message
    assert "1、2、3" in error.message
    for dept, categories in CATEGORIES.items():
        for category in categories:
            code = _with_checks(dept + category + "110101" + "60003734")
            assert validate_uscc(code) == code


def test_historical_region_is_accepted() -> None:
    code = _with_checks("91110103" + "60003734")  # 崇文区, merged into 东城区 in 2010
    assert validate_uscc(code) == code
    assert region_of_uscc(code.lower()) == "110103"


@pytest.mark.parametrize("region", ["990000", "110199"])
def test_unknown_region_is_rejected_and_shown(region: str) -> None:
    assert not is_known_region(region)
    error = _error(_with_checks("91" + region + "60003734"))
    assert region in error.message
    assert "行政区划" in error.message


def test_bad_organisation_code_check_is_rejected() -> None:
    first17 = "91110000" + "60003734" + "2"  # the org code check should be 1
    error = _error(first17 + uscc_check_char(first17))
    assert "组织机构代码" in error.message
    assert "校验" in error.message
    assert "“1”" in error.message


def test_wrong_final_check_says_what_it_should_be() -> None:
    error = _error(REAL[:17] + "M")
    assert "第 18 位" in error.message
    assert "“L”" in error.message


def test_make_uscc_refuses_bad_parts() -> None:
    with pytest.raises(ValueError):
        make_uscc("9", "4", "110101", "60003734")
    with pytest.raises(ValueError):
        make_uscc("9", "1", "990000", "60003734")
    with pytest.raises(ValueError):
        make_uscc("9", "1", "110101", "6000373O")
    with pytest.raises(ValueError):
        uscc_check_char("123")
    with pytest.raises(ValueError):
        region_of_uscc("9111")
