"""Alembic migrations of the server database (applied at start-up and by the CLI)."""
