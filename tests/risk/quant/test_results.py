"""Statistics of annual losses: the fast order statistics must equal NumPy's definitions."""

import numpy as np
import pytest

from ramparts.risk.quant.model import QuantError
from ramparts.risk.quant.results import (
    TolerancePoint,
    compare_tolerance,
    exceedance_curve,
    probability_of_exceeding,
    summarize,
    within_tolerance,
)


@pytest.mark.parametrize("zero_share", [0.0, 0.3, 0.95, 0.995, 1.0])
@pytest.mark.parametrize("n", [1, 7, 1000, 100_001])
def test_summary_matches_numpy(zero_share, n):
    rng = np.random.default_rng(n)
    losses = rng.lognormal(10, 2, n) * (rng.random(n) >= zero_share)
    s = summarize(losses)
    assert s.ale == pytest.approx(losses.mean())
    for p in (50, 90, 95, 99):
        assert getattr(s, f"p{p}") == pytest.approx(np.percentile(losses, p), rel=1e-12, abs=1e-9)
    tail = max(1, int(np.ceil(n * 0.01)))
    assert s.es99 == pytest.approx(np.sort(losses)[-tail:].mean(), rel=1e-12, abs=1e-9)
    assert s.p_no_loss == pytest.approx((losses == 0).mean())
    assert s.max == pytest.approx(losses.max())


def test_exceedance_curve_is_log_spaced_and_matches_direct_counts():
    rng = np.random.default_rng(1)
    losses = rng.lognormal(12, 1.5, 50_000) * (rng.random(50_000) < 0.2)
    curve = exceedance_curve(losses, points=40)
    ratios = curve.amounts[1:] / curve.amounts[:-1]
    assert np.allclose(ratios, ratios[0])
    assert np.all(np.diff(curve.probabilities) <= 0)
    for amount, p in zip(curve.amounts, curve.probabilities, strict=True):
        assert p == pytest.approx(probability_of_exceeding(losses, amount))
    assert curve.probabilities[0] <= 0.2 + 1e-9
    empty = exceedance_curve(np.zeros(10), points=5)
    assert empty.probabilities.tolist() == [0.0] * 5


def test_tolerance_curve_comparison():
    losses = np.array([0.0] * 85 + [6e6] * 12 + [6e7] * 3)  # P(≥5M) = 15%, P(≥50M) = 3%
    checks = compare_tolerance(losses, [TolerancePoint(5e6, 0.10), TolerancePoint(5e7, 0.05)])
    assert [c.probability for c in checks] == pytest.approx([0.15, 0.03])
    assert [c.within for c in checks] == [False, True]
    assert not within_tolerance(checks)
    assert within_tolerance(compare_tolerance(losses, [TolerancePoint(5e6, 0.15)]))


@pytest.mark.parametrize("loss, probability", [(0, 0.1), (-5, 0.1), (float("nan"), 0.1), (5e6, 1.5), (5e6, -0.1)])
def test_bad_tolerance_points(loss, probability):
    with pytest.raises(QuantError):
        TolerancePoint(loss, probability)
