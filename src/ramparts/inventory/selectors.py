"""Reads of the inventory. The acting user comes first; every query starts from `visible_to`.

Objects outside the user's business units answer NotFound, exactly like objects that do not exist.
List querysets carry their select_related/prefetch_related, so a page costs the same few queries
whatever its length.
"""

from dataclasses import dataclass, field

from django.db.models import Model, Prefetch, Q, QuerySet

from ramparts.core.errors import NotFound
from ramparts.core.permissions import require, scope_to_units, unit_ids
from ramparts.inventory.filters import (
    DATA_ASSET_SORTS,
    PERSON_SORTS,
    SERVICE_SORTS,
    SYSTEM_SORTS,
    DataAssetFilters,
    PersonFilters,
    ServiceFilters,
    SystemFilters,
    order_by,
)
from ramparts.inventory.models import BusinessService, DataAsset, Dependency, InventoryItem, Person, System


def visible_to[M: InventoryItem](user, model: type[M]) -> QuerySet[M]:
    """Every object of `model` the user may read (role allows inventory.view, unit in scope)."""
    require(user, "inventory.view")
    return scope_to_units(user, model._default_manager.all())


def people_visible_to(user) -> QuerySet[Person]:
    return visible_to(user, Person)


def systems_visible_to(user) -> QuerySet[System]:
    return visible_to(user, System)


def data_assets_visible_to(user) -> QuerySet[DataAsset]:
    return visible_to(user, DataAsset)


def services_visible_to(user) -> QuerySet[BusinessService]:
    return visible_to(user, BusinessService)


def dependencies_visible_to(user) -> QuerySet[Dependency]:
    """Dependencies of the services the user sees (the service's unit decides)."""
    require(user, "inventory.view")
    return scope_to_units(user, Dependency.objects.all(), "service__business_unit")


def parse_ref(ref: str, prefix: str) -> int:
    """ "SYS-12" (any case, spaces ignored) -> 12; anything else is NotFound."""
    text = (ref or "").strip().upper()
    head, _, number = text.partition("-")
    if head != prefix or not number.isdigit():
        raise NotFound(f"No such {prefix} reference: {ref!r}.")
    return int(number)


def _get[M: InventoryItem](queryset: QuerySet[M], model: type[M], ref: str) -> M:
    number = parse_ref(ref, model.REF_PREFIX)
    obj = queryset.filter(number=number).first()
    if obj is None:
        raise NotFound(f"{str(model._meta.verbose_name).capitalize()} {ref} not found.")
    return obj


def _person_q(value: str, prefix: str) -> Q:
    """A person named by employee_id or ref (PER-12)."""
    text = value.strip()
    if text.upper().startswith("PER-") and text[4:].isdigit():
        return Q(**{f"{prefix}number": int(text[4:])})
    return Q(**{f"{prefix}employee_id": text})


def _unit[M: InventoryItem](qs: QuerySet[M], code: str) -> QuerySet[M]:
    return qs.filter(business_unit__code=code) if code else qs


def _search[M: InventoryItem](qs: QuerySet[M], q: str, columns: tuple[str, ...]) -> QuerySet[M]:
    """Every word must appear in one of the columns (AND over words, OR over columns)."""
    for word in q.split()[:8]:
        if word.upper().count("-") == 1 and word.split("-")[1].isdigit():
            # a reference typed into the search box
            prefix, number = word.upper().split("-")
            if prefix == qs.model.REF_PREFIX:
                qs = qs.filter(number=int(number))
                continue
        cond = Q()
        for column in columns:
            cond |= Q(**{f"{column}__icontains": word})
        qs = qs.filter(cond)
    return qs


# --- systems ------------------------------------------------------------------------------------

SYSTEM_SEARCH = ("name", "hostnames", "ip_addresses", "urls", "vendor", "product", "cpe", "tags", "description")


def system_list(user, *, filters: SystemFilters | None = None) -> QuerySet[System]:
    f = filters or SystemFilters()
    qs = systems_visible_to(user).select_related("business_unit", "owner")
    qs = _unit(qs, f.business_unit)
    if f.q:
        qs = _search(qs, f.q, SYSTEM_SEARCH)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.environment:
        qs = qs.filter(environment=f.environment)
    if f.lifecycle:
        qs = qs.filter(lifecycle=f.lifecycle)
    if f.criticality is not None:
        qs = qs.filter(criticality=f.criticality)
    if f.internet_facing is not None:
        qs = qs.filter(internet_facing=f.internet_facing)
    if f.tag:
        # tags are stored one per line; match a whole line
        tag = f.tag
        whole_line = Q(tags=tag) | Q(tags__startswith=f"{tag}\n") | Q(tags__endswith=f"\n{tag}")
        qs = qs.filter(whole_line | Q(tags__contains=f"\n{tag}\n"))
    if f.owner:
        qs = qs.filter(_person_q(f.owner, "owner__"))
    if f.service:
        qs = qs.filter(supports__service__number=parse_ref(f.service, "SVC")).distinct()
    return qs.order_by(*order_by(SYSTEM_SORTS, f.sort))


