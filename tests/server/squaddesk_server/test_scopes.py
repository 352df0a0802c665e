"""Squad isolation: a member reads and writes only their squad's records and the bureau's;
an admin sees and moves everything."""

from __future__ import annotations

import hashlib

from app.domain.ids import new_id
from app.sync.protocol import Outcome, RejectCode

from .harness import Laptop, Server, api, enterprise


def _squads(server: Server) -> tuple[Laptop, Laptop, Laptop]:
    server.add_user("alice", "一队")
    server.add_user("bob", "二队")
    server.add_user("root", "局机关", role="admin")
    return server.laptop("alice"), server.laptop("bob"), server.laptop("root")


def _upload(laptop: Laptop, content: bytes) -> str:
    sha = hashlib.sha256(content).hexdigest()
    headers = {**laptop.headers, "Upload-Offset": "0", "Upload-Length": str(len(content))}
    response = laptop.client.patch(api(f"/blobs/{sha}"), content=content, headers=headers)
    assert response.status_code == 200, response.text
    return sha


def test_a_member_reads_only_their_squad_and_the_bureau(server: Server) -> None:
    alice, bob, root = _squads(server)
    mine = alice.insert("enterprises", enterprise("甲公司")).record.id
    theirs = bob.insert("enterprises", enterprise("乙公司")).record.id
    contact = bob.insert("contacts", {"enterprise_id": theirs, "name": "王经理"}).record.id

    seen_by_alice = alice.pull_all()
    assert mine in seen_by_alice
    assert theirs not in seen_by_alice and contact not in seen_by_alice
    assert {r.table for r in seen_by_alice.values()} >= {"squads", "members"}  # bureau records
    assert all(
        r.fields.get("squad_id") in (None, alice.squad_id) or r.table == "members"
        for r in seen_by_alice.values()
    )
    seen_by_root = root.pull_all()
    assert {mine, theirs, contact} <= set(seen_by_root)

    summary = alice.client.get(api("/sync/summary"), headers=alice.headers).json()
    assert summary["tables"]["enterprises"] == {"count": 1, "version_sum": 1}
    assert "contacts" not in summary["tables"]
    assert summary["cursor"] == max(r.seq for r in seen_by_alice.values())
    admin_summary = root.client.get(api("/sync/summary"), headers=root.headers).json()
    assert admin_summary["tables"]["enterprises"]["count"] == 2


def test_a_member_cannot_write_another_squads_records(server: Server) -> None:
    alice, bob, _ = _squads(server)
    theirs = bob.insert("enterprises", enterprise("乙公司", website="")).record.id
    attempts = {
        "patch": alice.push_one(
            "enterprises", theirs, "patch", {"website": "x"}, {"website": ""}, 1
        ),
        "delete": alice.push_one("enterprises", theirs, "delete", {"deleted": True}, {}, 1),
        "insert over it": alice.push_one("enterprises", theirs, "insert", enterprise("乙公司")),
        "insert into B": alice.insert("enterprises", enterprise("丙公司", squad_id=bob.squad_id)),
        "child of B's": alice.insert("contacts", {"enterprise_id": theirs, "name": "李四"}),
    }
    codes = {name: (r.outcome, r.code) for name, r in attempts.items()}
    assert codes == {
        "patch": (Outcome.REJECTED, RejectCode.FORBIDDEN),
        "delete": (Outcome.REJECTED, RejectCode.FORBIDDEN),
        "insert over it": (Outcome.REJECTED, RejectCode.FORBIDDEN),
        "insert into B": (Outcome.REJECTED, RejectCode.FORBIDDEN),
        "child of B's": (Outcome.REJECTED, RejectCode.MISSING_REFERENCE),
    }
    assert all(r.record is None for r in attempts.values())  # nothing of B's leaks back
    assert "squad_id" in attempts["insert into B"].reason
    record = bob.pull_all()[theirs]
    assert (record.deleted, record.fields["website"], record.row_version) == (False, "", 1)


