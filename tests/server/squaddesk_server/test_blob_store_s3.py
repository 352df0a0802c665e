"""The S3 attachment store: its configuration, its keys in the bucket, boto3 as an optional extra,
and a real server process keeping a photo that one laptop uploads and another downloads in a
local S3-compatible server (moto over HTTP)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_faults.laptops import Laptop
from sync_faults.servers import ROOT, ServerProcess
from throwaway_postgres import PG_URL_ENV, throwaway_postgres

from app.database.engine import sqlite_url
from server.app import create_app
from server.blob_store_choice import open_blob_store
from server.blob_store_s3 import S3BlobStore
from server.config import (
    BLOB_STORE_ENV,
    S3_BUCKET_ENV,
    S3_ENDPOINT_URL_ENV,
    S3_PREFIX_ENV,
    S3_REGION_ENV,
    BlobStoreConfig,
    BlobStoreKind,
    ConfigProblem,
    ServerConfig,
)

from .moto_s3 import REGION, MotoS3, moto_s3_server, use_test_credentials

PART = 5 * 1024 * 1024
S3_VARIABLES = (BLOB_STORE_ENV, S3_BUCKET_ENV, S3_ENDPOINT_URL_ENV, S3_REGION_ENV, S3_PREFIX_ENV)


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoS3]:
    with moto_s3_server() as server:
        yield server


@pytest.fixture
def no_store_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in S3_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _s3_settings(moto: MotoS3, bucket: str) -> BlobStoreConfig:
    return BlobStoreConfig(
        kind=BlobStoreKind.S3,
        bucket=bucket,
        endpoint_url=moto.endpoint_url,
        region=REGION,
        prefix="/squaddesk/",
    )


def _publish(store: S3BlobStore, content: bytes) -> str:
    sha = hashlib.sha256(content).hexdigest()
    store.write_chunk(sha, 0, content)
    assert store.finish(sha)
    return sha


# -- configuration ------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_store_variables")
def test_attachments_stay_on_the_filesystem_unless_s3_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert BlobStoreConfig.from_env() == BlobStoreConfig()
    monkeypatch.setenv(BLOB_STORE_ENV, "S3")
    monkeypatch.setenv(S3_BUCKET_ENV, "bureau-attachments")
    monkeypatch.setenv(S3_ENDPOINT_URL_ENV, "https://minio.bureau.example:9000")
    monkeypatch.setenv(S3_PREFIX_ENV, "squaddesk")
    settings = BlobStoreConfig.from_env()
    assert settings == BlobStoreConfig(
        kind=BlobStoreKind.S3,
        bucket="bureau-attachments",
        endpoint_url="https://minio.bureau.example:9000",
        prefix="squaddesk/",
    )
    config = ServerConfig("sqlite://", Path("/srv/squaddesk"))
    assert config.blob_store == settings
    for name, value in config.environment().items():  # what worker processes are given
        monkeypatch.setenv(name, value)
    assert BlobStoreConfig.from_env() == settings


@pytest.mark.usefixtures("no_store_variables")
def test_a_store_that_cannot_work_is_named_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BLOB_STORE_ENV, "ftp")
    with pytest.raises(ConfigProblem, match=BLOB_STORE_ENV):
        BlobStoreConfig.from_env()
    monkeypatch.setenv(BLOB_STORE_ENV, "s3")
    with pytest.raises(ConfigProblem, match=S3_BUCKET_ENV):
        BlobStoreConfig.from_env()


def test_without_boto3_the_s3_store_asks_for_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # import boto3 → ModuleNotFoundError
    monkeypatch.delitem(sys.modules, "server.blob_store_s3")
    config = ServerConfig(
        sqlite_url(tmp_path / "server.db"),
        tmp_path,
        blob_store=BlobStoreConfig(kind=BlobStoreKind.S3, bucket="attachments"),
    )
    with pytest.raises(ConfigProblem, match='pip install "squaddesk\\[s3\\]"') as problem:
        open_blob_store(config)
    assert "\n" not in str(problem.value)


def test_a_filesystem_server_never_imports_boto3(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from server.app import create_app\n"
        "from server.config import BlobStoreConfig, ServerConfig\n"
        f"directory = Path({str(tmp_path)!r})\n"
        "config = ServerConfig(f'sqlite:///{directory}/server.db', directory,"
        " blob_store=BlobStoreConfig())\n"
        "create_app(config)\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in"
        " ('boto3', 'botocore', 's3transfer')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_bucket_the_server_cannot_reach_stops_it_at_start(
    moto: MotoS3, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_test_credentials(monkeypatch)
    config = ServerConfig(
        sqlite_url(tmp_path / "server.db"),
        tmp_path,
        blob_store=_s3_settings(moto, "no-such-bucket-here"),
    )
    with pytest.raises(ConfigProblem, match="no-such-bucket-here"):
        create_app(config)


# -- objects in the bucket ----------------------------------------------------------------------


def test_a_verified_blob_is_one_object_under_its_key_and_nothing_on_disk(
    moto: MotoS3, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_test_credentials(monkeypatch)
    bucket = moto.new_bucket()
    store = S3BlobStore(_s3_settings(moto, bucket), tmp_path, multipart_threshold=PART)
    try:
        small = _publish(store, "签约仪式照片".encode())
        big_content = os.urandom(2 * PART + 777)
        big = _publish(store, big_content)
    finally:
        store.close()
    key = f"squaddesk/{big[:2]}/{big}"
    assert moto.objects(bucket) == {
        f"squaddesk/{small[:2]}/{small}": len("签约仪式照片".encode()),
        key: len(big_content),
    }
    assert moto.read(bucket, key) == big_content
    head = moto.head(bucket, key)
    assert head["Metadata"] == {"sha256": big}
    assert head["ETag"].strip('"').endswith("-3")  # sent as a multipart upload of 3 parts
    assert "-" not in moto.head(bucket, f"squaddesk/{small[:2]}/{small}")["ETag"]
    assert not (tmp_path / "blobs").exists()
    assert list((tmp_path / "blobs-partial").iterdir()) == []


def test_objects_copied_in_from_a_filesystem_store_count_as_published(
    moto: MotoS3, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Moving a bureau to S3 is copying ``DATA_DIR/blobs/`` to the bucket under the prefix."""
    use_test_credentials(monkeypatch)
    bucket = moto.new_bucket()
    content = "旧服务器上的附件".encode()
    sha = hashlib.sha256(content).hexdigest()
    wrong = hashlib.sha256(b"other").hexdigest()
    with moto.client() as client:
        client.put_object(Bucket=bucket, Key=f"squaddesk/{sha[:2]}/{sha}", Body=content)
        client.put_object(
            Bucket=bucket,
            Key=f"squaddesk/{wrong[:2]}/{wrong}",
            Body=content,
            Metadata={"sha256": sha},
        )
    store = S3BlobStore(_s3_settings(moto, bucket), tmp_path)
    try:
        assert store.has_complete(sha, len(content))
        assert not store.has_complete(wrong)  # its metadata names other bytes
    finally:
        store.close()


