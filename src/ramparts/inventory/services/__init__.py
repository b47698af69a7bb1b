"""Writes of the inventory: `<entity>_<verb>(*, actor, ...)`, one transaction each, audited.

Import from here; the submodules are an implementation detail."""

from ramparts.inventory.services._rows import ImportReport
from ramparts.inventory.services.dependencies import dependencies_import, dependency_add, dependency_remove
from ramparts.inventory.services.entities import (
    data_asset_create,
    data_asset_delete,
    data_asset_update,
    data_assets_bulk_update,
    data_assets_import,
    people_bulk_update,
    people_import,
    person_create,
    person_delete,
    person_update,
    service_create,
    service_delete,
    service_update,
    services_bulk_update,
    services_import,
    system_create,
    system_delete,
    system_update,
    systems_bulk_update,
    systems_import,
)
from ramparts.inventory.services.propagation import PropagationResult, propagate_criticality

IMPORTERS = {
    "people": people_import,
    "systems": systems_import,
    "data-assets": data_assets_import,
    "services": services_import,
    "dependencies": dependencies_import,
}


def inventory_import(*, actor, entity: str, rows, dry_run: bool = False) -> ImportReport:
    """Import rows of any entity by its slug (people, systems, data-assets, services, dependencies)."""
    from ramparts.inventory.importexport.columns import entity as lookup

    return IMPORTERS[lookup(entity).slug](actor=actor, rows=rows, dry_run=dry_run)


def inventory_import_file(
    *, actor, entity: str, data: bytes, filename: str = "", dry_run: bool = False
) -> ImportReport:
    """Import a CSV or XLSX file. A file that cannot be read at all is reported like bad rows."""
    from ramparts.core.errors import ValidationFailed
    from ramparts.core.permissions import require
    from ramparts.inventory.importexport.columns import Invalid
    from ramparts.inventory.importexport.columns import entity as lookup
    from ramparts.inventory.importexport.files import read_table

    require(actor, "inventory.import")
    try:
        slug = lookup(entity).slug
    except Invalid as exc:
        raise ValidationFailed(str(exc), []) from None
    try:
        rows = read_table(data, filename)
    except ValidationFailed as exc:
        return ImportReport(errors=exc.problems or [], dry_run=dry_run)
    return IMPORTERS[slug](actor=actor, rows=rows, dry_run=dry_run)


__all__ = [
    "IMPORTERS",
    "ImportReport",
    "PropagationResult",
    "data_asset_create",
    "data_asset_delete",
    "data_asset_update",
    "data_assets_bulk_update",
    "data_assets_import",
    "dependencies_import",
    "dependency_add",
    "dependency_remove",
    "inventory_import",
    "inventory_import_file",
    "people_bulk_update",
    "people_import",
    "person_create",
    "person_delete",
    "person_update",
    "propagate_criticality",
    "service_create",
    "service_delete",
    "service_update",
    "services_bulk_update",
    "services_import",
    "system_create",
    "system_delete",
    "system_update",
    "systems_bulk_update",
    "systems_import",
]
