"""Domain rules users rely on: trip days, project stage moves, exact money, name keys."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.domain.errors import ValidationError
from app.domain.money import Money, parse_wan
from app.domain.names import name_key, pinyin_initials
from app.domain.project import allowed_moves, check_move
from app.domain.trip import days_within, trip_days, validate_trip_dates
from app.domain.vocabulary import ProjectStage

D = dt.date


def test_trip_days_count_both_ends_and_clip_to_a_week() -> None:
    assert trip_days(D(2026, 11, 22), D(2026, 11, 24)) == 3
    # Sunday 22 Nov to Tuesday 24 Nov 2026: one day in ISO week 47, two in week 48.
    assert days_within(D(2026, 11, 22), D(2026, 11, 24), D(2026, 11, 16), D(2026, 11, 22)) == 1
    assert days_within(D(2026, 11, 22), D(2026, 11, 24), D(2026, 11, 23), D(2026, 11, 29)) == 2
    assert days_within(D(2026, 11, 1), D(2026, 11, 2), D(2026, 11, 23), D(2026, 11, 29)) == 0
    with pytest.raises(ValidationError) as caught:
        validate_trip_dates(D(2026, 11, 24), D(2026, 11, 22))
    assert caught.value.field == "end_on"


def test_project_moves_forward_or_out_never_back() -> None:
    assert ProjectStage.STARTED in allowed_moves(ProjectStage.SIGNED)
    assert ProjectStage.NEGOTIATING not in allowed_moves(ProjectStage.SIGNED)
    assert allowed_moves(ProjectStage.TERMINATED) == ()
    assert ProjectStage.SIGNED in allowed_moves(ProjectStage.SUSPENDED)
    with pytest.raises(ValidationError) as caught:
        check_move(ProjectStage.STARTED, ProjectStage.LEAD, D(2026, 1, 2), None)
    assert "开工" in caught.value.message and "线索" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        check_move(ProjectStage.SIGNED, ProjectStage.STARTED, D(2026, 1, 1), D(2026, 2, 1))
    assert caught.value.field == "changed_on"


def test_money_is_exact_and_reads_like_a_bureau_writes_it() -> None:
    assert Money.from_wan("0.1") + Money.from_wan("0.2") == Money.from_wan("0.3")
    assert parse_wan("1.5亿", "amount") == Money.from_wan(15000)
    assert parse_wan("12,345.67", "amount").wan == Decimal("12345.67")
    assert Money.from_wan(52000).format() == "5.2亿元"
    assert Money.from_wan("3500.5").format() == "3500.5万元"
    for bad in ("abc", "-1", "0.0000001", "NaN"):
        with pytest.raises(ValidationError) as caught:
            parse_wan(bad, "contract_amount")
        assert caught.value.field == "contract_amount"


def test_name_keys_match_what_registrations_vary_in() -> None:
    assert name_key("兰州（新区）化工有限责任公司") == name_key("兰州(新区)化工 有限公司")
    assert name_key("ＡＢＣ科技有限公司") == name_key("abc科技有限公司")
    assert name_key("甲股份有限公司") != name_key("甲有限公司")
    assert pinyin_initials("华为技术有限公司").startswith("hwjs")
    assert pinyin_initials("TCL科技") == "tclkj"
