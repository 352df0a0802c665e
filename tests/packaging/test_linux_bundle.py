"""The Linux desktop bundle, built the way a release is (``packaging/build.py``), works on a machine
without Python: started from another folder with a bare environment (no virtual environment on
PATH, no PYTHONPATH or PYTHONHOME), offscreen, on an empty data dir with ``--demo``, it creates the
demo database, shows the enterprise library, saves a picture of the window and quits with 0; its
CLI writes a report PDF; ``install.sh`` installs and removes it without touching the user's data.

A module or a resource left out of the bundle fails these tests (a traceback, a missing file, an
exit code, a version that cannot be read). The bundle is built once for the module (about a
minute); every test runs the built programs, never the source tree.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "packaging" / "build.py"
RUN_TIMEOUT = 60  # seconds (a start takes 2–3); a bundle stuck on an error dialog fails

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle"),
]

# What a broken bundle prints: a module or file left out, a Qt plugin not found, the bootloader.
FAILURE_SIGNS = (
    "Traceback",
    "ModuleNotFoundError",
    "ImportError",
    "FileNotFoundError",
    "Could not load the Qt platform plugin",
    "Could not find the Qt platform plugin",
    "Failed to execute script",
    "[PYI-",
)


@dataclass(frozen=True)
class Run:
    result: subprocess.CompletedProcess[str]
    seconds: float

    @property
    def output(self) -> str:
        return f"exit {self.result.returncode}\n{self.result.stdout}\n{self.result.stderr}"


@dataclass(frozen=True)
class AppRun:
    run: Run
    data_dir: Path
    screenshot: Path


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]
    assert isinstance(version, str)
    return version


def bare_environment(home: Path) -> dict[str, str]:
    """A user's session: system PATH only, no Python variables, no display."""
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_QPA_PLATFORM": "offscreen",
    }


