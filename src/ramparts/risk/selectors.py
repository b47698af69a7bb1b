"""Reads of the risk module. Every query starts from `visible_to(user)` (business-unit scoping)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from ramparts.core.errors import NotFound
from ramparts.core.permissions import require, scope_to_units
from ramparts.risk.models import (
    AppetiteStatement,
    Risk,
    RiskAcceptance,
    RiskCategory,
    RiskSnapshot,
    TreatmentAction,
    TreatmentPlan,
)
from ramparts.vulns.models import Finding

STAGES = ("inherent", "residual", "target")


def visible_to(user) -> QuerySet[Risk]:
    require(user, "risk.view")
    return scope_to_units(user, Risk.objects.all())


def parse_ref(ref: str) -> int:
    text = (ref or "").strip().upper()
    head, _, number = text.partition("-")
    if head != Risk.REF_PREFIX or not number.isdigit():
        raise NotFound(f"No such risk: {ref!r}.")
    return int(number)


def active_acceptances(now: dt.datetime | None = None) -> QuerySet[RiskAcceptance]:
    return RiskAcceptance.objects.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


@dataclass(frozen=True)
class RiskFilters:
    q: str = ""
    category: str = ""  # category id
    status: str = ""
    owner: str = ""  # username
    business_unit: str = ""  # code
    accepted: str = ""  # "yes" / "no"
    quantified: str = ""  # "yes" / "no"
    stage: str = ""  # with likelihood and impact: the heat-map cell
    likelihood: int | None = None
    impact: int | None = None
    order: str = ""  # "ale" for the top risks by ALE


def risk_list(user, *, filters: RiskFilters = RiskFilters()) -> QuerySet[Risk]:
    now = timezone.now()
    qs = visible_to(user).select_related("category", "owner", "business_unit")
    qs = qs.annotate(accepted=Exists(active_acceptances(now).filter(risk=OuterRef("pk"))))
    if filters.q:
        term = filters.q.strip()
        match = Q(title__icontains=term) | Q(because__icontains=term) | Q(threat__icontains=term)
        if term.upper().startswith("RISK-") and term[5:].isdigit():
            match |= Q(number=int(term[5:]))
        qs = qs.filter(match)
    if filters.category.isdigit():
        qs = qs.filter(category_id=int(filters.category))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.owner:
        qs = qs.filter(owner__username=filters.owner)
    if filters.business_unit:
        qs = qs.filter(business_unit__code=filters.business_unit)
    if filters.accepted in ("yes", "no"):
        qs = qs.filter(accepted=filters.accepted == "yes")
    if filters.quantified in ("yes", "no"):
        qs = qs.filter(ale__isnull=filters.quantified == "no")
    if filters.stage in STAGES and filters.likelihood and filters.impact:
        qs = qs.filter(**{f"{filters.stage}_likelihood": filters.likelihood, f"{filters.stage}_impact": filters.impact})
    if filters.order == "ale":
        return qs.filter(ale__isnull=False).order_by("-ale", "-number")
    return qs.order_by("-number")


def risk_get(user, *, ref: str) -> Risk:
    number = parse_ref(ref)
    risk = (
        visible_to(user)
        .select_related("category", "owner", "business_unit")
        .prefetch_related(
            "services",
            "systems",
            "data_assets",
            "controls",
            Prefetch("findings", queryset=Finding.objects.select_related("system")),
            Prefetch("acceptances", queryset=RiskAcceptance.objects.select_related("approved_by", "revoked_by")),
            Prefetch(
                "plans",
                queryset=TreatmentPlan.objects.select_related("owner").prefetch_related(
                    Prefetch("actions", queryset=TreatmentAction.objects.select_related("owner", "finding", "control"))
                ),
            ),
        )
        .filter(number=number)
        .first()
    )
    if risk is None:
        raise NotFound(f"No such risk: {ref}.")
    return risk


def kev_findings(risk: Risk) -> QuerySet[Finding]:
    """Open findings listed in CISA KEV on the risk's affected systems."""
    return Finding.objects.filter(system__in=risk.systems.all(), status="open", kev_date_added__isnull=False)


def heat_counts(user, *, stage: str, filters: RiskFilters = RiskFilters()) -> dict[tuple[int, int], int]:
    """{(likelihood, impact): number of risks} at one stage (closed risks left out)."""
    if stage not in STAGES:
        raise NotFound(f"No such stage: {stage!r}.")
    qs = risk_list(user, filters=filters).exclude(status=Risk.Status.CLOSED)
    rows = (
        qs.order_by()
        .filter(**{f"{stage}_likelihood__isnull": False, f"{stage}_impact__isnull": False})
        .values_list(f"{stage}_likelihood", f"{stage}_impact")
        .annotate(n=Count("id"))
    )
    return {(likelihood, impact): n for likelihood, impact, n in rows}


def categories(user) -> QuerySet[RiskCategory]:
    require(user, "risk.view")
    return RiskCategory.objects.annotate(
        count=Count("risks", filter=Q(risks__in=visible_to(user).values("pk")))
    ).order_by("name")


def statements(user) -> list[AppetiteStatement]:
    require(user, "risk.view")
    return list(AppetiteStatement.objects.select_related("category", "approved_by").order_by("category__name"))


def actions(user, *, overdue_only: bool = False, owner=None) -> QuerySet[TreatmentAction]:
    qs = TreatmentAction.objects.filter(plan__risk__in=visible_to(user).values("pk")).select_related(
        "plan__risk", "owner", "finding", "control"
    )
    if overdue_only:
        qs = qs.filter(due__lt=timezone.localdate(), status__in=OPEN_ACTION_STATUSES)
    if owner is not None:
        qs = qs.filter(owner=owner)
    return qs.order_by("due", "id")


OPEN_ACTION_STATUSES = (TreatmentAction.Status.PLANNED, TreatmentAction.Status.IN_PROGRESS)


def plans(user) -> QuerySet[TreatmentPlan]:
    """Plans with their progress: actions done / all not cancelled, and the open cost."""
    return (
        TreatmentPlan.objects.filter(risk__in=visible_to(user).values("pk"))
        .select_related("risk", "owner")
        .annotate(
            total=Count("actions", filter=~Q(actions__status=TreatmentAction.Status.CANCELLED)),
            done=Count("actions", filter=Q(actions__status=TreatmentAction.Status.DONE)),
            overdue=Count(
                "actions",
                filter=Q(actions__status__in=OPEN_ACTION_STATUSES, actions__due__lt=timezone.localdate()),
            ),
            cost=Sum("actions__cost"),
        )
        .order_by("-risk__number", "id")
    )


def acceptances(user) -> QuerySet[RiskAcceptance]:
    return (
        RiskAcceptance.objects.filter(risk__in=visible_to(user).values("pk"))
        .select_related("risk", "approved_by", "revoked_by")
        .order_by("-accepted_at")
    )


def snapshots(user, *, days: int = 365) -> list[tuple[dt.date, float, int]]:
    """[(date, residual ALE, risks above appetite)] summed over the user's units, oldest first."""
    require(user, "risk.view")
    since = timezone.localdate() - dt.timedelta(days=days)
    qs = scope_to_units(user, RiskSnapshot.objects.filter(date__gte=since))
    rows = qs.order_by("date").values("date").annotate(ale=Sum("residual_ale"), above=Sum("above_appetite"))
    return [(r["date"], float(r["ale"] or 0), int(r["above"] or 0)) for r in rows]
