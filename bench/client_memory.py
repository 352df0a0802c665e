"""Client memory with the large dataset open, beside a bare PySide6 table of the same rows.

Three processes, offscreen, on a private copy of the large dataset (the app writes its window
state there), migrated to this schema before anything is measured (a first start after an upgrade
builds new indexes once; the figures are about everyday use):

- the real app, ``python -m ui.main --data-dir DIR --quit-after-ms N``: its resident memory
  (``VmRSS``) is read from ``/proc/<pid>/status`` when it reports the first rows shown, and
  again (with the peak, ``VmHWM``) just before it quits;
- a driver (this module with ``--drive DIR``) that builds ``ui.main.Desktop`` itself, waits for
  the first rows, then shows every page once (``window.show_page``), waiting each time until the
  task runner has been idle for a moment, and reports ``VmRSS`` after each page and the peak;
- the baseline (``--bare DB``): bare PySide6 ``QTableView`` over the same first 200 enterprise
  rows read with ``sqlite3``, no app code; ``VmRSS``/``VmHWM`` once they are painted.

Target (DESIGN §7): ≤ 400 MB RSS. Run alone: ``python -m bench.client_memory``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.dataset import large_data_dir
from bench.harness import OUT, ROOT, Figure, report

TARGET_MB = 400.0
QUIT_AFTER_MS = 3000
IDLE_MS = 400
PAGE_TIMEOUT_S = 60.0
FIRST_ROWS = 200


def memory_mb(pid: int | str = "self") -> dict[str, float]:
    """``VmRSS`` and ``VmHWM`` of a process, in MB."""
    found: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))


# -- the real entry point, watched from outside ----------------------------------------------------


def measure_entry_point(data_dir: Path) -> tuple[dict[str, float], dict[str, float]]:
    """(memory at first rows, memory just before quitting) of ``python -m ui.main``."""
    command = [
        sys.executable,
        "-m",
        "ui.main",
        "--data-dir",
        str(data_dir),
        "--quit-after-ms",
        str(QUIT_AFTER_MS),
    ]
    with subprocess.Popen(
        command, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("startup_ms"):
                break
        else:
            raise RuntimeError("the app never reported its first rows")
        first = memory_mb(process.pid)
        time.sleep((QUIT_AFTER_MS - 500) / 1000)
        steady = memory_mb(process.pid)
        process.wait(timeout=60)
    return first, steady


# -- the driver: every page once -------------------------------------------------------------------


def drive(data_dir: Path) -> None:
    """Runs in its own process: start the desktop, open each page, print memory as JSON lines."""
    from PySide6.QtCore import QTimer

    from app.settings import Settings
    from ui.app_setup import create_application, register_fonts
    from ui.main import Desktop
    from ui.main_window import PageKey

    app = create_application([sys.argv[0]])
    register_fonts()
    desktop = Desktop(data_dir, Settings(data_dir))
    pages = list(PageKey)
    state: dict[str, Any] = {"page": -1, "idle_since": None, "started": 0.0}

    def emit(label: str) -> None:
        print(json.dumps({"label": label, **memory_mb()}), flush=True)

    def next_page() -> None:
        state["page"] += 1
        if state["page"] >= len(pages):
            emit("after every page")
            app.quit()
            return
        state["idle_since"] = None
        state["started"] = time.monotonic()
        desktop.window.show_page(pages[state["page"]])
        poll.start()

    def check_idle() -> None:
        now = time.monotonic()
        if desktop.runner.busy:
            state["idle_since"] = None
        elif state["idle_since"] is None:
            state["idle_since"] = now
        settled = state["idle_since"] is not None and now - state["idle_since"] >= IDLE_MS / 1000
        if settled or now - state["started"] > PAGE_TIMEOUT_S:
            poll.stop()
            desktop.window.repaint()
            emit(pages[state["page"]].name.lower())
            next_page()

    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(check_idle)

    def on_first_rows(_ms: float) -> None:
        emit("first rows")
        next_page()

    desktop.first_rows_shown.connect(on_first_rows)
    desktop.start()
    app.exec()
    desktop.window.close()
    desktop.shutdown()


def measure_pages(data_dir: Path) -> list[dict[str, Any]]:
    command = [sys.executable, "-m", "bench.client_memory", "--drive", str(data_dir)]
    done = subprocess.run(
        command, cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=900, check=True
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


# -- the baseline ----------------------------------------------------------------------------------


def bare(database: Path) -> None:
    """Bare PySide6 + sqlite3: the first 200 enterprises in a QTableView; prints memory."""
    import sqlite3

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    from bench.baselines.bare_table import COLUMNS, RowsModel

    app = QApplication(sys.argv[:1])
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    rows = connection.execute(
        f"SELECT {', '.join(COLUMNS)} FROM enterprises WHERE deleted = 0"
        f" ORDER BY name_initials LIMIT {FIRST_ROWS}"
    ).fetchall()
    window = QMainWindow()
    view = QTableView()
    view.setModel(RowsModel(rows))
    window.setCentralWidget(view)
    window.resize(1366, 768)
    window.show()

    def painted() -> None:
        view.viewport().repaint()
        print(json.dumps({"label": "bare", **memory_mb()}), flush=True)
        app.quit()

    QTimer.singleShot(0, painted)
    app.exec()
    connection.close()


def measure_bare(database: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.client_memory", "--bare", str(database)]
    done = subprocess.run(
        command, cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300, check=True
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("{"))
    found: dict[str, float] = json.loads(line)
    return found


# -- running ---------------------------------------------------------------------------------------


def _migrate(data_dir: Path) -> None:
    """Bring the copy to this schema first (building new indexes takes memory and time once,
    on the first start after an upgrade; the figures are about everyday use)."""
    command = [sys.executable, "-c", _MIGRATE, str(data_dir)]
    subprocess.run(command, cwd=ROOT, env=_env(), timeout=1800, check=True)


_MIGRATE = (
    "import sys, pathlib; from app.database.opening import open_local_database; "
    "open_local_database(pathlib.Path(sys.argv[1])).dispose()"
)


def main() -> None:
    source = large_data_dir()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="client-memory-", dir=OUT) as directory:
        data_dir = Path(directory)
        for name in ("squaddesk.db", "squaddesk.db-wal"):
            if (source / name).is_file():
                shutil.copyfile(source / name, data_dir / name)
        _migrate(data_dir)
        measure_bare(data_dir / "squaddesk.db")  # warm the page cache for everyone
        baseline = measure_bare(data_dir / "squaddesk.db")
        first, steady = measure_entry_point(data_dir)
        pages = measure_pages(data_dir)
    for sample in pages:
        rss, peak = sample["VmRSS"], sample["VmHWM"]
        print(f"  {sample['label']:<18} VmRSS {rss:7.1f} MB   VmHWM {peak:7.1f} MB")
    biggest = max(pages, key=lambda sample: sample["VmRSS"])
    target = f"≤ {TARGET_MB:.0f} MB"
    figures = [
        Figure("client RSS at first rows (ui.main)",
               first["VmRSS"], baseline["VmRSS"], "MB", target),
        Figure("client RSS, steady (ui.main)", steady["VmRSS"], baseline["VmRSS"], "MB", target),
        Figure(f"client RSS, all pages opened ({biggest['label']})",
               biggest["VmRSS"], baseline["VmRSS"], "MB", target),
        Figure("client peak RSS (VmHWM), every page opened",
               pages[-1]["VmHWM"], baseline["VmHWM"], "MB", target),
    ]  # fmt: skip
    report("client memory", figures)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--drive":
        drive(Path(sys.argv[2]))
    elif len(sys.argv) == 3 and sys.argv[1] == "--bare":
        bare(Path(sys.argv[2]))
    else:
        main()
