"""Exact references for the engine tests (numerical quadrature, not simulation)."""

import math

import numpy as np

from ramparts.risk.quant.distributions import Pert


def pert_expectation(dist: Pert, f, points: int = 400_001) -> float:
    """E[f(X)] for X ~ PERT, by the trapezoid rule on the exact Beta density."""
    a, b = dist.alpha, dist.beta
    x = np.linspace(0.0, 1.0, points)
    with np.errstate(divide="ignore"):
        logpdf = (a - 1) * np.log(x) + (b - 1) * np.log1p(-x) - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))
    pdf = np.exp(logpdf)
    values = f(dist.low + (dist.high - dist.low) * x) * pdf
    return float(np.trapezoid(values, x))


def within(estimate: float, truth: float, standard_error: float, k: float = 5.0) -> bool:
    """|estimate − truth| ≤ k standard errors (k = 5: a false alarm about once in 1.7 million runs)."""
    return abs(estimate - truth) <= k * standard_error