def run(command: list[str], home: Path, timeout: float = RUN_TIMEOUT) -> Run:
    started = time.monotonic()
    try:
        result = subprocess.run(
            command,
            cwd=home,
            env=bare_environment(home),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as hung:
        output = "\n".join(_decoded(part) for part in (hung.stdout, hung.stderr))
        pytest.fail(f"{command[0]} did not finish in {timeout} s:\n{output}")
    return Run(result, time.monotonic() - started)


def _decoded(output: str | bytes | None) -> str:
    """What a timed-out process printed (bytes even when text was asked for)."""
    if isinstance(output, bytes):
        return output.decode("utf-8", errors="replace")
    return output or ""


def assert_no_failure_signs(run: Run) -> None:
    text = run.result.stdout + run.result.stderr
    found = [sign for sign in FAILURE_SIGNS if sign in text]
    assert not found, run.output


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``packaging/build.py --out DIR``, run as a release build is; the bundle folder."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    folder = out / "squaddesk"
    assert (folder / "squaddesk").is_file(), result.stdout
    return folder


@pytest.fixture(scope="module")
def app_run(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> AppRun:
    home = tmp_path_factory.mktemp("home")
    data_dir = home / "新的 数据目录"  # empty; a space and Chinese in the path as users have them
    screenshot = home / "window.png"
    command = [
        str(bundle / "squaddesk"),
        "--data-dir",
        str(data_dir),
        "--demo",
        "--screenshot",
        str(screenshot),
    ]
    return AppRun(run(command, home), data_dir, screenshot)


def test_the_bundled_app_starts_on_an_empty_data_dir_and_quits_cleanly(app_run: AppRun) -> None:
    assert app_run.run.result.returncode == 0, app_run.run.output
    assert_no_failure_signs(app_run.run)
    assert str(app_run.screenshot) in app_run.run.result.stdout  # “saved a picture of the window”


def test_its_window_shows_the_demo_library(app_run: AppRun) -> None:
    assert app_run.screenshot.is_file(), app_run.run.output
    with Image.open(app_run.screenshot) as picture:
        width, height = picture.size
        colours = picture.convert("RGB").getcolors(maxcolors=width * height) or []
    assert width >= 800 and height >= 500
    assert len(colours) > 200  # text, table lines and the selection, not an empty grey window


def test_it_created_the_demo_database_and_knows_its_version(app_run: AppRun) -> None:
    database = app_run.data_dir / "squaddesk.db"
    assert database.is_file(), app_run.run.output
    with sqlite3.connect(database) as connection:
        (enterprises,) = connection.execute("SELECT count(*) FROM enterprises").fetchone()
        settings = dict(connection.execute("SELECT key, value FROM local_settings").fetchall())
    assert enterprises > 0  # the demo data, read from the bundled code lists
    # The version comes from the package metadata inside the bundle (not pyproject.toml).
    assert settings["app_version"] == project_version()


def test_the_bundled_cli_makes_demo_data_and_an_english_report_in_chinese_type(
    bundle: Path, tmp_path: Path
) -> None:
    cli = str(bundle / "squaddesk-cli")
    data_dir = tmp_path / "data"
    made = run([cli, "demo", "--data-dir", str(data_dir)], tmp_path)
    assert made.result.returncode == 0, made.output
    today = dt.date.today()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    pdf = tmp_path / "ranking.pdf"

    command = [cli, "--lang", "en", "report", "ranking", "--quarter", quarter, "--out", str(pdf)]

    report = run([*command, "--data-dir", str(data_dir)], tmp_path)

    assert report.result.returncode == 0, report.output
    assert_no_failure_signs(report)
    text = " ".join("".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "Quarterly Ranking" in text  # the bundled English catalogue
    assert "小分队" in text  # squad names, printed with the bundled CJK font


def test_the_bundle_carries_what_a_desktop_needs(bundle: Path) -> None:
    internal = bundle / "_internal"
    qt = internal / "PySide6" / "Qt"
    wanted = [
        bundle / "squaddesk.desktop",
        bundle / "squaddesk.png",
        bundle / "install.sh",
        internal / "resources" / "fonts" / "DroidSansFallbackFull.ttf",
        internal / "resources" / "fonts" / "LICENSE-Apache-2.0.txt",
        internal / "resources" / "translations" / "en.json",
        internal / "app" / "database" / "migrations" / "script.py.mako",
        qt / "plugins" / "platforms" / "libqxcb.so",
        qt / "plugins" / "platforms" / "libqwayland.so",
        qt / "plugins" / "printsupport" / "libcupsprintersupport.so",
        qt / "plugins" / "imageformats" / "libqsvg.so",
        qt / "plugins" / "imageformats" / "libqjpeg.so",
        qt / "plugins" / "iconengines" / "libqsvgicon.so",
        qt / "lib" / "libQt6PdfWidgets.so.6",
        qt / "translations" / "qtbase_zh_CN.qm",
    ]
    assert [str(path) for path in wanted if not path.exists()] == []
    # On a real X11 desktop the xcb plugin loads: every library it links is in the bundle or
    # on the system (PyInstaller leaves libc, libGL and friends to the system).
    linked = subprocess.run(
        ["ldd", str(qt / "plugins" / "platforms" / "libqxcb.so")],
        capture_output=True,
        text=True,
        env={"LD_LIBRARY_PATH": f"{internal}:{qt / 'lib'}", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert "not found" not in linked.stdout, linked.stdout


def test_the_bundle_leaves_out_the_server_and_unused_qt(bundle: Path) -> None:
    from PyInstaller.archive.readers import pkg_archive_contents

    modules = {
        name.split(".")[0]
        for program in ("squaddesk", "squaddesk-cli")
        for name in pkg_archive_contents(str(bundle / program))
    }
    assert (
        modules & {"server", "fastapi", "uvicorn", "boto3", "moto", "pytest", "PyInstaller"}
        == set()
    )
    assert {"app", "ui", "reportlab", "alembic"} <= modules
    files = {path.name for path in bundle.rglob("*")}
    unused = [
        name for name in files if name.startswith(("libQt6Quick", "libQt6Qml", "libQt6WebEngine"))
    ]
    assert unused == []


def test_install_script_installs_for_the_user_and_uninstalls_keeping_the_data(
    bundle: Path, tmp_path: Path
) -> None:
    home = tmp_path
    installed = home / ".local" / "opt" / "squaddesk"
    menu_entry = home / ".local" / "share" / "applications" / "squaddesk.desktop"
    data = home / ".local" / "share" / "SquadDesk" / "squaddesk.db"  # the per-user data dir

    done = run(["sh", str(bundle / "install.sh")], home)

    assert done.result.returncode == 0, done.output
    assert (installed / "squaddesk").is_file()
    assert f'Exec="{installed / "squaddesk"}"' in menu_entry.read_text(encoding="utf-8")
    help_run = run([str(home / ".local" / "bin" / "squaddesk-cli"), "--help"], home)
    assert help_run.result.returncode == 0, help_run.output  # the linked program finds its files

    data.parent.mkdir(parents=True)
    data.write_bytes(b"the user's records")
    again = run(["sh", str(bundle / "install.sh")], home)  # an upgrade is the same command
    assert again.result.returncode == 0, again.output
    removed = run(["sh", str(bundle / "install.sh"), "--uninstall"], home)

    assert removed.result.returncode == 0, removed.output
    assert not installed.exists() and not menu_entry.exists()
    assert not (home / ".local" / "bin" / "squaddesk").exists()
    assert data.read_bytes() == b"the user's records"
