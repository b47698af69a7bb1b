"""Timing helpers and the report table. Every figure is printed against a baseline measured in the
same run, so that the ratio survives a faster or slower machine."""

import cProfile
import io
import pstats
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


def median_ms(fn: Callable[[], object], repeat: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


PROFILE = False  # set by --profile: one-shot measures also print where their time goes


def once_ms(fn: Callable[[], object], label: str = "") -> tuple[float, object]:
    profiler = cProfile.Profile() if PROFILE and label else None
    start = time.perf_counter()
    result = profiler.runcall(fn) if profiler else fn()
    ms = (time.perf_counter() - start) * 1000
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(f"--- profile of {label} (times inflated by profiling) ---\n{out.getvalue()}", flush=True)
    return ms, result


@dataclass
class Row:
    name: str
    ms: float
    baseline: str
    baseline_ms: float
    target_ms: float | None = None
    queries: int | None = None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ms / self.baseline_ms if self.baseline_ms else float("inf")

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return ""
        return "PASS" if self.ms < self.target_ms else "FAIL"


class Report:
    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(self.format(row), flush=True)
        return row

    @staticmethod
    def header() -> str:
        return (
            f"{'measure':<44} {'median/ms':>10} {'ratio':>8}  {'baseline (same run)':<34} "
            f"{'queries':>7} {'target':>9}  result"
        )

    @staticmethod
    def format(row: Row) -> str:
        target = f"< {row.target_ms:g}" if row.target_ms is not None else ""
        queries = "" if row.queries is None else str(row.queries)
        baseline = f"{row.baseline} {row.baseline_ms:.2f} ms"
        line = (
            f"{row.name:<44} {row.ms:>10.1f} {'x' + format(row.ratio, '.1f'):>8}  {baseline:<34} "
            f"{queries:>7} {target:>9}  {row.verdict}"
        )
        return line + (f"  ({row.note})" if row.note else "")

    @property
    def failed(self) -> list[Row]:
        return [r for r in self.rows if r.verdict == "FAIL"]
