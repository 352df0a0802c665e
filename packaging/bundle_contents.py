"""What goes into the desktop bundle besides the code PyInstaller finds by following imports.

``squaddesk.spec`` reads its lists from here (and the Qt trimming from ``qt_trim.py``), so what
ships and what is left out live in typed, linted modules instead of inside the spec.
"""

from __future__ import annotations

import ast
import shutil
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
APP_NAME = "squaddesk"  # the windowed app (ui.main:main) and the bundle folder
CLI_NAME = "squaddesk-cli"  # the console CLI (app.cli:main) in the same folder
DISTRIBUTION = "squaddesk"  # the package whose metadata importlib.metadata reads in the bundle
BUNDLE_IDENTIFIER = "cn.squaddesk.desktop"
DISPLAY_NAME = "SquadDesk 招商小分队工作台"
MIGRATIONS = Path("app") / "database" / "migrations"

# Folders of shipped files: (source under ROOT, destination inside the bundle). The code finds
# them next to its own modules (resources/__init__.py, app/database/migrate.py), so each keeps
# its place relative to the package it belongs to.
RESOURCE_FOLDERS = (
    (Path("resources") / "fonts", Path("resources") / "fonts"),  # CJK font and its LICENSE
    (Path("resources") / "translations", Path("resources") / "translations"),
    (Path("resources") / "data", Path("resources") / "data"),  # GB/T 2260 and GB/T 4754 lists
    (Path("resources") / "icons", Path("resources") / "icons"),
    # Alembic reads revision files from disk (not through the import system), so the folder ships
    # as files: env.py, script.py.mako and versions/*.py.
    (MIGRATIONS, MIGRATIONS),
)

# Never used by the desktop app or the CLI. PyInstaller would otherwise pull some of them in
# through optional imports (pydantic → email validators, SQLAlchemy → other dialects, …).
EXCLUDED_MODULES = (
    "server",
    "tests",
    "bench",
    "fastapi",
    "starlette",
    "uvicorn",
    "argon2",
    "boto3",
    "botocore",
    "s3transfer",
    "moto",
    "psycopg",
    "psycopg_binary",
    "psycopg2",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "pypdf",
    "httpx",
    "mypy",
    "ruff",
    "PyInstaller",
    "setuptools",
    "pip",
    "tkinter",
    "_tkinter",
    "IPython",
    "numpy",
    "pysqlite2",  # SQLAlchemy's hook asks for every SQLite and MySQL driver; we use sqlite3
    "MySQLdb",
    "pygments",  # mako and reportlab colour source code with it when present
    "dotenv",  # pydantic.v1 reads .env files with it when present
    # Qt modules the desktop does not use (their plugins and QML would follow them).
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.Qt3DCore",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtDesigner",
    "PySide6.QtUiTools",
    "PySide6.QtHelp",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.QtLocation",
    "PySide6.QtPositioning",
    "PySide6.QtBluetooth",
    "PySide6.QtSerialPort",
)

# Qt modules the UI uses that no Python import names: the SVG engine draws the window icon.
QT_HIDDEN_IMPORTS = ("PySide6.QtSvg",)


def project_version() -> str:
    """The one version number, from ``pyproject.toml``."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]
    assert isinstance(version, str)
    return version


def resource_datas() -> list[tuple[str, str]]:
    """(source file, destination folder) pairs for PyInstaller's ``datas``."""
    datas: list[tuple[str, str]] = []
    for source, destination in RESOURCE_FOLDERS:
        for path in sorted((ROOT / source).rglob("*")):
            if path.is_file() and not _is_build_litter(path):
                parent = destination / path.parent.relative_to(ROOT / source)
                datas.append((str(path), parent.as_posix()))
    return datas


def _is_build_litter(path: Path) -> bool:
    return "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"}


def migration_imports() -> list[str]:
    """Modules the migration scripts import: PyInstaller never sees those files as code."""
    found: set[str] = set()
    for path in sorted((ROOT / MIGRATIONS).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    found.discard("__future__")
    return sorted(name for name in found if _importable(name))


def _importable(name: str) -> bool:
    """``from alembic import op`` names a module; ``from typing import Any`` a class."""
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def finish_linux_folder(bundle: Path, icon_png: Path) -> None:
    """Put the desktop entry, its icon and ``install.sh`` at the top of the Linux bundle folder."""
    shutil.copy2(PACKAGING / "linux" / "squaddesk.desktop", bundle / "squaddesk.desktop")
    shutil.copy2(icon_png, bundle / "squaddesk.png")
    shutil.copy2(PACKAGING / "linux" / "install.sh", bundle / "install.sh")
    (bundle / "install.sh").chmod(0o755)
