"""The inventory API under /api/v1/inventory/. Each endpoint calls one selector or service.

Domain errors become responses in ramparts/api.py: PermissionDenied 403, NotFound (also for
objects in other business units) 404, ValidationFailed 400 with `problems`, Conflict 409.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ramparts.core.pagination import PageNumber
from ramparts.inventory import schemas, selectors, services
from ramparts.inventory.filters import DataAssetFilters, PersonFilters, ServiceFilters, SystemFilters
from ramparts.inventory.importexport.columns import ENTITIES
from ramparts.inventory.importexport.export import filters_from_params, inventory_export
from ramparts.inventory.importexport.files import FORMATS, check_size

router = Router(tags=["inventory"])


def _register(
    path: str,
    name: str,
    *,
    out: type[Schema],
    create_in: type[Schema],
    patch_in: type[Schema],
    filter_in: type[Schema],
    filters: Any,
    list_fn: Callable,
    get_fn: Callable,
    create_fn: Callable,
    update_fn: Callable,
    delete_fn: Callable,
    bulk_fn: Callable,
) -> None:
    """List, get, create, update, delete and bulk-update endpoints of one entity."""

    @router.get(
        f"/{path}",
        response=list[out],  # type: ignore[valid-type]
        operation_id=f"{name}_list",
        summary=f"List {path}",
    )
    @paginate(PageNumber)
    def list_(request: HttpRequest, params: Query[filter_in]):  # type: ignore[valid-type]
        return list_fn(request.user, filters=filters.from_params(params.dict()))  # type: ignore[attr-defined]

    @router.post(
        f"/{path}/bulk-update", response=schemas.BulkUpdateOut, operation_id=f"{name}_bulk_update", summary="Bulk edit"
    )
    def bulk(request: HttpRequest, payload: schemas.BulkUpdateIn):
        return {"changed": bulk_fn(actor=request.user, refs=payload.refs, **payload.fields)}

    @router.get(f"/{path}/{{ref}}", response=out, operation_id=f"{name}_get", summary=f"Get one of {path} by ref")
    def get(request: HttpRequest, ref: str):
        return get_fn(request.user, ref=ref)

    @router.post(f"/{path}", response={201: out}, operation_id=f"{name}_create", summary=f"Create one of {path}")
    def create(request: HttpRequest, payload: create_in):  # type: ignore[valid-type]
        obj = create_fn(actor=request.user, **payload.dict(exclude_unset=True))  # type: ignore[attr-defined]
        return Status(201, get_fn(request.user, ref=obj.ref))

    @router.patch(f"/{path}/{{ref}}", response=out, operation_id=f"{name}_update", summary=f"Change one of {path}")
    def update(request: HttpRequest, ref: str, payload: patch_in):  # type: ignore[valid-type]
        obj = update_fn(actor=request.user, ref=ref, **payload.dict(exclude_unset=True))  # type: ignore[attr-defined]
        return get_fn(request.user, ref=obj.ref)

    @router.delete(f"/{path}/{{ref}}", response={204: None}, operation_id=f"{name}_delete", summary="Delete")
    def delete(request: HttpRequest, ref: str):
        delete_fn(actor=request.user, ref=ref)
        return Status(204, None)


_register(
    "people",
    "person",
    out=schemas.PersonOut,
    create_in=schemas.PersonIn,
    patch_in=schemas.PersonPatch,
    filter_in=schemas.PersonFilterIn,
    filters=PersonFilters,
    list_fn=selectors.person_list,
    get_fn=selectors.person_get,
    create_fn=services.person_create,
    update_fn=services.person_update,
    delete_fn=services.person_delete,
    bulk_fn=services.people_bulk_update,
)
_register(
    "systems",
    "system",
    out=schemas.SystemOut,
    create_in=schemas.SystemIn,
    patch_in=schemas.SystemPatch,
    filter_in=schemas.SystemFilterIn,
    filters=SystemFilters,
    list_fn=selectors.system_list,
    get_fn=selectors.system_get,
    create_fn=services.system_create,
    update_fn=services.system_update,
    delete_fn=services.system_delete,
    bulk_fn=services.systems_bulk_update,
)
_register(
    "data-assets",
    "data_asset",
    out=schemas.DataAssetOut,
    create_in=schemas.DataAssetIn,
    patch_in=schemas.DataAssetPatch,
    filter_in=schemas.DataAssetFilterIn,
    filters=DataAssetFilters,
    list_fn=selectors.data_asset_list,
    get_fn=selectors.data_asset_get,
    create_fn=services.data_asset_create,
    update_fn=services.data_asset_update,
    delete_fn=services.data_asset_delete,
    bulk_fn=services.data_assets_bulk_update,
)
_register(
    "services",
    "service",
    out=schemas.ServiceOut,
    create_in=schemas.ServiceIn,
    patch_in=schemas.ServicePatch,
    filter_in=schemas.ServiceFilterIn,
    filters=ServiceFilters,
    list_fn=selectors.service_list,
    get_fn=selectors.service_get,
    create_fn=services.service_create,
    update_fn=services.service_update,
    delete_fn=services.service_delete,
    bulk_fn=services.services_bulk_update,
)


# --- dependencies and the graph -----------------------------------------------------------------


@router.get("/services/{ref}/dependencies", response=list[schemas.DependencyOut], summary="What a service uses")
def dependency_list(request: HttpRequest, ref: str):
    service = selectors.service_get(request.user, ref=ref)
    return list(selectors.service_dependencies(request.user, service=service))


@router.post("/services/{ref}/dependencies", response={201: schemas.DependencyOut}, summary="Add a dependency")
def dependency_add(request: HttpRequest, ref: str, payload: schemas.DependencyIn):
    dependency = services.dependency_add(actor=request.user, service=ref, target=payload.target)
    return Status(201, dependency)


@router.delete("/services/{ref}/dependencies/{target}", response={204: None}, summary="Remove a dependency")
def dependency_remove(request: HttpRequest, ref: str, target: str):
    services.dependency_remove(actor=request.user, service=ref, target=target)
    return Status(204, None)


@router.get("/services/{ref}/graph", summary="A service's dependency graph (transitive): nodes and edges")
def service_graph(request: HttpRequest, ref: str) -> dict:
    return selectors.service_graph(request.user, ref=ref).as_dict()


# --- files --------------------------------------------------------------------------------------

ENTITY_HELP = ", ".join(ENTITIES)


class ImportFailedOut(schemas.ImportReportOut):
    detail: str


@router.post(
    "/import/{entity}",
    response={200: schemas.ImportReportOut, 400: ImportFailedOut},
    summary="Import a CSV or XLSX file",
    description=f"entity: {ENTITY_HELP}. Every row is checked first; if any is bad, nothing is stored and "
    "every problem is listed with its line and column (400). `dry_run=true` checks without storing.",
)
def import_file(request: HttpRequest, entity: str, file: File[UploadedFile], dry_run: bool = False):
    check_size(file.size or 0, file.name or "")
    report = services.inventory_import_file(
        actor=request.user, entity=entity, data=file.read(), filename=file.name or "", dry_run=dry_run
    )
    if report.errors:
        return Status(400, {"detail": "Nothing was imported: fix the rows listed in errors.", **report.as_dict()})
    return Status(200, report.as_dict())


@router.get(
    "/export/{entity}",
    summary="Export as CSV, XLSX or JSON",
    description=f"entity: {ENTITY_HELP}; format: {', '.join(FORMATS)}. The entity's list filters "
    "(q, business_unit, kind, …) may be given too, to export what a list shows.",
)
def export_file(request: HttpRequest, entity: str, format: str = "csv") -> HttpResponse:
    if format not in FORMATS:
        from ramparts.core.errors import Problem, ValidationFailed

        raise ValidationFailed("Unknown format.", [Problem(f"choose from {', '.join(FORMATS)}", None, "format")])
    filters = filters_from_params(entity, request.GET)
    data, content_type, filename = inventory_export(request.user, entity_slug=entity, fmt=format, filters=filters)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
