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
        "scenarios (format: docs/risk-quant.md) and prints each scenario's and the portfolio's annual loss. "
        "`import FILE` creates register entries from pyfair JSON or riskquant CSV; `expire` reopens risks whose "
        "acceptance expired and notifies their owners; `snapshot` records today's residual exposure; `daily` runs both."
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
        imp = sub.add_parser("import", help="create risks from a pyfair JSON model or a riskquant CSV")
        imp.add_argument("file", metavar="FILE")
        imp.add_argument("--format", choices=["pyfair", "riskquant"], help="default: by extension (.json / .csv)")
        imp.add_argument("--business-unit", required=True, help="business unit code of the new risks")
        imp.add_argument("--category", required=True, help="risk category name")
        imp.add_argument("--actor", help="username to act as (default: the first active administrator)")
        sub.add_parser("expire", help="reopen risks whose acceptance expired and notify their owners")
        sub.add_parser("snapshot", help="record today's residual exposure per business unit")
        sub.add_parser("daily", help="expire, then snapshot (run once a day)")

    def handle(self, *args, action: str, **options):
        if action == "import":
            return self._import(**options)
        if action == "daily":
            self.handle(action="expire")
            return self.handle(action="snapshot")
        if action == "expire":
            from ramparts.risk.services import acceptances_expire

            reopened = acceptances_expire()
            self.stdout.write(f"{len(reopened)} risk(s) reopened" + (f": {', '.join(reopened)}" if reopened else ""))
            return None
        if action == "snapshot":
            from ramparts.risk.services import snapshots_take

            self.stdout.write(f"{snapshots_take()} business unit snapshot(s) written")
            return None
        return self._simulate(**options)

    def _import(self, *, file: str, format: str | None, business_unit: str, category: str, actor: str | None, **_):
        from pathlib import Path

        from ramparts.core.errors import DomainError
        from ramparts.core.models import BusinessUnit
        from ramparts.inventory.management.commands.inventory import resolve_actor
        from ramparts.risk.models import RiskCategory
        from ramparts.risk.services import risks_import

        path = Path(file)
        kind = format or {".json": "pyfair", ".csv": "riskquant"}.get(path.suffix.lower())
        if kind is None:
            raise CommandError(f"{file}: say --format pyfair or --format riskquant")
        try:
            if path.stat().st_size > 10 * 1024 * 1024:
                raise CommandError(f"{file}: over the limit of 10 MB")
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {file}: {error}") from None
        unit = BusinessUnit.objects.filter(code__iexact=business_unit).first()
        found = RiskCategory.objects.filter(name__iexact=category).first()
        if unit is None or found is None:
            raise CommandError(f"no business unit {business_unit!r}" if unit is None else f"no category {category!r}")
        try:
            risks = risks_import(actor=resolve_actor(actor), text=text, kind=kind, business_unit=unit, category=found)
        except DomainError as error:
            raise CommandError(f"{file}: {error}") from None
        self.stdout.write(f"{len(risks)} risk(s) created: {', '.join(r.ref for r in risks)}")

    def _simulate(self, *, spec: str, years: int | None, seed: int | None, as_json: bool, **_):
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
