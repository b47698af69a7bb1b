"""Compound-Poisson Monte Carlo for one scenario.

Per simulated year: draw that year's frequency (and vulnerability), draw the number of loss
events ~ Poisson(frequency), give every event its own loss (and secondary loss), and sum.

Random numbers come from independent streams, one per (scenario, component), derived from the
seed with NumPy's SeedSequence (PCG64). Year-level streams give one uniform per year, event-
level streams one uniform per event, consumed in order; so the result does not depend on the
chunk sizes that bound memory, and a what-if can replay exactly the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ramparts.risk.quant.distributions import Distribution, is_constant
from ramparts.risk.quant.model import QuantError, Scenario, check_years

YEAR_CHUNK = 1 << 20  # years per block of year-level draws
EVENT_CHUNK = 1 << 22  # events per block of event-level draws
POISSON_INVERSION_MAX = 50.0  # above this mean, counts come from NumPy's Poisson sampler
MAX_EXPECTED_EVENTS = 2 * 10**9

# Stream components. Adding one never changes the numbers of the others.
RATE, VULN, COUNT, LOSS, SEC_PROB, SEC_HIT, SEC_MAG, BIG_COUNT, EXTRA = range(9)
SCENARIO_SPACE, SHARED_SPACE, EXTRA_SPACE, INDEPENDENT_SPACE = range(4)


class Streams:
    """Lazily created generators for one scenario's components."""

    def __init__(self, seed: int, index: int, space: int = SCENARIO_SPACE) -> None:
        self.seed = seed
        self.index = index
        self.space = space
        self._rngs: dict[int, np.random.Generator] = {}

    def __call__(self, component: int) -> np.random.Generator:
        rng = self._rngs.get(component)
        if rng is None:
            seq = np.random.SeedSequence(self.seed, spawn_key=(self.space, self.index, component))
            rng = self._rngs[component] = np.random.Generator(np.random.PCG64(seq))
        return rng


def shared_stream(seed: int, component: int) -> np.random.Generator:
    seq = np.random.SeedSequence(seed, spawn_key=(SHARED_SPACE, component))
    return np.random.Generator(np.random.PCG64(seq))


def new_seed() -> int:
    """A fresh 63-bit seed, for runs the caller did not seed (it is stored in the result)."""
    return int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(1))


def check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise QuantError("", "seed", f"must be a non-negative whole number, got {seed!r}")
    return int(seed)


@dataclass(frozen=True, slots=True)
class ScenarioRun:
    """Annual losses of one scenario: `losses[y]` is the total loss of simulated year y."""

    scenario_id: str
    seed: int
    years: int
    losses: np.ndarray = field(repr=False)


# A source of the rate's uniform drivers for years [start, stop) (the copula supplies one).
RateDrivers = Callable[[int, int], np.ndarray]


def simulate(
    scenario: Scenario, *, years: int, seed: int | None = None, index: int = 0, rate_drivers: RateDrivers | None = None
) -> ScenarioRun:
    """Simulate `years` years of `scenario`. `index` selects the scenario's streams within a
    portfolio (the same seed and index give the same numbers)."""
    years = check_years(years)
    seed = new_seed() if seed is None else check_seed(seed)
    check_event_budget(scenario, years)
    losses = simulate_losses(scenario, years, Streams(seed, index), rate_drivers)
    return ScenarioRun(scenario.id, seed, years, losses)


def simulate_losses(
    scenario: Scenario, years: int, streams: Streams, rate_drivers: RateDrivers | None = None
) -> np.ndarray:
    losses = np.empty(years)
    for start in range(0, years, YEAR_CHUNK):
        stop = min(start + YEAR_CHUNK, years)
        u_rate = rate_drivers(start, stop) if rate_drivers is not None else None
        year = draw_years(scenario, Uniforms(streams, stop - start), streams, u_rate)
        losses[start:stop] = annual_losses(scenario, streams, year)
    return losses


def check_event_budget(scenario: Scenario, years: int) -> None:
    expected = scenario.expected_frequency() * years
    if expected > MAX_EXPECTED_EVENTS:
        raise QuantError(
            scenario.id,
            "frequency",
            f"{years:,} years at this frequency mean ~{expected:,.0f} loss "
            f"events, over the limit of {MAX_EXPECTED_EVENTS:,}; simulate fewer years",
        )


@dataclass(slots=True)
class YearDraws:
    """Year-level state for a block of years: rate, event counts, secondary probability."""

    rate: np.ndarray
    counts: np.ndarray
    sec_prob: np.ndarray | None


