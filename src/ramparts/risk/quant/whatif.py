"""Control what-if: the same scenario before and after a change of inputs (for example
vulnerability × (1 − effectiveness)), simulated on common random numbers.

Both runs see the same uniforms: per year for frequency, vulnerability and the event count
(Poisson by inverse transform, so fewer expected events give a subset of the same years'
events), and per event for loss and secondary loss. Event j of a year keeps its uniforms in
both runs; only events the changed run has in excess draw new ones. The difference between
the runs is then the effect of the change rather than sampling noise, and the baseline is
exactly `simulate(base, seed=…)`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ramparts.risk.quant.model import QuantError, Scenario, check_years
from ramparts.risk.quant.results import Summary, summarize
from ramparts.risk.quant.simulate import (
    EVENT_CHUNK,
    EXTRA_SPACE,
    INDEPENDENT_SPACE,
    LOSS,
    SEC_HIT,
    SEC_MAG,
    YEAR_CHUNK,
    Streams,
    Uniforms,
    YearDraws,
    annual_losses,
    check_event_budget,
    check_seed,
    draw_years,
    event_losses,
    new_seed,
    simulate_losses,
)


@dataclass(frozen=True)
class WhatIfResult:
    seed: int
    years: int
    base: Summary
    changed: Summary
    annual_cost: float
    base_losses: np.ndarray = field(repr=False)
    changed_losses: np.ndarray = field(repr=False)

    @property
    def delta_ale(self) -> float:
        """Reduction of the ALE (positive when the change lowers the expected loss)."""
        return self.base.ale - self.changed.ale

    @property
    def delta_p95(self) -> float:
        return self.base.p95 - self.changed.p95

    @property
    def delta_ale_std_error(self) -> float:
        return float(np.std(self.base_losses - self.changed_losses) / math.sqrt(self.years))

    @property
    def rosi(self) -> float | None:
        """Return on security investment, (ΔALE − annual cost) / annual cost; None when free."""
        if self.annual_cost <= 0:
            return None
        return (self.delta_ale - self.annual_cost) / self.annual_cost


def what_if(
    base: Scenario,
    changed: Scenario,
    *,
    years: int,
    seed: int | None = None,
    annual_cost: float = 0.0,
    index: int = 0,
    common_random_numbers: bool = True,
) -> WhatIfResult:
    years = check_years(years)
    seed = new_seed() if seed is None else check_seed(seed)
    if (
        isinstance(annual_cost, bool)
        or not isinstance(annual_cost, int | float)
        or not math.isfinite(annual_cost)
        or annual_cost < 0
    ):
        raise QuantError(base.id, "annual_cost", f"must be a finite amount of 0 or more, got {annual_cost!r}")
    check_event_budget(base, years)
    check_event_budget(changed, years)
    streams = Streams(seed, index)
    if common_random_numbers:
        base_losses, changed_losses = _paired(base, changed, years, streams, Streams(seed, index, EXTRA_SPACE))
    else:  # for comparison only: the changed run on its own random numbers
        base_losses = simulate_losses(base, years, streams)
        changed_losses = simulate_losses(changed, years, Streams(seed, index, INDEPENDENT_SPACE))
    return WhatIfResult(
        seed, years, summarize(base_losses), summarize(changed_losses), float(annual_cost), base_losses, changed_losses
    )


def _paired(
    base: Scenario, changed: Scenario, years: int, streams: Streams, extra: Streams
) -> tuple[np.ndarray, np.ndarray]:
    base_out, changed_out = np.empty(years), np.empty(years)
    per_year = max(base.expected_frequency(), changed.expected_frequency(), 1e-9)
    chunk = max(1, min(YEAR_CHUNK, int(EVENT_CHUNK / per_year)))
    for start in range(0, years, chunk):
        stop = min(start + chunk, years)
        n = stop - start
        u_years = Uniforms(streams, n)
        yb = draw_years(base, u_years, streams)
        yc = draw_years(changed, u_years, streams)
        nb, nc = yb.counts(), yc.counts()
        u_base = Uniforms(streams, int(nb.sum()))
        base_out[start:stop] = annual_losses_on(base, u_base, nb, yb)
        # Event j of a year reuses the baseline's uniforms while the baseline has one.
        shared = np.minimum(nb, nc)
        first = np.cumsum(nb) - nb
        n_shared = int(shared.sum())
        idx = np.repeat(first - (np.cumsum(shared) - shared), shared) + np.arange(n_shared)
        needed = [LOSS] + ([SEC_HIT, SEC_MAG] if changed.secondary is not None else [])
        u_shared = Uniforms(None, n_shared, {c: u_base(c)[idx] for c in needed})
        excess = np.maximum(nc - nb, 0)
        u_excess = Uniforms(extra, int(excess.sum()))
        changed_out[start:stop] = annual_losses_on(changed, u_shared, shared, yc) + annual_losses_on(
            changed, u_excess, excess, yc
        )
    return base_out, changed_out


def annual_losses_on(scenario: Scenario, u: Uniforms, counts: np.ndarray, year: YearDraws) -> np.ndarray:
    """Annual sums of events given their uniforms, `counts[y]` events in year y, in year order."""
    out = np.zeros(counts.size)
    if u.n == 0:
        return out
    busy = np.flatnonzero(counts)
    busy_counts = counts[busy]
    starts = np.cumsum(busy_counts) - busy_counts
    sec_prob = year.sec_prob(busy)
    loss = event_losses(scenario, u, None if sec_prob is None else np.repeat(sec_prob, busy_counts))
    out[busy] = np.add.reduceat(loss, starts)  # the same summation as simulate()
    return out


__all__ = ["WhatIfResult", "annual_losses", "what_if"]
