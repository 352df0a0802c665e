"""``squaddesk-server backup`` and ``restore`` on the command line (``server/cli.py`` adds them).

    squaddesk-server --database-url URL --data-dir DIR backup --out FILE|DIR
    squaddesk-server --database-url URL --data-dir DIR restore FILE [--force]

Each prints one summary line; a refusal is one line on stderr and a non-zero exit (raised as
``BackupProblem``, printed by the CLI's ``main``). Long steps print progress on stderr every
few seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.i18n import tr
from app.terminal import EXIT_OK, say, say_error
from server.config import BlobStoreKind, ServerConfig

PROGRESS_SECONDS = 3.0


def add_backup_commands(
    commands: argparse._SubParsersAction[Any],
    add_database: Callable[[argparse.ArgumentParser], None],
) -> None:
    backup = commands.add_parser(
        "backup", help=tr("把数据库和附件备份到一个文件（服务器无须停止）")
    )
    backup.add_argument(
        "--out", required=True, metavar="FILE", help=tr("备份文件；给目录时在其中按时间命名")
    )
    restore = commands.add_parser("restore", help=tr("把备份恢复到空数据库和数据目录"))
    restore.add_argument("file", metavar="FILE", help=tr("squaddesk-server backup 写出的文件"))
    restore.add_argument(
        "--force",
        action="store_true",
        help=tr("数据库不是空的也恢复（用备份替换其中的 SquadDesk 数据）"),
    )
    for sub, handler in ((backup, run_backup), (restore, run_restore)):
        add_database(sub)
        sub.set_defaults(handler=handler)


def run_backup(args: argparse.Namespace, config: ServerConfig) -> int:
    from server.backup import write_backup
    from server.database.engine import ServerDatabase

    in_s3 = config.blob_store.kind is BlobStoreKind.S3
    blob_dir = None if in_s3 else config.data_dir / "blobs"
    database = ServerDatabase(config.database_url)
    try:
        done = write_backup(database, blob_dir, Path(args.out).expanduser(), _Progress(backup=True))
    finally:
        database.dispose()
    manifest = done.manifest
    line = tr(
        "已备份到 {path}：{records} 条记录、{blobs} 个附件，{size} MiB，"
        "数据库版本 {revision}，用时 {seconds} 秒",
        path=done.path,
        records=f"{manifest.records:,}",
        blobs=f"{manifest.blobs:,}",
        size=f"{done.size / 1024 / 1024:,.1f}",
        revision=manifest.schema_revision,
        seconds=f"{done.seconds:.1f}",
    )
    say(line + (tr("（附件在 S3 存储桶中，不在备份内）") if in_s3 else ""))
    bad = len(manifest.missing_blobs) + len(manifest.damaged_blobs)
    if bad:
        say_error(tr("警告：{count} 个附件文件缺失或已损坏，详见备份中的 manifest.json", count=bad))
    return EXIT_OK


def run_restore(args: argparse.Namespace, config: ServerConfig) -> int:
    from server.database.engine import ServerDatabase
    from server.restore import restore_backup

    database = ServerDatabase(config.database_url)
    try:
        done = restore_backup(
            database,
            config.data_dir,
            Path(args.file).expanduser(),
            force=args.force,
            progress=_Progress(backup=False),
        )
    finally:
        database.dispose()
    manifest = done.manifest
    line = tr(
        "已恢复 {created} 的备份：{records} 条记录、{blobs} 个附件，服务器标识 {server_id}，"
        "数据库版本 {revision}，用时 {seconds} 秒",
        created=manifest.created_at,
        records=f"{manifest.records:,}",
        blobs=f"{manifest.blobs:,}",
        server_id=done.server_id,
        revision=done.revision,
        seconds=f"{done.seconds:.1f}",
    )
    if manifest.blob_store == "s3":
        line += tr("（附件在 S3 存储桶中，不在备份内）")
    elif config.blob_store.kind is BlobStoreKind.S3 and manifest.blobs:
        line += tr("（附件已写入 {path}，请复制到 S3 存储桶）", path=config.data_dir / "blobs")
    say(line)
    return EXIT_OK


class _Progress:
    """A line on stderr every few seconds while a backup or restore runs."""

    def __init__(self, *, backup: bool) -> None:
        self._last = time.monotonic()
        self._backup = backup

    def __call__(self, what: str, done: int) -> None:
        now = time.monotonic()
        if now - self._last < PROGRESS_SECONDS:
            return
        self._last = now
        count = f"{done:,}"
        if self._backup:
            say(tr("正在备份 {what}：{done}", what=what, done=count), sys.stderr)
        else:
            say(tr("正在恢复 {what}：{done}", what=what, done=count), sys.stderr)
