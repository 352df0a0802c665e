"""A local S3-compatible server for tests: moto's, answering real HTTP on a loopback port, and
throwaway buckets on it. boto3 is pointed at it with ``endpoint_url``, as a bureau points the
server at MinIO or Ceph."""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

REGION = "us-east-1"
ACCESS_KEY = "squaddesk-test"
SECRET_KEY = "squaddesk-test-secret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class MotoS3:
    endpoint_url: str

    def new_bucket(self) -> str:
        bucket = f"squaddesk-{uuid.uuid4().hex[:12]}"
        with self.client() as client:
            client.create_bucket(Bucket=bucket)
        return bucket

    def objects(self, bucket: str) -> dict[str, int]:
        """Key → size of every object in ``bucket``."""
        with self.client() as client:
            pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            return {
                item["Key"]: item["Size"] for page in pages for item in page.get("Contents", [])
            }

    def head(self, bucket: str, key: str) -> dict[str, Any]:
        with self.client() as client:
            head: dict[str, Any] = client.head_object(Bucket=bucket, Key=key)
            return head

    def read(self, bucket: str, key: str) -> bytes:
        with self.client() as client:
            body = client.get_object(Bucket=bucket, Key=key)["Body"]
            try:
                data: bytes = body.read()
            finally:
                body.close()
            return data

    @contextmanager
    def client(self) -> Iterator[Any]:
        client = boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        try:
            yield client
        finally:
            client.close()


@contextmanager
def moto_s3_server() -> Iterator[MotoS3]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield MotoS3(f"http://127.0.0.1:{port}")
    finally:
        server.stop()


def use_test_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a bureau sets for boto3 (keys in the environment), with nothing read from this
    machine's ``~/.aws`` and no instance-metadata lookups."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/squaddesk-aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/squaddesk-aws-credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
