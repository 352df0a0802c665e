"""Demo data: realistic, valid, deterministic, and never mixed with real data or the outbox."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.database.change_tracking import Actor
from app.database.opening import database_path, open_local_database
from app.database.tables import (
    SYNCED_TABLES,
    HistoryEntry,
    LocalSetting,
    MemberRow,
    OutboxEntry,
    SquadRow,
)
from app.database.unit_of_work import Database
from app.demo import DemoSize, build_demo
from app.demo.chains import all_industry_codes
from app.demo.draws import DemoRandom, spread
from app.demo.generator import PLANS
from app.demo.naming import Namer
from app.demo.writer import uuid7_text
from app.domain.enterprise import validate_enterprise_changes
from app.domain.errors import AppError
from app.domain.ids import uuid7_from
from app.domain.industries import is_known_industry
from app.domain.money import Money
from app.domain.names import name_key, pinyin_initials
from app.domain.regions import region
from app.domain.uscc import region_of_uscc, validate_uscc
from app.domain.visit import validate_visit_changes
from app.domain.vocabulary import PIPELINE, ProjectStage
from app.services.workspace import CURRENT_MEMBER, DEMO_DATA

TODAY = dt.date(2026, 11, 25)  # a Wednesday: this ISO week has three days so far
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A small demo database built once for the read-only checks of this module."""
    data_dir = tmp_path_factory.mktemp("small")
    database = open_local_database(data_dir)
    try:
        with sqlite3.connect(database_path(data_dir)) as before:
            indexes = before.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
            ).fetchall()
        progress: list[tuple[str, int, int]] = []
        summary = build_demo(
            database,
            DemoSize.SMALL,
            seed=42,
            today=TODAY,
            progress=lambda *args: progress.append(args),
        )
        assert summary.seconds > 0
        assert progress and progress[-1][1] == progress[-1][2]
        with sqlite3.connect(database_path(data_dir)) as after:
            assert (
                after.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
                ).fetchall()
                == indexes
            )
        assert summary.counts["enterprises"] == 300
    finally:
        database.dispose()
    yield database_path(data_dir)


def rows(path: Path, sql: str, *args: object) -> list[sqlite3.Row]:
    with sqlite3.connect(path) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(sql, args).fetchall()


def count(path: Path, table: str) -> int:
    return int(rows(path, f"SELECT COUNT(*) AS n FROM {table}")[0]["n"])


def test_small_demo_has_the_promised_sizes(small: Path) -> None:
    squads = rows(small, "SELECT id FROM squads")
    assert 3 <= len(squads) <= 5
    per_squad = Counter(r["squad_id"] for r in rows(small, "SELECT squad_id FROM members"))
    assert per_squad.pop(None) == 1  # the admin
    assert all(4 <= n <= 7 for n in per_squad.values()) and len(per_squad) == len(squads)
    assert 6 <= count(small, "industry_chains") <= 8
    links = Counter(r["chain_id"] for r in rows(small, "SELECT chain_id FROM chain_links"))
    assert all(5 <= n <= 10 for n in links.values())
    untargeted = rows(
        small,
        "SELECT name FROM chain_links WHERE id NOT IN (SELECT link_id FROM enterprise_links)",
    )
    assert len(untargeted) == 3  # links planned with no target yet: the chain map's gaps
    assert 250 <= count(small, "enterprises") <= 350
    contacts = Counter(
        r["enterprise_id"] for r in rows(small, "SELECT enterprise_id FROM contacts")
    )
    assert len(contacts) == count(small, "enterprises")
    assert all(1 <= n <= 3 for n in contacts.values())
    assert 60 <= count(small, "projects") <= 100
    assert 250 <= count(small, "tasks") <= 350
    assert count(small, "trips") > 10 and count(small, "trip_members") > count(small, "trips")
    assert count(small, "negotiation_notes") > 100 and count(small, "commitments") > 20
    assert count(small, "problems") > 10 and count(small, "funding_entries") > 10
    visits = Counter(r["enterprise_id"] for r in rows(small, "SELECT enterprise_id FROM visits"))
    assert all(2 <= n <= 4 for n in visits.values())
    assert count(small, "visit_participants") >= count(small, "visits")
    assert count(small, "visit_attendees") >= count(small, "visits")
    assert count(small, "attachments") == 0