class Uniforms:
    """One uniform per item (year or event) for each component, drawn from that component's
    stream on first use and then shared (a what-if evaluates two scenarios on the same ones)."""

    def __init__(self, streams: Streams | None, n: int, preset: dict[int, np.ndarray] | None = None) -> None:
        self.streams = streams
        self.n = n
        self._drawn = dict(preset or {})

    def __call__(self, component: int) -> np.ndarray:
        u = self._drawn.get(component)
        if u is None:
            assert self.streams is not None, f"no uniforms for component {component}"
            u = self._drawn[component] = self.streams(component).random(self.n)
        return u


def sample(dist: Distribution, uniforms: Uniforms, component: int) -> np.ndarray:
    if is_constant(dist):
        return np.full(uniforms.n, dist.ppf(np.zeros(1))[0])
    return dist.ppf(uniforms(component))


def draw_years(scenario: Scenario, u: Uniforms, streams: Streams, u_rate: np.ndarray | None = None) -> YearDraws:
    rate = scenario.rate.ppf(u_rate) if u_rate is not None else sample(scenario.rate, u, RATE)
    if scenario.vulnerability is not None:
        rate *= sample(scenario.vulnerability, u, VULN)
    counts = poisson_counts(rate, u(COUNT), streams)
    sec_prob = None
    if scenario.secondary is not None:
        sec_prob = sample(scenario.secondary.probability, u, SEC_PROB)
    return YearDraws(rate, counts, sec_prob)


def poisson_counts(rate: np.ndarray, u: np.ndarray, streams: Streams) -> np.ndarray:
    """Poisson(rate) by inverse transform of `u`, so that a smaller rate with the same `u`
    gives at most as many events (common random numbers). Most years have no event, so the
    search only continues on the few years still above the running CDF."""
    counts = np.zeros(rate.shape, np.int64)
    if rate.size == 0:
        return counts
    top = float(rate.max())
    if top > POISSON_INVERSION_MAX:
        big = rate > POISSON_INVERSION_MAX
        counts[big] = streams(BIG_COUNT).poisson(rate[big])
        candidates = np.flatnonzero(~big)
    else:  # a year can have an event only if u >= exp(-rate) >= exp(-top): skip the others
        candidates = np.flatnonzero(u >= math.exp(-top))
    pmf = np.exp(-rate[candidates])
    keep = u[candidates] >= pmf
    active, pmf = candidates[keep], pmf[keep]
    if active.size == 0:
        return counts
    lam, ua = rate[active], u[active]
    cdf = pmf.copy()
    for k in range(1, 10_000):
        counts[active] += 1
        pmf *= lam / k
        cdf += pmf
        keep = ua >= cdf
        if not keep.any():
            break
        if not keep.all():
            active, lam, ua, pmf, cdf = active[keep], lam[keep], ua[keep], pmf[keep], cdf[keep]
        if k > 4 * POISSON_INVERSION_MAX and not (pmf > 0).any():
            break  # u rounded above the CDF's last representable value
    return counts


def annual_losses(scenario: Scenario, streams: Streams, year: YearDraws) -> np.ndarray:
    """Sum each year's event losses; events are processed in blocks of at most EVENT_CHUNK."""
    counts = year.counts
    out = np.zeros(counts.size)
    busy = np.flatnonzero(counts)  # most years have no event: work on the others only
    if busy.size == 0:
        return out
    busy_counts = counts[busy]
    ends = np.cumsum(busy_counts)
    start = 0
    while start < busy.size:
        done = int(ends[start - 1]) if start else 0
        stop = max(start + 1, int(np.searchsorted(ends, done + EVENT_CHUNK, side="right")))
        block = busy_counts[start:stop]
        n_events = int(ends[stop - 1]) - done
        sec_prob = None if year.sec_prob is None else np.repeat(year.sec_prob[busy[start:stop]], block)
        loss = event_losses(scenario, Uniforms(streams, n_events), sec_prob)
        out[busy[start:stop]] = np.add.reduceat(loss, ends[start:stop] - block - done)
        start = stop
    return out


def event_losses(scenario: Scenario, u: Uniforms, sec_prob: np.ndarray | None) -> np.ndarray:
    """Loss of each event; `sec_prob` is the secondary-loss probability of each event's year."""
    loss = sample(scenario.loss, u, LOSS)
    if scenario.secondary is not None and sec_prob is not None:
        hit = u(SEC_HIT) < sec_prob
        loss += np.where(hit, sample(scenario.secondary.magnitude, u, SEC_MAG), 0.0)
    return loss
