"""The matrix in use and the appetite verdicts of risks, read from the database and judged by the
pure engines (engine/matrix.py, engine/appetite.py)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from ramparts.core.charts import money
from ramparts.risk.engine import appetite as engine
from ramparts.risk.engine.matrix import Matrix, build, default_definition
from ramparts.risk.models import AppetiteStatement, Risk, RiskAcceptance, RiskMatrix


def current_matrix() -> Matrix:
    row = RiskMatrix.objects.filter(name="default").first()
    return build(default_definition() if row is None else _definition(row))


def matrix_row() -> RiskMatrix:
    row = RiskMatrix.objects.filter(name="default").first()
    if row is None:
        row, _ = RiskMatrix.objects.get_or_create(name="default", defaults=default_definition())
    return row


def _definition(row: RiskMatrix) -> dict:
    return {"likelihood": row.likelihood, "impact": row.impact, "levels": row.levels, "grid": row.grid}


def appetite_of(statement: AppetiteStatement | None) -> engine.Appetite | None:
    if statement is None:
        return None
    points = tuple(engine.TolerancePoint(float(p["loss"]), float(p["probability"])) for p in statement.tolerance)
    return engine.Appetite(statement.max_level, points)


@dataclass(frozen=True)
class Verdict:
    """A risk against its category's appetite."""

    evaluation: engine.Evaluation
    statement: AppetiteStatement | None

    @property
    def breach(self) -> bool:
        return self.evaluation.checked and not self.evaluation.within


class Judge:
    """Evaluates many risks with one read of the matrix and the statements (constant queries)."""

    def __init__(self, matrix: Matrix | None = None, statements: Iterable[AppetiteStatement] | None = None) -> None:
        self.matrix = matrix or current_matrix()
        rows = list(AppetiteStatement.objects.all() if statements is None else statements)
        self.by_category = {s.category_id: s for s in rows if s.category_id is not None}
        self.portfolio = next((s for s in rows if s.category_id is None), None)

    def residual_level(self, risk: Risk) -> int:
        return self.matrix.level(risk.residual_likelihood, risk.residual_impact)

    def verdict(self, risk: Risk) -> Verdict:
        statement = self.by_category.get(risk.category_id)
        exceedance = None
        if risk.lec:
            exceedance = engine.exceedance_from_curve(risk.lec["amounts"], risk.lec["probabilities"])
        evaluation = engine.evaluate(
            appetite_of(statement),
            level=self.residual_level(risk),
            level_label=self.matrix.level_label,
            exceedance=exceedance,
            money=money,
        )
        return Verdict(evaluation, statement)


def active_acceptance(risk: Risk, now=None) -> RiskAcceptance | None:
    """The acceptance in force: not revoked and not past its expiry. Derived at read time, so an
    expired acceptance is never shown as accepted, whether or not the expiry job has run."""
    now = now or timezone.now()
    prefetched = getattr(risk, "_prefetched_objects_cache", {}).get("acceptances")
    rows = prefetched if prefetched is not None else risk.acceptances.all()
    for acceptance in rows:
        if acceptance.revoked_at is None and acceptance.expires_at > now:
            return acceptance
    return None
