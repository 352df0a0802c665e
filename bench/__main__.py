"""Run the benchmarks: ``python -m bench [NAME ...]`` (all when none named).

Names: demo_build, cold_start, search, kpi_overdue, save_visit, client_memory, sync_download,
sync_incremental, sync_concurrent, enterprise_import, reports.
``SQUADDESK_BENCH_SIZE=small`` runs the sync benchmarks on the small demo for a quick check.
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = (
    "demo_build",
    "cold_start",
    "search",
    "kpi_overdue",
    "save_visit",
    "client_memory",
    "sync_download",
    "sync_incremental",
    "sync_concurrent",
    "enterprise_import",
    "reports",
)


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    for name in names or BENCHMARKS:
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
