"""Benchmark harness: each figure is the median of several runs, printed against its budget.

Benchmarks measure and report; they never fail a test run. A figure over budget is
marked OVER in the table and in the JSON so that it is seen and acted on.
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

DEFAULT_RUNS = 5


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    budget: float | None
    runs: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def within_budget(self) -> bool | None:
        return None if self.budget is None else self.value <= self.budget


def median_of(run_once: Callable[[], float], runs: int = DEFAULT_RUNS) -> tuple[float, list[float]]:
    samples = [run_once() for _ in range(runs)]
    return statistics.median(samples), samples


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def print_table(figures: list[Figure]) -> None:
    rows = [("figure", "value", "budget", "")]
    for fig in figures:
        verdict = {True: "ok", False: "OVER", None: ""}[fig.within_budget]
        budget = "" if fig.budget is None else f"{fig.budget:g} {fig.unit}"
        rows.append((fig.name, f"{fig.value:.3f} {fig.unit}", budget, verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))
    for fig in figures:
        if fig.note:
            print(f"  * {fig.name}: {fig.note}")


def write_json(figures: list[Figure], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "figures": [asdict(fig) | {"within_budget": fig.within_budget} for fig in figures],
    }
    path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
