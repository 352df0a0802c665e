"""Every visible string goes through the translation layer, and English covers all of them."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from app import i18n
from app.i18n import placeholders, tr
from resources import resource_path

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3400-\u9fff]")
TRANSLATING_CALLS = {"tr", "mark"}
# Modules whose Chinese literals are data, not interface text: demo content, name rules.
DATA_MODULES = {
    "app/demo",
    "app/domain/names.py",
    "app/domain/money.py",
    "app/i18n.py",
    "app/domain/regions.py",
    "app/domain/uscc.py",
    "app/domain/industries.py",
    "app/database/migrations",
    "app/domain/vocabulary.py",
    # the words spreadsheets use for headers, units and ranks, recognised when importing
    "app/importers/columns.py",
    "app/importers/cells.py",
    "app/services/honour_sheet.py",
}


def _is_data_module(path: Path) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return any(relative.startswith(prefix) for prefix in DATA_MODULES)


def _sources() -> list[Path]:
    return sorted(p for folder in ("app", "ui", "server") for p in (ROOT / folder).rglob("*.py"))


def _translated_literals() -> set[str]:
    found: set[str] = set()
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in TRANSLATING_CALLS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def _untranslated_chinese(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    wrapped: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in TRANSLATING_CALLS
        ):
            for argument in node.args[:1]:
                wrapped.add(id(argument))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            wrapped.add(id(node.value))  # docstrings
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:30]!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CJK.search(node.value)
        and id(node) not in wrapped
    ]


def test_chinese_interface_text_always_goes_through_tr() -> None:
    offences = [o for p in _sources() if not _is_data_module(p) for o in _untranslated_chinese(p)]
    assert offences == []


def test_english_catalogue_covers_every_string() -> None:
    catalogue = json.loads(resource_path("translations", "en.json").read_text(encoding="utf-8"))
    missing = sorted(s for s in _translated_literals() if CJK.search(s) and s not in catalogue)
    assert missing == []


def test_catalogue_placeholders_match_their_sources() -> None:
    catalogue = json.loads(resource_path("translations", "en.json").read_text(encoding="utf-8"))
    mismatched = [s for s, t in catalogue.items() if placeholders(s) != placeholders(t)]
    assert mismatched == []


def test_a_translation_with_wrong_placeholders_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "xx.json"
    bad.write_text(
        json.dumps({"共 {count} 家": "{total} in all", "企业库": "Enterprises"}), encoding="utf-8"
    )
    assert i18n.load_catalog(bad) == {"企业库": "Enterprises"}


@pytest.fixture
def english() -> object:
    i18n.set_language("en")
    yield None
    i18n.set_language("zh_CN")


def test_switching_language_changes_messages(english: object) -> None:
    assert tr("企业库") == "Enterprises"
    i18n.set_language("zh_CN")
    assert tr("企业库") == "企业库"
