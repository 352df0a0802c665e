"""Pull: every readable record above the cursor, in seq order, in pages."""

from __future__ import annotations

import pytest

from app.domain.ids import new_id
from app.sync.protocol import PullResponse

from .harness import Server, api, enterprise


def test_pages_come_in_seq_order_and_the_cursor_walks_the_feed(server: Server) -> None:
    server.add_user("alice", "一队")
    alice = server.laptop("alice")
    ids = [
        alice.insert("enterprises", enterprise(f"企业{n}", website="")).record.id for n in range(25)
    ]
    seen: list[int] = []
    cursor, pages = 0, 0
    while True:
        page = alice.pull(cursor, limit=10)
        pages += 1
        seqs = [record.seq for record in page.records]
        assert seqs == sorted(seqs) and all(seq > cursor for seq in seqs)
        assert page.next_cursor == (seqs[-1] if seqs else cursor)
        assert page.server_id == server.state.server_id
        seen += seqs
        cursor = page.next_cursor
        if not page.has_more:
            break
    assert pages == 3  # 25 enterprises + squad + member = 27 records
    assert len(seen) == len(set(seen)) == 27
    end = alice.pull(cursor)
    assert (end.records, end.next_cursor, end.has_more) == ([], cursor, False)

    edited = alice.push_one(
        "enterprises", ids[0], "patch", {"website": "https://a.cn"}, {"website": ""}, 1
    )
    after = alice.pull(cursor)
    assert [r.id for r in after.records] == [ids[0]]
    assert after.records[0].seq == edited.record.seq > cursor
    assert after.records[0].row_version == 2


def test_the_pull_body_is_a_pull_response(server: Server) -> None:
    server.add_user("alice", "一队")
    alice = server.laptop("alice")
    alice.insert("enterprises", enterprise('带"引号"和\\反斜杠的企业', profile="第一行\n第二行"))
    response = server.client.get(api("/sync/pull"), headers=alice.headers)
    assert response.headers["content-type"] == "application/json"
    page = PullResponse.model_validate_json(response.content)
    names = {r.fields.get("name") for r in page.records}
    assert '带"引号"和\\反斜杠的企业' in names
    company = next(r for r in page.records if r.table == "enterprises")
    assert company.fields["profile"] == "第一行\n第二行"
    assert company.created_at and company.updated_at and company.updated_by == alice.member_id


def test_user_add_writes_squad_and_member_records_that_clients_pull(server: Server) -> None:
    added = server.add_user("alice", "新材料小分队", role="leader")
    again = server.add_user("bob", "新材料小分队")
    assert again.squad_id == added.squad_id and not again.squad_created
    records = server.laptop("bob").pull_all()
    squad = records[added.squad_id]
    assert squad.table == "squads"
    assert squad.fields == {"name": "新材料小分队", "region_code": None, "focus": ""}
    member = records[added.member_id]
    assert member.table == "members"
    assert member.fields == {
        "name": "alice",
        "username": "alice",
        "squad_id": added.squad_id,
        "role": "leader",
        "title": "",
        "phone": "",
    }


@pytest.mark.parametrize("params", [{"cursor": -1}, {"limit": 0}, {"cursor": "x"}])
def test_bad_pull_parameters_get_422(server: Server, params: dict[str, object]) -> None:
    server.add_user("alice", "一队")
    alice = server.laptop("alice")
    response = server.client.get(api("/sync/pull"), params=params, headers=alice.headers)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"


def test_a_tombstone_is_pulled(server: Server) -> None:
    server.add_user("alice", "一队")
    alice = server.laptop("alice")
    row_id = new_id()
    alice.push_one("enterprises", row_id, "insert", enterprise())
    alice.push_one("enterprises", row_id, "delete", {"deleted": True}, {}, 1)
    assert alice.pull_all()[row_id].deleted is True
