"""File backups of the local database, taken before migrations and other risky steps."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

KEEP_BACKUPS = 5


def backup_database(db_path: Path, backups_dir: Path, reason: str) -> Path:
    """Copy ``db_path`` consistently (SQLite online backup) and keep the newest few copies."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups_dir / f"{db_path.stem}-{stamp}-{reason}.db"
    source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    _rotate(backups_dir, db_path.stem)
    return target


def _rotate(backups_dir: Path, stem: str) -> None:
    copies = sorted(backups_dir.glob(f"{stem}-*.db"))
    for old in copies[:-KEEP_BACKUPS]:
        old.unlink()
