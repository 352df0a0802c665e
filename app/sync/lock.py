"""One sync at a time per data dir: an in-process lock plus an OS lock on ``sync.lock``.

The file lock is shared with ``squaddesk-cli sync`` and other app windows on the same data dir;
it is released by the OS if the process dies, so a crash never leaves sync blocked.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from app.i18n import tr
from app.sync.errors import SyncProblem

LOCK_FILE = "sync.lock"

_guard = threading.Lock()
_locks: dict[Path, threading.Lock] = {}


def _busy() -> SyncProblem:
    return SyncProblem("busy", tr("正在同步中（本机的另一个窗口或命令行），请稍后再试"))


@contextmanager
def sync_lock(data_dir: Path) -> Iterator[None]:
    """Hold the sync lock of ``data_dir`` for the block; ``SyncProblem("busy")`` if taken."""
    key = data_dir.resolve()
    with _guard:
        lock = _locks.setdefault(key, threading.Lock())
    if not lock.acquire(blocking=False):
        raise _busy()
    try:
        key.mkdir(parents=True, exist_ok=True)
        with (key / LOCK_FILE).open("a+b") as handle:
            if not _try_lock(handle):
                raise _busy()
            try:
                yield
            finally:
                _unlock(handle)
    finally:
        lock.release()


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: BinaryIO) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: BinaryIO) -> None:
        handle.seek(0)
        with suppress(OSError):
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: BinaryIO) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: BinaryIO) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
