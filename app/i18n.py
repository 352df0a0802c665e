"""The one translation layer for every visible string (UI, CLI, PDFs).

Source strings are Simplified Chinese, the product's first language; other languages map them in
``resources/translations/<lang>.json``. Import it explicitly (``from app.i18n import tr``); it is
never installed into builtins. Placeholders use ``str.format`` names, and a translation whose
``{placeholders}`` differ from the source is refused, so a bad catalogue cannot crash a message.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from pathlib import Path

from resources import resource_path

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES: Mapping[str, str] = {"zh_CN": "简体中文", "en": "English"}

_catalog: dict[str, str] = {}
_language = DEFAULT_LANGUAGE


def placeholders(text: str) -> frozenset[str]:
    """The ``{name}`` fields used in ``text``."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def load_catalog(path: Path) -> dict[str, str]:
    """Read a catalogue, keeping only entries whose placeholders match their source."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        source: target
        for source, target in raw.items()
        if isinstance(target, str) and target and placeholders(source) == placeholders(target)
    }


def set_language(language: str) -> None:
    """Switch every later ``tr`` call to ``language`` (one of ``LANGUAGES``)."""
    global _catalog, _language
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    _language = language
    if language == DEFAULT_LANGUAGE:
        _catalog = {}
    else:
        _catalog = load_catalog(resource_path("translations", f"{language}.json"))


def current_language() -> str:
    return _language


def tr(source: str, /, **values: object) -> str:
    """Translate ``source`` into the current language and fill its placeholders."""
    text = _catalog.get(source, source)
    return text.format(**values) if values else text


def mark(source: str, /) -> str:
    """Mark a string for translation where it is declared; ``tr`` translates it when shown."""
    return source
