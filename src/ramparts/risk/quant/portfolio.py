"""Portfolio of scenarios: per simulated year, the portfolio's loss is the sum of every
scenario's loss *in that same year*. Percentiles are taken on that sum; they never add.

Scenarios are independent unless a correlation is given: then a Gaussian copula links their
frequencies (a single `rho` between every pair, or a full matrix). Work is split into fixed
blocks of scenarios run on a thread pool (NumPy releases the GIL in its loops); block totals
are added in block order, so the result does not depend on the number of threads. Memory
holds one annual-loss vector per block in flight, not one per scenario.
"""

from __future__ import annotations

import math
import os
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from ramparts.risk.quant.model import QuantError, Scenario, check_years
from ramparts.risk.quant.results import Summary, summarize
from ramparts.risk.quant.simulate import (
    RATE,
    YEAR_CHUNK,
    RateDrivers,
    Streams,
    check_event_budget,
    check_seed,
    new_seed,
    shared_stream,
    simulate,
)

BLOCK = 16  # scenarios per unit of work
COMMON_FACTOR = 0  # shared stream component for the copula
MATRIX_MEMORY_LIMIT = 1 << 30  # bytes of correlated drivers a full matrix may need


@dataclass(frozen=True)
class Correlation:
    """Gaussian copula on frequency: `rho` for every pair, or a full correlation `matrix`."""

    rho: float | None = None
    matrix: np.ndarray | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if (self.rho is None) == (self.matrix is None):
            raise QuantError("", "correlation", "give either rho or matrix")
        if self.rho is not None:
            rho = self.rho
            if isinstance(rho, bool) or not isinstance(rho, int | float) or not (0 <= rho < 1):
                raise QuantError("", "correlation.rho", f"must be within [0, 1), got {rho!r}")

    def cholesky(self, n: int) -> np.ndarray:
        assert self.matrix is not None
        m = np.asarray(self.matrix, dtype=np.float64)
        if m.shape != (n, n):
            raise QuantError("", "correlation.matrix", f"must be {n}×{n} (one row per scenario), got {m.shape}")
        if not np.isfinite(m).all():
            raise QuantError("", "correlation.matrix", "must hold finite numbers only")
        if not np.allclose(m, m.T) or not np.allclose(np.diag(m), 1) or (np.abs(m) > 1).any():
            raise QuantError(
                "", "correlation.matrix", "must be symmetric, with 1 on the diagonal and values in [-1, 1]"
            )
        try:
            return np.linalg.cholesky(m + np.eye(n) * 1e-12)
        except np.linalg.LinAlgError:
            raise QuantError("", "correlation.matrix", "is not positive semi-definite") from None


@dataclass(frozen=True)
class PortfolioRun:
    seed: int
    years: int
    scenario_ids: list[str]
    losses: np.ndarray = field(repr=False)  # the portfolio's annual losses
    scenarios: list[Summary] | None = None  # per-scenario statistics, same simulated years
    correlation: Correlation | None = None

    def summary(self) -> Summary:
        return summarize(self.losses)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def simulate_portfolio(
    scenarios: Sequence[Scenario],
    *,
    years: int,
    seed: int | None = None,
    correlation: Correlation | None = None,
    summarize_scenarios: bool = True,
    workers: int | None = None,
) -> PortfolioRun:
    years = check_years(years)
    if not scenarios:
        raise QuantError("", "scenarios", "a portfolio needs at least one scenario")
    ids = [s.id for s in scenarios]
    duplicates = sorted({i for i in ids if ids.count(i) > 1}) if len(set(ids)) != len(ids) else []
    if duplicates:
        raise QuantError(duplicates[0], "id", "is used by more than one scenario")
    for s in scenarios:
        check_event_budget(s, years)
    seed = new_seed() if seed is None else check_seed(seed)
    drivers = _copula(scenarios, years, seed, correlation)
    n = len(scenarios)
    blocks = [range(i, min(i + BLOCK, n)) for i in range(0, n, BLOCK)]

    def run_block(block: range) -> tuple[np.ndarray, list[Summary]]:
        total = np.zeros(years)
        summaries = []
        for i in block:
            run = simulate(scenarios[i], years=years, seed=seed, index=i, rate_drivers=drivers(i) if drivers else None)
            total += run.losses
            if summarize_scenarios:
                summaries.append(summarize(run.losses))
        return total, summaries

    total = np.zeros(years)
    all_summaries: list[Summary] = []
    workers = workers or default_workers()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[tuple[np.ndarray, list[Summary]]]] = deque()
        queue = iter(blocks)
        for block in queue:  # keep at most 2 blocks per worker in flight: memory stays bounded
            pending.append(pool.submit(run_block, block))
            if len(pending) >= 2 * workers:
                _collect(pending.popleft(), total, all_summaries)
        while pending:
            _collect(pending.popleft(), total, all_summaries)
    return PortfolioRun(seed, years, ids, total, all_summaries if summarize_scenarios else None, correlation)


def _collect(future: Future[tuple[np.ndarray, list[Summary]]], total: np.ndarray, summaries: list[Summary]) -> None:
    block_total, block_summaries = future.result()
    total += block_total
    summaries.extend(block_summaries)


def _copula(scenarios: Sequence[Scenario], years: int, seed: int, correlation: Correlation | None):  # noqa: ANN202
    """Per scenario index, a function giving that scenario's correlated normal frequency drivers."""
    if correlation is None:
        return None
    n = len(scenarios)
    if correlation.rho is not None:
        loading, own = math.sqrt(correlation.rho), math.sqrt(1 - correlation.rho)
        common = np.empty(years)
        rng = shared_stream(seed, COMMON_FACTOR)
        for start in range(0, years, YEAR_CHUNK):
            stop = min(start + YEAR_CHUNK, years)
            common[start:stop] = rng.standard_normal(stop - start)

        def factor_drivers(i: int) -> RateDrivers:
            streams = Streams(seed, i)

            def drivers(start: int, stop: int) -> np.ndarray:
                z = streams(RATE).standard_normal(stop - start)
                z *= own
                z += loading * common[start:stop]
                return z

            return drivers

        return factor_drivers
    lower = correlation.cholesky(n)
    if n * years * 8 > MATRIX_MEMORY_LIMIT:
        raise QuantError(
            "",
            "correlation.matrix",
            f"{n} scenarios × {years:,} years is too large for a full matrix; use a single rho, or fewer years",
        )
    rng = shared_stream(seed, COMMON_FACTOR)
    z = lower @ rng.standard_normal((n, years))

    def matrix_drivers(i: int) -> RateDrivers:
        return lambda start, stop: z[i, start:stop]

    return matrix_drivers
