"""Daily snapshots of residual exposure per business unit, for the trend chart."""

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from ramparts.risk.evaluation import Judge
from ramparts.risk.models import Risk, RiskSnapshot


def snapshots_take(*, day: dt.date | None = None) -> int:
    """Write (or rewrite) today's snapshot of every unit that has risks; returns how many.
    Run daily by `ramparts risk snapshot`; running twice a day keeps the latest figures."""
    day = day or timezone.localdate()
    judge = Judge()
    per_unit: dict[int, dict] = defaultdict(lambda: {"risks": 0, "quantified": 0, "ale": 0.0, "above": 0, "levels": {}})
    for risk in Risk.objects.exclude(status=Risk.Status.CLOSED).only(
        "business_unit_id", "category_id", "residual_likelihood", "residual_impact", "ale", "lec"
    ):
        row = per_unit[risk.business_unit_id]
        row["risks"] += 1
        if risk.ale is not None:
            row["quantified"] += 1
            row["ale"] += risk.ale
        if judge.verdict(risk).breach:
            row["above"] += 1
        level = str(judge.residual_level(risk))
        row["levels"][level] = row["levels"].get(level, 0) + 1
    with transaction.atomic():
        for unit_id, row in per_unit.items():
            RiskSnapshot.objects.update_or_create(
                date=day,
                business_unit_id=unit_id,
                defaults={
                    "risks": row["risks"],
                    "quantified": row["quantified"],
                    "residual_ale": row["ale"],
                    "above_appetite": row["above"],
                    "by_level": row["levels"],
                },
            )
    return len(per_unit)
