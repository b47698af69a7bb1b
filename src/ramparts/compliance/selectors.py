"""Reads of the compliance module. The acting user comes first; every query starts from `visible_to`.

Controls, evidence, assessments and profiles belong to a business unit; objects of another unit
answer NotFound exactly like objects that do not exist. Frameworks are reference data everyone
with compliance.view may read.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from ramparts.compliance.models import Assessment, Control, ControlRequirement, CsfProfile, Evidence
from ramparts.compliance.refs import parse_ref
from ramparts.core.errors import NotFound
from ramparts.core.models import NumberedInUnit
from ramparts.core.permissions import require, scope_to_units


def visible_to[M: NumberedInUnit](user, model: type[M], action: str = "compliance.view") -> QuerySet[M]:
    require(user, action)
    return scope_to_units(user, model._default_manager.all())


def _get[M: NumberedInUnit](queryset: QuerySet[M], model: type[M], ref: str) -> M:
    obj = queryset.filter(number=parse_ref(ref, model.REF_PREFIX)).first()
    if obj is None:
        raise NotFound(f"{str(model._meta.verbose_name).capitalize()} {ref} not found.")
    return obj


# --- controls -----------------------------------------------------------------------------------

CONTROL_SORTS = {
    "ref": "number",
    "name": "name",
    "status": "status",
    "type": "control_type",
    "owner": "owner__full_name",
    "cost": "annual_cost",
    "effectiveness": "effectiveness",
}


@dataclass(frozen=True)
class ControlFilters:
    q: str = ""
    status: str = ""
    control_type: str = ""
    automation: str = ""
    business_unit: str = ""
    gap: str = ""  # "no_tool", "no_owner", "no_tool_no_owner", "unmapped"
    framework: str = ""  # a framework slug: controls mapped to it
    sort: str = ""

    @classmethod
    def from_params(cls, params) -> "ControlFilters":
        return cls(**{name: (params.get(name) or "").strip() for name in cls.__dataclass_fields__})


def control_list(user, *, filters: ControlFilters = ControlFilters()) -> QuerySet[Control]:
    qs = visible_to(user, Control).select_related("owner", "business_unit")
    if filters.q:
        number = filters.q.upper().removeprefix("CTL-")
        q = Q(name__icontains=filters.q) | Q(description__icontains=filters.q)
        if number.isdigit():
            q |= Q(number=int(number))
        qs = qs.filter(q)
    for name in ("status", "control_type", "automation"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    if filters.business_unit:
        qs = qs.filter(business_unit__code=filters.business_unit)
    if filters.framework:
        qs = qs.filter(mappings__requirement__framework__slug=filters.framework).distinct()
    if filters.gap in ("no_tool", "no_tool_no_owner"):
        qs = qs.filter(technologies__isnull=True)
    if filters.gap in ("no_owner", "no_tool_no_owner"):
        qs = qs.filter(owner__isnull=True)
    if filters.gap == "unmapped":
        qs = qs.filter(mappings__isnull=True)
    qs = qs.annotate(
        n_requirements=Count("mappings", distinct=True), n_technologies=Count("technologies", distinct=True)
    )
    key = filters.sort.removeprefix("-")
    order = CONTROL_SORTS.get(key, "number")
    return qs.order_by(f"-{order}" if filters.sort.startswith("-") and key in CONTROL_SORTS else order, "number")


def control_get(user, *, ref: str) -> Control:
    return _get(visible_to(user, Control).select_related("owner", "business_unit"), Control, ref)


def control_detail(user, *, ref: str) -> Control:
    qs = (
        visible_to(user, Control)
        .select_related("owner", "business_unit")
        .prefetch_related(
            "units_in_scope",
            "systems",
            "technologies",
            Prefetch(
                "mappings",
                ControlRequirement.objects.select_related("requirement__framework").order_by(
                    "requirement__framework__name", "requirement__order"
                ),
            ),
            Prefetch("evidence", Evidence.objects.order_by("-number")),
        )
    )
    return _get(qs, Control, ref)


# --- evidence -----------------------------------------------------------------------------------


def evidence_list(user) -> QuerySet[Evidence]:
    return visible_to(user, Evidence).select_related(
        "control", "result__assessment", "result__requirement", "collected_by"
    )


def evidence_get(user, *, ref: str) -> Evidence:
    return _get(evidence_list(user), Evidence, ref)


# --- assessments --------------------------------------------------------------------------------


def assessment_list(user) -> QuerySet[Assessment]:
    return (
        visible_to(user, Assessment)
        .select_related("framework", "business_unit", "reviewer", "signed_off_by")
        .prefetch_related("scope_units", "scope_services")
        .order_by("-number")
    )


def assessment_get(user, *, ref: str) -> Assessment:
    return _get(assessment_list(user), Assessment, ref)


# --- CSF profiles -------------------------------------------------------------------------------


def profile_list(user) -> QuerySet[CsfProfile]:
    return (
        visible_to(user, CsfProfile)
        .select_related("framework", "business_unit", "current")
        .annotate(n_outcomes=Count("outcomes"))
        .order_by("-number")
    )


def profile_get(user, *, ref: str) -> CsfProfile:
    return _get(visible_to(user, CsfProfile).select_related("framework", "business_unit", "current"), CsfProfile, ref)


# --- frameworks (reference data) -----------------------------------------------------------------


def framework_list(user):
    from ramparts.frameworks.models import Framework

    require(user, "compliance.view")
    return Framework.objects.order_by("name", "version")


def framework_get(user, *, slug: str):
    from ramparts.frameworks.models import Framework

    require(user, "compliance.view")
    framework = Framework.objects.filter(slug=slug).first()
    if framework is None:
        raise NotFound(f"Framework {slug!r} not found.")
    return framework


def control_techniques(user, *, control: Control) -> list[tuple[str, str]]:
    """(technique id, name) of the ATT&CK techniques the control's requirements mitigate, according
    to the mapping files the frameworks module imported (the caller has the control already)."""
    from ramparts.frameworks.models import AttackTechnique

    require(user, "compliance.view")
    return list(
        AttackTechnique.objects.filter(requirements__requirement__control_mappings__control=control)
        .distinct()
        .order_by("technique_id")
        .values_list("technique_id", "name")
    )
