import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ramparts.risk.quant.model import QuantError
from ramparts.risk.quant.portfolio import simulate_portfolio
from ramparts.risk.quant.results import Summary, compare_tolerance
from ramparts.risk.quant.spec import load_spec

DEFAULT_YEARS = 100_000
KEYS = ("ale", "p50", "p90", "p95", "p99", "p_no_loss")


class Command(BaseCommand):
    help = (
        "Risk quantification. `simulate SPEC` runs the Open FAIR Monte Carlo on a YAML or JSON file of "
        "scenarios (format: docs/risk-quant.md) and prints each scenario's and the portfolio's annual loss."
    )
    requires_system_checks: list[str] = []  # pure computation: no database, no need to check models

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        simulate = sub.add_parser("simulate", help="simulate the scenarios of a SPEC file")
        simulate.add_argument("spec", metavar="SPEC", help="YAML or JSON file of scenarios")
        simulate.add_argument(
            "--years", type=int, help=f"simulated years (default: the SPEC's, else {DEFAULT_YEARS:,})"
        )
        simulate.add_argument("--seed", type=int, help="random seed (default: the SPEC's, else a fresh one, printed)")
        simulate.add_argument("--json", dest="as_json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args, action: str, spec: str, years: int | None, seed: int | None, as_json: bool, **options):
        try:
            parsed = load_spec(spec)
            run = simulate_portfolio(
                parsed.scenarios,
                years=years if years is not None else (parsed.years or DEFAULT_YEARS),
                seed=seed if seed is not None else parsed.seed,
                correlation=parsed.correlation,
            )
        except QuantError as error:
            raise CommandError(f"{spec}: {error}") from None
        portfolio = run.summary()
        checks = compare_tolerance(run.losses, parsed.tolerance)
        assert run.scenarios is not None
        if as_json:
            self.stdout.write(_json(run.years, run.seed, run.scenario_ids, run.scenarios, portfolio, checks))
            return
        self.stdout.write(f"{run.years:,} simulated years, seed {run.seed}")
        header = f"{'scenario':<24} {'ALE':>14} {'P50':>14} {'P90':>14} {'P95':>14} {'P99':>14} {'P(no loss)':>10}"
        self.stdout.write(header)
        for ident, summary in [*zip(run.scenario_ids, run.scenarios, strict=True), ("PORTFOLIO", portfolio)]:
            money = " ".join(f"{getattr(summary, k):>14,.0f}" for k in KEYS[:-1])
            self.stdout.write(f"{ident[:24]:<24} {money} {summary.p_no_loss:>10.4f}")
        for check in checks:
            verdict = "within" if check.within else "BREACH"
            self.stdout.write(
                f"tolerance: P(annual loss ≥ {check.point.loss:,.0f}) = {check.probability:.4f} "
                f"(limit {check.point.max_probability:.4f}): {verdict}"
            )


def _json(years, seed, ids, scenarios: list[Summary], portfolio: Summary, checks) -> str:  # noqa: ANN001
    def pick(summary: Summary) -> dict[str, float]:
        return {k: getattr(summary, k) for k in KEYS}

    out: dict[str, object] = {
        "years": years,
        "seed": seed,
        "scenarios": [{"id": ident, **pick(s)} for ident, s in zip(ids, scenarios, strict=True)],
        "portfolio": pick(portfolio),
    }
    if checks:
        out["tolerance"] = [
            {
                "loss": c.point.loss,
                "max_probability": c.point.max_probability,
                "probability": c.probability,
                "within": c.within,
            }
            for c in checks
        ]
    return json.dumps(out, indent=2)
