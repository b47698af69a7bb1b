"""What the inventory's list pages share: one description per entity, and the list view itself."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ramparts.core.permissions import require, user_can
from ramparts.core.selectors import business_unit_list
from ramparts.core.ui import PAGE_SIZES, domain_errors, paginate
from ramparts.inventory import selectors
from ramparts.inventory.filters import DataAssetFilters, PersonFilters, ServiceFilters, SystemFilters
from ramparts.inventory.models import BusinessService, Criticality, DataAsset, Person, System


@dataclass(frozen=True)
class Column:
    label: str
    sort: str = ""  # a key of the entity's *_SORTS, or "" when the column cannot be sorted
    css: str = ""


@dataclass(frozen=True)
class Entity:
    key: str  # url names: inventory:<key>_list, <key>_detail, ...
    slug: str  # import/export name, also the CLI's: systems, people, data-assets, services
    label: str
    plural: str
    model: type
    filters: type[Any]
    list_selector: Callable[..., Any]
    columns: tuple[Column, ...]
    search_hint: str
    bulk_fields: tuple[str, ...] = ()
    choices: dict[str, Any] = field(default_factory=dict)


CRITICALITY_CHOICES = [(c.value, c.label) for c in reversed(Criticality)]

SYSTEMS = Entity(
    key="system",
    slug="systems",
    label="System",
    plural="Systems",
    model=System,
    filters=SystemFilters,
    list_selector=selectors.system_list,
    columns=(
        Column("Ref", "ref"),
        Column("Name", "name"),
        Column("Kind", "kind"),
        Column("Criticality", "criticality"),
        Column("Environment", "environment"),
        Column("Lifecycle", "lifecycle"),
        Column("Owner", "owner"),
        Column("Business unit", "business_unit"),
        Column("Tags"),
    ),
    search_hint="Name, host, IP, URL, vendor, product, CPE, tag…",
    bulk_fields=("business_unit", "owner", "environment", "lifecycle", "criticality", "add_tag", "remove_tag"),
    choices={
        "kind": System.Kind.choices,
        "environment": System.Environment.choices,
        "lifecycle": System.Lifecycle.choices,
        "criticality": CRITICALITY_CHOICES,
    },
)

PEOPLE = Entity(
    key="person",
    slug="people",
    label="Person",
    plural="People",
    model=Person,
    filters=PersonFilters,
    list_selector=selectors.person_list,
    columns=(
        Column("Ref", "ref"),
        Column("Name", "name"),
        Column("Employee id", "employee_id"),
        Column("Job title"),
        Column("Department", "department"),
        Column("Manager"),
        Column("Status", "status"),
        Column("Business unit", "business_unit"),
    ),
    search_hint="Name, employee id, email, department, job title…",
    bulk_fields=("business_unit",),
    choices={"kind": Person.Kind.choices, "status": Person.Status.choices},
)

DATA_ASSETS = Entity(
    key="dataasset",
    slug="data-assets",
    label="Data asset",
    plural="Data assets",
    model=DataAsset,
    filters=DataAssetFilters,
    list_selector=selectors.data_asset_list,
    columns=(
        Column("Ref", "ref"),
        Column("Name", "name"),
        Column("Classification", "classification"),
        Column("Personal data"),
        Column("Records", "record_count", "num"),
        Column("Systems"),
        Column("Owner"),
        Column("Business unit", "business_unit"),
    ),
    search_hint="Name, description, regulation…",
    bulk_fields=("business_unit", "owner"),
    choices={"classification": DataAsset.Classification.choices},
)

SERVICES = Entity(
    key="service",
    slug="services",
    label="Business service",
    plural="Business services",
    model=BusinessService,
    filters=ServiceFilters,
    list_selector=selectors.service_list,
    columns=(
        Column("Ref", "ref"),
        Column("Name", "name"),
        Column("Tier", "criticality"),
        Column("RTO", "rto", "num"),
        Column("RPO", css="num"),
        Column("Owner"),
        Column("Business unit", "business_unit"),
    ),
    search_hint="Name or description…",
    bulk_fields=("business_unit", "owner", "criticality"),
    choices={"criticality": CRITICALITY_CHOICES},
)

ENTITIES = {e.key: e for e in (SYSTEMS, PEOPLE, DATA_ASSETS, SERVICES)}

# Dependencies have no list page of their own (they show on each service); they are imported and
# exported as a whole, from the services list.
DEPENDENCIES = Entity(
    key="service",
    slug="dependencies",
    label="Dependency",
    plural="Dependencies",
    model=BusinessService,
    filters=ServiceFilters,
    list_selector=selectors.service_list,
    columns=(),
    search_hint="",
)


def detail_paths() -> dict[str, str]:
    """Detail pages are `<list path><ref>/`: rows build their links from these prefixes, which is
    much cheaper than reversing a URL for every link of every row."""
    return {e.key: reverse(f"inventory:{e.key}_list") for e in ENTITIES.values()}


def list_context(request, entity: Entity) -> dict[str, Any]:
    filters = entity.filters.from_params(request.GET)
    rows = entity.list_selector(request.user, filters=filters)
    pagination = paginate(request, rows)
    return {
        "entity": entity,
        "filters": filters,
        "pagination": pagination,
        "rows": pagination.page.object_list,
        "units": list(business_unit_list(request.user)),
        "page_sizes": PAGE_SIZES,
        "filtered": any(v for k, v in vars(filters).items() if k != "sort" and v not in ("", None)),
        "row_template": f"inventory/_rows_{entity.key}.html",
        "paths": detail_paths(),
        "bulk": bool(entity.bulk_fields) and user_can(request.user, "inventory.change"),
        "filter_template": f"inventory/_filters_{entity.key}.html",
    }


def make_list_view(entity: Entity):
    @login_required
    @require_GET
    @domain_errors
    def view(request):
        require(request.user, "inventory.view")
        context = list_context(request, entity)
        partial = request.htmx and not request.htmx.boosted and request.htmx.target == "list-results"
        return render(request, "inventory/list.html#results" if partial else "inventory/list.html", context)

    view.__name__ = f"{entity.key}_list"
    return view
