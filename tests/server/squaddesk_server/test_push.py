"""Push: idempotence, device sequences, field-level merge, conflicts and delete versus edit."""

from __future__ import annotations

from sqlalchemy import func, select

from app.domain.ids import new_id
from app.sync.protocol import ConflictKind, Outcome, RejectCode
from server.database.tables import change_log, records

from .harness import VALID_USCC, Laptop, Server, enterprise


def _two_members(server: Server) -> tuple[Laptop, Laptop]:
    server.add_user("alice", "新材料小分队")
    server.add_user("bob", "新材料小分队")
    return server.laptop("alice"), server.laptop("bob")


def _seqs(server: Server) -> list[int]:
    with server.state.database.read() as connection:
        return list(connection.scalars(select(records.c.seq).order_by(records.c.seq)))


def test_an_insert_is_applied_stamped_and_given_the_writers_squad(server: Server) -> None:
    alice, _ = _two_members(server)
    result = alice.insert("enterprises", enterprise(website="https://example.cn"))
    assert result.outcome == Outcome.APPLIED
    record = result.record
    assert record.row_version == 1
    assert record.fields["squad_id"] == alice.squad_id
    assert record.fields["website"] == "https://example.cn"
    assert record.updated_by == alice.member_id
    assert record.created_at == "2026-11-03T01:00:00+00:00"  # the laptop's time, in UTC
    assert record.seq == max(_seqs(server))


def test_a_repeated_push_returns_the_stored_result_and_writes_nothing(server: Server) -> None:
    alice, _ = _two_members(server)
    change = alice.change("enterprises", new_id(), "insert", enterprise())
    first = alice.push(change)
    seqs = _seqs(server)
    again = alice.push(change)
    assert again.results[0].outcome == Outcome.APPLIED
    assert again.results[0].record == first.results[0].record
    assert again.last_device_seq == first.last_device_seq == 1
    assert _seqs(server) == seqs
    with server.state.database.read() as connection:
        assert connection.scalar(select(func.count()).select_from(change_log)) == 1


def test_a_gap_in_device_seqs_stops_the_batch_with_retry_from(server: Server) -> None:
    alice, _ = _two_members(server)
    first = alice.change("enterprises", new_id(), "insert", enterprise("甲公司"))
    alice.next_seq += 1  # seq 2 went missing
    third = alice.change("enterprises", new_id(), "insert", enterprise("丙公司"))
    response = alice.push(first, third)
    assert [r.device_seq for r in response.results] == [1]
    assert response.retry_from == 2
    assert response.last_device_seq == 1


def test_a_reused_device_seq_with_a_new_change_is_refused_as_a_copied_device(
    server: Server,
) -> None:
    alice, _ = _two_members(server)
    alice.push(alice.change("enterprises", new_id(), "insert", enterprise("甲公司")))
    alice.next_seq = 1  # a copy of the data dir numbers from the same place
    response = alice.push_raw(alice.change("enterprises", new_id(), "insert", enterprise()))
    assert response.status_code == 409
    assert response.json()["error"] == "device_reused"


def test_edits_of_different_fields_both_survive(server: Server) -> None:
    alice, bob = _two_members(server)
    row_id = new_id()
    alice.push_one("enterprises", row_id, "insert", enterprise(website="", address=""))
    a = alice.push_one(
        "enterprises", row_id, "patch", {"website": "https://a.cn"}, {"website": ""}, 1
    )
    b = bob.push_one("enterprises", row_id, "patch", {"address": "兰州新区"}, {"address": ""}, 1)
    assert a.outcome == Outcome.APPLIED
    assert b.outcome == Outcome.MERGED
    assert b.record.fields["website"] == "https://a.cn"
    assert b.record.fields["address"] == "兰州新区"
    assert b.record.row_version == 3


def test_the_same_field_edited_twice_keeps_the_server_value_and_makes_a_conflict(
    server: Server,
) -> None:
    alice, bob = _two_members(server)
    row_id = new_id()
    alice.push_one("enterprises", row_id, "insert", enterprise(intent_level="unknown"))
    alice.push_one(
        "enterprises", row_id, "patch", {"intent_level": "strong"}, {"intent_level": "unknown"}, 1
    )
    result = bob.push_one(
        "enterprises", row_id, "patch", {"intent_level": "weak"}, {"intent_level": "unknown"}, 1
    )
    assert result.outcome == Outcome.CONFLICT
    assert "intent_level" in result.reason
    assert result.record.fields["intent_level"] == "strong"
    assert len(result.conflicts) == 1
    conflict = result.conflicts[0]
    assert conflict.table == "conflicts"
    assert result.conflict_ids == [conflict.id]
    assert conflict.fields["kind"] == ConflictKind.FIELD
    assert conflict.fields["row_id"] == row_id
    assert conflict.fields["table_name"] == "enterprises"
    assert conflict.fields["field"] == "intent_level"
    assert conflict.fields["base_value"] == "unknown"
    assert conflict.fields["server_value"] == "strong"
    assert conflict.fields["client_value"] == "weak"
    assert conflict.fields["server_by"] == alice.member_id
    assert conflict.fields["client_by"] == bob.member_id
    assert conflict.fields["status"] == "open"
    # Alice, the other member of the squad, pulls the conflict record and the kept value.
    pulled = alice.pull_all()
    assert pulled[conflict.id].fields["client_value"] == "weak"
    assert pulled[row_id].fields["intent_level"] == "strong"


