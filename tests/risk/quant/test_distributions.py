"""Distributions against their closed forms."""

import math
from statistics import NormalDist

import numpy as np
import pytest

from ramparts.risk.quant.distributions import (
    Constant,
    DistributionError,
    LogNormal,
    Pert,
    Scaled,
    norm_cdf,
    norm_ppf,
)
from tests.risk.quant.helpers import within

N = 2_000_000


def uniforms(seed: int, n: int = N) -> np.ndarray:
    return np.random.default_rng(seed).random(n)


def test_pert_parameters_follow_the_standard_formula():
    d = Pert(0.05, 0.1, 0.3)
    assert d.alpha == pytest.approx(1 + 4 * (0.1 - 0.05) / 0.25)
    assert d.beta == pytest.approx(1 + 4 * (0.3 - 0.1) / 0.25)
    assert d.mean == pytest.approx((0.05 + 4 * 0.1 + 0.3) / 6)


@pytest.mark.parametrize("low, mode, high", [(0.05, 0.1, 0.3), (1e5, 1e6, 1e7), (0, 0, 1), (2, 5, 5), (10, 50, 90)])
def test_pert_sample_mean_and_variance(low, mode, high):
    d = Pert(low, mode, high)
    x = d.ppf(uniforms(1))
    sd = math.sqrt(d.variance)
    assert within(x.mean(), (low + 4 * mode + high) / 6, sd / math.sqrt(N))
    # the variance of a sample variance is about (m4 - s^4)/n; bounded (Beta) so m4 <= s^2 (b-a)^2
    assert within(x.var(), d.variance, math.sqrt(d.variance * (high - low) ** 2 / N))
    assert x.min() >= low and x.max() <= high


def test_pert_quantiles_match_the_exact_cdf_where_it_has_a_closed_form():
    # PERT(0, 0, 1) is Beta(1, 5): F(x) = 1 - (1 - x)^5, so the quantile is 1 - (1 - u)^(1/5).
    u = np.concatenate([np.linspace(0, 1, 200_001), np.linspace(0, 1e-4, 10_001), 1 - np.linspace(0, 1e-4, 10_001)])
    exact = 1 - (1 - u) ** (1 / 5)
    error = np.abs(Pert(0, 0, 1).ppf(u) - exact)
    assert error[(u > 0.01) & (u < 0.99)].max() < 1e-5
    assert error[(u > 1e-4) & (u < 1 - 1e-4)].max() < 2.5e-3  # steep near u = 1: finer tail tables
    assert error.max() < 0.025  # the last cell of the tail table (probability 6e-8)
    # PERT(0, 1, 1) is Beta(5, 1): F(x) = x^5, steep near u = 0
    error = np.abs(Pert(0, 1, 1).ppf(u) - u ** (1 / 5))
    assert error[(u > 0.01) & (u < 0.99)].max() < 1e-5
    assert error.max() < 0.025


def test_pert_quantiles_are_monotone():
    u = np.sort(uniforms(2, 100_000))
    assert np.all(np.diff(Pert(1e5, 1e6, 1e7).ppf(u)) >= 0)


def test_lognormal_from_a_90_percent_interval():
    d = LogNormal(1e4, 1e6)
    x = d.ppf(uniforms(3))
    p5, p95 = np.percentile(x, [5, 95])
    # SE of an empirical quantile: sqrt(p(1-p)/n) / f(q), here in log space
    se_log = math.sqrt(0.05 * 0.95 / N) / (NormalDist().pdf(1.6448536269514722) / d.sigma)
    assert within(math.log(p5), math.log(1e4), se_log)
    assert within(math.log(p95), math.log(1e6), se_log)
    logs = np.log(x)
    assert within(logs.mean(), d.mu, d.sigma / math.sqrt(N))
    assert within(logs.std(), d.sigma, d.sigma / math.sqrt(2 * N))
    assert d.mean == pytest.approx(math.exp(d.mu + d.sigma**2 / 2))
    assert within(x.mean(), d.mean, math.sqrt(d.variance / N))


def test_norm_ppf_and_cdf_are_accurate():
    u = np.concatenate(
        [np.linspace(1e-12, 1e-3, 1000), np.linspace(0.001, 0.999, 5000), 1 - np.linspace(1e-12, 1e-3, 1000)]
    )
    exact = np.array([NormalDist().inv_cdf(v) for v in u])
    assert np.max(np.abs(norm_ppf(u) - exact)) < 1e-7
    z = np.linspace(-8, 8, 4001)
    exact_cdf = np.array([NormalDist().cdf(v) for v in z])
    assert np.max(np.abs(norm_cdf(z) - exact_cdf)) < 2e-7
    assert np.all((norm_cdf(z) > 0) & (norm_cdf(z) < 1))


def test_constant_and_scaled():
    assert np.all(Constant(3.5).ppf(np.zeros(4)) == 3.5)
    s = Scaled(Pert(0, 0.5, 1), 0.4)
    u = uniforms(4, 1000)
    assert np.allclose(s.ppf(u), 0.4 * Pert(0, 0.5, 1).ppf(u))
    assert s.mean == pytest.approx(0.2) and s.upper == pytest.approx(0.4)


@pytest.mark.parametrize(
    "make, field",
    [
        (lambda: Pert(2, 1, 3), "min"),
        (lambda: Pert(1, 4, 3), "most_likely"),
        (lambda: Pert(1, 1, 1), "max"),
        (lambda: Pert(float("nan"), 1, 2), "min"),
        (lambda: Pert(0, 1, float("inf")), "max"),
        (lambda: Pert(0, True, 2), "most_likely"),
        (lambda: LogNormal(5, 5), "p95"),
        (lambda: LogNormal(6, 5), "p95"),
        (lambda: LogNormal(0, 5), "p5"),
        (lambda: LogNormal(1, float("inf")), "p95"),
        (lambda: Constant(float("nan")), ""),
        (lambda: Scaled(Constant(1), -0.5), "factor"),
    ],
)
def test_bad_ranges_name_the_field(make, field):
    with pytest.raises(DistributionError) as caught:
        make()
    assert caught.value.field == field
