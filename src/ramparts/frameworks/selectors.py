"""Reads of the frameworks module. Frameworks are reference content shared by every business unit,
so `visible_to` checks the role only; there is no unit scoping to apply."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ramparts.core.errors import NotFound
from ramparts.core.permissions import require
from ramparts.frameworks.models import Framework, Requirement, RequirementRelation, RequirementTechnique


def visible_to(user) -> QuerySet[Framework]:
    require(user, "frameworks.view")
    return Framework.objects.all()


def framework_list(user, *, q: str = "", kind: str = "") -> QuerySet[Framework]:
    qs = visible_to(user).select_related("imported_from").order_by("-built_in", "name", "version")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(version__icontains=q) | Q(slug__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def framework_get(user, *, slug: str) -> Framework:
    framework = visible_to(user).select_related("imported_from").filter(slug=slug).first()
    if framework is None:
        raise NotFound(f"No framework {slug!r}.")
    return framework


@dataclass
class RequirementFilters:
    q: str = ""  # identifier, title or text
    kind: str = ""
    withdrawn: bool | None = None
    assessable: bool | None = None
    parent: str = ""  # identifier of the parent: its direct children
    technique: str = ""  # ATT&CK id: the requirements that mitigate it ("T1078" also finds T1078.001)


def requirement_list(user, *, framework: Framework, filters: RequirementFilters | None = None) -> QuerySet[Requirement]:
    visible_to(user)
    f = filters or RequirementFilters()
    qs = Requirement.objects.filter(framework=framework).select_related("parent").order_by("order")
    if f.q:
        qs = qs.filter(Q(identifier__icontains=f.q) | Q(title__icontains=f.q) | Q(statement__icontains=f.q))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.withdrawn is not None:
        qs = qs.filter(withdrawn=f.withdrawn)
    if f.assessable is not None:
        qs = qs.filter(assessable=f.assessable)
    if f.parent:
        qs = qs.filter(parent__identifier=f.parent)
    if f.technique:
        technique = f.technique.strip().upper()
        qs = qs.filter(
            Q(techniques__technique__technique_id=technique)
            | Q(techniques__technique__technique_id__startswith=technique + ".")
        ).distinct()
    # A subquery, not Count(): independent of the technique filter's join, and no GROUP BY over the page.
    per_requirement = (
        RequirementTechnique.objects.filter(requirement=OuterRef("pk"))
        .order_by()
        .values("requirement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(technique_count=Coalesce(Subquery(per_requirement), 0))


def requirement_get(user, *, framework: Framework, identifier: str) -> Requirement:
    visible_to(user)
    requirement = (
        Requirement.objects.filter(framework=framework, identifier=identifier)
        .select_related("framework", "parent", "origin__framework")
        .prefetch_related(
            Prefetch("children", queryset=Requirement.objects.order_by("order")),
            Prefetch(
                "techniques",
                queryset=RequirementTechnique.objects.select_related("technique").order_by(
                    "technique__technique_id", "origin"
                ),
            ),
            Prefetch(
                "relations_out",
                queryset=RequirementRelation.objects.select_related("target__framework").order_by("target__order"),
            ),
            Prefetch(
                "relations_in",
                queryset=RequirementRelation.objects.select_related("source__framework").order_by("source__order"),
            ),
        )
        .first()
    )
    if requirement is None:
        raise NotFound(f"{framework} has no requirement {identifier!r}.")
    return requirement


def requirement_ancestors(requirement: Requirement) -> list[Requirement]:
    """Breadcrumb from the root (one query per level; trees are at most a few levels deep)."""
    chain = []
    parent_id = requirement.parent_id
    while parent_id is not None:
        parent = Requirement.objects.only("identifier", "title", "parent_id").get(pk=parent_id)
        chain.append(parent)
        parent_id = parent.parent_id
    return chain[::-1]
