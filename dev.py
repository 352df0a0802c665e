#!/usr/bin/env python3
"""Set-up and everyday commands for SquadDesk, needing nothing but Python 3.11+.

    python3 dev.py demo    # create .venv, install, start the app on demo data
    python3 dev.py test    # create .venv, install, run lint, types and the whole test suite

Other commands: ``app`` (start on your own data dir), ``cli ARGS`` (run squaddesk-cli),
``bench`` (run the benchmarks in bench/). The virtual environment is rebuilt only when
pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".squaddesk-installed"
DEMO_DIR = ROOT / ".squaddesk-demo"


def _python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _script(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / name


def ensure_environment() -> None:
    """Create .venv and install the project with its test extras when needed."""
    if sys.version_info < (3, 11):
        sys.exit("SquadDesk needs Python 3.11 or newer")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text() == wanted and _python().exists():
        return
    if not _python().exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing SquadDesk and its dependencies into .venv …", flush=True)
    _run([_python(), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    _run([_python(), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"])
    STAMP.write_text(wanted)


def _run(command: list[object], env: dict[str, str] | None = None) -> int:
    return subprocess.call([str(part) for part in command], cwd=ROOT, env=env)


def _must(command: list[object], env: dict[str, str] | None = None) -> None:
    code = _run(command, env)
    if code != 0:
        sys.exit(code)


def demo(args: list[str]) -> int:
    env = dict(os.environ)
    if sys.platform.startswith("linux") and not (
        env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("QT_QPA_PLATFORM")
    ):
        shot = DEMO_DIR / "screenshot.png"
        print(f"No display found: starting offscreen and saving a screenshot to {shot}")
        env["QT_QPA_PLATFORM"] = "offscreen"
        args = [*args, "--screenshot", str(shot)]
    return _run([_script("squaddesk"), "--data-dir", DEMO_DIR, "--demo", *args], env)


def test(args: list[str]) -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    print("== ruff", flush=True)
    _must([_python(), "-m", "ruff", "check", "."], env)
    _must([_python(), "-m", "ruff", "format", "--check", "."], env)
    print("== mypy", flush=True)
    _must([_python(), "-m", "mypy"], env)
    print("== pytest", flush=True)
    return _run([_python(), "-m", "pytest", *args], env)


def app(args: list[str]) -> int:
    return _run([_script("squaddesk"), *args])


def cli(args: list[str]) -> int:
    return _run([_script("squaddesk-cli"), *args])


def bench(args: list[str]) -> int:
    return _run([_python(), "-m", "bench", *args])


COMMANDS = {"demo": demo, "app": app, "cli": cli, "test": test, "bench": bench}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    ensure_environment()
    return COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