def test_enterprises_have_valid_identities(small: Path) -> None:
    enterprises = rows(small, "SELECT * FROM enterprises")
    without = 0
    for row in enterprises:
        assert row["name_key"] == name_key(row["name"])
        assert row["name_initials"] == pinyin_initials(row["name"])
        assert is_known_industry(row["industry_code"])
        place = region(row["region_code"])
        assert place is not None and place.current and place.level == "county"
        if row["uscc"] is None:
            without += 1
            continue
        assert validate_uscc(row["uscc"]) == row["uscc"]
        assert region_of_uscc(row["uscc"]) == row["region_code"]
    assert 1 <= without <= len(enterprises) // 5
    keys = Counter(row["name_key"] for row in enterprises)
    duplicates = [key for key, n in keys.items() if n > 1]
    assert 2 <= len(duplicates) <= 6
    names = {row["name"] for row in enterprises}
    assert len(names) == len(enterprises)  # duplicates differ in their spelling


def test_every_demo_industry_code_exists() -> None:
    assert all(is_known_industry(code) for code in all_industry_codes())


def test_enterprise_and_visit_fields_pass_the_app_validation(small: Path) -> None:
    editable = (
        "name",
        "uscc",
        "region_code",
        "industry_code",
        "legal_representative",
        "headquarters",
        "address",
        "website",
        "profile",
        "investment_intent",
        "intent_level",
        "water_need",
        "power_need",
        "workforce_need",
        "site_preference",
        "tags",
    )
    for row in rows(small, "SELECT * FROM enterprises"):
        changes = {field: row[field] for field in editable}
        changes["registered_capital"] = (
            None if row["registered_capital"] is None else Money(row["registered_capital"])
        )
        changes["founded_on"] = (
            None if row["founded_on"] is None else dt.date.fromisoformat(row["founded_on"])
        )
        changes["land_mu"] = row["land_mu"]
        validate_enterprise_changes(changes, creating=True, today=TODAY)
    for row in rows(small, "SELECT * FROM visits"):
        fields = ("place", "purpose", "discussion", "outcomes", "next_steps")
        changes = {field: row[field] for field in fields}
        changes["visited_on"] = dt.date.fromisoformat(row["visited_on"])
        changes["enterprise_id"] = row["enterprise_id"]
        validate_visit_changes(changes, creating=True, today=TODAY)


def test_every_stage_appears_with_a_consistent_history(small: Path) -> None:
    projects = rows(small, "SELECT * FROM projects")
    assert {row["stage"] for row in projects} == {stage.value for stage in ProjectStage}
    changes = defaultdict(list)
    for row in rows(small, "SELECT * FROM project_stage_changes ORDER BY changed_on, rowid"):
        changes[row["project_id"]].append(row)
    signed_long_ago = 0
    for project in projects:
        history = changes[project["id"]]
        assert history[0]["from_stage"] is None and history[0]["to_stage"] == "lead"
        for before, after in itertools.pairwise(history):
            assert after["from_stage"] == before["to_stage"]
            assert after["changed_on"] >= before["changed_on"]
        path = [ProjectStage(row["to_stage"]) for row in history]
        pipeline = [stage for stage in path if not stage.is_exit]
        assert pipeline == list(PIPELINE[: len(pipeline)])
        assert history[-1]["to_stage"] == project["stage"]
        assert history[-1]["changed_on"] == project["stage_on"] <= TODAY.isoformat()
        signed = [row["changed_on"] for row in history if row["to_stage"] == "signed"]
        assert project["signed_on"] == (signed[0] if signed else None)
        if (
            project["stage"] in ("signed", "registered")
            and project["signed_on"] < (TODAY - dt.timedelta(days=92)).isoformat()
        ):
            signed_long_ago += 1
    assert signed_long_ago >= 2  # the "签约三个月未开工" list has content


