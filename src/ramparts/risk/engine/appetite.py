"""Is a risk, or the whole portfolio, within the board's appetite? Pure: numbers in, verdict out.

An appetite has an optional maximum matrix level and an optional tolerance curve: points "at most
p chance of losing L or more in a year". A risk breaches when its residual level is above the
maximum, or when its loss exceedance curve passes above any tolerance point. Every breach carries
a reason a person can read.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TolerancePoint:
    loss: float
    probability: float


@dataclass(frozen=True)
class Appetite:
    max_level: int | None = None
    tolerance: tuple[TolerancePoint, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    within: bool
    reasons: list[str] = field(default_factory=list)  # why it breaches; empty when within
    checked: bool = True  # False when there was nothing to check against (no appetite)


def exceedance_from_curve(amounts: Sequence[float], probabilities: Sequence[float]) -> Callable[[float], float]:
    """P(annual loss ≥ x) read off a stored loss exceedance curve (log-spaced amounts, falling
    probabilities), interpolated linearly in log(amount). Below the first amount the first
    probability holds (conservative); beyond the last, nothing was simulated: 0."""
    xs = [math.log(a) for a in amounts]
    ps = list(probabilities)

    def at(loss: float) -> float:
        if not xs or loss <= 0:
            return ps[0] if ps else 0.0
        x = math.log(loss)
        if x <= xs[0]:
            return ps[0]
        if x > xs[-1]:
            return 0.0
        i = bisect.bisect_left(xs, x)
        if xs[i] == x:
            return ps[i]
        t = (x - xs[i - 1]) / (xs[i] - xs[i - 1])
        return ps[i - 1] + (ps[i] - ps[i - 1]) * t

    return at


def evaluate(
    appetite: Appetite | None,
    *,
    level: int | None,
    level_label: Callable[[int], str] = str,
    exceedance: Callable[[float], float] | None = None,
    money: Callable[[float], str] = lambda v: f"${v:,.0f}",
) -> Evaluation:
    """The verdict for one risk (its residual `level`, its exceedance function if quantified) or a
    portfolio (level None, the exceedance of its same-year summed losses)."""
    if appetite is None or (appetite.max_level is None and not appetite.tolerance):
        return Evaluation(True, [], checked=False)
    reasons = []
    if appetite.max_level is not None and level is not None and level > appetite.max_level:
        reasons.append(f"residual level {level_label(level)} is above the maximum of {level_label(appetite.max_level)}")
    if exceedance is not None:
        for point in appetite.tolerance:
            p = exceedance(point.loss)
            if p > point.probability:
                reasons.append(
                    f"{_pct(p)} chance of losing {money(point.loss)} or more a year exceeds the tolerance of "
                    f"{_pct(point.probability)}"
                )
    return Evaluation(not reasons, reasons)


def _pct(p: float) -> str:
    scaled = p * 100
    return f"{scaled:.1f}%" if scaled >= 0.1 or scaled == 0 else f"{scaled:.2g}%"