def test_a_device_editing_a_field_twice_before_pushing_never_conflicts_with_itself(
    server: Server,
) -> None:
    alice, _ = _two_members(server)
    row_id = new_id()
    first = alice.change("enterprises", row_id, "insert", enterprise(website=""))
    second = alice.change("enterprises", row_id, "patch", {"website": "a"}, {"website": ""}, 0)
    third = alice.change("enterprises", row_id, "patch", {"website": "b"}, {"website": "a"}, 0)
    response = alice.push(first, second, third)
    assert [r.outcome for r in response.results] == [Outcome.APPLIED] * 3
    last = response.results[-1].record
    assert last is not None and last.fields["website"] == "b"


def test_long_text_edited_on_both_sides_is_merged_line_by_line(server: Server) -> None:
    alice, bob = _two_members(server)
    row_id = new_id()
    base = "第一行\n第二行\n第三行\n"
    alice.push_one("enterprises", row_id, "insert", enterprise(profile=base))
    alice.push_one(
        "enterprises",
        row_id,
        "patch",
        {"profile": "第一行（改）\n第二行\n第三行\n"},
        {"profile": base},
        1,
    )
    merged = bob.push_one(
        "enterprises",
        row_id,
        "patch",
        {"profile": "第一行\n第二行\n第三行（补充）\n"},
        {"profile": base},
        1,
    )
    assert merged.outcome == Outcome.MERGED
    assert merged.record.fields["profile"] == "第一行（改）\n第二行\n第三行（补充）\n"
    clash = bob.push_one(
        "enterprises",
        row_id,
        "patch",
        {"profile": "第一行（另一种改法）\n第二行\n第三行\n"},
        {"profile": base},
        1,
    )
    assert clash.outcome == Outcome.CONFLICT
    assert clash.conflicts[0].fields["kind"] == ConflictKind.TEXT
    assert clash.record.fields["profile"] == "第一行（改）\n第二行\n第三行（补充）\n"


def test_a_delete_after_an_unseen_edit_keeps_the_tombstone_and_records_a_conflict(
    server: Server,
) -> None:
    alice, bob = _two_members(server)
    row_id = new_id()
    alice.push_one("enterprises", row_id, "insert", enterprise(website=""))
    bob.push_one("enterprises", row_id, "patch", {"website": "https://b.cn"}, {"website": ""}, 1)
    deleted = alice.push_one("enterprises", row_id, "delete", {"deleted": True}, {}, 1)
    assert deleted.outcome == Outcome.CONFLICT
    assert deleted.record.deleted is True
    assert deleted.record.fields["website"] == "https://b.cn"  # the edit is not lost
    conflict = deleted.conflicts[0].fields
    assert (conflict["kind"], conflict["field"]) == ("delete", "deleted")
    assert conflict["server_by"] == bob.member_id
    assert conflict["client_value"] is True


def test_a_delete_of_what_the_deleter_saw_is_applied(server: Server) -> None:
    alice, bob = _two_members(server)
    row_id = new_id()
    alice.push_one("enterprises", row_id, "insert", enterprise(website=""))
    bob.push_one("enterprises", row_id, "patch", {"website": "https://b.cn"}, {"website": ""}, 1)
    deleted = alice.push_one("enterprises", row_id, "delete", {"deleted": True}, {}, 2)
    assert deleted.outcome == Outcome.APPLIED
    assert deleted.record.deleted is True
    assert deleted.conflicts == []


def test_an_edit_of_a_deleted_record_is_kept_in_the_tombstone_and_can_be_restored(
    server: Server,
) -> None:
    alice, bob = _two_members(server)
    row_id = new_id()
    alice.push_one("enterprises", row_id, "insert", enterprise(website=""))
    alice.push_one("enterprises", row_id, "delete", {"deleted": True}, {}, 1)
    edited = bob.push_one(
        "enterprises", row_id, "patch", {"website": "https://b.cn"}, {"website": ""}, 1
    )
    assert edited.outcome == Outcome.CONFLICT
    assert edited.record.deleted is True
    assert edited.record.fields["website"] == "https://b.cn"
    conflict = edited.conflicts[0].fields
    assert (conflict["kind"], conflict["server_value"], conflict["server_by"]) == (
        "delete",
        True,
        alice.member_id,
    )
    restored = bob.push_one(
        "enterprises",
        row_id,
        "patch",
        {"deleted": False},
        {"deleted": True},
        edited.record.row_version,
    )
    assert restored.outcome == Outcome.APPLIED
    assert restored.record.deleted is False
    assert restored.record.fields["website"] == "https://b.cn"


