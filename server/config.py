"""Where the server keeps its data and how it listens; also read from the environment so that
every uvicorn worker process (``server.app:app_from_env``) serves the same database."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from app.database.engine import sqlite_url

DATABASE_URL_ENV = "SQUADDESK_DATABASE_URL"
DATA_DIR_ENV = "SQUADDESK_SERVER_DATA_DIR"
MIGRATE_ENV = "SQUADDESK_SERVER_MIGRATE"
"""``0``: workers only check the schema (the CLI migrated before starting them)."""
DATABASE_FILE = "squaddesk-server.db"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


class ConfigProblem(Exception):
    """The configuration cannot be used; the message (translated) says why."""


@dataclass(frozen=True, slots=True)
class ServerConfig:
    database_url: str
    data_dir: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = 1
    migrate: bool = True
    """Apply pending migrations when the app starts (the CLI's ``serve`` has done it already
    before it starts several workers, so they only check)."""

    @classmethod
    def resolve(cls, database_url: str | None, data_dir: str | os.PathLike[str]) -> ServerConfig:
        """The config for ``--database-url``/``--data-dir``: the URL defaults to the env, then
        to a SQLite file inside the data dir."""
        directory = Path(data_dir).expanduser().resolve()
        url = database_url or os.environ.get(DATABASE_URL_ENV) or default_database_url(directory)
        return cls(database_url=url, data_dir=directory)

    @classmethod
    def from_env(cls) -> ServerConfig:
        from app.i18n import tr

        data_dir = os.environ.get(DATA_DIR_ENV)
        if not data_dir:
            raise ConfigProblem(tr("未设置环境变量 {name}（服务器数据目录）", name=DATA_DIR_ENV))
        return cls.resolve(None, data_dir)

    def environment(self) -> dict[str, str]:
        """The variables that make ``from_env`` give this config back (for worker processes)."""
        return {DATABASE_URL_ENV: self.database_url, DATA_DIR_ENV: str(self.data_dir)}


def default_database_url(data_dir: Path) -> str:
    return sqlite_url(data_dir / DATABASE_FILE)
