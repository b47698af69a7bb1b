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

from ramparts.risk.quant.distributions import Distribution, is_constant, norm_cdf
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


# A source of the rate's standard-normal drivers for years [start, stop) (the copula supplies
# one); they become uniforms, Φ(z), only for the years that need a rate.
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
    if years <= YEAR_CHUNK:  # one block: no copy
        z_rate = rate_drivers(0, years) if rate_drivers is not None else None
        return annual_losses(scenario, streams, draw_years(scenario, Uniforms(streams, years), streams, z_rate))
    losses = np.empty(years)
    for start in range(0, years, YEAR_CHUNK):
        stop = min(start + YEAR_CHUNK, years)
        z_rate = rate_drivers(start, stop) if rate_drivers is not None else None
        year = draw_years(scenario, Uniforms(streams, stop - start), streams, z_rate)
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
    """Year-level state for a block of `n` years, kept sparse: most years have no event."""

    n: int
    busy: np.ndarray  # ascending indices of the years with at least one event
    busy_counts: np.ndarray  # their event counts
    sec_prob_u: np.ndarray | None  # per-year uniforms of the secondary-loss probability
    scenario: Scenario

    def counts(self) -> np.ndarray:
        dense = np.zeros(self.n, np.int64)
        dense[self.busy] = self.busy_counts
        return dense

    def sec_prob(self, years: np.ndarray) -> np.ndarray | None:
        """The secondary-loss probability of the given years (None without secondary loss)."""
        secondary = self.scenario.secondary
        if secondary is None:
            return None
        if is_constant(secondary.probability) or self.sec_prob_u is None:
            return np.full(years.size, secondary.probability.ppf(np.zeros(1))[0])
        return secondary.probability.ppf(self.sec_prob_u[years])


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


def _rate_at(scenario: Scenario, u: Uniforms, z_rate: np.ndarray | None, years: np.ndarray | None) -> np.ndarray:
    """The loss event frequency of the given years (all years when `years` is None). Every
    component's uniforms are drawn for all years, so streams stay aligned whichever are used."""

    def at(dist: Distribution, values: np.ndarray | None) -> np.ndarray:
        size = u.n if years is None else years.size
        if is_constant(dist) or values is None:
            return np.full(size, dist.ppf(np.zeros(1))[0])
        return dist.ppf(values if years is None else values[years])

    rate_dist = scenario.rate
    if z_rate is not None and not is_constant(rate_dist):
        rate = rate_dist.ppf(norm_cdf(z_rate if years is None else z_rate.take(years)))
    else:
        rate = at(rate_dist, None if is_constant(rate_dist) else u(RATE))
    if scenario.vulnerability is not None:
        vuln = scenario.vulnerability
        rate *= at(vuln, None if is_constant(vuln) else u(VULN))
    return rate


def draw_years(scenario: Scenario, u: Uniforms, streams: Streams, z_rate: np.ndarray | None = None) -> YearDraws:
    u_count = u(COUNT)
    top = scenario.rate.upper * (scenario.vulnerability.upper if scenario.vulnerability is not None else 1.0)
    if math.isfinite(top) and top <= POISSON_INVERSION_MAX:
        # A year can have an event only if u >= exp(-rate) >= exp(-top): only those need a rate.
        candidates = np.flatnonzero(u_count >= math.exp(-top))
        rate = _rate_at(scenario, u, z_rate, candidates)
    else:
        candidates = None
        rate = _rate_at(scenario, u, z_rate, None)
    if scenario.secondary is not None and not is_constant(scenario.secondary.probability):
        sec_prob_u = u(SEC_PROB)
    else:
        sec_prob_u = None
    local, counts = poisson_counts(rate, u_count if candidates is None else u_count[candidates], streams)
    busy = local if candidates is None else candidates[local]
    return YearDraws(u.n, busy, counts, sec_prob_u, scenario)


