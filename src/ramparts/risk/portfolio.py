"""The portfolio of a user's quantified risks: same-year sums, compared with the portfolio appetite."""

from dataclasses import dataclass

from ramparts.core.charts import money
from ramparts.core.errors import Problem, ValidationFailed
from ramparts.risk import selectors
from ramparts.risk.engine import appetite as engine
from ramparts.risk.evaluation import Judge, appetite_of
from ramparts.risk.models import Risk
from ramparts.risk.quant.model import QuantError
from ramparts.risk.quant.portfolio import Correlation, simulate_portfolio
from ramparts.risk.quant.results import ExceedanceCurve, Summary, exceedance_curve, probability_of_exceeding
from ramparts.risk.services.quantify import scenario_of

PORTFOLIO_SEED = 20261127  # a fixed default, so that the page shows the same figures until risks change
MAX_RISKS = 1000


@dataclass(frozen=True)
class Portfolio:
    risks: list[Risk]
    seed: int
    years: int
    summary: Summary | None
    curve: ExceedanceCurve | None
    evaluation: engine.Evaluation
    statement_exists: bool
    sum_of_p99: float

    @property
    def empty(self) -> bool:
        return self.summary is None


def portfolio(user, *, years: int = 100_000, seed: int = PORTFOLIO_SEED, rho: float | None = None) -> Portfolio:
    risks = list(
        selectors.risk_list(user, filters=selectors.RiskFilters(quantified="yes"))
        .exclude(status=Risk.Status.CLOSED)
        .exclude(fair__isnull=True)[: MAX_RISKS + 1]
    )
    if len(risks) > MAX_RISKS:
        raise ValidationFailed("Too many risks for one page.", [Problem(f"at most {MAX_RISKS} risks", column="risks")])
    judge = Judge()
    statement = judge.portfolio
    if not risks:
        return Portfolio(
            [], seed, years, None, None, engine.Evaluation(True, [], checked=False), statement is not None, 0
        )
    try:
        run = simulate_portfolio(
            [scenario_of(r) for r in risks],
            years=years,
            seed=seed,
            correlation=Correlation(rho=rho) if rho else None,
            summarize_scenarios=False,
        )
    except QuantError as error:
        raise ValidationFailed(
            "The portfolio was not simulated.", [Problem(error.reason, column=error.field)]
        ) from None
    losses = run.losses
    evaluation = engine.evaluate(
        appetite_of(statement), level=None, exceedance=lambda x: probability_of_exceeding(losses, x), money=money
    )
    return Portfolio(
        risks,
        run.seed,
        years,
        run.summary(),
        exceedance_curve(losses),
        evaluation,
        statement is not None,
        sum(r.p99 or 0 for r in risks),
    )