def test_funding_never_exceeds_the_contract(small: Path) -> None:
    funded = rows(
        small,
        "SELECT p.contract_amount AS contract, SUM(f.amount) AS received, p.stage AS stage, "
        "MIN(f.received_on) AS first FROM funding_entries f JOIN projects p ON p.id = f.project_id "
        "GROUP BY p.id",
    )
    assert len(funded) >= 10
    for row in funded:
        assert row["contract"] is not None and 0 < row["received"] <= row["contract"]
        assert row["stage"] not in ("lead", "negotiating", "signed")
        assert row["first"] <= TODAY.isoformat()
    amounts = [r["contract_amount"] for r in rows(small, "SELECT contract_amount FROM projects")]
    known = [amount for amount in amounts if amount is not None]
    assert min(known) >= Money.from_wan(5000).fen
    assert max(known) <= Money.from_wan(500_000).fen


def test_dates_spread_around_today(small: Path) -> None:
    visits = rows(small, "SELECT visited_on, trip_id FROM visits")
    days = [row["visited_on"] for row in visits]
    assert max(days) <= TODAY.isoformat()
    assert min(days) >= (TODAY - dt.timedelta(days=550)).isoformat()
    assert sum(day >= MONDAY.isoformat() for day in days) >= 5  # this week's report has data
    trips = {row["id"]: row for row in rows(small, "SELECT * FROM trips")}
    for visit in visits:
        if visit["trip_id"] is not None:
            trip = trips[visit["trip_id"]]
            assert trip["start_on"] <= visit["visited_on"] <= trip["end_on"]
    assert any(trip["start_on"] >= MONDAY.isoformat() for trip in trips.values())
    tasks = rows(small, "SELECT due_on, status, completed_at FROM tasks")
    today = TODAY.isoformat()
    assert any(t["status"] == "open" and t["due_on"] < today for t in tasks)
    assert any(t["status"] == "open" and t["due_on"] == today for t in tasks)
    assert any(t["status"] == "open" and t["due_on"] > today for t in tasks)
    assert all((t["status"] == "done") == (t["completed_at"] is not None) for t in tasks)
    commitments = rows(small, "SELECT * FROM commitments")
    assert any(c["status"] == "pending" and c["due_on"] < today for c in commitments)
    assert any(c["status"] == "honoured" and c["honoured_on"] <= today for c in commitments)
    assert all(bool(c["withdrawn_reason"]) == (c["status"] == "withdrawn") for c in commitments)
    stamps = rows(small, "SELECT MAX(created_at) AS newest FROM tasks")[0]["newest"]
    assert stamps <= f"{today} 23:59:59"


def test_honour_lists_match_dossiers_by_uscc(small: Path) -> None:
    entries = rows(
        small,
        "SELECT d.uscc AS listed, e.uscc AS own, d.enterprise_id AS matched, "
        "d.enterprise_name AS listed_name, e.name AS name "
        "FROM directory_entries d LEFT JOIN enterprises e ON e.id = d.enterprise_id",
    )
    assert len(entries) >= 30
    matched = [row for row in entries if row["matched"] is not None]
    assert all(row["listed"] == row["own"] and row["listed_name"] == row["name"] for row in matched)
    unmatched = [row for row in entries if row["matched"] is None]
    assert 1 <= len(unmatched) <= 4
    assert all(validate_uscc(row["listed"]) for row in unmatched)
    kinds = {row["kind"] for row in rows(small, "SELECT kind FROM honour_directories")}
    assert {"global500", "china500", "little_giant", "gazelle", "unicorn", "listed"} <= kinds


