"""Apply Alembic migrations in code, and tell which revision a database is at."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {revision.revision for revision in script.walk_revisions()}


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, target: str = "head") -> None:
    """Bring the schema to ``target`` in one transaction."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)


def include_in_comparison(name: str | None, type_: str, _parent: object) -> bool:
    """Schema comparisons look at the ORM's tables, not the search index's own (local) ones."""
    from app.search.index_schema import is_index_table

    return not (type_ == "table" and name is not None and is_index_table(name))


def schema_differences(connection: Connection) -> list[object]:
    """What the database's schema lacks or has beyond the ORM models (empty when they match)."""
    from alembic.autogenerate import compare_metadata

    from app.database.tables import Base

    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_name": include_in_comparison}
    )
    return list(compare_metadata(context, Base.metadata))