def test_a_member_cannot_move_a_record_to_another_squad_but_an_admin_can(server: Server) -> None:
    alice, bob, root = _squads(server)
    company = alice.insert("enterprises", enterprise("甲公司")).record
    contact = alice.insert("contacts", {"enterprise_id": company.id, "name": "张三"}).record
    moved = alice.push_one(
        "enterprises",
        company.id,
        "patch",
        {"squad_id": bob.squad_id},
        {"squad_id": alice.squad_id},
        1,
    )
    assert (moved.outcome, moved.code) == (Outcome.REJECTED, RejectCode.FORBIDDEN)

    cursor = bob.pull().next_cursor
    by_admin = root.push_one(
        "enterprises",
        company.id,
        "patch",
        {"squad_id": bob.squad_id},
        {"squad_id": alice.squad_id},
        1,
    )
    assert by_admin.outcome == Outcome.APPLIED
    arrived = {r.id for r in bob.pull(cursor).records}
    assert {company.id, contact.id} <= arrived  # the record and everything under it moved
    assert company.id not in alice.pull_all()


def test_bureau_tables_are_written_by_the_roles_allowed(server: Server) -> None:
    alice, _, root = _squads(server)
    server.add_user("lead", "一队", role="leader")
    leader = server.laptop("lead")
    chain = {"name": "新材料产业链"}
    assert alice.insert("industry_chains", chain).code == RejectCode.FORBIDDEN
    made = leader.insert("industry_chains", chain)
    assert made.outcome == Outcome.APPLIED
    assert made.record.id in alice.pull_all()  # bureau: everyone reads it
    assert leader.insert("squads", {"name": "三队"}).code == RejectCode.FORBIDDEN
    assert root.insert("squads", {"name": "三队"}).outcome == Outcome.APPLIED
    member = alice.pull_all()[alice.member_id]
    patch = alice.push_one("members", member.id, "patch", {"phone": "1"}, {"phone": ""}, 1)
    assert patch.code == RejectCode.FORBIDDEN


def test_blobs_are_served_only_to_readers_of_an_attachment_naming_them(server: Server) -> None:
    alice, bob, root = _squads(server)
    company = bob.insert("enterprises", enterprise("乙公司")).record.id
    content = "乙公司的营业执照".encode()
    sha = _upload(bob, content)
    attachment = {
        "owner_table": "enterprises",
        "owner_id": company,
        "sha256": sha,
        "filename": "执照.jpg",
        "size": len(content),
    }
    assert bob.insert("attachments", attachment).outcome == Outcome.APPLIED
    assert bob.client.get(api(f"/blobs/{sha}"), headers=bob.headers).content == content
    assert root.client.get(api(f"/blobs/{sha}"), headers=root.headers).status_code == 200
    refused = alice.client.get(api(f"/blobs/{sha}"), headers=alice.headers)
    assert refused.status_code == 404
    assert refused.json()["error"] == "not_found"
    stolen = alice.insert("attachments", {**attachment, "owner_id": new_id()})
    assert stolen.code == RejectCode.MISSING_REFERENCE
    onto_theirs = alice.insert("attachments", attachment)
    assert onto_theirs.code == RejectCode.MISSING_REFERENCE


def test_scope_follows_the_parent_record(server: Server) -> None:
    alice, _, root = _squads(server)
    company = alice.insert("enterprises", enterprise()).record.id
    visit = alice.insert(
        "visits", {"enterprise_id": company, "visited_on": "2026-11-01", "squad_id": None}
    ).record
    assert visit.fields["squad_id"] == alice.squad_id
    person = alice.insert(
        "visit_participants", {"visit_id": visit.id, "member_id": alice.member_id}
    )
    assert person.outcome == Outcome.APPLIED
    chain = root.insert("industry_chains", {"name": "链"}).record.id
    link = root.insert("chain_links", {"chain_id": chain, "name": "环节"}).record.id
    placed = alice.insert("enterprise_links", {"enterprise_id": company, "link_id": link})
    assert placed.outcome == Outcome.APPLIED  # bureau chain links are readable references