def system_get(user, *, ref: str) -> System:
    qs = systems_visible_to(user).select_related("business_unit", "owner")
    return _get(qs, System, ref)


def system_detail(user, *, ref: str) -> System:
    """A system with what its detail page shows: data it holds and services it supports."""
    qs = (
        systems_visible_to(user)
        .select_related("business_unit", "owner")
        .prefetch_related(
            Prefetch("data_assets", queryset=scope_to_units(user, DataAsset.objects.order_by("name"))),
            Prefetch(
                "supports",
                queryset=scope_to_units(
                    user,
                    Dependency.objects.select_related("service").order_by("service__name"),
                    "service__business_unit",
                ),
            ),
        )
    )
    return _get(qs, System, ref)


# --- people -------------------------------------------------------------------------------------

PERSON_SEARCH = ("full_name", "employee_id", "email", "department", "job_title")


def person_list(user, *, filters: PersonFilters | None = None) -> QuerySet[Person]:
    f = filters or PersonFilters()
    qs = people_visible_to(user).select_related("business_unit", "manager", "user")
    qs = _unit(qs, f.business_unit)
    if f.q:
        qs = _search(qs, f.q, PERSON_SEARCH)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.department:
        qs = qs.filter(department__iexact=f.department)
    if f.privileged is not None:
        qs = qs.filter(privileged=f.privileged)
    if f.manager:
        qs = qs.filter(_person_q(f.manager, "manager__"))
    return qs.order_by(*order_by(PERSON_SORTS, f.sort))


def person_get(user, *, ref: str) -> Person:
    return _get(people_visible_to(user).select_related("business_unit", "manager", "user"), Person, ref)


def person_by_employee_id(user, *, employee_id: str) -> Person:
    person = people_visible_to(user).filter(employee_id=employee_id).first()
    if person is None:
        raise NotFound(f"No person with employee id {employee_id!r}.")
    return person


# --- data assets --------------------------------------------------------------------------------

DATA_ASSET_SEARCH = ("name", "description", "regulations")


def data_asset_list(user, *, filters: DataAssetFilters | None = None) -> QuerySet[DataAsset]:
    f = filters or DataAssetFilters()
    qs = data_assets_visible_to(user).select_related("business_unit", "owner")
    qs = qs.prefetch_related(Prefetch("systems", queryset=System.objects.only("id", "number", "name")))
    qs = _unit(qs, f.business_unit)
    if f.q:
        qs = _search(qs, f.q, DATA_ASSET_SEARCH)
    if f.classification:
        qs = qs.filter(classification=f.classification)
    if f.personal_data is not None:
        qs = qs.filter(personal_data=f.personal_data)
    if f.regulation:
        qs = qs.filter(regulations__icontains=f.regulation)
    if f.owner:
        qs = qs.filter(_person_q(f.owner, "owner__"))
    if f.system:
        qs = qs.filter(systems__number=parse_ref(f.system, "SYS")).distinct()
    return qs.order_by(*order_by(DATA_ASSET_SORTS, f.sort))


def data_asset_get(user, *, ref: str) -> DataAsset:
    qs = data_assets_visible_to(user).select_related("business_unit", "owner")
    qs = qs.prefetch_related(Prefetch("systems", queryset=scope_to_units(user, System.objects.order_by("name"))))
    return _get(qs, DataAsset, ref)


# --- business services --------------------------------------------------------------------------

SERVICE_SEARCH = ("name", "description")


def service_list(user, *, filters: ServiceFilters | None = None) -> QuerySet[BusinessService]:
    f = filters or ServiceFilters()
    qs = services_visible_to(user).select_related("business_unit", "owner")
    qs = _unit(qs, f.business_unit)
    if f.q:
        qs = _search(qs, f.q, SERVICE_SEARCH)
    if f.criticality is not None:
        qs = qs.filter(criticality=f.criticality)
    if f.owner:
        qs = qs.filter(_person_q(f.owner, "owner__"))
    return qs.order_by(*order_by(SERVICE_SORTS, f.sort))


def service_get(user, *, ref: str) -> BusinessService:
    return _get(services_visible_to(user).select_related("business_unit", "owner"), BusinessService, ref)