def test_nothing_goes_to_the_outbox_and_the_demo_is_marked(small: Path) -> None:
    database = open_local_database(small.parent)
    try:
        with database.read() as session:
            assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 0
            assert session.scalar(select(func.count()).select_from(HistoryEntry)) == 0
            assert session.get(LocalSetting, DEMO_DATA).value == "small:42"  # type: ignore[union-attr]
            me = session.get(LocalSetting, CURRENT_MEMBER)
            assert me is not None
            member = session.get(MemberRow, me.value)
            assert member is not None and member.role == "leader"
            for table in SYNCED_TABLES:  # every stored value reads back through the ORM types
                for row in session.scalars(select(table)):
                    assert row.created_at <= dt.datetime.combine(TODAY, dt.time.max, dt.UTC)
                    assert row.updated_at >= row.created_at and row.row_version == 0
    finally:
        database.dispose()
    with sqlite3.connect(small) as connection:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as connection:
        tables = [table.__tablename__ for table in SYNCED_TABLES]  # type: ignore[attr-defined]
        tables.append("local_settings")
        return {
            name: connection.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()
            for name in tables
        }


def test_same_seed_gives_identical_rows_and_another_seed_does_not(tmp_path: Path) -> None:
    contents = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        database = open_local_database(tmp_path / name)
        try:
            build_demo(database, DemoSize.SMALL, seed=seed, today=TODAY)
        finally:
            database.dispose()
        contents.append(dump(database_path(tmp_path / name)))
    first, second, other = contents
    assert first == second
    assert first["enterprises"] and first["enterprises"] != other["enterprises"]
    assert first["visits"] != other["visits"]


def test_refuses_a_database_with_real_data_and_changes_nothing(tmp_path: Path) -> None:
    database: Database = open_local_database(tmp_path)
    try:
        with database.write(Actor(member_id=None)) as session:
            session.add(SquadRow(name="真实小分队", focus=""))
        before = dump(database_path(tmp_path))
        with pytest.raises(AppError, match="演示数据"):
            build_demo(database, DemoSize.SMALL, seed=1, today=TODAY)
        with database.read() as session:
            assert session.get(LocalSetting, DEMO_DATA) is None
    finally:
        database.dispose()
    assert dump(database_path(tmp_path)) == before


def test_fast_ids_are_exactly_uuid7() -> None:
    rng = random.Random(3)
    for _ in range(2000):
        stamp, rand_a, rand_b = rng.getrandbits(48), rng.getrandbits(12), rng.getrandbits(62)
        assert uuid7_text(stamp, rand_a, rand_b) == uuid7_from(stamp, rand_a, rand_b)


def test_large_plan_is_the_design_dataset() -> None:
    large = PLANS[DemoSize.LARGE]
    assert (
        large.enterprises,
        large.contacts,
        large.visits,
        large.notes,
        large.projects,
        large.tasks,
    ) == (100_000, 200_000, 300_000, 300_000, 20_000, 100_000)


@pytest.mark.parametrize("other_connection", [False, True])
def test_single_write_loading_leaves_the_database_in_wal_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, other_connection: bool
) -> None:
    plan = dataclasses.replace(PLANS[DemoSize.SMALL], single_write_journal=True)
    monkeypatch.setitem(PLANS, DemoSize.SMALL, plan)
    database = open_local_database(tmp_path)
    other = sqlite3.connect(database_path(tmp_path)) if other_connection else None
    try:
        if other is not None:
            other.execute("SELECT COUNT(*) FROM squads").fetchall()  # holds the file open
        summary = build_demo(database, DemoSize.SMALL, seed=5, today=TODAY)
        assert summary.counts["visits"] == plan.visits
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        if other is not None:
            other.close()
        database.dispose()
    with sqlite3.connect(database_path(tmp_path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def test_brand_initials_composed_from_characters_are_exact() -> None:
    namer = Namer()
    assert all(namer.initials(brand) == pinyin_initials(brand) for brand in namer.brands)


def test_fast_draws_stay_in_range_and_distinct() -> None:
    rng = DemoRandom("draws")
    for _ in range(200):
        assert 3 <= rng.randint(3, 5) <= 5 and 0 <= rng.randrange(7) < 7
        few = rng.sample(range(100_000), 5)
        assert len(set(few)) == 5 and all(0 <= n < 100_000 for n in few)
        assert sorted(rng.sample("abcdef", 6)) == list("abcdef")
        assert 1 <= rng.few(1, 3) <= 3
    counts = spread(100, 30, 1, 6, rng)
    assert len(counts) == 30 and sum(counts) == 100 and all(1 <= n <= 6 for n in counts)
