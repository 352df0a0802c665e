"""A ``squaddesk-server`` process for the sync benchmarks, driven only through its command line.

The benchmarks never import ``server``: the server is started, given users and seeded with
``python -m server.cli`` exactly as an administrator would.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import requests

from bench.harness import ROOT

PASSWORD = "bench password 1"
PG_ENV = ("SQUADDESK_BENCH_DATABASE_URL", "SQUADDESK_TEST_DATABASE_URL")
SIZE_ENV = "SQUADDESK_BENCH_SIZE"


def bench_size(default: str = "large") -> str:
    """``large`` (DESIGN §7) unless ``SQUADDESK_BENCH_SIZE=small`` asks for a quick check."""
    size = os.environ.get(SIZE_ENV, default)
    if size not in ("small", "large"):
        raise SystemExit(f"{SIZE_ENV} must be small or large, not {size!r}")
    return size


def postgres_admin_url() -> str | None:
    for name in PG_ENV:
        if os.environ.get(name):
            return os.environ[name]
    return None


def _psycopg_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextlib.contextmanager
def throwaway_postgres(admin_url: str) -> Iterator[str]:
    """A new PostgreSQL database (SQLAlchemy URL) dropped afterwards."""
    import psycopg

    name = f"squaddesk_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_psycopg_dsn(admin_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin_url.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(_psycopg_dsn(admin_url), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class BenchServer:
    """``with BenchServer(data_dir, url) as server:`` — users and imports before ``start``."""

    def __init__(self, data_dir: Path, database_url: str | None = None, workers: int = 1) -> None:
        self.data_dir = data_dir
        self.database_url = database_url or f"sqlite:///{data_dir / 'squaddesk-server.db'}"
        self.port = free_port()
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str, timeout: float = 3600) -> str:
        env = dict(os.environ, SQUADDESK_PASSWORD=PASSWORD)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "server.cli",
                "--data-dir",
                str(self.data_dir),
                "--database-url",
                self.database_url,
                *args,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"server.cli {' '.join(args)}: {done.stdout}{done.stderr}")
        return done.stdout

    def add_user(self, name: str, squad: str, role: str = "member") -> None:
        self.cli("user", "add", name, "--squad", squad, "--role", role)

    def start(self) -> BenchServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = (self.data_dir / "server.log").open("ab")
        extra = ["--workers", str(self.workers)] if self.workers > 1 else []
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server.cli",
                "--data-dir",
                str(self.data_dir),
                "--database-url",
                self.database_url,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *extra,
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: see {self.data_dir / 'server.log'}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/healthz", timeout=2).ok:
                    return self
            time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> BenchServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
