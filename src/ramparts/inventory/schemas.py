"""API shapes of the inventory. Inputs use the import columns' names and accepted values
(docs/inventory-import.md), so a file row and a JSON body say the same thing the same way."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from ramparts.inventory.importexport.columns import CRITICALITY_WORDS, LEVEL_WORDS
from ramparts.inventory.models import lines

Level = str  # low | moderate | high
CriticalityWord = str  # low | medium | high | critical


def _word(value: int, words: dict[str, int]) -> str:
    return next((w for w, v in words.items() if v == value), str(value))


def _level(value: int) -> str:
    return _word(value, LEVEL_WORDS)


def _criticality(value: int) -> str:
    return _word(value, CRITICALITY_WORDS)


class _Out(Schema):
    ref: str
    business_unit: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_business_unit(obj) -> str:
        return obj.business_unit.code


def _person_key(person) -> str | None:
    return person.employee_id if person is not None else None


# --- people -------------------------------------------------------------------------------------


class PersonOut(_Out):
    employee_id: str
    full_name: str
    email: str
    kind: str
    department: str
    job_title: str
    manager: str | None = Field(None, description="employee_id of the manager")
    status: str
    start_date: dt.date | None
    end_date: dt.date | None
    privileged: bool
    user: str | None = Field(None, description="username of the linked Ramparts account")

    @staticmethod
    def resolve_manager(obj) -> str | None:
        return _person_key(obj.manager)

    @staticmethod
    def resolve_user(obj) -> str | None:
        return obj.user.username if obj.user_id else None


class PersonPatch(Schema):
    employee_id: str | None = None
    full_name: str | None = None
    email: str | None = None
    kind: str | None = Field(None, description="employee | contractor")
    business_unit: str | None = Field(None, description="business unit code")
    department: str | None = None
    job_title: str | None = None
    manager: str | None = Field(None, description="employee_id of the manager ('' for none)")
    status: str | None = Field(None, description="active | leaver")
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    privileged: bool | None = None
    user: str | None = Field(None, description="username ('' for none)")


class PersonIn(PersonPatch):
    employee_id: str  # type: ignore[assignment]
    full_name: str  # type: ignore[assignment]
    business_unit: str  # type: ignore[assignment]


# --- systems ------------------------------------------------------------------------------------


class SystemOut(_Out):
    name: str
    kind: str
    description: str
    vendor: str
    product: str
    version: str
    cpe: str
    hostnames: list[str]
    ip_addresses: list[str]
    urls: list[str]
    environment: str
    internet_facing: bool
    owner: str | None = Field(None, description="employee_id of the owner")
    tags: list[str]
    lifecycle: str
    criticality: CriticalityWord = Field(description="the system's own criticality")
    effective_criticality: CriticalityWord = Field(description="after propagation along dependencies")
    confidentiality: Level
    integrity: Level
    availability: Level
    criticality_reasons: list[str]

    @staticmethod
    def resolve_owner(obj) -> str | None:
        return _person_key(obj.owner)

    @staticmethod
    def resolve_hostnames(obj) -> list[str]:
        return lines(obj.hostnames)

    @staticmethod
    def resolve_ip_addresses(obj) -> list[str]:
        return lines(obj.ip_addresses)

    @staticmethod
    def resolve_urls(obj) -> list[str]:
        return lines(obj.urls)

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return lines(obj.tags)

    @staticmethod
    def resolve_criticality(obj) -> str:
        return _criticality(obj.own_criticality)

    @staticmethod
    def resolve_effective_criticality(obj) -> str:
        return _criticality(obj.criticality)

    @staticmethod
    def resolve_confidentiality(obj) -> str:
        return _level(obj.confidentiality)

    @staticmethod
    def resolve_integrity(obj) -> str:
        return _level(obj.integrity)

    @staticmethod
    def resolve_availability(obj) -> str:
        return _level(obj.availability)


class SystemPatch(Schema):
    name: str | None = None
    kind: str | None = None
    business_unit: str | None = Field(None, description="business unit code")
    description: str | None = None
    vendor: str | None = None
    product: str | None = None
    version: str | None = None
    cpe: str | None = Field(None, description="CPE 2.3 formatted string")
    hostnames: list[str] | None = None
    ip_addresses: list[str] | None = None
    urls: list[str] | None = None
    environment: str | None = None
    internet_facing: bool | None = None
    owner: str | None = Field(None, description="employee_id of the owner ('' for none)")
    tags: list[str] | None = None
    lifecycle: str | None = None
    criticality: CriticalityWord | None = Field(None, description="own criticality: low, medium, high, critical")


class SystemIn(SystemPatch):
    name: str  # type: ignore[assignment]
    kind: str  # type: ignore[assignment]
    business_unit: str  # type: ignore[assignment]


# --- data assets --------------------------------------------------------------------------------


class DataAssetOut(_Out):
    name: str
    description: str
    classification: str
    personal_data: bool
    special_category_data: bool
    health_data: bool
    cardholder_data: bool
    record_count: int | None
    confidentiality: Level
    integrity: Level
    availability: Level
    systems: list[str] = Field(description="names of the systems it lives on")
    owner: str | None = None
    regulations: list[str]

    @staticmethod
    def resolve_systems(obj) -> list[str]:
        return sorted(s.name for s in obj.systems.all())

    @staticmethod
    def resolve_owner(obj) -> str | None:
        return _person_key(obj.owner)

    @staticmethod
    def resolve_regulations(obj) -> list[str]:
        return lines(obj.regulations)

    @staticmethod
    def resolve_confidentiality(obj) -> str:
        return _level(obj.confidentiality)

    @staticmethod
    def resolve_integrity(obj) -> str:
        return _level(obj.integrity)

    @staticmethod
    def resolve_availability(obj) -> str:
        return _level(obj.availability)


class DataAssetPatch(Schema):
    name: str | None = None
    business_unit: str | None = None
    description: str | None = None
    classification: str | None = Field(None, description="public | internal | confidential | restricted")
    personal_data: bool | None = None
    special_category_data: bool | None = None
    health_data: bool | None = None
    cardholder_data: bool | None = None
    record_count: int | None = None
    confidentiality: Level | None = None
    integrity: Level | None = None
    availability: Level | None = None
    systems: list[str] | None = Field(None, description="names of the systems it lives on")
    owner: str | None = None
    regulations: list[str] | None = None


class DataAssetIn(DataAssetPatch):
    name: str  # type: ignore[assignment]
    business_unit: str  # type: ignore[assignment]


# --- business services --------------------------------------------------------------------------


class ServiceOut(_Out):
    name: str
    description: str
    criticality: CriticalityWord
    tier: int
    rto_hours: int | None
    rpo_hours: int | None
    owner: str | None = None
    confidentiality: Level
    integrity: Level
    availability: Level

    @staticmethod
    def resolve_criticality(obj) -> str:
        return _criticality(obj.criticality)

    @staticmethod
    def resolve_owner(obj) -> str | None:
        return _person_key(obj.owner)

    @staticmethod
    def resolve_confidentiality(obj) -> str:
        return _level(obj.confidentiality)

    @staticmethod
    def resolve_integrity(obj) -> str:
        return _level(obj.integrity)

    @staticmethod
    def resolve_availability(obj) -> str:
        return _level(obj.availability)


class ServicePatch(Schema):
    name: str | None = None
    business_unit: str | None = None
    description: str | None = None
    criticality: CriticalityWord | None = None
    rto_hours: int | None = None
    rpo_hours: int | None = None
    owner: str | None = None
    confidentiality: Level | None = None
    integrity: Level | None = None
    availability: Level | None = None


class ServiceIn(ServicePatch):
    name: str  # type: ignore[assignment]
    business_unit: str  # type: ignore[assignment]


class DependencyIn(Schema):
    target: str = Field(description="ref of a system, data asset or service: SYS-1, DATA-2, SVC-3")


class DependencyOut(Schema):
    service: str
    target: str
    target_type: str
    target_name: str

    @staticmethod
    def resolve_service(obj) -> str:
        return obj.service.ref

    @staticmethod
    def resolve_target(obj) -> str:
        return obj.target.ref

    @staticmethod
    def resolve_target_type(obj) -> str:
        return "service" if obj.upstream_service_id else "system" if obj.system_id else "data_asset"

    @staticmethod
    def resolve_target_name(obj) -> str:
        return str(obj.target)


class BulkUpdateIn(Schema):
    refs: list[str]
    fields: dict[str, Any] = Field(description="column names and values, as for a single update")


class BulkUpdateOut(Schema):
    changed: int


class ProblemOut(Schema):
    line: int | None
    column: str | None
    reason: str


class ImportReportOut(Schema):
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    errors: list[ProblemOut]


class FilterIn(Schema):
    q: str = Field("", description="words to find in names, hostnames, IPs, URLs, vendor, product, CPE, tags")
    business_unit: str = Field("", description="business unit code")
    sort: str = Field("name", description="a sort key; prefix with - to reverse")


class SystemFilterIn(FilterIn):
    kind: str = ""
    environment: str = ""
    lifecycle: str = ""
    criticality: int | None = Field(None, description="effective criticality, 1 (low) to 4 (critical)")
    internet_facing: bool | None = None
    tag: str = ""
    owner: str = Field("", description="employee_id or ref of the owner")
    service: str = Field("", description="ref of a service: systems it depends on directly")


class PersonFilterIn(FilterIn):
    kind: str = ""
    status: str = ""
    department: str = ""
    privileged: bool | None = None
    manager: str = ""


class DataAssetFilterIn(FilterIn):
    classification: str = ""
    personal_data: bool | None = None
    regulation: str = ""
    owner: str = ""
    system: str = Field("", description="ref of a system: data assets that live on it")


class ServiceFilterIn(FilterIn):
    criticality: int | None = None
    owner: str = ""
