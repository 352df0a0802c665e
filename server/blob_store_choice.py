"""The attachment store the configuration names: the filesystem (default) or S3.

Kept apart from both stores so neither imports the other; boto3 is imported only when the S3
store is chosen, and its absence is one line naming the extra to install.
"""

from __future__ import annotations

from app.i18n import tr
from server.blob_stores import BlobStore, FilesystemBlobStore
from server.config import BlobStoreKind, ConfigProblem, ServerConfig


def open_blob_store(config: ServerConfig) -> BlobStore:
    """The store ``config`` names, checked; boto3 is imported only for the S3 store."""
    settings = config.blob_store
    if settings.kind is BlobStoreKind.FILESYSTEM:
        return FilesystemBlobStore(config.data_dir)
    try:
        from server.blob_store_s3 import S3BlobStore
    except ImportError as missing:
        if (missing.name or "").partition(".")[0] not in {"boto3", "botocore", "s3transfer"}:
            raise
        raise ConfigProblem(
            tr('附件存放在 S3 需要 boto3，请先安装：pip install "squaddesk[s3]"')
        ) from None
    store = S3BlobStore(settings, config.data_dir)
    try:
        store.check()
    except BaseException:
        store.close()
        raise
    return store
