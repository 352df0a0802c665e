"""User settings, declared once with type, default and meaning; stored as JSON in the data dir.

Only window geometry lives elsewhere (QSettings, in ``ui/``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from app.i18n import DEFAULT_LANGUAGE, LANGUAGES

T = TypeVar("T")
SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    type: type[T]
    default: T
    description: str


LANGUAGE = Setting("language", str, DEFAULT_LANGUAGE, "UI language: zh_CN or en")
ALL_SETTINGS: tuple[Setting[object], ...] = (LANGUAGE,)  # type: ignore[assignment]


class Settings:
    """Typed access to the settings file; unknown or ill-typed values fall back to defaults."""

    def __init__(self, data_dir: Path) -> None:
        self._path = data_dir / SETTINGS_FILE
        self._values: dict[str, object] = self._load()

    def get(self, setting: Setting[T]) -> T:
        value = self._values.get(setting.key, setting.default)
        if not isinstance(value, setting.type):
            return setting.default
        if setting is LANGUAGE and value not in LANGUAGES:
            return setting.default
        return value

    def set(self, setting: Setting[T], value: T) -> None:
        self._values[setting.key] = value
        self._save()

    def _load(self) -> dict[str, object]:
        try:
            loaded = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def _save(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self._path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps(self._values, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        os.replace(temporary, self._path)
