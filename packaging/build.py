"""Build the SquadDesk desktop bundle for the operating system this runs on.

    python packaging/build.py [--out DIR] [--work DIR] [--archive] [--installer] [--verbose]

Runs PyInstaller on ``packaging/squaddesk.spec`` with the Python running this script (use the
project's virtual environment: ``.venv/bin/python``, or ``.venv\\Scripts\\python`` on Windows),
writes the one-folder bundle to ``DIR/squaddesk`` (and ``DIR/SquadDesk.app`` on macOS) and prints
its size. ``--archive`` also packs it into ``squaddesk-<version>-<os>-<arch>.tar.gz`` (``.zip`` on
Windows and macOS); ``--installer`` runs Inno Setup on ``packaging/windows/squaddesk.iss``
(Windows only) to make ``squaddesk-<version>-windows-x64-setup.exe``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bundle_contents import APP_NAME, DISTRIBUTION, ROOT, project_version

SPEC = ROOT / "packaging" / "squaddesk.spec"
ISS = ROOT / "packaging" / "windows" / "squaddesk.iss"
DEFAULT_OUT = ROOT / "dist"
DEFAULT_WORK = ROOT / "build" / "pyinstaller"
INNO_SETUP_PLACES = (
    Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")) / "Inno Setup 6",
    Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "Inno Setup 6",
    Path(os.environ.get("LOCALAPPDATA", ".")) / "Programs" / "Inno Setup 6",  # per-user install
)


class BuildProblem(Exception):
    """Something the person building has to fix; the message says what."""


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the SquadDesk desktop bundle for this OS."
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (dist/)")
    parser.add_argument(
        "--work", type=Path, default=None, help="PyInstaller's work folder (build/pyinstaller/)"
    )
    parser.add_argument("--archive", action="store_true", help="also pack the bundle")
    parser.add_argument(
        "--installer", action="store_true", help="also make the Windows installer (Inno Setup)"
    )
    parser.add_argument("--verbose", action="store_true", help="show PyInstaller's progress")
    return parser.parse_args(list(argv))


def check_version() -> str:
    """The version the bundle will report: the installed metadata must match pyproject.toml,
    because the bundle carries the metadata (an editable install made before a version bump
    still says the old number)."""
    wanted = project_version()
    try:
        installed = metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError as missing:
        raise BuildProblem(
            f"{DISTRIBUTION} is not installed in this Python: run `pip install -e .[test]` "
            "(or `python3 dev.py test`) first"
        ) from missing
    if installed != wanted:
        raise BuildProblem(
            f"installed {DISTRIBUTION} metadata says {installed} but pyproject.toml says {wanted}: "
            "run `pip install -e .[test]` again"
        )
    return wanted


def run_pyinstaller(out: Path, work: Path, *, verbose: bool) -> None:
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--distpath",
        str(out),
        "--workpath",
        str(work),
        "--log-level",
        "INFO" if verbose else "WARN",
        str(SPEC),
    ]
    if subprocess.call(command, cwd=ROOT) != 0:
        raise BuildProblem("PyInstaller failed (see above)")


def bundle_path(out: Path) -> Path:
    """What a user gets: the .app on macOS, else the folder."""
    app = out / "SquadDesk.app"
    return app if sys.platform == "darwin" else out / APP_NAME


def folder_size(path: Path) -> int:
    """Bytes in the files under ``path`` (symbolic links count as nothing)."""
    return sum(
        item.stat().st_size for item in path.rglob("*") if item.is_file() and not item.is_symlink()
    )


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower().replace("amd64", "x64").replace("x86_64", "x64")
    return f"{system}-{machine}"


def make_archive(bundle: Path, out: Path, version: str) -> Path:
    base = out / f"{APP_NAME}-{version}-{platform_tag()}"
    kind = "gztar" if sys.platform.startswith("linux") else "zip"
    return Path(shutil.make_archive(str(base), kind, root_dir=bundle.parent, base_dir=bundle.name))


def find_inno_setup() -> Path:
    on_path = shutil.which("ISCC") or shutil.which("iscc")
    if on_path:
        return Path(on_path)
    for place in INNO_SETUP_PLACES:
        if (place / "ISCC.exe").is_file():
            return place / "ISCC.exe"
    raise BuildProblem("Inno Setup 6 (ISCC.exe) not found: install it from jrsoftware.org")


def make_installer(out: Path, work: Path, version: str) -> Path:
    if sys.platform != "win32":
        raise BuildProblem("the Inno Setup installer is built on Windows")
    command = [
        str(find_inno_setup()),
        f"/DAppVersion={version}",
        f"/DSourceDir={out / APP_NAME}",
        f"/DOutputDir={out}",
        f"/DIconFile={work / 'icons' / 'squaddesk.ico'}",
        str(ISS),
    ]
    if subprocess.call(command, cwd=ROOT) != 0:
        raise BuildProblem("Inno Setup failed (see above)")
    return out / f"{APP_NAME}-{version}-windows-x64-setup.exe"


def build(out: Path, work: Path, *, verbose: bool = False) -> Path:
    """Build the bundle into ``out``; returns the folder (or .app) a user gets."""
    out = out.resolve()
    work = work.resolve()
    run_pyinstaller(out, work, verbose=verbose)
    bundle = bundle_path(out)
    if not bundle.exists():
        raise BuildProblem(f"PyInstaller finished but {bundle} is missing")
    return bundle


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    out: Path = args.out
    work: Path = args.work or (DEFAULT_WORK if out == DEFAULT_OUT else out / ".work")
    started = time.monotonic()
    try:
        version = check_version()
        bundle = build(out, work, verbose=args.verbose)
        made = [bundle]
        if args.archive:
            made.append(make_archive(bundle, out.resolve(), version))
        if args.installer:
            made.append(make_installer(out.resolve(), work.resolve(), version))
    except BuildProblem as problem:
        print(f"build.py: {problem}", file=sys.stderr)
        return 1
    seconds = time.monotonic() - started
    size = folder_size(bundle) / 1024**2
    print(f"SquadDesk {version} for {platform_tag()}: {size:.0f} MiB, built in {seconds:.0f} s")
    for path in made:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
