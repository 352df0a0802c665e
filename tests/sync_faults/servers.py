"""A real ``squaddesk-server`` process on a free loopback port, and throwaway server databases."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
from throwaway_postgres import throwaway_postgres

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse 42"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def postgres_database(prefix: str = "squaddesk_faults") -> contextlib.AbstractContextManager[str]:
    """A new, empty PostgreSQL database (URL), dropped afterwards."""
    return throwaway_postgres(prefix)


@dataclass
class ServerProcess:
    """``start()``, ``kill()`` (SIGKILL), ``restart()`` on the same port and database."""

    data_dir: Path
    database_url: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str, password: str | None = None, timeout: float = 120) -> str:
        env = dict(os.environ)
        if password is not None:
            env["SQUADDESK_PASSWORD"] = password
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
            raise RuntimeError(
                f"server cli {' '.join(args)} failed ({done.returncode}):"
                f" {done.stdout}{done.stderr}"
            )
        return done.stdout

    def add_user(self, name: str, squad: str, role: str = "member") -> None:
        self.cli("user", "add", name, "--squad", squad, "--role", role, password=PASSWORD)

    def start(self, timeout: float = 60) -> ServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.data_dir / f"server-{self.port}.log"
        log = self.log_path.open("ab")
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
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited {self.process.returncode}: {self.log()}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server did not answer /healthz in {timeout} s: {self.log()}")

    def log(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, open transactions die with the process."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def restart(self) -> ServerProcess:
        self.kill()
        return self.start()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None
