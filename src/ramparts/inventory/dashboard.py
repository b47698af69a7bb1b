"""The inventory's widgets on the home dashboard (found by ramparts.core.dashboard.autodiscover)."""

from typing import Any

from django.db.models import Count, Q

from ramparts.core.dashboard import Widget, register
from ramparts.inventory import selectors
from ramparts.inventory.models import Criticality, DataAsset, System

CRITICAL_SYSTEMS_SHOWN = 8


def _by(queryset, field: str, choices) -> list[tuple[str, Any, int]]:
    """[(label, value, count)] for every choice that occurs, in the choices' order."""
    counts = dict(queryset.order_by().values_list(field).annotate(n=Count("id")))
    return [(label, value, counts[value]) for value, label in choices if counts.get(value)]


def inventory_counts(user) -> dict[str, Any]:
    systems = selectors.systems_visible_to(user)
    people = selectors.people_visible_to(user)
    data = selectors.data_assets_visible_to(user)
    services = selectors.services_visible_to(user)
    people_counts = people.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status="active")),
        leavers=Count("id", filter=Q(status="leaver")),
        privileged=Count("id", filter=Q(privileged=True, status="active")),
        contractors=Count("id", filter=Q(kind="contractor", status="active")),
    )
    data_counts = data.aggregate(
        total=Count("id"),
        personal=Count("id", filter=Q(personal_data=True)),
        special=Count("id", filter=Q(special_category_data=True) | Q(health_data=True)),
        cardholder=Count("id", filter=Q(cardholder_data=True)),
    )
    criticality = list(reversed(Criticality.choices))
    systems_by_kind = sorted(_by(systems, "kind", System.Kind.choices), key=lambda t: -t[2])
    return {
        "systems_total": sum(n for _, _, n in systems_by_kind),
        "systems_by_kind": systems_by_kind,
        "systems_by_criticality": _by(systems, "criticality", criticality),
        "internet_facing": systems.filter(internet_facing=True, lifecycle="in_service").count(),
        "people": people_counts,
        "data": data_counts,
        "data_by_classification": _by(data, "classification", list(reversed(DataAsset.Classification.choices))),
        "services_by_tier": [
            (f"tier {5 - v} · {label}", v, n) for label, v, n in _by(services, "criticality", criticality)
        ],
        "services_total": services.count(),
    }


def critical_systems(user) -> dict[str, Any]:
    systems = (
        selectors.systems_visible_to(user)
        .filter(criticality__gte=Criticality.HIGH, lifecycle="in_service")
        .select_related("business_unit")
        .order_by("-criticality", "name")[:CRITICAL_SYSTEMS_SHOWN]
    )
    return {"systems": list(systems), "limit": CRITICAL_SYSTEMS_SHOWN}


register(
    Widget(
        key="inventory",
        title="Inventory",
        template="inventory/_widget_counts.html",
        context=inventory_counts,
        action="inventory.view",
        order=10,
        wide=True,
    )
)
register(
    Widget(
        key="critical_systems",
        title="Most critical systems",
        template="inventory/_widget_critical.html",
        context=critical_systems,
        action="inventory.view",
        order=20,
        wide=True,
    )
)
