"""Exports: every entity as rows of cells, scoped to what the user may read."""

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from ramparts.core.errors import NotFound
from ramparts.core.permissions import require
from ramparts.inventory import selectors
from ramparts.inventory.filters import DataAssetFilters, PersonFilters, ServiceFilters, SystemFilters
from ramparts.inventory.importexport.columns import Entity, Invalid, current_cell, entity
from ramparts.inventory.importexport.files import CONTENT_TYPES, write_table

FILTERS: dict[str, Any] = {
    "people": PersonFilters,
    "systems": SystemFilters,
    "data-assets": DataAssetFilters,
    "services": ServiceFilters,
}
LISTS: dict[str, Callable[..., QuerySet]] = {
    "people": selectors.person_list,
    "systems": selectors.system_list,
    "data-assets": selectors.data_asset_list,
    "services": selectors.service_list,
}


def filters_from_params(entity_slug: str, params: Mapping[str, Any]) -> Any:
    """The entity's list filters from query parameters (None for dependencies)."""
    cls = FILTERS.get(entity_slug.replace("_", "-"))
    return cls.from_params(params) if cls is not None else None


def export_rows(user, *, entity_slug: str, filters=None) -> tuple[Entity, Iterator[dict[str, str]]]:
    """The columns of `entity_slug` and its rows as cells (filters as the entity's list takes)."""
    require(user, "inventory.export")
    try:
        spec = entity(entity_slug)
    except Invalid as exc:
        raise NotFound(str(exc)) from None
    if spec.slug == "dependencies":
        return spec, _dependency_rows(user)
    queryset = LISTS[spec.slug](user, filters=filters)
    if filters is None:
        queryset = queryset.order_by("number")
    columns = spec.columns

    def rows() -> Iterator[dict[str, str]]:
        for obj in queryset.iterator(chunk_size=2000):
            yield {c.name: current_cell(c, obj) for c in columns}

    return spec, rows()


def _dependency_rows(user) -> Iterator[dict[str, str]]:
    for dep in selectors.dependency_list(user):
        if dep.upstream_service is not None:
            kind, target = "service", dep.upstream_service.name
        elif dep.system is not None:
            kind, target = "system", dep.system.name
        else:
            kind, target = "data_asset", dep.data_asset.name  # type: ignore[union-attr]
        yield {"service": dep.service.name, "target_type": kind, "target": target}


def inventory_export(user, *, entity_slug: str, fmt: str = "csv", filters=None) -> tuple[bytes, str, str]:
    """(file bytes, content type, file name) for an export in csv, xlsx or json."""
    spec, rows = export_rows(user, entity_slug=entity_slug, filters=filters)
    data = write_table([c.name for c in spec.columns], rows, fmt)
    return data, CONTENT_TYPES[fmt], f"ramparts-{spec.slug}.{fmt}"
