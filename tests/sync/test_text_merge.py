"""Field-level merge and the three-way line merge that keeps both sides' text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.sync.merge import join_hunks, long_text_fields, merge_fields, merge_text, text_hunks
from app.sync.protocol import ConflictKind

BASE = "一、企业概况\n二、投资意向：拟建研发中心\n三、用地需求：50亩\n四、下一步：再次拜访\n"


def test_edits_to_different_paragraphs_both_survive() -> None:
    theirs = BASE.replace("拟建研发中心", "拟建研发中心及生产基地")
    mine = BASE.replace("再次拜访", "12月上旬带队回访")
    merged = merge_text(BASE, theirs, mine)
    assert merged == (
        "一、企业概况\n二、投资意向：拟建研发中心及生产基地\n三、用地需求：50亩\n"
        "四、下一步：12月上旬带队回访\n"
    )


def test_same_paragraph_edited_differently_is_a_conflict() -> None:
    theirs = BASE.replace("50亩", "80亩")
    mine = BASE.replace("50亩", "60亩")
    assert merge_text(BASE, theirs, mine) is None
    hunks = text_hunks(BASE, theirs, mine)
    conflicting = [hunk for hunk in hunks if hunk.conflict]
    assert len(conflicting) == 1
    assert conflicting[0].theirs == ("三、用地需求：80亩\n",)
    assert conflicting[0].mine == ("三、用地需求：60亩\n",)


def test_adjacent_line_edits_are_not_guessed() -> None:
    theirs = BASE.replace("拟建研发中心", "拟建总部")
    mine = BASE.replace("50亩", "60亩")
    assert merge_text(BASE, theirs, mine) is None


def test_both_sides_making_the_same_edit_merge_cleanly() -> None:
    same = BASE.replace("50亩", "80亩")
    assert merge_text(BASE, same, same) == same


def test_lines_appended_at_the_end_by_one_side_are_kept() -> None:
    mine = BASE + "五、备注：对方董事长下月来访\n"
    theirs = BASE.replace("一、企业概况", "一、企业概况（已核实）")
    merged = merge_text(BASE, theirs, mine)
    assert merged is not None
    assert "（已核实）" in merged and "董事长下月来访" in merged


def test_both_sides_adding_the_same_line_elsewhere_falls_back_to_conflict() -> None:
    line = "五、备注：需要发改委协调\n"
    theirs = line + BASE
    mine = BASE + line
    assert merge_text(BASE, theirs, mine) is None


def test_per_hunk_choices_assemble_the_text() -> None:
    theirs = BASE.replace("50亩", "80亩")
    mine = BASE.replace("50亩", "60亩") + "五、备注\n"
    hunks = text_hunks(BASE, theirs, mine)
    index = next(i for i, hunk in enumerate(hunks) if hunk.conflict)
    assert "60亩" in join_hunks(hunks, {index: "mine"})
    both = join_hunks(hunks, {index: "both"})
    assert "80亩" in both and "60亩" in both and both.endswith("五、备注\n")
    assert "80亩" in join_hunks(hunks, {})


def test_field_merge_keeps_different_fields_and_conflicts_on_the_same_one() -> None:
    current = {"name": "甲公司", "phone": "0571-1", "profile": BASE}
    outcome = merge_fields(
        current,
        mine={"phone": "0571-2", "name": "乙公司"},
        base={"phone": "0571-1", "name": "丙公司"},
        long_text=long_text_fields("enterprises"),
    )
    assert outcome.writes == {"phone": "0571-2"}
    (conflict,) = outcome.conflicts
    assert (conflict.field, conflict.kind) == ("name", ConflictKind.FIELD)
    assert (conflict.base, conflict.theirs, conflict.mine) == ("丙公司", "甲公司", "乙公司")


def test_field_merge_merges_long_text_and_reports_it() -> None:
    theirs = BASE.replace("拟建研发中心", "拟建总部")
    mine = BASE.replace("再次拜访", "回访")
    outcome = merge_fields(
        {"profile": theirs}, {"profile": mine}, {"profile": BASE}, long_text_fields("enterprises")
    )
    assert outcome.merged and not outcome.conflicts
    assert "拟建总部" in outcome.writes["profile"] and "回访" in outcome.writes["profile"]


def test_unknown_base_conflicts_on_every_differing_field() -> None:
    current = {"name": "甲", "phone": "1"}
    outcome = merge_fields(current, {"name": "甲", "phone": "2"}, None, frozenset())
    assert outcome.writes == {}
    assert [c.field for c in outcome.conflicts] == ["phone"]


def test_long_text_fields_are_the_text_columns() -> None:
    assert {"discussion", "outcomes", "next_steps"} <= long_text_fields("visits")
    assert "name" not in long_text_fields("enterprises")
    assert long_text_fields("no_such_table") == frozenset()


paragraphs = st.lists(st.sampled_from(["甲\n", "乙\n", "丙\n", "丁\n", "戊\n", "\n"]), max_size=8)


@settings(max_examples=300, derandomize=True)
@given(base=paragraphs, theirs=paragraphs, mine=paragraphs)
def test_merge_never_invents_or_drops_a_change(
    base: list[str], theirs: list[str], mine: list[str]
) -> None:
    b, t, m = "".join(base), "".join(theirs), "".join(mine)
    merged = merge_text(b, t, m)
    if t == b:
        assert merged == m
    elif m in (b, t):
        assert merged == t
    if merged is not None:
        assert merge_text(b, m, t) is not None  # symmetric: clean one way, clean the other
        for line in (set(theirs) | set(mine)) - set(base):
            assert line in merged  # a line either side added is never lost
    hunks = text_hunks(b, t, m)
    assert "".join(line for hunk in hunks for line in hunk.base) == b
    if merged is not None:
        assert join_hunks(hunks, {}) == merged
