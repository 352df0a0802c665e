"""Search as a user types it: substrings from one CJK character, pinyin initials, USCCs,
Latin and digits, metacharacters as plain text, best matches first, deleted records gone."""

from __future__ import annotations

import datetime as dt

import pytest
import search_fixtures
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_fixtures import (
    add_contact,
    add_enterprise,
    add_note,
    add_project,
    add_visit,
    found,
    found_ids,
)

from app.domain.uscc import make_uscc
from app.search.results import SearchKind
from app.search.service import SearchService
from app.services.enterprises import EnterpriseService
from app.services.workspace import Workspace

workspace = search_fixtures.workspace
search = search_fixtures.search

E, C, V, N, P = (
    SearchKind.ENTERPRISE,
    SearchKind.CONTACT,
    SearchKind.VISIT,
    SearchKind.NOTE,
    SearchKind.PROJECT,
)
USCC = make_uscc("9", "1", "440300", "MA5H7K3Q")


@pytest.fixture
def huawei(workspace: Workspace) -> str:
    add_enterprise(workspace, "兰州新材料有限责任公司")
    return add_enterprise(workspace, "华为技术有限公司", uscc=USCC, legal_representative="赵明")


def test_two_characters_from_the_middle_of_a_name_find_the_enterprise(
    search: SearchService, huawei: str
) -> None:
    results = search.search("技术")
    assert found(results, E) == ["华为技术有限公司"]
    hit = results.hits()[0]
    assert (hit.record_id, hit.enterprise_id) == (huawei, huawei)
    assert hit.title_marks == ((2, 4),)


def test_one_character_finds_it_too(search: SearchService, huawei: str) -> None:
    assert found(search.search("为"), E) == ["华为技术有限公司"]
    assert set(found(search.search("司"), E)) == {"华为技术有限公司", "兰州新材料有限责任公司"}


def test_pinyin_initials_and_a_prefix_of_them(search: SearchService, huawei: str) -> None:
    assert found(search.search("hwjs"), E) == ["华为技术有限公司"]
    assert found(search.search("HW"), E) == ["华为技术有限公司"]
    assert found(search.search("lzxcl"), E) == ["兰州新材料有限责任公司"]


def test_full_width_input_is_folded(search: SearchService, huawei: str) -> None:
    assert found(search.search("ＨＷＪＳ"), E) == ["华为技术有限公司"]
    assert found(search.search(USCC[:8].translate(_FULL_WIDTH)), E) == ["华为技术有限公司"]


_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def test_a_uscc_full_or_partial(search: SearchService, huawei: str) -> None:
    assert found(search.search(USCC), E) == ["华为技术有限公司"]
    assert found(search.search(USCC[6:14]), E) == ["华为技术有限公司"]
    assert found(search.search(USCC[:10].lower()), E) == ["华为技术有限公司"]


def test_a_contact_by_name_with_its_enterprise(
    workspace: Workspace, search: SearchService, huawei: str
) -> None:
    contact = add_contact(workspace, huawei, "欧阳娜娜", title="董事会秘书", mobile="13912345678")
    results = search.search("阳娜")
    hit = results.group(C).hits[0]  # type: ignore[union-attr]
    assert (hit.title, hit.detail, hit.enterprise_name) == (
        "欧阳娜娜",
        "董事会秘书",
        "华为技术有限公司",
    )
    assert (hit.record_id, hit.enterprise_id) == (contact, huawei)
    by_phone = search.search("12345").group(C)
    assert by_phone is not None and by_phone.hits[0].snippet == "13912345678"


def test_a_visit_by_a_word_of_its_discussion_newest_first(
    workspace: Workspace, search: SearchService, huawei: str
) -> None:
    older = add_visit(workspace, huawei, dt.date(2026, 3, 1), discussion="对方介绍了锂电池隔膜业务")
    newer = add_visit(
        workspace, huawei, dt.date(2026, 11, 2), discussion="企业希望协调用地，锂电项目二期"
    )
    add_visit(workspace, huawei, dt.date(2026, 11, 5), discussion="风电运维")
    results = search.search("锂电")
    assert found_ids(results, V) == [newer, older]
    hit = results.group(V).hits[0]  # type: ignore[union-attr]
    assert hit.on == dt.date(2026, 11, 2) and hit.enterprise_id == huawei
    assert hit.snippet_field == "discussion"
    assert hit.snippet[hit.snippet_marks[0][0] : hit.snippet_marks[0][1]] == "锂电"


