"""Writes of people, systems, data assets and business services.

Fields are keyword arguments named like the import columns (docs/inventory-import.md); values
may be Python values (a BusinessUnit, a Person, a list of hostnames, True, a level number) or
the text a spreadsheet cell would hold. Every write is checked by the same column rules as an
import, runs in one transaction and is audited with a field-level diff.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from ramparts.inventory.importexport.columns import ENTITIES
from ramparts.inventory.models import BusinessService, DataAsset, Person, System
from ramparts.inventory.services import _ops
from ramparts.inventory.services._rows import ImportReport

PEOPLE = ENTITIES["people"]
SYSTEMS = ENTITIES["systems"]
DATA_ASSETS = ENTITIES["data-assets"]
SERVICES = ENTITIES["services"]


def _cells(entity, fields: Mapping[str, Any]) -> dict[str, str]:
    return _ops.cells_from_fields(entity, fields)


# --- people -------------------------------------------------------------------------------------


def person_create(*, actor, business_unit, employee_id: str, full_name: str, **fields: Any) -> Person:
    all_fields = {"business_unit": business_unit, "employee_id": employee_id, "full_name": full_name, **fields}
    return _ops.create_one(PEOPLE, actor=actor, cells=_cells(PEOPLE, all_fields))


def person_update(*, actor, ref: str, **fields: Any) -> Person:
    return _ops.update_one(PEOPLE, actor=actor, ref=ref, cells=_cells(PEOPLE, fields))


def person_delete(*, actor, ref: str) -> None:
    _ops.delete_one(PEOPLE, actor=actor, ref=ref)


def people_bulk_update(*, actor, refs: list[str], **fields: Any) -> int:
    return _ops.bulk_update(PEOPLE, actor=actor, refs=refs, cells=_cells(PEOPLE, fields))


def people_import(*, actor, rows: Iterable[Mapping[str, Any]], dry_run: bool = False) -> ImportReport:
    return _ops.run_import(PEOPLE, actor=actor, rows=rows, dry_run=dry_run)


# --- systems ------------------------------------------------------------------------------------


def system_create(*, actor, business_unit, name: str, kind: str, **fields: Any) -> System:
    all_fields = {"business_unit": business_unit, "name": name, "kind": kind, **fields}
    return _ops.create_one(SYSTEMS, actor=actor, cells=_cells(SYSTEMS, all_fields))


def system_update(*, actor, ref: str, **fields: Any) -> System:
    return _ops.update_one(SYSTEMS, actor=actor, ref=ref, cells=_cells(SYSTEMS, fields))


def system_delete(*, actor, ref: str) -> None:
    _ops.delete_one(SYSTEMS, actor=actor, ref=ref)


def systems_bulk_update(*, actor, refs: list[str], **fields: Any) -> int:
    return _ops.bulk_update(SYSTEMS, actor=actor, refs=refs, cells=_cells(SYSTEMS, fields))


def systems_import(*, actor, rows: Iterable[Mapping[str, Any]], dry_run: bool = False) -> ImportReport:
    return _ops.run_import(SYSTEMS, actor=actor, rows=rows, dry_run=dry_run)


# --- data assets --------------------------------------------------------------------------------


def data_asset_create(*, actor, business_unit, name: str, **fields: Any) -> DataAsset:
    all_fields = {"business_unit": business_unit, "name": name, **fields}
    return _ops.create_one(DATA_ASSETS, actor=actor, cells=_cells(DATA_ASSETS, all_fields))


def data_asset_update(*, actor, ref: str, **fields: Any) -> DataAsset:
    return _ops.update_one(DATA_ASSETS, actor=actor, ref=ref, cells=_cells(DATA_ASSETS, fields))


def data_asset_delete(*, actor, ref: str) -> None:
    _ops.delete_one(DATA_ASSETS, actor=actor, ref=ref)


def data_assets_bulk_update(*, actor, refs: list[str], **fields: Any) -> int:
    return _ops.bulk_update(DATA_ASSETS, actor=actor, refs=refs, cells=_cells(DATA_ASSETS, fields))


def data_assets_import(*, actor, rows: Iterable[Mapping[str, Any]], dry_run: bool = False) -> ImportReport:
    return _ops.run_import(DATA_ASSETS, actor=actor, rows=rows, dry_run=dry_run)


# --- business services --------------------------------------------------------------------------


def service_create(*, actor, business_unit, name: str, **fields: Any) -> BusinessService:
    all_fields = {"business_unit": business_unit, "name": name, **fields}
    return _ops.create_one(SERVICES, actor=actor, cells=_cells(SERVICES, all_fields))


def service_update(*, actor, ref: str, **fields: Any) -> BusinessService:
    return _ops.update_one(SERVICES, actor=actor, ref=ref, cells=_cells(SERVICES, fields))


def service_delete(*, actor, ref: str) -> None:
    _ops.delete_one(SERVICES, actor=actor, ref=ref)


def services_bulk_update(*, actor, refs: list[str], **fields: Any) -> int:
    return _ops.bulk_update(SERVICES, actor=actor, refs=refs, cells=_cells(SERVICES, fields))


def services_import(*, actor, rows: Iterable[Mapping[str, Any]], dry_run: bool = False) -> ImportReport:
    return _ops.run_import(SERVICES, actor=actor, rows=rows, dry_run=dry_run)
