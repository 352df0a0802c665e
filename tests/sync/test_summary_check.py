"""The per-table count comparison with the server: after a first download, then every few hours."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from app.database.change_tracking import Actor
from app.database.tables import EnterpriseRow
from app.database.types import utc_now
from app.sync import state
from app.sync.engine import SUMMARY_INTERVAL

from .fake_server import SQUAD, FakeServer
from .helpers import Laptop


def test_a_summary_mismatch_pulls_everything_again(
    laptops: tuple[Laptop, Laptop], server: FakeServer
) -> None:
    a, _b = laptops
    enterprise_id = a.enterprises.create({"name": "甲公司", "squad_id": SQUAD})
    a.sync()
    with a.workspace.database.write(Actor(None, record_changes=False)) as session:
        session.execute(
            update(EnterpriseRow).where(EnterpriseRow.id == enterprise_id).values(row_version=7)
        )
    state.save(a.workspace.database, {state.SUMMARY_CHECKED_AT: None})  # the check is due
    before = server.pulls
    a.sync()
    assert server.pulls > before + 1
    assert a.enterprise(enterprise_id).row_version == 1


def test_counts_are_compared_after_a_first_download_then_only_every_few_hours(
    laptops: tuple[Laptop, Laptop], server: FakeServer
) -> None:
    a, _b = laptops  # both made their first download: each compared once
    checked = server.summaries
    a.enterprises.create({"name": "甲公司", "squad_id": SQUAD})
    a.sync()
    a.sync()
    assert server.summaries == checked
    earlier = utc_now() - SUMMARY_INTERVAL - dt.timedelta(minutes=1)
    state.save(a.workspace.database, {state.SUMMARY_CHECKED_AT: earlier.isoformat()})
    a.sync()
    assert server.summaries == checked + 1
