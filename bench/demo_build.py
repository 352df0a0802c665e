"""``squaddesk-cli demo --size large`` build time, beside bare sqlite3 inserting the same rows."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.dataset import LARGE_DIR, build_large
from bench.harness import Figure, report


def table_shapes(db_path: Path) -> dict[str, tuple[int, int]]:
    """Row and column counts of every table in a database."""
    connection = sqlite3.connect(db_path)
    try:
        names = [
            n
            for (n,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        shapes = {}
        for name in names:
            rows = connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            columns = len(connection.execute(f'PRAGMA table_info("{name}")').fetchall())
            shapes[name] = (rows, columns)
        return shapes
    finally:
        connection.close()


def bare_inserts(target: Path, shapes: dict[str, tuple[int, int]]) -> float:
    """Seconds for bare sqlite3 (WAL, synchronous=FULL) to insert the same row/column counts."""
    start = time.perf_counter()
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("BEGIN")
    for name, (rows, columns) in shapes.items():
        column_list = ", ".join(f"c{i} TEXT" for i in range(columns))
        connection.execute(f'CREATE TABLE "{name}" (id INTEGER PRIMARY KEY, {column_list})')
        placeholders = ", ".join("?" for _ in range(columns))
        value = tuple(f"值{i}-squaddesk" for i in range(columns))
        connection.executemany(
            f'INSERT INTO "{name}" ({", ".join(f"c{i}" for i in range(columns))})'
            f" VALUES ({placeholders})",
            (value for _ in range(rows)),
        )
    connection.execute("COMMIT")
    connection.close()
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        built = Path(scratch) / "large"
        seconds = build_large(built)
        shapes = table_shapes(built / "squaddesk.db")
        baseline = bare_inserts(Path(scratch) / "bare.db", shapes)
        if not (LARGE_DIR / "squaddesk.db").is_file():
            shutil.copytree(built, LARGE_DIR, dirs_exist_ok=True)
    rows = sum(count for count, _ in shapes.values())
    report(
        "demo large build",
        [
            Figure(
                f"demo --size large ({rows:,} rows)", seconds, baseline, "s", "< 120 s on 2 cores"
            ),
        ],
    )


if __name__ == "__main__":
    main()
