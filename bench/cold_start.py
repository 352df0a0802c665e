"""Cold start to an interactive main window on the large dataset, beside a bare PySide6 table.

Both are timed the same way: from spawning the process to the moment it reports that the
first rows of enterprises are painted. The app starts on the large data dir with
``--quit-after-ms 0``; the baseline (``bench/baselines/bare_table.py``) loads every enterprise
with sqlite3 into a bare QTableView. Each is run several times, alternating; medians are shown.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.dataset import large_data_dir
from bench.harness import ROOT, Figure, median_of, report

RUNS = 5


def _time_until(command: list[str], marker: str) -> float:
    """Milliseconds from spawn until a stdout line starting with ``marker`` arrives."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(marker):
                elapsed = (time.perf_counter() - start) * 1000
                process.wait(timeout=60)
                return elapsed
        process.wait(timeout=60)
    raise RuntimeError(f"{command[1]} never printed {marker!r}")


def main() -> None:
    data_dir = large_data_dir()
    database = data_dir / "squaddesk.db"
    app_command = [
        sys.executable,
        "-m",
        "ui.main",
        "--data-dir",
        str(data_dir),
        "--quit-after-ms",
        "0",
    ]
    bare_command = [
        sys.executable,
        str(Path(ROOT, "bench", "baselines", "bare_table.py")),
        str(database),
    ]
    _time_until(app_command, "startup_ms")  # warm the page cache for both
    app_runs, bare_runs = [], []
    for _ in range(RUNS):
        app_runs.append(_time_until(app_command, "startup_ms"))
        bare_runs.append(_time_until(bare_command, "ready"))
    report(
        "cold start",
        [
            Figure(
                "cold start to first rows, large dataset",
                median_of(app_runs),
                median_of(bare_runs),
                "ms",
                "≤ 2× bare and ≤ 1500 ms",
            ),
        ],
    )


if __name__ == "__main__":
    main()
