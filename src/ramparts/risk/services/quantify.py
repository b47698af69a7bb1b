"""Quantify a risk in money (Open FAIR Monte Carlo) and import scenarios as risks."""

import numpy as np
from django.db import transaction
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import Problem, ValidationFailed
from ramparts.risk.evaluation import current_matrix
from ramparts.risk.models import Risk
from ramparts.risk.quant import imports
from ramparts.risk.quant.model import QuantError, Scenario, check_years
from ramparts.risk.quant.results import exceedance_curve, summarize
from ramparts.risk.quant.simulate import check_seed, simulate
from ramparts.risk.quant.spec import parse_scenario
from ramparts.risk.services import _common, breaches
from ramparts.risk.services.risks import _load, risk_create

DEFAULT_YEARS = 100_000
MAX_UI_YEARS = 1_000_000  # a request waits for the run: keep it under a second or so
LEC_POINTS = 60


def scenario_of(risk: Risk, fair: dict | None = None) -> Scenario:
    data = fair if fair is not None else risk.fair
    if not data:
        raise ValidationFailed(f"{risk.ref} has no FAIR scenario to quantify.", [Problem("is required", column="fair")])
    try:
        return parse_scenario({**data, "id": risk.ref, "title": risk.title}, 1)
    except QuantError as error:
        raise ValidationFailed(
            f"{risk.ref}: the FAIR scenario is invalid.", [Problem(error.reason, column=f"fair.{error.field}")]
        ) from None


def _checked_run_size(years: object, seed: object) -> tuple[int, int | None]:
    problems = []
    try:
        years = check_years(years)
        if years > MAX_UI_YEARS:
            raise QuantError("", "years", f"at most {MAX_UI_YEARS:,} here (use the CLI for more), got {years:,}")
    except QuantError as error:
        problems.append(Problem(error.reason, column="years"))
    if seed is not None:
        try:
            seed = check_seed(seed)
        except QuantError as error:
            problems.append(Problem(error.reason, column="seed"))
    if problems:
        raise ValidationFailed("The simulation was not run.", problems)
    return years, seed  # type: ignore[return-value]


def risk_quantify(*, actor, ref: str, years: int = DEFAULT_YEARS, seed: int | None = None) -> Risk:
    """Simulate the risk's scenario, store the results with their seed, and derive the residual
    likelihood and impact from the expected frequency and loss per event (the matrix's anchors)."""
    years, seed = _checked_run_size(years, seed)
    matrix = current_matrix()
    with transaction.atomic():
        risk = _load(actor, ref, "risk.change", lock=True)
        scenario = scenario_of(risk)
        was_breach = breaches.is_breach(risk)
        try:
            run = simulate(scenario, years=years, seed=seed)
        except QuantError as error:
            raise ValidationFailed("The simulation was not run.", [Problem(error.reason, column=error.field)]) from None
        summary = summarize(run.losses)
        curve = exceedance_curve(run.losses, points=LEC_POINTS)
        before = audit.snapshot(risk)
        risk.quant_seed, risk.quant_years, risk.quantified_at = run.seed, run.years, timezone.now()
        risk.ale, risk.p50, risk.p90, risk.p95, risk.p99 = (
            summary.ale, summary.p50, summary.p90, summary.p95, summary.p99,
        )  # fmt: skip
        risk.p5 = float(np.percentile(run.losses, 5))
        risk.es99, risk.p_no_loss = summary.es99, summary.p_no_loss
        risk.lec = curve.as_dict()
        risk.residual_likelihood, risk.residual_impact = matrix.derive(
            scenario.expected_frequency(), scenario.expected_loss_per_event()
        )
        risk.save()
        changes = audit.diff(before, audit.snapshot(risk, fields=set(before) - {"lec"}))
        _common.record(actor, audit.Action.UPDATE, risk, {"quantified": [None, f"seed {run.seed}"], **changes})
        breaches.notify_if_new(risk, was_breach=was_breach)
    return risk


def risks_import(
    *, actor, text: str, kind: str, business_unit, category, likelihood: int = 3, impact: int = 3
) -> list[Risk]:
    """Scenarios from pyfair JSON (kind "pyfair") or riskquant CSV ("riskquant") as new risks,
    each with its FAIR scenario; all or nothing. The matrix levels are placeholders until the
    risks are quantified, which derives them."""
    try:
        if kind == "pyfair":
            scenarios = [imports.from_pyfair_json(text)]
        elif kind == "riskquant":
            scenarios = imports.from_riskquant_csv(text)
        else:
            raise ValidationFailed("Unknown import format.", [Problem("must be pyfair or riskquant", column="kind")])
    except QuantError as error:
        where = f"{error.scenario}: " if error.scenario else ""
        raise ValidationFailed("Nothing was imported.", [Problem(where + error.reason, column=error.field)]) from None
    with transaction.atomic():
        return [
            risk_create(
                actor=actor,
                business_unit=business_unit,
                category=category,
                title=(s.title or s.id)[:300],
                threat=f"Imported from {kind} scenario {s.id}.",
                inherent_likelihood=likelihood,
                inherent_impact=impact,
                fair=fair_of(s),
            )
            for s in scenarios
        ]


def fair_of(scenario: Scenario) -> dict:
    """A scenario back in the SPEC format stored on a risk."""
    from ramparts.risk.quant.spec import to_spec

    data = to_spec(scenario)
    data.pop("id", None)
    data.pop("title", None)
    return data
