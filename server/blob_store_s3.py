"""Attachments in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, OSS…), keyed
``{prefix}{sha[:2]}/{sha}``.

Uploads still grow on this machine's disk (``BlobStore``); a verified upload is sent to the bucket
whole (boto3's managed transfer: one PUT, or a multipart upload past the threshold), so an object
appears only complete and only once its bytes hashed to its name. The object carries its SHA-256
in its metadata. Downloads stream the object's body. Credentials, the profile and retries come
from boto3's usual sources (``AWS_ACCESS_KEY_ID``…, ``AWS_PROFILE``, ``~/.aws/config``, an
instance role); this module is imported only when the S3 store is configured.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from app.i18n import tr
from app.terminal import one_line
from server.blob_stores import READ_SIZE, BlobReading, BlobStore
from server.config import BlobStoreConfig, ConfigProblem

MULTIPART_THRESHOLD = 16 * 1024 * 1024
"""Bigger blobs go up as a multipart upload in parts of this size (S3 wants at least 5 MiB)."""
SHA256_METADATA = "sha256"
MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


class S3BlobStore(BlobStore):
    def __init__(
        self,
        settings: BlobStoreConfig,
        data_dir: Path,
        *,
        multipart_threshold: int = MULTIPART_THRESHOLD,
    ) -> None:
        super().__init__(data_dir)
        self.bucket = settings.bucket
        self.prefix = settings.prefix
        self.client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=settings.endpoint_url,
            region_name=settings.region,
            config=Config(
                connect_timeout=10,
                read_timeout=60,
                retries={"mode": "standard", "max_attempts": 5},
            ),
        )
        self.transfer = TransferConfig(
            multipart_threshold=multipart_threshold, multipart_chunksize=multipart_threshold
        )

    def key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256[:2]}/{sha256}"

    def check(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as error:
            raise ConfigProblem(
                tr(
                    "无法使用对象存储桶 {bucket}：{reason}",
                    bucket=self.bucket,
                    reason=one_line(str(error)),
                )
            ) from error

    def close(self) -> None:
        self.client.close()

    def has_complete(self, sha256: str, size: int | None = None) -> bool:
        """An object under the blob's key; one copied in by hand (no metadata) counts too."""
        head = self._head(sha256)
        if head is None or (size is not None and int(head["ContentLength"]) != size):
            return False
        named: object = head.get("Metadata", {}).get(SHA256_METADATA, sha256)
        return named == sha256

    def open(self, sha256: str) -> BlobReading | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as error:
            if _missing(error):
                return None
            raise
        return BlobReading(size=int(answer["ContentLength"]), chunks=_body_chunks(answer["Body"]))

    def _publish(self, sha256: str, partial: Path) -> None:
        self.client.upload_file(
            str(partial),
            self.bucket,
            self.key(sha256),
            ExtraArgs={
                "ContentType": "application/octet-stream",
                "Metadata": {SHA256_METADATA: sha256},
            },
            Config=self.transfer,
        )
        partial.unlink()

    def _head(self, sha256: str) -> dict[str, Any] | None:
        try:
            head: dict[str, Any] = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as error:
            if _missing(error):
                return None
            raise
        return head


def _missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code", "")) in MISSING_CODES


def _body_chunks(body: Any) -> Iterator[bytes]:
    try:
        for chunk in body.iter_chunks(READ_SIZE):
            yield bytes(chunk)
    finally:
        body.close()
