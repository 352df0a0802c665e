"""Search index: FTS5 tables over enterprises, contacts, visits, notes and projects.

Creates the local search index (``app/search/index_schema.py``): contentless FTS5 tables of
character-pair streams, the triggers that note every change to the source tables, and fills
them from every live row. SQLite only (the server's PostgreSQL has no use for it); the
index is local and never exported or synced.

Revision ID: 0004
Revises: 0003
"""

import sqlite3

from alembic import op

from app.search.index_schema import create_index, drop_index

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _sqlite() -> sqlite3.Connection | None:
    """The driver connection of this migration, when the database is SQLite."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return None
    raw = bind.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def upgrade() -> None:
    connection = _sqlite()
    if connection is not None:
        create_index(connection)


def downgrade() -> None:
    connection = _sqlite()
    if connection is not None:
        drop_index(connection)
