"""Control what-if on common random numbers."""

import math

import numpy as np
import pytest

from ramparts.risk.quant.distributions import Constant, LogNormal, Pert
from ramparts.risk.quant.model import QuantError, Scenario, Secondary
from ramparts.risk.quant.simulate import simulate
from ramparts.risk.quant.whatif import what_if
from tests.risk.quant.helpers import within

BASE = Scenario(
    id="w",
    tef=Pert(1, 4, 12),
    vulnerability=Pert(0.05, 0.2, 0.5),
    loss=Pert(1e4, 1e5, 2e6),
    secondary=Secondary(Pert(0.1, 0.2, 0.4), LogNormal(1e4, 1e6)),
)


def test_baseline_is_exactly_the_plain_simulation():
    result = what_if(BASE, BASE.with_vulnerability_reduced(0.5), years=50_000, seed=7)
    assert np.array_equal(result.base_losses, simulate(BASE, years=50_000, seed=7).losses)
    assert result.seed == 7


def test_control_effect_matches_the_closed_form():
    years = 200_000
    result = what_if(BASE, BASE.with_vulnerability_reduced(0.6), years=years, seed=1, annual_cost=40_000)
    expected = 0.6 * BASE.expected_annual_loss()
    assert within(result.delta_ale, expected, result.delta_ale_std_error)
    assert result.delta_p95 > 0
    assert result.rosi == pytest.approx((result.delta_ale - 40_000) / 40_000)
    # a change that raises the frequency draws the extra events from their own stream
    worse = Scenario(id="w", tef=BASE.tef, vulnerability=Pert(0.05, 0.3, 0.6), loss=BASE.loss, secondary=BASE.secondary)
    up = what_if(BASE, worse, years=years, seed=1)
    assert within(up.delta_ale, BASE.expected_annual_loss() - worse.expected_annual_loss(), up.delta_ale_std_error)


def test_common_random_numbers_lower_the_variance_of_the_difference():
    changed = BASE.with_vulnerability_reduced(0.3)
    paired = what_if(BASE, changed, years=100_000, seed=3)
    independent = what_if(BASE, changed, years=100_000, seed=3, common_random_numbers=False)
    assert paired.delta_ale_std_error < 0.7 * independent.delta_ale_std_error
    # and across seeds: the spread of ΔALE estimates itself
    # (measured ratio 0.15; an estimate above 0.75 from 60 seeds each would be a very rare accident)
    crn = [what_if(BASE, changed, years=5_000, seed=s).delta_ale for s in range(60)]
    ind = [what_if(BASE, changed, years=5_000, seed=s, common_random_numbers=False).delta_ale for s in range(60)]
    assert np.var(crn) < 0.75 * np.var(ind)


def test_no_change_means_no_difference_and_full_control_means_no_loss():
    same = what_if(BASE, BASE.with_vulnerability_reduced(0.0), years=20_000, seed=2)
    assert same.delta_ale == 0 and same.delta_p95 == 0
    full = what_if(BASE, BASE.with_vulnerability_reduced(1.0), years=20_000, seed=2, annual_cost=1000)
    assert not full.changed_losses.any()
    assert full.delta_ale == pytest.approx(full.base.ale)


def test_scaled_loss_keeps_every_event():
    base = Scenario(id="l", frequency=Constant(2.0), loss=Pert(1e3, 1e4, 1e5))
    from ramparts.risk.quant.distributions import Scaled

    half = Scenario(id="l", frequency=Constant(2.0), loss=Scaled(base.loss, 0.5))
    result = what_if(base, half, years=10_000, seed=4)
    assert np.allclose(result.changed_losses, result.base_losses / 2)


def test_direct_frequency_is_reduced_when_there_is_no_vulnerability():
    s = Scenario(id="f", frequency=Pert(0.1, 0.5, 1), loss=Constant(100.0))
    reduced = s.with_vulnerability_reduced(0.25)
    assert reduced.expected_frequency() == pytest.approx(0.75 * s.expected_frequency())
    with pytest.raises(QuantError, match="effectiveness"):
        s.with_vulnerability_reduced(1.5)


def test_free_control_has_no_rosi_and_bad_cost_is_refused():
    result = what_if(BASE, BASE.with_vulnerability_reduced(0.1), years=1000, seed=1)
    assert result.rosi is None
    for cost in (-1, float("nan"), float("inf")):
        with pytest.raises(QuantError, match="annual_cost"):
            what_if(BASE, BASE, years=10, seed=1, annual_cost=cost)
    assert math.isfinite(result.delta_ale_std_error)
