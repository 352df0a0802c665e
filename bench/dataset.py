"""The large dataset of DESIGN §7, built once by ``squaddesk-cli demo --size large`` and kept."""

from __future__ import annotations

import time
from pathlib import Path

from bench.harness import OUT, run_python

LARGE_DIR = OUT / "large-data"
SEED = "7"


def build_large(target: Path) -> float:
    """Build the large demo into an empty ``target``; returns the wall time in seconds."""
    start = time.perf_counter()
    run_python(
        ["-m", "app.cli", "demo", "--size", "large", "--seed", SEED, "--data-dir", str(target)],
        timeout=900,
    )
    return time.perf_counter() - start


def large_data_dir() -> Path:
    """The cached large dataset, built if missing."""
    if not (LARGE_DIR / "squaddesk.db").is_file():
        build_large(LARGE_DIR)
    return LARGE_DIR
