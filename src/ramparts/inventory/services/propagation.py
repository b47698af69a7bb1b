"""Load the dependency graph, run the propagation engine, write what changed in bulk."""

from dataclasses import dataclass

from django.db import transaction

from ramparts.inventory.engine.propagation import DataAssetIn, Effective, Graph, ServiceIn, SystemIn, propagate
from ramparts.inventory.models import BusinessService, DataAsset, Dependency, System
from ramparts.inventory.services._rows import fast_update
from ramparts.inventory.signals import systems_rated

RESULT_FIELDS = ("criticality", "confidentiality", "integrity", "availability", "criticality_reasons")


@dataclass(frozen=True)
class PropagationResult:
    systems: int
    changed: int


def load_graph() -> tuple[Graph, dict[int, Effective]]:
    """The whole graph in five queries, and every system's current effective values."""
    services = [
        ServiceIn(*row)
        for row in BusinessService.objects.values_list(
            "id", "name", "criticality", "confidentiality", "integrity", "availability"
        )
    ]
    holds: dict[int, list[int]] = {}
    for data_id, system_id in DataAsset.systems.through.objects.values_list("dataasset_id", "system_id"):
        holds.setdefault(data_id, []).append(system_id)
    data = [
        DataAssetIn(pk, name, cls, c, i, a, tuple(holds.get(pk, ())))
        for pk, name, cls, c, i, a in DataAsset.objects.values_list(
            "id", "name", "classification", "confidentiality", "integrity", "availability"
        )
    ]
    systems, current = [], {}
    for pk, own, crit, c, i, a, reasons in System.objects.values_list("id", "own_criticality", *RESULT_FIELDS):
        systems.append(SystemIn(pk, own))
        current[pk] = Effective(crit, c, i, a, tuple(reasons or ()))
    service_services: list[tuple[int, int]] = []
    service_systems: list[tuple[int, int]] = []
    service_data: list[tuple[int, int]] = []
    for service, system, data_asset, upstream in Dependency.objects.values_list(
        "service_id", "system_id", "data_asset_id", "upstream_service_id"
    ):
        if upstream is not None:
            service_services.append((service, upstream))
        elif system is not None:
            service_systems.append((service, system))
        elif data_asset is not None:
            service_data.append((service, data_asset))
    return Graph(services, data, systems, service_services, service_systems, service_data), current


def propagate_criticality() -> PropagationResult:
    """Recompute every system's effective criticality, CIA and reasons; write only the changes.

    Derived values are not audited: the trail records the changes to services, data and
    dependencies that caused them, and the reasons on each system say why."""
    with transaction.atomic():
        graph, current = load_graph()
        result = propagate(graph)
        changed = []
        for pk, effective in result.items():
            if current.get(pk) != effective:
                changed.append(
                    System(
                        pk=pk,
                        criticality=effective.criticality,
                        confidentiality=effective.confidentiality,
                        integrity=effective.integrity,
                        availability=effective.availability,
                        criticality_reasons=list(effective.reasons),
                    )
                )
        fast_update(System, changed, RESULT_FIELDS)
        if changed:
            systems_rated.send(sender=System, system_ids=[system.pk for system in changed])
    return PropagationResult(systems=len(result), changed=len(changed))
