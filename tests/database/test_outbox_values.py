"""The outbox records the values a new row really gets, defaults included."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import EnterpriseRow, OutboxEntry


def test_insert_entry_carries_column_defaults_not_nulls(tmp_path: Path) -> None:
    database = open_local_database(tmp_path)
    with database.write(Actor(None)) as session:
        session.add(EnterpriseRow(name="甲公司", name_key="甲公司"))
    with database.read() as session:
        entry = session.scalars(select(OutboxEntry)).one()
        stored = session.scalars(select(EnterpriseRow)).one()
    database.dispose()
    assert entry.op == "insert"
    assert entry.fields["profile"] == stored.profile == ""
    assert entry.fields["intent_level"] == stored.intent_level == "unknown"
    assert entry.fields["uscc"] is None  # no default: null is the real value
