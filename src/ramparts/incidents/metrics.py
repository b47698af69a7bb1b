"""Response metrics. Every measure runs from one recorded key time to another and is shown on its own:

- MTTD, time to detect:       occurred → detected
- MTTA, time to acknowledge:  detected → acknowledged (the response started: entered analysis)
- MTTC, time to contain:      detected → contained (containment achieved: left the containment phase)
- MTTR, time to recover:      detected → recovered (services restored: left the recovery phase)
- time to close:              detected → closed (after the post-incident review)

An incident lacking either time is left out of that measure (n says how many counted), so an open
incident never drags a mean down. Cost: hours per incident role × the configured hourly rate, plus
costs recorded by hand.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from statistics import mean, median

from django.db.models import Sum

from ramparts.incidents import config, selectors
from ramparts.incidents.models import CostItem, EffortEntry, Severity

MEASURES: tuple[tuple[str, str, str, str], ...] = (
    ("mttd", "Time to detect (MTTD)", "occurred_at", "detected_at"),
    ("mtta", "Time to acknowledge (MTTA)", "detected_at", "acknowledged_at"),
    ("mttc", "Time to contain (MTTC)", "detected_at", "contained_at"),
    ("mttr", "Time to recover (MTTR)", "detected_at", "recovered_at"),
    ("mttclose", "Time to close", "detected_at", "closed_at"),
)
TIME_FIELDS = sorted({f for _, _, a, b in MEASURES for f in (a, b)})


@dataclass
class Measure:
    key: str
    label: str
    hours: list[float] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.hours)

    @property
    def mean(self) -> float | None:
        return mean(self.hours) if self.hours else None

    @property
    def median(self) -> float | None:
        return median(self.hours) if self.hours else None


@dataclass
class Group:
    label: str
    count: int = 0
    measures: dict[str, Measure] = field(default_factory=dict)


def _hours(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds() / 3600


def summarise(rows: Iterable[dict], key=lambda row: "all", label=str) -> dict[str, Group]:
    """Group rows (dicts of key times) and collect each measure's durations in hours."""
    groups: dict[str, Group] = {}
    for row in rows:
        k = key(row)
        group = groups.get(k)
        if group is None:
            group = groups[k] = Group(label(k), 0, {m: Measure(m, lbl) for m, lbl, _, _ in MEASURES})
        group.count += 1
        for m, _, start, end in MEASURES:
            hours = _hours(row[start], row[end])
            if hours is not None:
                group.measures[m].hours.append(hours)
    return groups


@dataclass
class Metrics:
    overall: Group
    by_type: dict[str, Group]
    by_severity: dict[str, Group]
    by_month: dict[str, Group]
    cost_total: Decimal
    cost_by_type: dict[str, Decimal]
    currency: str


def incident_metrics(user, *, filters: selectors.IncidentFilters | None = None) -> Metrics:
    qs = selectors.incident_list(user, filters=filters)
    rows = list(qs.values("id", "incident_type", "severity", "declared_at", *TIME_FIELDS))
    overall = summarise(rows).get("all") or Group("all", 0, {m: Measure(m, lbl) for m, lbl, _, _ in MEASURES})
    severity_labels = dict(Severity.choices)
    costs = incident_costs([r["id"] for r in rows])
    by_type_cost: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        by_type_cost[config.type_label(row["incident_type"])] += costs.get(row["id"], Decimal(0))
    return Metrics(
        overall=overall,
        by_type=summarise(rows, key=lambda r: r["incident_type"], label=config.type_label),
        by_severity=dict(
            sorted(
                summarise(rows, key=lambda r: r["severity"], label=lambda s: severity_labels.get(s, str(s))).items(),
                reverse=True,
            )
        ),
        by_month=dict(sorted(summarise(rows, key=lambda r: r["declared_at"].strftime("%Y-%m"), label=str).items())),
        cost_total=sum(costs.values(), Decimal(0)),
        cost_by_type=dict(by_type_cost),
        currency=config.currency(),
    )


def incident_costs(incident_ids: list[int]) -> dict[int, Decimal]:
    """{incident id: hours × rate per role + manual costs}, in two queries."""
    rates = config.hourly_rates()
    totals: dict[int, Decimal] = defaultdict(Decimal)
    effort = EffortEntry.objects.filter(incident_id__in=incident_ids).values("incident_id", "role")
    for row in effort.annotate(hours_sum=Sum("hours")):
        totals[row["incident_id"]] += row["hours_sum"] * rates.get(row["role"], Decimal(0))
    manual = CostItem.objects.filter(incident_id__in=incident_ids).values("incident_id").annotate(total=Sum("amount"))
    for item in manual:
        totals[item["incident_id"]] += item["total"]
    return dict(totals)


def cost_breakdown(incident) -> dict:
    """One incident's cost: per role (hours, rate, amount), manual items, total."""
    rates = config.hourly_rates()
    per_role = []
    for row in incident.effort.values("role").annotate(hours_sum=Sum("hours")).order_by("role"):
        rate = rates.get(row["role"], Decimal(0))
        per_role.append(
            {"role": row["role"], "hours": row["hours_sum"], "rate": rate, "amount": row["hours_sum"] * rate}
        )
    manual = list(incident.costs.all())
    total = sum((r["amount"] for r in per_role), Decimal(0)) + sum((c.amount for c in manual), Decimal(0))
    return {"per_role": per_role, "manual": manual, "total": total, "currency": config.currency()}
