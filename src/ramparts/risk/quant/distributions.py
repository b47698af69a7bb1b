"""Input distributions for Open FAIR ranges: PERT, lognormal from a 90% interval, constant.

Every distribution is sampled by inverse transform, `ppf(u)` of a uniform driver `u`. That is
what makes common random numbers work (a changed input maps the *same* drivers, so the
difference between two runs is the change, not noise) and what lets a Gaussian copula
correlate frequencies. PERT uses a per-shape quantile table (see `_pert_table`); the lognormal
uses an inverse-normal approximation accurate to ~1e-9.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

Z_95 = 1.6448536269514722  # standard normal 95th percentile: {p5, p95} spans ±Z_95 sigma
PERT_TABLE_SIZE = 4096  # quantile-table cells per PERT shape
_PERT_GRID = 8192  # integration cells behind each table (finer changes the quantiles by < 1e-7)


class DistributionError(ValueError):
    """A range that cannot be a distribution. `field` is the sub-field at fault (e.g. "min")."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason


def _finite(field: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DistributionError(field, f"must be a number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise DistributionError(field, f"must be finite, got {value}")
    return float(value)


@dataclass(frozen=True, slots=True)
class Constant:
    value: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _finite("", self.value))

    @property
    def mean(self) -> float:
        return self.value

    @property
    def lower(self) -> float:
        return self.value

    @property
    def upper(self) -> float:
        return self.value

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return np.full(np.shape(u), self.value)


@dataclass(frozen=True, slots=True)
class Pert:
    """Standard PERT on [low, high] with mode `mode`: Beta(α, β) scaled to the range, with
    α = 1 + 4(m − a)/(b − a) and β = 1 + 4(b − m)/(b − a), so the mean is (a + 4m + b)/6."""

    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        low, mode, high = _finite("min", self.low), _finite("most_likely", self.mode), _finite("max", self.high)
        if low > mode:
            raise DistributionError("min", f"must not exceed most_likely ({low:g} > {mode:g})")
        if mode > high:
            raise DistributionError("most_likely", f"must not exceed max ({mode:g} > {high:g})")
        if not high > low:
            reason = f"must be greater than min (zero-width range {low:g}..{high:g}); use a number"
            raise DistributionError("max", reason)
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "high", high)

    @property
    def alpha(self) -> float:
        return 1 + 4 * (self.mode - self.low) / (self.high - self.low)

    @property
    def beta(self) -> float:
        return 1 + 4 * (self.high - self.mode) / (self.high - self.low)

    @property
    def mean(self) -> float:
        return (self.low + 4 * self.mode + self.high) / 6

    @property
    def variance(self) -> float:
        a, b = self.alpha, self.beta
        return (self.high - self.low) ** 2 * a * b / ((a + b) ** 2 * (a + b + 1))

    @property
    def lower(self) -> float:
        return self.low

    @property
    def upper(self) -> float:
        return self.high

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return _pert_unit_ppf(
            np.asarray(u, dtype=np.float64), *_scaled_tables(self.low, self.high, self.alpha, self.beta)
        )


@dataclass(frozen=True, slots=True)
class LogNormal:
    """Lognormal whose 5th and 95th percentiles are p5 and p95 (a calibrated 90% interval)."""

    p5: float
    p95: float

    def __post_init__(self) -> None:
        p5, p95 = _finite("p5", self.p5), _finite("p95", self.p95)
        if p5 <= 0:
            raise DistributionError("p5", f"must be greater than 0 for a lognormal, got {p5:g}")
        if p95 <= p5:
            raise DistributionError("p95", f"must be greater than p5 ({p95:g} <= {p5:g})")
        object.__setattr__(self, "p5", p5)
        object.__setattr__(self, "p95", p95)

    @property
    def mu(self) -> float:
        return (math.log(self.p5) + math.log(self.p95)) / 2

    @property
    def sigma(self) -> float:
        return (math.log(self.p95) - math.log(self.p5)) / (2 * Z_95)

    @property
    def mean(self) -> float:
        return math.exp(self.mu + self.sigma**2 / 2)

    @property
    def variance(self) -> float:
        return (math.exp(self.sigma**2) - 1) * math.exp(2 * self.mu + self.sigma**2)

    @property
    def lower(self) -> float:
        return 0.0

    @property
    def upper(self) -> float:
        return math.inf

    def ppf(self, u: np.ndarray) -> np.ndarray:
        z = norm_ppf(u)
        z *= self.sigma
        z += self.mu
        return np.exp(z, out=z)


@dataclass(frozen=True, slots=True)
class Scaled:
    """`base` multiplied by `factor` (e.g. vulnerability × (1 − control effectiveness)).
    Scaling maps the same drivers, so a what-if keeps its common random numbers."""

    base: Distribution
    factor: float

    def __post_init__(self) -> None:
        factor = _finite("factor", self.factor)
        if factor < 0:
            raise DistributionError("factor", f"must not be negative, got {factor:g}")
        object.__setattr__(self, "factor", factor)

    @property
    def mean(self) -> float:
        return self.base.mean * self.factor

    @property
    def lower(self) -> float:
        return self.base.lower * self.factor

    @property
    def upper(self) -> float:
        return self.base.upper * self.factor if self.factor else 0.0

    def ppf(self, u: np.ndarray) -> np.ndarray:
        out = self.base.ppf(u)
        out *= self.factor
        return out


Distribution = Constant | Pert | LogNormal | Scaled


def is_constant(dist: Distribution) -> bool:
    if isinstance(dist, Scaled):
        return dist.factor == 0 or is_constant(dist.base)
    return isinstance(dist, Constant)


