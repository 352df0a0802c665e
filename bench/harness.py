"""Measure, compare with a bare baseline taken in the same run, print, and keep the figures."""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


@dataclass(frozen=True)
class Figure:
    """One measured figure, its bare baseline, and the target from DESIGN §7."""

    name: str
    value: float
    baseline: float | None
    unit: str
    target: str

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        assert self.baseline is not None
        return self.value / self.baseline

    def line(self) -> str:
        ratio = "" if self.ratio is None else f"{self.ratio:6.2f}×"
        base = "—" if self.baseline is None else f"{self.baseline:10.1f} {self.unit}"
        return (
            f"{self.name:<46} {self.value:10.1f} {self.unit:<3}  baseline {base:<16}"
            f" {ratio:>8}   target: {self.target}"
        )


def median_of(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def time_call(function: Callable[[], object]) -> float:
    """Wall time of one call in milliseconds."""
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def run_python(
    args: Sequence[str], env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


def report(title: str, figures: Sequence[Figure]) -> None:
    print(f"\n== {title}  ({platform.node()}, {platform.python_version()})")
    for figure in figures:
        print(figure.line())
    OUT.mkdir(parents=True, exist_ok=True)
    slug = title.lower().replace(" ", "-")
    (OUT / f"{slug}.json").write_text(
        json.dumps([asdict(f) | {"ratio": f.ratio} for f in figures], ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
