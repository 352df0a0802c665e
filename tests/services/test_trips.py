"""Trips on hand-built data: create and edit with checks, days and visit counts, filing visits,
delete with undo; and what the visit form offers (trips for a date, enterprises as typed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import (
    EnterpriseRow,
    LocalSetting,
    MemberRow,
    OutboxEntry,
    SquadRow,
    TripMemberRow,
    TripRow,
    VisitRow,
)
from app.domain.errors import NotFoundError, ValidationError
from app.domain.names import name_key, pinyin_initials
from app.domain.trip import TripDraft
from app.domain.vocabulary import LeaderType
from app.services.trips import TripFilter, TripService
from app.services.visit_choices import VisitChoices
from app.services.workspace import CURRENT_MEMBER, Workspace

TODAY = dt.date(2026, 11, 25)


def uid(n: int) -> str:
    return f"0190b6a0-0000-7000-8000-{n:012d}"


SQUAD_A, SQUAD_B = uid(1), uid(2)
ME, COLLEAGUE, OTHER = uid(11), uid(12), uid(13)
E1, E2, E3 = uid(21), uid(22), uid(23)
T_SHENZHEN, T_XIAN, T_OLD = uid(31), uid(32), uid(33)
V_ON_TRIP, V_FREE, V_OTHER_SQUAD, V_OUTSIDE, V_OTHER_TRIP = (uid(n) for n in range(41, 46))
USCC = "91440300MA5FXXXX1X"


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    database = open_local_database(tmp_path)
    with database.write(Actor(None, source="import")) as s:
        s.add(SquadRow(id=SQUAD_A, name="新材料小分队"))
        s.flush()
        s.add(SquadRow(id=SQUAD_B, name="装备小分队"))
        s.flush()
        for mid, name, squad in ((ME, "李明", SQUAD_A), (COLLEAGUE, "王芳", SQUAD_A),
                                 (OTHER, "赵强", SQUAD_B)):  # fmt: skip
            s.add(MemberRow(id=mid, name=name, squad_id=squad))
        for eid, name, uscc in (
            (E1, "深圳华为技术有限公司", USCC),
            (E2, "西安隆基绿能科技股份有限公司", None),
            (E3, "华润微电子有限公司", None),
        ):
            s.add(
                EnterpriseRow(
                    id=eid,
                    name=name,
                    name_key=name_key(name),
                    name_initials=pinyin_initials(name),
                    uscc=uscc,
                    squad_id=SQUAD_A,
                )
            )
        s.flush()
        s.add(TripRow(id=T_SHENZHEN, title="赴深圳", squad_id=SQUAD_A, start_on=d(11, 22),
                      end_on=d(11, 24), destination="深圳"))  # fmt: skip
        s.add(TripRow(id=T_XIAN, title="赴西安", squad_id=SQUAD_B, start_on=d(11, 20),
                      end_on=d(11, 20)))  # fmt: skip
        s.add(TripRow(id=T_OLD, title="旧行程", squad_id=SQUAD_A, start_on=d(3, 1), end_on=d(3, 2)))
        s.flush()
        s.add(TripMemberRow(trip_id=T_SHENZHEN, member_id=ME))
        for vid, trip, squad, day in (
            (V_ON_TRIP, T_SHENZHEN, SQUAD_A, d(11, 23)),
            (V_FREE, None, SQUAD_A, d(11, 24)),
            (V_OTHER_SQUAD, None, SQUAD_B, d(11, 23)),
            (V_OUTSIDE, None, SQUAD_A, d(11, 10)),
            (V_OTHER_TRIP, T_OLD, SQUAD_A, d(11, 22)),
        ):
            s.add(VisitRow(id=vid, enterprise_id=E1, trip_id=trip, squad_id=squad, visited_on=day))
        s.add(LocalSetting(key=CURRENT_MEMBER, value=ME))
    yield Workspace(database, tmp_path)
    database.dispose()


def _draft(**changes: object) -> TripDraft:
    values: dict[str, object] = {
        "title": "赴苏州对接集成电路企业",
        "start_on": d(11, 16),
        "end_on": d(11, 18),
        "destination": "苏州",
        "squad_id": SQUAD_A,
        "leader_type": LeaderType.DEPUTY_LEADER.value,
        "purpose": "推介园区政策",
        "participant_ids": (ME, COLLEAGUE),
    }
    values.update(changes)
    return TripDraft(**values)  # type: ignore[arg-type]


def test_a_new_trip_counts_its_days_and_keeps_who_went(workspace: Workspace) -> None:
    service = TripService(workspace)
    trip_id = service.create(_draft(title="  赴苏州   对接集成电路企业 "))
    trip = service.detail(trip_id)
    assert trip.draft.title == "赴苏州 对接集成电路企业"
    assert trip.days == 3
    assert trip.squad_name == "新材料小分队"
    assert {p.name for p in trip.participants} == {"李明", "王芳"}
    assert trip.draft.leader_type == "deputy_leader"
    row = service.page(TripFilter(text="苏州")).rows[0]
    assert (row.id, row.days, row.visit_count) == (trip_id, 3, 0)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_on": d(11, 15)}, "end_on", "返程日期不能早于出发日期"),
        ({"title": "  "}, "title", "请填写出行名称"),
        ({"start_on": None}, "start_on", "请填写出发日期"),
        ({"leader_type": "mayor"}, "leader_type", "带队领导类型无效"),
        ({"squad_id": uid(99)}, "squad_id", "小分队不存在"),
        ({"participant_ids": (uid(98),)}, "participants", f"出行人员不存在（{uid(98)}）"),
    ],
)
def test_bad_trips_are_refused_naming_the_field(
    workspace: Workspace, changes: dict[str, object], field: str, message: str
) -> None:
    service = TripService(workspace)
    before = service.page().total
    with pytest.raises(ValidationError) as caught:
        service.create(_draft(**changes))
    assert (caught.value.field, caught.value.message) == (field, message)
    assert service.page().total == before  # nothing half-written


def test_the_list_is_latest_first_with_days_and_live_visits(workspace: Workspace) -> None:
    rows = TripService(workspace).page().rows
    assert [r.title for r in rows] == ["赴深圳", "赴西安", "旧行程"]
    assert [(r.days, r.visit_count) for r in rows] == [(3, 1), (1, 0), (2, 1)]
    with workspace.database.write(workspace.actor()) as s:
        visit = s.get(VisitRow, V_ON_TRIP)
        assert visit is not None
        visit.deleted = True
    assert TripService(workspace).page().rows[0].visit_count == 0


def test_editing_a_trip_changes_its_people_and_dates(workspace: Workspace) -> None:
    service = TripService(workspace)
    service.update(T_SHENZHEN, _draft(title="赴深圳、东莞", start_on=d(11, 22), end_on=d(11, 25),
                                      participant_ids=(COLLEAGUE,)))  # fmt: skip
    trip = service.detail(T_SHENZHEN)
    assert (trip.draft.title, trip.days) == ("赴深圳、东莞", 4)
    assert [p.id for p in trip.participants] == [COLLEAGUE]
    with workspace.database.read() as s:
        changes = s.scalars(
            select(OutboxEntry.fields).where(OutboxEntry.row_id == T_SHENZHEN)
        ).all()
    assert changes and "title" in changes[-1]  # the edit is queued for sync like any other


def test_filing_visits_under_a_trip(workspace: Workspace) -> None:
    service = TripService(workspace)
    draft = service.detail(T_SHENZHEN).draft
    offered = {v.id for v in service.candidate_visits(T_SHENZHEN, draft)}
    # its squad's visits on its dates not on another trip, and the ones already filed
    assert offered == {V_ON_TRIP, V_FREE}
    service.set_visits(T_SHENZHEN, [V_FREE])
    trip = service.detail(T_SHENZHEN)
    assert [v.id for v in trip.visits] == [V_FREE]
    with workspace.database.read() as s:
        taken_out = s.get(VisitRow, V_ON_TRIP)
        assert taken_out is not None and taken_out.trip_id is None
    with pytest.raises(ValidationError):
        service.set_visits(T_SHENZHEN, [uid(97)])


def test_a_deleted_trip_leaves_the_list_and_comes_back(workspace: Workspace) -> None:
    service = TripService(workspace)
    service.delete(T_XIAN)
    assert T_XIAN not in {r.id for r in service.page().rows}
    with pytest.raises(NotFoundError):
        service.detail(T_XIAN)
    service.restore(T_XIAN)
    assert T_XIAN in {r.id for r in service.page().rows}


def test_the_visit_form_offers_my_trip_covering_the_date(workspace: Workspace) -> None:
    choices = VisitChoices(workspace, today=lambda: TODAY)
    trips, default = choices.trips(d(11, 23))
    assert default == T_SHENZHEN  # I am on it and it covers the 23rd
    assert {t.id for t in trips} == {T_SHENZHEN}  # my squad's, near the date
    trips, default = choices.trips(d(11, 26), include_id=T_XIAN)
    assert default is None
    assert {t.id for t in trips} == {T_SHENZHEN, T_XIAN}  # the visit's own trip is kept


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("为技", "深圳华为技术有限公司"),  # two characters from the middle of the name
        ("华", "华润微电子有限公司"),  # names starting with it come first
        ("hwjs", "深圳华为技术有限公司"),  # pinyin initials, anywhere in the name
        ("xalj", "西安隆基绿能科技股份有限公司"),
        ("91440300", "深圳华为技术有限公司"),  # USCC prefix
        ("%", None),  # LIKE metacharacters are plain text
        ("_", None),
    ],
)
def test_the_enterprise_picker_matches_as_typed(
    workspace: Workspace, typed: str, first: str | None
) -> None:
    found = VisitChoices(workspace).enterprises(typed)
    assert (found[0].name if found else None) == first


def test_the_visit_form_defaults_are_me_and_my_squad(workspace: Workspace) -> None:
    defaults = VisitChoices(workspace, today=lambda: TODAY).defaults()
    assert (defaults.member_name, defaults.squad_name, defaults.today) == (
        "李明",
        "新材料小分队",
        TODAY,
    )
    assert [m.name for m in defaults.members] == ["李明", "王芳"]
    assert defaults.members[0].initials == "lm"
