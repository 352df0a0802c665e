"""Throwaway PostgreSQL databases for tests that must run on both engines.

``SQUADDESK_TEST_DATABASE_URL`` names a server the tests may create databases on (CI:
``postgresql+psycopg://postgres@127.0.0.1:5432/test``); without it PostgreSQL tests skip.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

from sqlalchemy import create_engine, text

PG_URL_ENV = "SQUADDESK_TEST_DATABASE_URL"


def postgres_available() -> bool:
    return bool(os.environ.get(PG_URL_ENV))


@contextlib.contextmanager
def throwaway_postgres(prefix: str = "squaddesk_test") -> Iterator[str]:
    """The URL of a new, empty database, dropped afterwards (its open sessions cut first)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(os.environ[PG_URL_ENV], isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
