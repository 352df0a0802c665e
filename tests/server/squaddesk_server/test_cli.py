"""The ``squaddesk-server`` command line, run as a user runs it: a real process on loopback."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from .harness import VERSION_HEADERS, api

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "cli password"

pytestmark = pytest.mark.slow


def _command() -> list[str]:
    """The installed entry point; from a checkout not yet reinstalled, the same ``main``."""
    script = shutil.which("squaddesk-server", path=str(Path(sys.executable).parent))
    if script:
        return [script]
    return [sys.executable, "-m", "server.cli"]


def _environment() -> dict[str, str]:
    env = dict(os.environ, SQUADDESK_PASSWORD=PASSWORD, PYTHONPATH=str(ROOT))
    env.pop("SQUADDESK_DATABASE_URL", None)
    env.pop("SQUADDESK_SERVER_DATA_DIR", None)
    return env


def _run(base: Sequence[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_command(), *base, *args],
        cwd=ROOT,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def cli_base(database_url: str, tmp_path: Path) -> list[str]:
    return ["--database-url", database_url, "--data-dir", str(tmp_path / "server")]


@pytest.fixture
def serving(cli_base: list[str]) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [*_command(), *cli_base, "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


def test_the_server_serves_health_openapi_and_the_users_the_cli_added(
    cli_base: list[str], serving: str
) -> None:
    added = _run(cli_base, "user", "add", "alice", "--squad", "新材料小分队", "--role", "leader")
    assert added.returncode == 0, added.stderr
    assert "alice" in added.stdout
    health = httpx.get(f"{serving}/healthz").json()
    assert health["status"] == "ok" and health["protocol"] == 1
    spec = httpx.get(f"{serving}/openapi.json").json()
    assert "/api/v1/sync/pull" in spec["paths"]

    login = httpx.post(
        f"{serving}{api('/auth/login')}",
        json={"username": "alice", "password": PASSWORD, "device_id": str(uuid.uuid4())},
        headers=VERSION_HEADERS,
    )
    assert login.status_code == 200, login.text
    token = login.json()["token"]
    pulled = httpx.get(
        f"{serving}{api('/sync/pull')}",
        headers={**VERSION_HEADERS, "Authorization": f"Bearer {token}"},
    ).json()
    tables = {record["table"]: record["fields"] for record in pulled["records"]}
    assert tables["squads"]["name"] == "新材料小分队"
    assert tables["members"]["username"] == "alice"

    listed = _run(cli_base, "user", "list")
    assert "alice" in listed.stdout and "有效令牌 1" in listed.stdout
    assert _run(cli_base, "user", "revoke", "alice").returncode == 0
    me = httpx.get(
        f"{serving}{api('/me')}", headers={**VERSION_HEADERS, "Authorization": f"Bearer {token}"}
    )
    assert me.status_code == 401


def test_import_seeds_the_server_from_an_export(cli_base: list[str], tmp_path: Path) -> None:
    document = {
        "format": "squaddesk-export",
        "format_version": 1,
        "schema_revision": "0001",
        "tables": {
            "enterprises": [
                {
                    "id": "01937011-4401-7000-8000-000000000001",
                    "name": "兰州新材料有限公司",
                    "name_key": "兰州新材料有限公司",
                    "name_initials": "lzxclyxgs",
                    "squad_id": None,
                }
            ]
        },
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    done = _run(cli_base, "import", str(path), "--squad", "局机关")
    assert done.returncode == 0, done.stderr
    assert "已导入 2 条记录" in done.stdout  # the enterprise and the new squad


@pytest.mark.parametrize(
    "args",
    [
        ["user", "add", "alice", "--squad", "一队", "--role", "boss"],
        ["user", "revoke", "nobody"],
        ["import", "/nonexistent/export.json", "--squad", "一队"],
        ["--port", "99999"],
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(tmp_path: Path, args: list[str]) -> None:
    done = _run(["--data-dir", str(tmp_path)], *args)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_data_dir_or_a_bad_database_url_is_explained() -> None:
    no_dir = _run([], "user", "list")
    assert no_dir.returncode != 0 and "--data-dir" in no_dir.stderr
    bad_url = _run(["--data-dir", "/tmp", "--database-url", "nosuchdb://x"], "user", "list")
    assert bad_url.returncode != 0 and len(bad_url.stderr.strip().splitlines()) == 1


def test_a_database_from_a_newer_server_release_is_refused_in_one_line(tmp_path: Path) -> None:
    assert _run(["--data-dir", str(tmp_path)], "migrate").returncode == 0
    database = tmp_path / "squaddesk-server.db"
    connection = sqlite3.connect(database)
    connection.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
    connection.commit()
    connection.close()
    before = database.read_bytes()

    for command in (["migrate"], ["user", "list"]):
        done = _run(["--data-dir", str(tmp_path)], *command)

        assert done.returncode != 0
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert "更新版本" in lines[0] and "f00dfeed9999" in lines[0]
    assert database.read_bytes() == before
