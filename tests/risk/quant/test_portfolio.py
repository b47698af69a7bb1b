"""Portfolio: same-year sums, percentiles that do not add, the copula, determinism."""

import math

import numpy as np
import pytest

from ramparts.risk.quant.distributions import Constant, LogNormal, Pert
from ramparts.risk.quant.model import QuantError, Scenario
from ramparts.risk.quant.portfolio import Correlation, simulate_portfolio
from ramparts.risk.quant.results import summarize
from ramparts.risk.quant.simulate import simulate
from tests.risk.quant.helpers import within


def scenarios(n: int = 6) -> list[Scenario]:
    return [
        Scenario(
            id=f"s{i}",
            frequency=Pert(0.05 * (i + 1), 0.2 * (i + 1), 1.0 * (i + 1)),
            loss=LogNormal(1e4 * (i + 1), 1e6) if i % 2 else Pert(1e4, 1e5, 5e6),
        )
        for i in range(n)
    ]


def test_portfolio_is_the_same_year_sum_of_its_scenarios():
    items = scenarios()
    run = simulate_portfolio(items, years=20_000, seed=4)
    alone = [simulate(s, years=20_000, seed=4, index=i).losses for i, s in enumerate(items)]
    assert np.allclose(run.losses, np.sum(alone, axis=0), rtol=1e-12)
    assert run.scenarios is not None
    for summary, losses in zip(run.scenarios, alone, strict=True):
        assert summary == summarize(losses)
    assert run.summary().ale == pytest.approx(sum(s.ale for s in run.scenarios))


def test_percentiles_of_the_sum_are_not_the_sum_of_percentiles():
    run = simulate_portfolio(scenarios(), years=200_000, seed=1)
    assert run.scenarios is not None
    portfolio = run.summary()
    summed_p99 = sum(s.p99 for s in run.scenarios)
    assert portfolio.p99 < 0.9 * summed_p99  # diversification: independent tails rarely coincide
    assert portfolio.p_no_loss == pytest.approx(np.prod([s.p_no_loss for s in run.scenarios]), abs=0.005)


def test_results_do_not_depend_on_the_number_of_threads():
    items = scenarios(40)
    one = simulate_portfolio(items, years=5000, seed=9, workers=1)
    three = simulate_portfolio(items, years=5000, seed=9, workers=3)
    assert np.array_equal(one.losses, three.losses)
    assert one.scenarios == three.scenarios


def test_copula_changes_the_tail_not_the_mean():
    items = [Scenario(id=f"c{i}", frequency=Pert(0.1, 0.5, 3.0), loss=Constant(1e6)) for i in range(20)]
    years = 200_000
    low = simulate_portfolio(items, years=years, seed=3, correlation=Correlation(rho=0.0))
    high = simulate_portfolio(items, years=years, seed=3, correlation=Correlation(rho=0.9))
    lo, hi = low.summary(), high.summary()
    sd = max(np.std(low.losses), np.std(high.losses))
    assert within(lo.ale, high.summary().ale, sd * math.sqrt(2 / years))
    assert hi.p99 > 1.3 * lo.p99
    assert hi.es99 > 1.3 * lo.es99
    # rho = 0 through the copula is the independent model in distribution
    plain = simulate_portfolio(items, years=years, seed=3).summary()
    assert within(plain.p_no_loss, lo.p_no_loss, math.sqrt(2 * 0.25 / years))


def test_full_matrix_matches_single_rho_in_distribution():
    items = [Scenario(id=f"m{i}", frequency=Pert(0.1, 0.5, 3.0), loss=Constant(1e6)) for i in range(4)]
    matrix = np.full((4, 4), 0.8) + np.eye(4) * 0.2
    years = 200_000
    a = simulate_portfolio(items, years=years, seed=5, correlation=Correlation(matrix=matrix)).losses
    b = simulate_portfolio(items, years=years, seed=5, correlation=Correlation(rho=0.8)).losses
    assert within(np.std(a), np.std(b), np.std(b) * math.sqrt(4 / years) * 2)


@pytest.mark.parametrize(
    "correlation",
    [
        lambda: Correlation(rho=1.0),
        lambda: Correlation(rho=-0.2),
        lambda: Correlation(),
        lambda: Correlation(matrix=np.array([[1, 2], [2, 1]])),
    ],
)
def test_bad_correlation(correlation):
    with pytest.raises(QuantError):
        simulate_portfolio(scenarios(2), years=100, seed=1, correlation=correlation())


def test_matrix_of_the_wrong_size_or_not_positive_definite():
    with pytest.raises(QuantError, match="2×2"):
        simulate_portfolio(scenarios(2), years=100, seed=1, correlation=Correlation(matrix=np.eye(3)))
    bad = np.array([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])
    with pytest.raises(QuantError, match="positive"):
        simulate_portfolio(scenarios(3), years=100, seed=1, correlation=Correlation(matrix=bad))


def test_duplicate_ids_and_empty_portfolio_are_refused():
    s = scenarios(1)[0]
    with pytest.raises(QuantError, match="more than one"):
        simulate_portfolio([s, s], years=10, seed=1)
    with pytest.raises(QuantError):
        simulate_portfolio([], years=10, seed=1)
