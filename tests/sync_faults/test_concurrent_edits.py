"""§3 scenario 8: several laptops edit the same record between syncs. Different fields all
survive; the same field keeps one value and a conflict holds the other; long text with separate
lines merges with both edits and no line twice; overlapping lines conflict; a delete against an
edit keeps the edit recoverable; the same record created twice keeps both versions."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from app.database.tables import EnterpriseRow
from app.domain.ids import new_id
from sync_faults.conftest import LaptopFactory, ServerSetup
from sync_faults.invariants import ServerSnapshot
from sync_faults.laptops import Laptop

PROFILE = "\n".join(f"第{n}行：原文" for n in range(1, 9))


def _pair(server: ServerSetup, laptop: LaptopFactory, **fields: str) -> tuple[Laptop, Laptop, str]:
    alice, bob = laptop(server, "alice"), laptop(server, "bob")
    enterprise_id = alice.enterprises.create({"name": "并发编辑企业", **fields})
    alice.sync()
    bob.sync()
    return alice, bob, enterprise_id


def _conflicts(snapshot: ServerSnapshot, row_id: str) -> list[dict[str, object]]:
    return [
        r.data
        for r in snapshot.records.values()
        if r.table == "conflicts" and r.data["row_id"] == row_id
    ]


def _finish(server: ServerSetup, *laptops: Laptop) -> ServerSnapshot:
    for each in laptops:
        each.sync()
    return server.checker.check([each.files for each in laptops])


def test_five_laptops_edit_different_fields_at_once_and_all_survive(
    server: ServerSetup, laptop: LaptopFactory
) -> None:
    laptops = [laptop(server, name) for name in ("alice", "bob", "carol", "alice", "bob")]
    enterprise_id = laptops[0].enterprises.create({"name": "五人同改企业"})
    for each in laptops:
        each.sync()
    fields = ["website", "headquarters", "legal_representative", "water_need", "power_need"]
    for number, (each, name) in enumerate(zip(laptops, fields, strict=True)):
        each.enterprises.update(enterprise_id, {name: f"值{number}"})
    errors: list[BaseException] = []

    def push(each: Laptop) -> None:
        try:
            each.sync()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=push, args=(each,)) for each in laptops]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    snapshot = _finish(server, *laptops)
    record = snapshot.records[enterprise_id]
    assert [record.data[name] for name in fields] == [f"值{n}" for n in range(5)]
    assert not _conflicts(snapshot, enterprise_id)


def test_same_field_keeps_one_value_and_a_conflict_with_the_other(
    server: ServerSetup, laptop: LaptopFactory
) -> None:
    alice, bob, enterprise_id = _pair(server, laptop, website="https://old.example.cn")
    alice.enterprises.update(enterprise_id, {"website": "https://alice.example.cn"})
    bob.enterprises.update(enterprise_id, {"website": "https://bob.example.cn"})
    alice.sync()
    report = bob.sync()
    assert report.conflicts >= 1
    snapshot = _finish(server, alice, bob)
    assert snapshot.records[enterprise_id].data["website"] == "https://alice.example.cn"
    [conflict] = _conflicts(snapshot, enterprise_id)
    assert (conflict["field"], conflict["server_value"], conflict["client_value"]) == (
        "website",
        "https://alice.example.cn",
        "https://bob.example.cn",
    )
    assert bob.enterprise(enterprise_id)["website"] == "https://alice.example.cn"


def test_text_edits_on_separate_lines_merge_without_duplicating_lines(
    server: ServerSetup, laptop: LaptopFactory
) -> None:
    alice, bob, enterprise_id = _pair(server, laptop, profile=PROFILE)
    lines = PROFILE.split("\n")
    alice.enterprises.update(enterprise_id, {"profile": "\n".join(["第1行：甲改", *lines[1:]])})
    bob.enterprises.update(enterprise_id, {"profile": "\n".join([*lines[:-1], "第8行：乙改"])})
    alice.sync()
    bob.sync()
    snapshot = _finish(server, alice, bob)
    merged = str(snapshot.records[enterprise_id].data["profile"]).split("\n")
    assert merged == ["第1行：甲改", *lines[1:-1], "第8行：乙改"]
    assert len(merged) == len(set(merged))
    assert not _conflicts(snapshot, enterprise_id)
    outcomes = [row["outcome"] for row in snapshot.log if row["row_id"] == enterprise_id]
    assert outcomes[-1] == "merged"


def test_text_edits_on_the_same_line_conflict(server: ServerSetup, laptop: LaptopFactory) -> None:
    alice, bob, enterprise_id = _pair(server, laptop, profile=PROFILE)
    lines = PROFILE.split("\n")
    mine = "\n".join([lines[0], "第2行：甲改", *lines[2:]])
    theirs = "\n".join([lines[0], "第2行：乙改", *lines[2:]])
    alice.enterprises.update(enterprise_id, {"profile": mine})
    bob.enterprises.update(enterprise_id, {"profile": theirs})
    alice.sync()
    bob.sync()
    snapshot = _finish(server, alice, bob)
    assert snapshot.records[enterprise_id].data["profile"] == mine
    [conflict] = _conflicts(snapshot, enterprise_id)
    assert (conflict["kind"], conflict["client_value"]) == ("text", theirs)


def test_delete_against_an_edit_keeps_the_edit_recoverable(
    server: ServerSetup, laptop: LaptopFactory
) -> None:
    alice, bob, enterprise_id = _pair(server, laptop)
    alice.enterprises.delete(enterprise_id)
    bob.enterprises.update(enterprise_id, {"website": "https://kept.example.cn"})
    alice.sync()
    bob.sync()
    snapshot = _finish(server, alice, bob)
    record = snapshot.records[enterprise_id]
    assert record.deleted and record.data["website"] == "https://kept.example.cn"
    assert [c["kind"] for c in _conflicts(snapshot, enterprise_id)] == ["delete"]
    alice.enterprises.restore(enterprise_id)
    alice.sync()
    snapshot = _finish(server, alice, bob)
    assert not snapshot.records[enterprise_id].deleted
    assert bob.enterprise(enterprise_id)["website"] == "https://kept.example.cn"


def test_the_same_record_created_on_two_laptops_keeps_both_versions(
    server: ServerSetup, laptop: LaptopFactory
) -> None:
    alice, bob = laptop(server, "alice"), laptop(server, "bob")
    alice.sync()
    bob.sync()
    shared_id = new_id()  # e.g. both imported the same file
    for each, site in ((alice, "https://a.example.cn"), (bob, "https://b.example.cn")):
        with each.database.write(each.workspace.actor()) as session:
            session.add(
                EnterpriseRow(
                    id=shared_id, name="重复创建企业", name_key="重复创建企业", website=site
                )
            )
    alice.sync()
    bob.sync()
    snapshot = _finish(server, alice, bob)
    assert snapshot.records[shared_id].data["website"] == "https://a.example.cn"
    [conflict] = _conflicts(snapshot, shared_id)
    assert (conflict["field"], conflict["client_value"]) == ("website", "https://b.example.cn")
    inserts = [row for row in snapshot.log if row["row_id"] == shared_id]
    assert [row["outcome"] for row in inserts] == ["applied", "conflict"]


def test_the_checker_notices_a_laptop_that_drifted(
    server: ServerSetup, laptop: LaptopFactory
) -> None:
    """The invariant checker is not vacuous: a wrong local value (I3) and a cursor past the
    server's head (I4) are both caught."""
    alice, bob, enterprise_id = _pair(server, laptop, website="https://right.example.cn")
    server.checker.check([alice.files, bob.files])
    bob.close()
    connection = sqlite3.connect(bob.files.database_file)
    with connection:
        connection.execute(
            "UPDATE enterprises SET website = 'https://drifted.example.cn' WHERE id = ?",
            (enterprise_id,),
        )
    connection.close()
    with pytest.raises(AssertionError, match="I3"):
        server.checker.i3_converged(server.checker.snapshot(), bob.files)
    connection = sqlite3.connect(alice.files.database_file)
    with connection:
        connection.execute(
            "UPDATE local_settings SET value = '999999999' WHERE key = 'pull_cursor'"
        )
    connection.close()
    with pytest.raises(AssertionError, match="I4"):
        server.checker.i4_cursor_not_ahead(server.checker.snapshot(), alice.files)
