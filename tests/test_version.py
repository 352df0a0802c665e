"""One version number: pyproject.toml's, wherever the app reads it."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from app import version

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def declared() -> str:
    return str(tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"])


def test_the_installed_app_reports_the_pyproject_version() -> None:
    version.app_version.cache_clear()
    assert version.app_version() == declared()


def test_a_checkout_that_was_never_installed_reads_pyproject(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def not_installed(_name: str) -> str:
        raise metadata.PackageNotFoundError("squaddesk")

    monkeypatch.setattr(metadata, "version", not_installed)
    version.app_version.cache_clear()
    try:
        assert version.app_version() == declared()
    finally:
        version.app_version.cache_clear()


def test_the_server_and_the_sync_client_send_the_same_version() -> None:
    from app.sync import transport
    from server import versions

    assert versions.app_version is version.app_version
    assert vars(transport)["app_version"] is version.app_version
