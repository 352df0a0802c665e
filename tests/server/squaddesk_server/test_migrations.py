"""The server schema comes from its Alembic migrations, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from server.database.engine import ServerDatabase, head_revision
from server.database.tables import metadata


def test_migrations_build_the_declared_schema_once(database_url: str) -> None:
    database = ServerDatabase(database_url)
    try:
        database.migrate()
        server_id = database.server_id()
        database.migrate()  # a second start changes nothing
        assert database.server_id() == server_id
        assert database.revision() == head_revision()
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        database.dispose()