def test_a_negotiation_note_and_a_project(
    workspace: Workspace, search: SearchService, huawei: str
) -> None:
    note = add_note(
        workspace, huawei, dt.date(2026, 6, 1), round_no=2, sticking_points="能耗指标尚未落实"
    )
    project = add_project(workspace, huawei, "年产5GW光伏组件项目", site="兰州新区秦川园区")
    notes = search.search("能耗指标").group(N)
    assert notes is not None
    assert (notes.hits[0].record_id, notes.hits[0].enterprise_id) == (note, huawei)
    assert notes.hits[0].detail == "第2轮洽谈"
    assert found_ids(search.search("光伏组件"), P) == [project]
    assert found_ids(search.search("秦川"), P) == [project]


def test_latin_words_and_prefixes_ignore_case(workspace: Workspace, search: SearchService) -> None:
    add_enterprise(workspace, "Siemens Energy（兰州）有限公司")
    assert found(search.search("siem"), E) == ["Siemens Energy（兰州）有限公司"]
    assert found(search.search("ENERGY 兰州"), E) == ["Siemens Energy（兰州）有限公司"]
    assert found(search.search("(兰州)"), E) == ["Siemens Energy（兰州）有限公司"]
    assert found(search.search("energyx"), E) == []


@pytest.mark.parametrize("query", ["%", "'", "_", '"', "*", "(", "-", "\\", "[", "."])
def test_metacharacters_are_plain_text(
    workspace: Workspace, search: SearchService, query: str
) -> None:
    add_enterprise(workspace, "普通科技有限公司")
    special = add_enterprise(workspace, f"奇{query}特贸易有限公司")
    results = search.search(query)
    assert found_ids(results, E) == [special]
    assert found_ids(search.search(f"奇{query}特"), E) == [special]


@pytest.mark.parametrize(
    "query",
    ["AND", "OR", "NOT", "NEAR", "NEAR(华 为)", "a AND b", '"华', "华*", "^华", "{name}:华"],
)
def test_query_syntax_words_are_searched_for_not_obeyed(
    workspace: Workspace, search: SearchService, query: str
) -> None:
    add_enterprise(workspace, "华为技术有限公司")
    named = add_enterprise(workspace, f"公司{query}名")
    assert found_ids(search.search(query), E) == [named]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=12))
def test_no_query_is_ever_an_error(search: SearchService, query: str) -> None:
    search.search(query)


def test_exact_and_prefix_names_come_before_mid_text_matches(
    workspace: Workspace, search: SearchService
) -> None:
    add_enterprise(workspace, "甘肃华光有限公司")
    add_enterprise(workspace, "华光新能源科技有限公司")
    add_enterprise(workspace, "华光")
    add_enterprise(workspace, "兰州某某有限公司", legal_representative="李华光")
    assert found(search.search("华光"), E) == [
        "华光",
        "华光新能源科技有限公司",
        "甘肃华光有限公司",
        "兰州某某有限公司",
    ]


def test_a_few_per_kind_and_whether_there_are_more(
    workspace: Workspace, search: SearchService
) -> None:
    for number in range(8):
        add_enterprise(workspace, f"星河{number}号科技有限公司")
    group = search.search("星河").group(E)
    assert group is not None and len(group.hits) == 6 and group.has_more
    group = search.search("星河", per_kind=8).group(E)
    assert group is not None and len(group.hits) == 8 and not group.has_more


def test_records_of_the_enterprise_named_are_found_through_it(
    workspace: Workspace, search: SearchService, huawei: str
) -> None:
    add_contact(workspace, huawei, "张伟")
    visit = add_visit(workspace, huawei, dt.date(2026, 5, 1), discussion="洽谈二期扩产")
    results = search.search("华为")
    assert found(results, C) == ["张伟"]
    assert found_ids(results, V) == [visit]


def test_deleted_records_vanish_and_restored_ones_return(
    workspace: Workspace, search: SearchService, huawei: str
) -> None:
    service = EnterpriseService(workspace)
    contact = add_contact(workspace, huawei, "欧阳娜娜")
    service.delete(huawei)
    results = search.search("华为")
    assert found(results, E) == []
    assert found(search.search("欧阳"), C) == []  # its enterprise is gone
    service.restore(huawei)
    assert found(search.search("华为"), E) == ["华为技术有限公司"]
    assert found_ids(search.search("欧阳"), C) == [contact]


def test_a_renamed_enterprise_is_found_by_its_new_name_only(
    workspace: Workspace, search: SearchService, huawei: str
) -> None:
    EnterpriseService(workspace).update(huawei, {"name": "荣耀终端有限公司"})
    assert found(search.search("华为"), E) == []
    assert found(search.search("hwjs"), E) == []
    assert found(search.search("荣耀"), E) == ["荣耀终端有限公司"]
    assert found(search.search("ryzd"), E) == ["荣耀终端有限公司"]


def test_a_blank_query_finds_nothing(search: SearchService, huawei: str) -> None:
    results = search.search("   ")
    assert results.is_empty and results.terms == ()
