"""Files the app ships: the CJK font, code lists, translations, icons."""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """Absolute path of a shipped resource file."""
    return RESOURCES_DIR.joinpath(*parts)
