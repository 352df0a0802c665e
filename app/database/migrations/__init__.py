"""Alembic migrations of the local (and server) schema; run in code, never by hand."""