def _lookup(table: np.ndarray, slope: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Piecewise-linear quantile function on a uniform grid of u in [0, 1] (and the cell of
    each u). The table has one padding entry (slope 0) so that u = 1 needs no clamping."""
    x = np.multiply(u, PERT_TABLE_SIZE)
    k = x.astype(np.intp)
    x -= k
    x *= slope.take(k)
    x += table.take(k)
    return x, k


def _pert_unit_ppf(u: np.ndarray, main: _Table, low: _Table, high: _Table) -> np.ndarray:
    """Quantiles of the unit PERT. The first and last cells of the main table, where the
    quantile function is steepest, are looked up again in finer tables of their own."""
    x, k = _lookup(*main, u)
    edge = np.flatnonzero((k - 1).view(np.uintp) >= PERT_TABLE_SIZE - 2)  # k == 0 or k >= K - 1
    if edge.size:
        ue = u[edge]
        bottom = ue < 0.5
        x[edge[bottom]] = _lookup(*low, ue[bottom] * PERT_TABLE_SIZE)[0]
        x[edge[~bottom]] = _lookup(*high, (ue[~bottom] - (1 - 1 / PERT_TABLE_SIZE)) * PERT_TABLE_SIZE)[0]
    return x


_Table = tuple[np.ndarray, np.ndarray]


@lru_cache(maxsize=8192)
def _scaled_tables(low: float, high: float, alpha: float, beta: float) -> tuple[_Table, _Table, _Table]:
    """The unit tables mapped onto [low, high] once, rather than every sample."""
    width = high - low
    main, bottom, top = (((table * width + low), slope * width) for table, slope in _pert_table(alpha, beta))
    return main, bottom, top


@lru_cache(maxsize=1)
def _grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.linspace(0.0, 1.0, _PERT_GRID + 1)
    inner = x[1:-1]
    return x, np.log(inner), np.log1p(-inner)


@lru_cache(maxsize=8192)
def _pert_table(alpha: float, beta: float) -> tuple[_Table, _Table, _Table]:
    """Quantiles of Beta(α, β) at u = k/K (main table) and finer ones within the first and
    last cells. The density is integrated with the trapezoid rule on a fine grid (α, β ≥ 1
    for PERT, so it is bounded) and the CDF inverted by interpolation; tests check quantiles
    against closed forms and moments against the exact mean and variance."""
    x, log_x, log_1mx = _grid()
    logpdf = (alpha - 1) * log_x
    logpdf += (beta - 1) * log_1mx  # interior points only: the density is 0 or 1 at the ends
    logpdf -= logpdf.max()
    pdf = np.concatenate(([1.0 if alpha == 1 else 0.0], np.exp(logpdf), [1.0 if beta == 1 else 0.0]))
    cdf = np.concatenate(([0.0], np.cumsum(pdf[1:] + pdf[:-1])))
    cdf /= cdf[-1]
    cell = 1 / PERT_TABLE_SIZE
    grid = np.linspace(0.0, 1.0, PERT_TABLE_SIZE + 1)
    tables = []
    for u in (grid, grid * cell, 1 - cell + grid * cell):
        table = np.interp(u, cdf, x)
        tables.append((np.append(table, table[-1]), np.append(np.diff(table), 0.0)))
    tables[0][0][0] = tables[1][0][0] = 0.0
    return tables[0], tables[1], tables[2]


# Acklam's rational approximation of the inverse normal CDF (relative error < 1.15e-9).
_A = (
    -3.969683028665376e01,
    2.209460984245205e02,
    -2.759285104469687e02,
    1.383577518672690e02,
    -3.066479806614716e01,
    2.506628277459239e00,
)
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01, -1.328068155288572e01)
_C = (
    -7.784894002430293e-03,
    -3.223964580411365e-01,
    -2.400758277161838e00,
    -2.549732539343734e00,
    4.374664141464968e00,
    2.938163982698783e00,
)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)
_P_LOW = 0.02425


def norm_ppf(u: np.ndarray) -> np.ndarray:
    """Standard normal quantile of u in (0, 1); u = 0 maps to a finite -8.3 (not -inf)."""
    u = np.clip(np.asarray(u, dtype=np.float64), 1e-16, 1 - 1e-16)
    q = u - 0.5
    r = q * q
    num = ((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]
    den = ((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1
    out = num * q / den  # the central formula everywhere, then the tails (~5%) replaced
    tail = np.flatnonzero(np.abs(q) > 0.5 - _P_LOW)
    if tail.size:
        ut = u.take(tail)
        p = np.minimum(ut, 1 - ut)
        q = np.sqrt(-2 * np.log(p))
        num = (((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q) + _C[5]
        den = (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1
        z = num / den
        out[tail] = np.where(ut < 0.5, z, -z)
    return out


def norm_cdf(z: np.ndarray) -> np.ndarray:
    """Standard normal CDF through a Chebyshev erfc approximation (fractional error < 1.2e-7),
    kept strictly inside (0, 1) so that it can drive inverse transforms."""
    x = np.abs(np.asarray(z, dtype=np.float64)) / math.sqrt(2)
    t = 1 / (1 + 0.5 * x)
    poly = (
        -x * x
        - 1.26551223
        + t
        * (
            1.00002368
            + t
            * (
                0.37409196
                + t
                * (
                    0.09678418
                    + t
                    * (
                        -0.18628806
                        + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))
                    )
                )
            )
        )
    )
    half_erfc = 0.5 * t * np.exp(poly)
    out = np.where(np.asarray(z) < 0, half_erfc, 1 - half_erfc)
    return np.clip(out, 1e-300, np.nextafter(1.0, 0.0))