def test_an_invalid_uscc_is_rejected_naming_the_field(server: Server) -> None:
    alice, _ = _two_members(server)
    result = alice.insert("enterprises", enterprise(uscc="91110000600037341X"))
    assert result.outcome == Outcome.REJECTED
    assert result.code == RejectCode.INVALID_VALUE
    assert "uscc" in result.reason
    assert result.record is None
    assert alice.insert("enterprises", enterprise(uscc=VALID_USCC)).outcome == Outcome.APPLIED


def test_rejections_name_the_table_field_or_value(server: Server) -> None:
    alice, _ = _two_members(server)
    cases = [
        (("no_such_table", new_id(), "insert", {}), RejectCode.INVALID_TABLE, "no_such_table"),
        (
            ("enterprises", new_id(), "insert", {**enterprise(), "colour": "red"}),
            RejectCode.INVALID_FIELD,
            "colour",
        ),
        (
            ("enterprises", new_id(), "insert", {**enterprise(), "workforce_need": "many"}),
            RejectCode.INVALID_VALUE,
            "workforce_need",
        ),
        (("enterprises", new_id(), "insert", {"name_key": "x"}), RejectCode.INVALID_VALUE, "name"),
        (
            ("enterprises", new_id(), "insert", {**enterprise(), "intent_level": "maybe"}),
            RejectCode.INVALID_VALUE,
            "intent_level",
        ),
        (("enterprises", new_id(), "patch", {"website": "x"}), RejectCode.NOT_FOUND, "enterprises"),
        (
            ("contacts", new_id(), "insert", {"enterprise_id": new_id(), "name": "张三"}),
            RejectCode.MISSING_REFERENCE,
            "enterprise_id",
        ),
        (
            ("visits", new_id(), "insert", {"enterprise_id": new_id(), "visited_on": "2026-11-01"}),
            RejectCode.MISSING_REFERENCE,
            "enterprise_id",
        ),
    ]
    for args, code, named in cases:
        result = alice.push_one(*args)
        assert (result.outcome, result.code) == (Outcome.REJECTED, code), result.reason
        assert named in result.reason


def test_domain_rules_of_the_forms_apply_to_pushed_changes(server: Server) -> None:
    alice, _ = _two_members(server)
    company = alice.insert("enterprises", enterprise()).record.id
    future = alice.insert("visits", {"enterprise_id": company, "visited_on": "2999-01-01"})
    assert (future.code, "visited_on" in future.reason) == (RejectCode.INVALID_VALUE, True)
    trip = alice.insert(
        "trips", {"title": "深圳招商", "start_on": "2026-11-05", "end_on": "2026-11-01"}
    )
    assert (trip.code, "end_on" in trip.reason) == (RejectCode.INVALID_VALUE, True)


def test_a_conflict_is_resolved_by_patching_its_status(server: Server) -> None:
    alice, bob = _two_members(server)
    row_id = new_id()
    alice.push_one("enterprises", row_id, "insert", enterprise(website=""))
    alice.push_one("enterprises", row_id, "patch", {"website": "a"}, {"website": ""}, 1)
    conflict = bob.push_one("enterprises", row_id, "patch", {"website": "b"}, {"website": ""}, 1)
    conflict_id = conflict.conflict_ids[0]
    resolution = {
        "status": "resolved",
        "resolution": "theirs",
        "resolved_by": bob.member_id,
        "resolved_at": "2026-11-04T10:00:00+08:00",
    }
    resolved = bob.push_one("conflicts", conflict_id, "patch", resolution, {"status": "open"}, 1)
    assert resolved.outcome == Outcome.APPLIED
    assert resolved.record.fields["status"] == "resolved"
    assert alice.pull_all()[conflict_id].fields["resolution"] == "theirs"

    refused = [
        bob.push_one("conflicts", conflict_id, "patch", {"client_value": "c"}),
        bob.push_one("conflicts", conflict_id, "patch", {"status": "ignored"}),
        bob.push_one("conflicts", new_id(), "insert", {"status": "open"}),
        bob.push_one("conflicts", conflict_id, "delete", {"deleted": True}),
    ]
    assert [r.code for r in refused] == [
        RejectCode.INVALID_FIELD,
        RejectCode.INVALID_VALUE,
        RejectCode.FORBIDDEN,
        RejectCode.FORBIDDEN,
    ]


def test_every_change_is_in_the_change_log_with_its_outcome(server: Server) -> None:
    alice, _ = _two_members(server)
    alice.insert("enterprises", enterprise())
    alice.insert("enterprises", enterprise(uscc="bad"))
    with server.state.database.read() as connection:
        rows = connection.execute(select(change_log).order_by(change_log.c.device_seq)).all()
    assert [(row.device_seq, row.outcome) for row in rows] == [(1, "applied"), (2, "rejected")]
    assert rows[1].code == "invalid_value"
    assert rows[0].user_id and rows[0].device_id == alice.device_id