def service_dependencies(user, *, service: BusinessService) -> QuerySet[Dependency]:
    """What one service depends on directly (targets outside the user's units are left out)."""
    qs = dependencies_visible_to(user).filter(service=service)
    units_q = _visible_target_q(user)
    return (
        qs.filter(units_q)
        .select_related(
            "system", "data_asset", "upstream_service", "system__business_unit", "data_asset__business_unit"
        )
        .order_by("upstream_service__name", "system__name", "data_asset__name")
    )


def service_dependents(user, *, service: BusinessService) -> QuerySet[BusinessService]:
    """The services that depend on this one."""
    return services_visible_to(user).filter(dependencies__upstream_service=service).order_by("name")


def dependency_list(user) -> QuerySet[Dependency]:
    return (
        dependencies_visible_to(user)
        .filter(_visible_target_q(user))
        .select_related("service", "system", "data_asset", "upstream_service")
        .order_by("service__name", "id")
    )


def _visible_target_q(user) -> Q:
    from ramparts.core.permissions import unit_ids

    units = unit_ids(user)
    if units is None:
        return Q()
    return (
        Q(system__business_unit__in=units)
        | Q(data_asset__business_unit__in=units)
        | Q(upstream_service__business_unit__in=units)
    )


# --- the dependency graph of a service ----------------------------------------------------------


@dataclass(frozen=True)
class GraphNode:
    id: str  # the ref, e.g. "SVC-3"
    kind: str  # "service" | "system" | "data_asset"
    label: str
    criticality: int | None = None
    detail: str = ""  # system kind, data classification


@dataclass(frozen=True)
class GraphEdge:
    source: str  # depends on ->
    target: str


@dataclass
class ServiceGraph:
    root: str
    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[GraphEdge] = field(default_factory=list)
    hidden: int = 0  # dependencies on objects outside the user's units, not shown

    def as_dict(self) -> dict:
        return {
            "root": self.root,
            "nodes": [vars(n) for n in self.nodes],
            "edges": [vars(e) for e in self.edges],
            "hidden": self.hidden,
        }


def service_graph(user, *, ref: str, max_nodes: int = 2000) -> ServiceGraph:
    """Everything a service depends on, transitively: services, then their systems and data.

    Data assets also link to the systems they live on. One query per level of service depth."""
    root = service_get(user, ref=ref)
    visible_services = set(services_visible_to(user).values_list("id", flat=True))
    graph = ServiceGraph(root=root.ref)
    seen: dict[tuple[str, int], str] = {}

    def node(kind: str, obj: Model, label: str, crit: int | None, detail: str = "") -> str:
        key = (kind, obj.pk)
        if key not in seen:
            seen[key] = obj.ref  # type: ignore[attr-defined]
            graph.nodes.append(GraphNode(obj.ref, kind, label, crit, detail))  # type: ignore[attr-defined]
        return seen[key]

    node("service", root, root.name, root.criticality)
    frontier = [root.pk]
    done: set[int] = set()
    data_ids: set[int] = set()
    visible = _visible_target_q(user)
    while frontier and len(graph.nodes) < max_nodes:
        done.update(frontier)
        deps = Dependency.objects.filter(service_id__in=frontier).select_related(
            "service", "system", "data_asset", "upstream_service"
        )
        # `exclude(Q())` would exclude every row, so users who see all units skip the query.
        hidden_ids = (
            set()
            if unit_ids(user) is None
            else set(Dependency.objects.filter(service_id__in=frontier).exclude(visible).values_list("id", flat=True))
        )
        frontier = []
        for dep in deps.order_by("id"):
            if dep.id in hidden_ids:
                graph.hidden += 1
                continue
            source = seen[("service", dep.service_id)]
            if dep.upstream_service is not None:
                up = dep.upstream_service
                target = node("service", up, up.name, up.criticality)
                if up.pk not in done and up.pk in visible_services:
                    frontier.append(up.pk)
            elif dep.system is not None:
                s = dep.system
                target = node("system", s, s.name, s.criticality, s.get_kind_display())
            else:
                d = dep.data_asset
                assert d is not None
                target = node("data_asset", d, d.name, None, d.classification)
                data_ids.add(d.pk)
            graph.edges.append(GraphEdge(source, target))
        frontier = list(dict.fromkeys(frontier))
    if data_ids:
        links = DataAsset.systems.through.objects.filter(dataasset_id__in=data_ids).select_related("system")
        units = scope_to_units(user, System.objects.all()).values("id")
        for link in links.filter(system_id__in=units):
            s = link.system
            target = node("system", s, s.name, s.criticality, s.get_kind_display())
            graph.edges.append(GraphEdge(seen[("data_asset", link.dataasset_id)], target))
    return graph
