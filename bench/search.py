"""Search as you type on the large dataset, beside bare sqlite3 asking the same index.

Queries are real text: 1-, 2-, 3- and 6-character CJK substrings taken from enterprise names
and visit texts (a different one each time, half from each), pinyin initials (the first 2–5
letters of an enterprise's), full USCCs and 8-character pieces of USCCs. Each figure is the
p95 (and median) of ``SearchService.search`` over those queries; its baseline is bare sqlite3
answering the same query from the same FTS5 index the plainest way: one ``MATCH … ORDER BY
rowid DESC LIMIT 7`` per kind, then the ids of the rows found. The index's size is reported
too, and the time to build it when this run had to (migrating a copy of the large dataset
made before the index existed).

The large dataset is copied (the app migrates what it opens) to ``bench/out/search-data``,
kept while the dataset it came from is unchanged.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path

from app.database.opening import database_path, open_local_database
from app.database.schema import SCHEMA_REVISION
from app.search.index_schema import INDEXED_TABLES
from app.search.service import SearchService
from app.search.text import all_of, char_token, phrase, query_terms
from app.services.workspace import Workspace
from bench.dataset import large_data_dir
from bench.harness import OUT, Figure, median_of, percentile, report

COPY = OUT / "search-data"
SAMPLES = 120
SEED = 11
TARGET = "p95 ≤ 50 ms"


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _copy_of_large() -> tuple[Path, float | None]:
    """The data dir to search, and seconds spent building the index (None: built before)."""
    source = database_path(large_data_dir())
    stamp = COPY / "source.stamp"
    signature = f"{source.stat().st_size}:{source.stat().st_mtime_ns}"
    if not (stamp.is_file() and stamp.read_text() == signature):
        shutil.rmtree(COPY, ignore_errors=True)
        COPY.mkdir(parents=True)
        shutil.copyfile(source, database_path(COPY))
        stamp.write_text(signature)
    migrating = _revision(database_path(COPY)) != SCHEMA_REVISION
    start = time.perf_counter()
    open_local_database(COPY).dispose()  # migrates (builds the index) when it must
    seconds = time.perf_counter() - start
    shutil.rmtree(COPY / "backups", ignore_errors=True)
    return COPY, seconds if migrating else None


def _cjk_pieces(texts: Sequence[str], length: int, count: int, rng: random.Random) -> list[str]:
    found: list[str] = []
    seen: set[str] = set()
    for _ in range(count * 200):
        text = rng.choice(texts)
        if len(text) < length:
            continue
        start = rng.randrange(0, len(text) - length + 1)
        piece = text[start : start + length]
        if piece not in seen and all("\u4e00" <= char <= "\u9fff" for char in piece):
            seen.add(piece)
            found.append(piece)
            if len(found) == count:
                break
    return found


def _queries(connection: sqlite3.Connection) -> dict[str, list[str]]:
    rng = random.Random(SEED)

    def column(sql: str) -> list[str]:
        return [value for (value,) in connection.execute(sql) if value]

    sample = f"ORDER BY random() LIMIT {SAMPLES * 20}"
    names = column(f"SELECT name FROM enterprises WHERE deleted = 0 {sample}")
    texts = column(
        "SELECT place || purpose || discussion || outcomes || next_steps FROM visits"
        f" WHERE deleted = 0 {sample}"
    )
    initials = column(f"SELECT name_initials FROM enterprises WHERE deleted = 0 {sample}")
    usccs = column(f"SELECT uscc FROM enterprises WHERE uscc IS NOT NULL {sample}")
    queries: dict[str, list[str]] = {}
    for length in (1, 2, 3, 6):
        half = SAMPLES // 2
        pieces = _cjk_pieces(names, length, half, rng) + _cjk_pieces(texts, length, half, rng)
        rng.shuffle(pieces)
        queries[f"{length}-character CJK"] = pieces
    queries["pinyin initials"] = [i[: rng.randint(2, 5)] for i in initials[:SAMPLES]]
    queries["USCC (full)"] = usccs[:SAMPLES]
    queries["USCC (8 characters)"] = [u[rng.randrange(0, 10) :][:8] for u in usccs[:SAMPLES]]
    return queries


def _bare_search(connection: sqlite3.Connection, query: str) -> list[str]:
    """The same index asked directly: each kind's newest few matches, then their ids."""
    terms = query_terms(query)
    ids: list[str] = []
    for table in INDEXED_TABLES:
        fts = table.fts
        if table.chars_fts and all(len(term) == 1 for term in terms):
            fts, match = table.chars_fts, all_of([char_token(term) for term in terms])
        else:
            match = all_of([phrase(term) for term in terms if len(term) > 1 or not table.chars_fts])
        rowids = [
            str(rowid)
            for (rowid,) in connection.execute(
                f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? ORDER BY rowid DESC LIMIT 7",
                (match,),
            )
        ]
        if rowids:
            ids += [
                row_id
                for (row_id,) in connection.execute(
                    f"SELECT id FROM {table.source} WHERE rowid IN ({', '.join(rowids)})"
                )
            ]
    return ids


def _timings(run: Callable[[str], object], queries: Sequence[str]) -> list[float]:
    times = []
    for query in queries:
        start = time.perf_counter()
        run(query)
        times.append((time.perf_counter() - start) * 1000)
    return times


def _index_megabytes(connection: sqlite3.Connection) -> tuple[float, float]:
    index = connection.execute(
        "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'search~_%' ESCAPE '~'"
    ).fetchone()[0]
    total = connection.execute(
        "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size"
    ).fetchone()[0]
    return index / 1e6, total / 1e6


def main() -> None:
    data_dir, build_seconds = _copy_of_large()
    bare = sqlite3.connect(f"file:{database_path(data_dir)}?mode=ro", uri=True)
    database = open_local_database(data_dir, create=False)
    try:
        service = SearchService(Workspace(database, data_dir))
        queries = _queries(bare)
        warm = [q for qs in queries.values() for q in qs[:3]]
        _timings(service.search, warm)
        _timings(lambda q: _bare_search(bare, q), warm)
        figures: list[Figure] = []
        for label, asked in queries.items():
            mine = _timings(service.search, asked)
            base = _timings(lambda q: _bare_search(bare, q), asked)
            figures.append(
                Figure(
                    f"search p95, {label} ({len(asked)} queries)",
                    percentile(mine, 0.95),
                    percentile(base, 0.95),
                    "ms",
                    TARGET,
                )
            )
            figures.append(
                Figure(
                    f"search median, {label}",
                    median_of(mine),
                    median_of(base),
                    "ms",
                    "—",
                )
            )
        index_mb, total_mb = _index_megabytes(bare)
        figures.append(
            Figure(f"search index on disk (of {total_mb:,.0f} MB)", index_mb, None, "MB", "report")
        )
        if build_seconds is not None:
            figures.append(
                Figure("build search index (migration 0004)", build_seconds, None, "s", "report")
            )
    finally:
        database.dispose()
        bare.close()
    report("search", figures)


if __name__ == "__main__":
    main()