def poisson_counts(rate: np.ndarray, u: np.ndarray, streams: Streams) -> tuple[np.ndarray, np.ndarray]:
    """Poisson(rate) by inverse transform of `u`, so that a smaller rate with the same `u`
    gives at most as many events (common random numbers). Returns the indices with at least
    one event and their counts. Means above POISSON_INVERSION_MAX use NumPy's sampler."""
    if rate.size == 0:
        return np.zeros(0, np.intp), np.zeros(0, np.int64)
    big_idx = np.zeros(0, np.intp)
    big_counts = np.zeros(0, np.int64)
    if float(rate.max()) > POISSON_INVERSION_MAX:
        big = rate > POISSON_INVERSION_MAX
        big_idx = np.flatnonzero(big)
        big_counts = streams(BIG_COUNT).poisson(rate[big_idx]).astype(np.int64)
        candidates = np.flatnonzero(~big)
        pmf = np.exp(-rate.take(candidates))
        keep = np.flatnonzero(u.take(candidates) >= pmf)
        active, pmf = candidates.take(keep), pmf.take(keep)
    else:
        pmf = np.exp(-rate)
        active = np.flatnonzero(u >= pmf)
        pmf = pmf.take(active)
    counts = np.ones(active.size, np.int64)
    if active.size:
        _continue_inversion(rate.take(active), u.take(active), pmf, counts)
    if big_idx.size:
        nonzero = big_counts > 0
        idx = np.concatenate([active, big_idx[nonzero]])
        all_counts = np.concatenate([counts, big_counts[nonzero]])
        order = np.argsort(idx, kind="stable")
        return idx[order], all_counts[order]
    return active, counts


def _continue_inversion(lam: np.ndarray, u: np.ndarray, pmf: np.ndarray, counts: np.ndarray) -> None:
    """Years already known to have an event: count on while u stays above the Poisson CDF.
    Vectorised while many years remain; the last few (the busiest years) finish in a scalar
    loop, which is cheaper than NumPy calls on tiny arrays. Same arithmetic either way."""
    cdf = pmf.copy()
    pos = np.arange(lam.size)
    k = 0
    while pos.size >= 32:
        k += 1
        pmf *= lam / k
        cdf += pmf
        more = np.flatnonzero(u >= cdf)  # integer gathers: much cheaper than boolean masks
        pos, lam, u, pmf, cdf = pos.take(more), lam.take(more), u.take(more), pmf.take(more), cdf.take(more)
        counts[pos] += 1
        if k > 4 * POISSON_INVERSION_MAX and not (pmf > 0).any():
            return  # u rounded above the CDF's last representable value
    for j, lam_j, u_j, pmf_j, cdf_j in zip(
        pos.tolist(), lam.tolist(), u.tolist(), pmf.tolist(), cdf.tolist(), strict=True
    ):
        n = k
        while True:
            n += 1
            pmf_j *= lam_j / n
            cdf_j += pmf_j
            if u_j < cdf_j or (n > 4 * POISSON_INVERSION_MAX and pmf_j == 0.0):
                break  # the second test: u rounded above the CDF's last representable value
            counts[j] += 1


def annual_losses(scenario: Scenario, streams: Streams, year: YearDraws) -> np.ndarray:
    """Sum each year's event losses; events are processed in blocks of at most EVENT_CHUNK."""
    out = np.zeros(year.n)
    busy, busy_counts = year.busy, year.busy_counts
    if busy.size == 0:
        return out
    ends = np.cumsum(busy_counts)
    start = 0
    while start < busy.size:
        done = int(ends[start - 1]) if start else 0
        stop = max(start + 1, int(np.searchsorted(ends, done + EVENT_CHUNK, side="right")))
        block = busy_counts[start:stop]
        n_events = int(ends[stop - 1]) - done
        years = busy[start:stop]
        sec_prob = year.sec_prob(years)
        loss = event_losses(
            scenario, Uniforms(streams, n_events), None if sec_prob is None else np.repeat(sec_prob, block)
        )
        out[years] = np.add.reduceat(loss, ends[start:stop] - block - done)
        start = stop
    return out


def event_losses(scenario: Scenario, u: Uniforms, sec_prob: np.ndarray | None) -> np.ndarray:
    """Loss of each event; `sec_prob` is the secondary-loss probability of each event's year."""
    loss = sample(scenario.loss, u, LOSS)
    if scenario.secondary is not None and sec_prob is not None:
        hit = u(SEC_HIT) < sec_prob
        loss += np.where(hit, sample(scenario.secondary.magnitude, u, SEC_MAG), 0.0)
    return loss