# -- a real server ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_photo_synced_through_a_server_on_s3_reaches_the_other_laptop(
    kind: str, moto: MotoS3, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_test_credentials(monkeypatch)
    bucket = moto.new_bucket()
    for name, value in _s3_settings(moto, bucket).environment().items():
        monkeypatch.setenv(name, value)
    data_dir = tmp_path / "server"
    with _database_url(kind, data_dir) as url:
        server = ServerProcess(data_dir, url)
        server.cli("migrate")
        server.add_user("alice", "一队")
        server.add_user("bob", "一队")
        server.start()
        alice = Laptop(tmp_path / "alice", "alice", server.url)
        bob = Laptop(tmp_path / "bob", "bob", server.url)
        try:
            alice.sync()
            photo = os.urandom(5 * 1024 * 1024 + 321)  # three upload chunks
            alice.attach(alice.enterprises.create({"name": "对象存储企业"}), photo)
            assert alice.sync().blobs_up == 1
            assert bob.sync().blobs_down == 1
        finally:
            alice.close()
            bob.close()
            server.stop()
    sha = hashlib.sha256(photo).hexdigest()
    assert (bob.data_dir / "blobs" / sha[:2] / sha).read_bytes() == photo
    assert moto.objects(bucket) == {f"squaddesk/{sha[:2]}/{sha}": len(photo)}
    assert not (data_dir / "blobs").exists()
    assert list((data_dir / "blobs-partial").iterdir()) == []


def _database_url(kind: str, directory: Path) -> contextlib.AbstractContextManager[str]:
    if kind == "postgres":
        if not os.environ.get(PG_URL_ENV):
            pytest.skip(f"{PG_URL_ENV} not set")
        database: contextlib.AbstractContextManager[str] = throwaway_postgres("squaddesk_s3")
        return database
    return contextlib.nullcontext(sqlite_url(directory / "squaddesk-server.db"))
