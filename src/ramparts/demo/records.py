"""The demo organisation as plain records. Field names are the inventory models' field names;
relations are by natural key (unit code, employee id, system/data/service name)."""

import datetime as dt
from dataclasses import dataclass, field

# Dates are relative to a fixed day, so that the same seed gives the same organisation every day.
ANCHOR = dt.date(2026, 10, 1)
DOMAIN = "northwind-mutual.example"
COMPANY = "Northwind Mutual"


@dataclass(frozen=True)
class UnitRec:
    code: str
    name: str
    description: str


@dataclass
class PersonRec:
    employee_id: str
    full_name: str
    email: str
    business_unit: str
    department: str
    job_title: str
    manager: str = ""
    kind: str = "employee"
    status: str = "active"
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    privileged: bool = False


@dataclass
class SystemRec:
    name: str
    kind: str
    business_unit: str
    description: str = ""
    vendor: str = ""
    product: str = ""
    version: str = ""
    cpe: str = ""
    hostnames: list[str] = field(default_factory=list)
    ip_addresses: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    environment: str = "production"
    internet_facing: bool = False
    owner: str = ""
    tags: list[str] = field(default_factory=list)
    lifecycle: str = "in_service"
    own_criticality: int = 1


@dataclass
class DataRec:
    name: str
    business_unit: str
    description: str
    classification: str
    record_count: int | None
    confidentiality: int
    integrity: int
    availability: int
    systems: list[str]
    regulations: list[str]
    owner: str = ""
    personal_data: bool = False
    special_category_data: bool = False
    health_data: bool = False
    cardholder_data: bool = False


@dataclass
class ServiceRec:
    name: str
    business_unit: str
    description: str
    criticality: int  # 4 = critical = tier 1
    rto_hours: int
    rpo_hours: int
    confidentiality: int
    integrity: int
    availability: int
    owner: str = ""
    systems: list[str] = field(default_factory=list)
    data_assets: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)  # upstream services, defined earlier in the list


@dataclass(frozen=True)
class DemoUserRec:
    username: str
    role: str
    email: str
    first_name: str
    last_name: str
    units: tuple[str, ...]
    all_units: bool
    person: str  # employee id of the Person this account belongs to


@dataclass
class DemoOrg:
    seed: int
    units: list[UnitRec]
    people: list[PersonRec]
    systems: list[SystemRec]
    data_assets: list[DataRec]
    services: list[ServiceRec]
    users: list[DemoUserRec]
