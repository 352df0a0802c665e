"""The dependency rules of DESIGN §3, enforced by walking every import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# (folder, forbidden top-level modules, why)
RULES = [
    ("app", {"PySide6", "shiboken6", "ui", "server"}, "the core never imports Qt, ui or server"),
    ("server", {"PySide6", "shiboken6", "ui"}, "the server never imports Qt or ui"),
    (
        "ui",
        {"sqlalchemy", "alembic", "requests", "server"},
        "ui talks to app services, never SQL or HTTP itself",
    ),
    ("bench", {"server"}, "only tests import the server"),
    ("resources", {"PySide6", "ui", "app", "server"}, "resources is data"),
]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py")) if (ROOT / folder).is_dir() else []


@pytest.mark.parametrize(("folder", "forbidden", "why"), RULES)
def test_dependency_rule(folder: str, forbidden: set[str], why: str) -> None:
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files(folder)
        for name in sorted(imported_modules(path))
        if name.split(".")[0] in forbidden
    ]
    assert offences == [], why


def test_the_rules_see_real_imports() -> None:
    """Guard against a walker that silently finds nothing."""
    assert "PySide6.QtCore" in imported_modules(ROOT / "ui" / "task_runner.py")
    assert any(
        name.startswith("sqlalchemy")
        for name in imported_modules(ROOT / "app" / "database" / "engine.py")
    )


def test_no_file_grows_past_the_house_limit() -> None:
    too_long = [
        f"{path.relative_to(ROOT)}: {count} lines"
        for folder in ("app", "ui", "server")
        for path in python_files(folder)
        if (count := path.read_text(encoding="utf-8").count("\n")) > 600
    ]
    assert too_long == []
