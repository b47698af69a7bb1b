"""Statistics of simulated annual losses: ALE, percentiles, expected shortfall, probability of
no loss or of exceeding a threshold, the loss exceedance curve, and tolerance-curve checks.

Percentiles use NumPy's default (linear) definition. Annual losses are mostly zero for rare
scenarios, so order statistics are taken from the non-zero years only, which is exact and
much cheaper than sorting every year."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ramparts.risk.quant.model import QuantError

PERCENTILES = (50, 90, 95, 99)
ES_TAIL_DIVISOR = 100  # expected shortfall at P99: mean of the worst 1/100 of years


@dataclass(frozen=True, slots=True)
class Summary:
    years: int
    ale: float  # mean annual loss
    p50: float
    p90: float
    p95: float
    p99: float
    es99: float  # expected shortfall: mean of the worst 1% of years
    p_no_loss: float
    max: float

    def as_dict(self) -> dict[str, float | int]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def summarize(losses: np.ndarray) -> Summary:
    losses = np.asarray(losses, dtype=np.float64)
    n = losses.size
    if n == 0:
        raise QuantError("", "years", "no simulated years to summarise")
    nonzero = losses.take(np.flatnonzero(losses > 0))  # a copy; integer gather beats a boolean mask
    zeros = n - nonzero.size
    tail = max(1, -(-n // ES_TAIL_DIVISOR))  # the worst 1% of years, rounded up (integer maths)
    positions = [(n - 1) * p / 100 for p in PERCENTILES]
    ranks = sorted({r for h in positions for r in (math.floor(h), math.ceil(h))} | {n - tail})
    wanted = [r - zeros for r in ranks if r >= zeros]
    if wanted and nonzero.size:
        nonzero.partition(wanted)  # nonzero is our own copy

    def order(r: int) -> float:
        return float(nonzero[r - zeros]) if r >= zeros else 0.0

    values = []
    for h in positions:
        lo, hi = math.floor(h), math.ceil(h)
        values.append(order(lo) + (order(hi) - order(lo)) * (h - lo))
    first_tail = n - tail
    es = float(nonzero[first_tail - zeros :].mean()) if first_tail >= zeros else float(nonzero.sum() / tail)
    return Summary(
        years=n,
        ale=float(losses.mean()),
        p50=values[0],
        p90=values[1],
        p95=values[2],
        p99=values[3],
        es99=es,
        p_no_loss=zeros / n,
        max=float(nonzero.max()) if nonzero.size else 0.0,
    )


def probability_of_exceeding(losses: np.ndarray, threshold: float) -> float:
    """P(annual loss ≥ threshold)."""
    return float(np.count_nonzero(losses >= threshold) / losses.size)


@dataclass(frozen=True, slots=True)
class ExceedanceCurve:
    """P(annual loss ≥ amounts[i]) = probabilities[i]; amounts are log-spaced."""

    amounts: np.ndarray
    probabilities: np.ndarray

    def as_dict(self) -> dict[str, list[float]]:
        return {"amounts": self.amounts.tolist(), "probabilities": self.probabilities.tolist()}


def exceedance_curve(
    losses: np.ndarray, *, points: int = 60, low: float | None = None, high: float | None = None
) -> ExceedanceCurve:
    """Loss exceedance curve on `points` log-spaced amounts, from `low` (default: the 1st
    percentile of non-zero losses, at least 1) to `high` (default: the largest loss)."""
    if points < 2:
        raise QuantError("", "points", f"a curve needs at least 2 points, got {points}")
    nonzero = np.sort(losses.take(np.flatnonzero(losses > 0)))
    if nonzero.size == 0:
        amounts = np.geomspace(low or 1.0, high or 10.0, points)
        return ExceedanceCurve(amounts, np.zeros(points))
    lo = low if low is not None else max(1.0, float(nonzero[int(0.01 * (nonzero.size - 1))]))
    hi = high if high is not None else float(nonzero[-1])
    if not (0 < lo < hi and math.isfinite(hi)):
        hi = lo * 10
    amounts = np.geomspace(lo, hi, points)
    above = nonzero.size - np.searchsorted(nonzero, amounts, side="left")
    return ExceedanceCurve(amounts, above / losses.size)


@dataclass(frozen=True, slots=True)
class TolerancePoint:
    """ "No more than `max_probability` chance of losing `loss` or more in a year"."""

    loss: float
    max_probability: float

    def __post_init__(self) -> None:
        if not (isinstance(self.loss, int | float) and math.isfinite(self.loss) and self.loss > 0):
            raise QuantError("", "tolerance.loss", f"must be a positive amount, got {self.loss!r}")
        if not (isinstance(self.max_probability, int | float) and 0 <= self.max_probability <= 1):
            raise QuantError("", "tolerance.probability", f"must be within [0, 1], got {self.max_probability!r}")


@dataclass(frozen=True, slots=True)
class ToleranceCheck:
    point: TolerancePoint
    probability: float  # simulated P(annual loss ≥ point.loss)

    @property
    def within(self) -> bool:
        return self.probability <= self.point.max_probability


def compare_tolerance(losses: np.ndarray, curve: Sequence[TolerancePoint]) -> list[ToleranceCheck]:
    """Each tolerance point with the simulated exceedance probability at its amount."""
    ordered = np.sort(losses)
    return [
        ToleranceCheck(p, float((ordered.size - np.searchsorted(ordered, p.loss, side="left")) / ordered.size))
        for p in curve
    ]


def within_tolerance(checks: Sequence[ToleranceCheck]) -> bool:
    return all(c.within for c in checks)
