"""Shared test set-up: Qt runs offscreen; every test gets real SQLite files in tmp_path."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from throwaway_postgres import PG_URL_ENV, postgres_available, throwaway_postgres

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SQUADDESK_LANG", "zh_CN")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test; skips without SQUADDESK_TEST_DATABASE_URL."""
    if not postgres_available():
        pytest.skip(f"{PG_URL_ENV} not set")
    with throwaway_postgres() as url:
        yield url
