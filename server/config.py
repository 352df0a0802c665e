"""Where the server keeps its data and how it listens; also read from the environment so that
every uvicorn worker process (``server.app:app_from_env``) serves the same database.

Attachment bytes go to the filesystem (``DATA_DIR/blobs``, the default) or to an S3-compatible
bucket (``SQUADDESK_BLOB_STORE=s3``): see ``BlobStoreConfig``. S3 credentials are never part of
this config; boto3 finds them as it always does (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``,
``AWS_PROFILE``, an instance role).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from app.database.engine import sqlite_url

DATABASE_URL_ENV = "SQUADDESK_DATABASE_URL"
DATA_DIR_ENV = "SQUADDESK_SERVER_DATA_DIR"
MIGRATE_ENV = "SQUADDESK_SERVER_MIGRATE"
"""``0``: workers only check the schema (the CLI migrated before starting them)."""
BLOB_STORE_ENV = "SQUADDESK_BLOB_STORE"
S3_BUCKET_ENV = "SQUADDESK_S3_BUCKET"
S3_ENDPOINT_URL_ENV = "SQUADDESK_S3_ENDPOINT_URL"
"""For an S3-compatible store other than AWS (MinIO, Ceph RGW, OSS…)."""
S3_REGION_ENV = "SQUADDESK_S3_REGION"
S3_PREFIX_ENV = "SQUADDESK_S3_PREFIX"
DATABASE_FILE = "squaddesk-server.db"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


class ConfigProblem(Exception):
    """The configuration cannot be used; the message (translated) says why."""


class BlobStoreKind(StrEnum):
    FILESYSTEM = "filesystem"
    S3 = "s3"


@dataclass(frozen=True, slots=True)
class BlobStoreConfig:
    """Where complete attachments are kept. Uploads in progress always grow on the local disk
    (``DATA_DIR/blobs-partial``) whatever the store."""

    kind: BlobStoreKind = BlobStoreKind.FILESYSTEM
    bucket: str = ""
    endpoint_url: str | None = None
    """None: AWS itself; else the URL of an S3-compatible service."""
    region: str | None = None
    """None: boto3's own default (``AWS_REGION``/``AWS_DEFAULT_REGION``, the profile)."""
    prefix: str = ""
    """Prepended to every key (``squaddesk/`` gives ``squaddesk/ab/abcdef…``)."""

    def __post_init__(self) -> None:
        from app.i18n import tr

        if self.kind is BlobStoreKind.S3 and not self.bucket:
            raise ConfigProblem(
                tr("附件存放在 S3 时须用环境变量 {name} 指定存储桶", name=S3_BUCKET_ENV)
            )
        object.__setattr__(self, "prefix", _key_prefix(self.prefix))

    @classmethod
    def from_env(cls) -> BlobStoreConfig:
        from app.i18n import tr

        kind_text = os.environ.get(BLOB_STORE_ENV, "").strip().lower() or BlobStoreKind.FILESYSTEM
        try:
            kind = BlobStoreKind(kind_text)
        except ValueError:
            raise ConfigProblem(
                tr(
                    "环境变量 {name} 的值 {value} 无效（应为 filesystem 或 s3）",
                    name=BLOB_STORE_ENV,
                    value=kind_text,
                )
            ) from None
        if kind is BlobStoreKind.FILESYSTEM:
            return cls()
        return cls(
            kind=kind,
            bucket=os.environ.get(S3_BUCKET_ENV, "").strip(),
            endpoint_url=os.environ.get(S3_ENDPOINT_URL_ENV, "").strip() or None,
            region=os.environ.get(S3_REGION_ENV, "").strip() or None,
            prefix=os.environ.get(S3_PREFIX_ENV, ""),
        )

    def environment(self) -> dict[str, str]:
        """The variables that make ``from_env`` give this config back."""
        if self.kind is BlobStoreKind.FILESYSTEM:
            return {BLOB_STORE_ENV: self.kind.value}
        return {
            BLOB_STORE_ENV: self.kind.value,
            S3_BUCKET_ENV: self.bucket,
            S3_ENDPOINT_URL_ENV: self.endpoint_url or "",
            S3_REGION_ENV: self.region or "",
            S3_PREFIX_ENV: self.prefix,
        }


def _key_prefix(prefix: str) -> str:
    """``squaddesk`` and ``/squaddesk/`` both become ``squaddesk/``; empty stays empty."""
    stripped = prefix.strip().strip("/")
    return f"{stripped}/" if stripped else ""


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
    blob_store: BlobStoreConfig = field(default_factory=BlobStoreConfig.from_env)
    """Read from the environment unless given, like the database URL."""

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
        return {
            DATABASE_URL_ENV: self.database_url,
            DATA_DIR_ENV: str(self.data_dir),
            **self.blob_store.environment(),
        }


def default_database_url(data_dir: Path) -> str:
    return sqlite_url(data_dir / DATABASE_FILE)
