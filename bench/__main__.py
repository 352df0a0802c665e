"""Run the benchmarks: ``python -m bench [cold_start] [demo_build]`` (all when none named)."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ("demo_build", "cold_start")


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
