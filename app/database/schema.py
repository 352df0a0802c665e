"""The schema revision this build of the app writes (the Alembic head)."""

SCHEMA_REVISION = "0002"
