"""The inventory services as the web views call them: one place that maps an entity to its service
functions (`system_create`, `systems_bulk_update`, …). Form fields are named like the services'
keyword arguments and hold cell text, which the services parse and check."""

from collections.abc import Iterable, Mapping
from typing import Any

from ramparts.inventory import services
from ramparts.inventory.importexport import columns as cols
from ramparts.inventory.views.common import Entity

# entity key -> (singular, plural) prefixes of the service functions
_NAMES = {
    "system": ("system", "systems"),
    "person": ("person", "people"),
    "dataasset": ("data_asset", "data_assets"),
    "service": ("service", "services"),
}


def columns(entity: Entity) -> cols.Entity:
    return cols.ENTITIES[entity.slug]


def _fn(entity: Entity, verb: str, plural: bool = False):
    singular, many = _NAMES[entity.key]
    return getattr(services, f"{many if plural else singular}_{verb}")


def create(entity: Entity, *, actor, cells: Mapping[str, str]) -> Any:
    return _fn(entity, "create")(actor=actor, **cells)


def update(entity: Entity, *, actor, ref: str, cells: Mapping[str, str]) -> Any:
    return _fn(entity, "update")(actor=actor, ref=ref, **cells)


def delete(entity: Entity, *, actor, ref: str) -> None:
    _fn(entity, "delete")(actor=actor, ref=ref)


def bulk_update(entity: Entity, *, actor, refs: list[str], cells: Mapping[str, str]) -> int:
    return _fn(entity, "bulk_update", plural=True)(actor=actor, refs=refs, **cells)


def run_import(entity_slug: str, *, actor, rows: Iterable[Mapping[str, Any]], dry_run: bool):
    return services.inventory_import(actor=actor, entity=entity_slug, rows=rows, dry_run=dry_run)


def dependency_add(*, actor, service: str, target: str):
    return services.dependency_add(actor=actor, service=service, target=target)


def dependency_remove(*, actor, service: str, target: str) -> None:
    services.dependency_remove(actor=actor, service=service, target=target)
