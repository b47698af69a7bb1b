"""What a list may be filtered and sorted by. One set of filters serves the UI, the API and the CLI.

Each `*Filters` is a plain dataclass; `from_params` builds one from a query dict (request.GET or an
API query schema) and ignores empty or unknown values, so that a hand-edited URL never errors.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Self

# Sort keys a person may ask for -> ORM ordering. Anything else falls back to the default.
SYSTEM_SORTS = {
    "name": ("name",),
    "kind": ("kind", "name"),
    "environment": ("environment", "name"),
    "lifecycle": ("lifecycle", "name"),
    "criticality": ("criticality", "name"),
    "business_unit": ("business_unit__name", "name"),
    "owner": ("owner__full_name", "name"),
    "vendor": ("vendor", "product", "name"),
    "updated": ("updated_at", "id"),
    "ref": ("number",),
}
PERSON_SORTS = {
    "name": ("full_name", "id"),
    "employee_id": ("employee_id",),
    "department": ("department", "full_name"),
    "business_unit": ("business_unit__name", "full_name"),
    "status": ("status", "full_name"),
    "updated": ("updated_at", "id"),
    "ref": ("number",),
}
DATA_ASSET_SORTS = {
    "name": ("name",),
    "classification": ("classification", "name"),
    "business_unit": ("business_unit__name", "name"),
    "record_count": ("record_count", "name"),
    "updated": ("updated_at", "id"),
    "ref": ("number",),
}
SERVICE_SORTS = {
    "name": ("name",),
    "criticality": ("criticality", "name"),
    "business_unit": ("business_unit__name", "name"),
    "rto": ("rto_hours", "name"),
    "updated": ("updated_at", "id"),
    "ref": ("number",),
}

TRUE_WORDS = {"1", "true", "yes", "on", "y"}
CRITICALITY_WORDS = {"low": 1, "medium": 2, "high": 3, "critical": 4}
FALSE_WORDS = {"0", "false", "no", "off", "n"}


def order_by(sorts: Mapping[str, tuple[str, ...]], sort: str, default: str = "name") -> list[str]:
    """`sort="-criticality"` -> ["-criticality", "-name"]. Unknown keys use the default."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in sorts:
        key, descending = default, False
    prefix = "-" if descending else ""
    return [prefix + f for f in sorts[key]]


@dataclass(frozen=True)
class _Filters:
    q: str = ""
    business_unit: str = ""  # a business unit code
    sort: str = "name"

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = params.get(f.name)
            if raw is None or raw == "":
                continue
            if f.type in (bool | None, "bool | None"):
                text = str(raw).strip().lower()
                if text in TRUE_WORDS or raw is True:
                    values[f.name] = True
                elif text in FALSE_WORDS or raw is False:
                    values[f.name] = False
            elif f.type in (int | None, "int | None"):
                text = str(raw).strip().lower()
                if text.isdigit():
                    values[f.name] = int(text)
                elif f.name == "criticality" and text in CRITICALITY_WORDS:
                    values[f.name] = CRITICALITY_WORDS[text]
            else:
                values[f.name] = str(raw).strip()
        return cls(**values)


@dataclass(frozen=True)
class SystemFilters(_Filters):
    kind: str = ""
    environment: str = ""
    lifecycle: str = ""
    criticality: int | None = None  # effective criticality, 1 (low) .. 4 (critical)
    internet_facing: bool | None = None
    tag: str = ""
    owner: str = ""  # a person's employee_id or ref (PER-12)
    service: str = ""  # a service ref: systems it depends on directly


@dataclass(frozen=True)
class PersonFilters(_Filters):
    kind: str = ""
    status: str = ""
    department: str = ""
    privileged: bool | None = None
    manager: str = ""  # employee_id or ref
    sort: str = "name"


@dataclass(frozen=True)
class DataAssetFilters(_Filters):
    classification: str = ""
    personal_data: bool | None = None
    regulation: str = ""
    owner: str = ""
    system: str = ""  # a system ref: data assets that live on it


@dataclass(frozen=True)
class ServiceFilters(_Filters):
    criticality: int | None = None
    owner: str = ""
