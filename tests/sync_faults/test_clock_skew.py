"""§3 scenario 7: laptop clocks days apart decide nothing. The same script of edits gives the same
outcome with clocks at ±3 days as with true clocks: the server's order of arrival counts."""

from __future__ import annotations

import json
from typing import Any

from sync_faults.conftest import LaptopFactory, ServerSetup
from sync_faults.laptops import Laptop


def _ops(laptop: Laptop, steps: list[list[Any]], days: float) -> list[dict[str, Any]]:
    process = laptop.spawn("ops", "--ops", json.dumps(steps), "--clock-days", str(days))
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, out + err
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def _play(
    server: ServerSetup, laptop: LaptopFactory, tag: str, alice_days: float, bob_days: float
) -> tuple[Any, ...]:
    alice = laptop(server, "alice")
    bob = laptop(server, "bob")
    created = _ops(
        alice, [["create", {"name": f"{tag}时钟企业", "website": "v0"}], ["sync"]], alice_days
    )
    enterprise_id = created[0]["created"]
    _ops(bob, [["sync"]], bob_days)
    # Alice (clock ahead) edits first; Bob (clock behind) edits the same field later.
    _ops(alice, [["update", enterprise_id, {"website": "alice"}], ["sync"]], alice_days)
    _ops(
        bob,
        [["update", enterprise_id, {"website": "bob", "headquarters": "兰州"}], ["sync"]],
        bob_days,
    )
    _ops(alice, [["sync"]], alice_days)
    snapshot = server.checker.check([alice.files, bob.files])
    record = snapshot.records[enterprise_id]
    conflicts = sorted(
        (r.data["field"], r.data["server_value"], r.data["client_value"])
        for r in snapshot.records.values()
        if r.table == "conflicts" and r.data.get("row_id") == enterprise_id
    )
    outcomes = [row["outcome"] for row in snapshot.log if row["row_id"] == enterprise_id]
    return (
        record.data["website"],
        record.data["headquarters"],
        record.row_version,
        conflicts,
        outcomes,
    )


def test_clock_skew_changes_no_outcome(server: ServerSetup, laptop: LaptopFactory) -> None:
    true_clocks = _play(server, laptop, "准时", 0.0, 0.0)
    # The later edit carries the older time: last-writer-wins by clock would pick Alice's.
    skewed = _play(server, laptop, "偏差", 3.0, -3.0)
    assert skewed == true_clocks
    website, headquarters, _version, conflicts, _outcomes = skewed
    assert (website, headquarters) == ("alice", "兰州")
    assert conflicts == [("website", "alice", "bob")]
