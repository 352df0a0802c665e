"""What the server knows about each synced table: writable fields, references, scope rule.

Derived from the client's typed tables (``app.database.tables``), so a column added there is
accepted here without a server change. ``conflicts`` is the server's own table: conflict
records are made only by the server; clients may patch their resolution fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Column, MetaData, String, Table, Text

from app.database.tables import SYNC_COLUMNS, TABLE_BY_NAME
from app.database.types import UTCDateTime, id_column_type
from app.domain.vocabulary import Role
from app.sync.merge import long_text_fields

CONFLICTS = "conflicts"
ATTACHMENTS = "attachments"


class ScopeRule(Enum):
    BUREAU = "bureau"  # readable by everyone, written by the roles in ``TableSpec.writers``
    SQUAD = "squad"  # the record's own ``squad_id`` (filled with the writer's squad when null)
    PARENT = "parent"  # the scope of the record named by ``TableSpec.parent_column``


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    columns: Mapping[str, Column[Any]]
    """Fields a change may carry (sync columns excluded; ``deleted`` is handled apart)."""
    references: Mapping[str, str]
    """Column → synced table it names."""
    required: frozenset[str]
    """Fields an insert must carry: not nullable and without a default."""
    long_text: frozenset[str]
    scope_rule: ScopeRule
    parent_column: str | None = None
    writers: frozenset[Role] = frozenset({Role.LEADER, Role.ADMIN})
    """Roles that may write records of this table in the ``bureau`` scope."""
    client_writable: frozenset[str] | None = None
    """When set, the only fields a client may change (``conflicts``)."""


BUREAU_TABLES: Mapping[str, frozenset[Role]] = {
    "squads": frozenset({Role.ADMIN}),
    "members": frozenset({Role.ADMIN}),
    "bureau_settings": frozenset({Role.ADMIN}),
    "honour_directories": frozenset({Role.LEADER, Role.ADMIN}),
    "directory_entries": frozenset({Role.LEADER, Role.ADMIN}),
    "industry_chains": frozenset({Role.LEADER, Role.ADMIN}),
    "chain_links": frozenset({Role.LEADER, Role.ADMIN}),
}
SQUAD_TABLES = frozenset({"enterprises", "trips", "visits", "projects", "tasks"})
PARENT_COLUMNS: Mapping[str, str] = {
    "contacts": "enterprise_id",
    "enterprise_links": "enterprise_id",
    "negotiation_notes": "enterprise_id",
    "commitments": "enterprise_id",
    "problems": "enterprise_id",
    "trip_members": "trip_id",
    "visit_participants": "visit_id",
    "visit_attendees": "visit_id",
    "project_stage_changes": "project_id",
    "funding_entries": "project_id",
    ATTACHMENTS: "owner_id",
}

_conflicts = Table(
    CONFLICTS,
    MetaData(),
    Column("table_name", String(40), nullable=False),
    Column("row_id", id_column_type(), nullable=False),
    Column("field", String(60), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("base_value", JSON, nullable=True),
    Column("server_value", JSON, nullable=True),
    Column("client_value", JSON, nullable=True),
    Column("server_by", id_column_type(), nullable=True),
    Column("server_at", UTCDateTime(), nullable=True),
    Column("client_by", id_column_type(), nullable=True),
    Column("client_at", UTCDateTime(), nullable=True),
    Column("change_id", id_column_type(), nullable=True),
    Column("status", String(20), nullable=False),
    Column("resolution", Text, nullable=False),
    Column("resolved_by", id_column_type(), nullable=True),
    Column("resolved_at", UTCDateTime(), nullable=True),
)
CONFLICT_STATUSES = ("open", "resolved")
CONFLICT_RESOLUTION_FIELDS = frozenset({"status", "resolution", "resolved_by", "resolved_at"})


def _required(column: Column[Any]) -> bool:
    return not column.nullable and column.default is None and column.server_default is None


def _spec(name: str) -> TableSpec | None:
    table: Table = TABLE_BY_NAME[name].__table__  # type: ignore[attr-defined]
    columns = {column.name: column for column in table.columns if column.name not in SYNC_COLUMNS}
    references = {
        key.parent.name: key.column.table.name
        for key in table.foreign_keys
        if key.column.table.name in TABLE_BY_NAME and key.parent.name in columns
    }
    common: dict[str, Any] = {
        "name": name,
        "columns": columns,
        "references": references,
        "required": frozenset(n for n, column in columns.items() if _required(column)),
        "long_text": long_text_fields(name),
    }
    if name in BUREAU_TABLES:
        return TableSpec(**common, scope_rule=ScopeRule.BUREAU, writers=BUREAU_TABLES[name])
    if name in SQUAD_TABLES:
        return TableSpec(**common, scope_rule=ScopeRule.SQUAD)
    if name in PARENT_COLUMNS:
        return TableSpec(**common, scope_rule=ScopeRule.PARENT, parent_column=PARENT_COLUMNS[name])
    return None


def _conflict_spec() -> TableSpec:
    columns = {column.name: column for column in _conflicts.columns}
    return TableSpec(
        name=CONFLICTS,
        columns=columns,
        references={"resolved_by": "members"},
        required=frozenset(),
        long_text=frozenset(),
        scope_rule=ScopeRule.PARENT,
        parent_column="row_id",
        client_writable=CONFLICT_RESOLUTION_FIELDS,
    )


SPECS: Mapping[str, TableSpec] = {
    **{name: spec for name in TABLE_BY_NAME if (spec := _spec(name)) is not None},
    CONFLICTS: _conflict_spec(),
}
"""Every table a client may push to (a synced table without a scope rule is not served)."""
