"""The columns of every inventory entity: one table drives import, export, validation and the docs.

Every value has a *cell* form, the text a spreadsheet holds ("critical", "true", "web-1; web-2").
Imports parse cells into model values; exports and audit diffs use cells, so a re-imported export
compares equal and changes nothing. Services accept Python values too: `to_cell` turns them into
cells first, so one parser checks the UI, the API, the CLI and files alike.
"""

import datetime as dt
import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models

from ramparts.inventory.engine import cpe
from ramparts.inventory.models import BusinessService, Criticality, DataAsset, Level, Person, System, lines

CRITICALITY_WORDS = {c.label: c.value for c in Criticality}
CRITICALITY_WORDS.update({f"tier {5 - c.value}": c.value for c in Criticality})
LEVEL_WORDS = {lv.label: lv.value for lv in Level} | {"medium": Level.MODERATE.value}
TRUE_WORDS = {"true", "yes", "y", "1", "x"}
FALSE_WORDS = {"false", "no", "n", "0", ""}
LIST_SEPARATOR = ";"


class Kind(StrEnum):
    TEXT = "text"
    EMAIL = "email"
    CHOICE = "choice"
    BOOL = "bool"
    INT = "int"
    DATE = "date"
    LINES = "list"
    IPS = "ip list"
    URLS = "url list"
    LEVEL = "level"
    CRITICALITY = "criticality"
    CPE = "cpe"
    UNIT = "business unit"
    PERSON = "person"
    USER = "user"
    SYSTEMS = "systems"
    SERVICE = "service"
    REF = "ref"  # read-only, export only
    DERIVED = "derived"  # read-only, export only


class Invalid(ValueError):
    """A cell that cannot be parsed; the message is the reason a person reads."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    field: str = ""  # model attribute (defaults to `name`)
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    default: Any = None

    @property
    def attr(self) -> str:
        return self.field or self.name

    @property
    def read_only(self) -> bool:
        return self.kind in (Kind.REF, Kind.DERIVED)

    @property
    def is_relation(self) -> bool:
        return self.kind in (Kind.UNIT, Kind.PERSON, Kind.USER)

    def accepted(self) -> str:
        """What a person may write in this column, for errors and docs."""
        match self.kind:
            case Kind.CHOICE:
                return ", ".join(self.choices)
            case Kind.BOOL:
                return "true/false (also yes/no, 1/0; empty = false)"
            case Kind.LEVEL:
                return "low, moderate, high"
            case Kind.CRITICALITY:
                return "low, medium, high, critical (or tier 4 … tier 1)"
            case Kind.INT:
                return "a whole number ≥ 0, or empty"
            case Kind.DATE:
                return "a date as YYYY-MM-DD, or empty"
            case Kind.LINES | Kind.IPS | Kind.URLS | Kind.SYSTEMS:
                return f"several values separated by '{LIST_SEPARATOR}'"
            case Kind.CPE:
                return "a CPE 2.3 name (cpe:2.3:part:vendor:product:version:…, 13 components), or empty"
            case Kind.UNIT:
                return "a business unit code"
            case Kind.PERSON:
                return "a person's employee_id"
            case Kind.USER:
                return "a Ramparts username"
            case Kind.SERVICE:
                return "a business service name"
            case _:
                return f"text, up to {self.max_length} characters" if self.max_length else "text"


def _col(model: type[models.Model], name: str, kind: Kind, help: str = "", **kw: Any) -> Column:
    """A column whose choices, length and default come from the model field, so they cannot drift."""
    attr = kw.pop("field", "") or name
    mf = model._meta.get_field(attr)
    if isinstance(mf, models.Field):
        if mf.choices and kind == Kind.CHOICE:
            kw.setdefault("choices", tuple(str(v) for v, _ in mf.choices))  # type: ignore[misc]
        if getattr(mf, "max_length", None) and kind in (Kind.TEXT, Kind.EMAIL, Kind.CPE):
            kw.setdefault("max_length", mf.max_length)
        if mf.has_default() and not callable(mf.default):
            kw.setdefault("default", mf.default)
        if not mf.blank and not mf.null and not mf.has_default():
            kw.setdefault("required", True)
    return Column(name=name, kind=kind, field=attr if attr != name else "", help=help, **kw)


REF = Column("ref", Kind.REF, help="The short reference (read-only: ignored on import).")

PEOPLE = (
    REF,
    _col(Person, "employee_id", Kind.TEXT, "The natural key: rows with the same employee_id update that person."),
    _col(Person, "full_name", Kind.TEXT),
    _col(Person, "email", Kind.EMAIL),
    _col(Person, "kind", Kind.CHOICE),
    Column("business_unit", Kind.UNIT, required=True, help="Must be one of your business units."),
    _col(Person, "department", Kind.TEXT),
    _col(Person, "job_title", Kind.TEXT),
    Column("manager", Kind.PERSON, help="employee_id of the manager (may be another row of the same file)."),
    _col(Person, "status", Kind.CHOICE),
    _col(Person, "start_date", Kind.DATE),
    _col(Person, "end_date", Kind.DATE, "Leaving date; not before start_date."),
    _col(Person, "privileged", Kind.BOOL, "Holds privileged access."),
    Column("user", Kind.USER, help="Username of the person's Ramparts account, if any."),
)

SYSTEMS = (
    REF,
    _col(System, "name", Kind.TEXT, "The natural key: rows with the same name update that system."),
    _col(System, "kind", Kind.CHOICE),
    Column("business_unit", Kind.UNIT, required=True, help="Must be one of your business units."),
    _col(System, "description", Kind.TEXT),
    _col(System, "vendor", Kind.TEXT),
    _col(System, "product", Kind.TEXT),
    _col(System, "version", Kind.TEXT),
    _col(System, "cpe", Kind.CPE, "Validated against the CPE 2.3 formatted-string rules."),
    _col(System, "hostnames", Kind.LINES),
    _col(System, "ip_addresses", Kind.IPS, "IPv4/IPv6 addresses or networks (CIDR)."),
    _col(System, "urls", Kind.URLS, "Each with a scheme, e.g. https://…"),
    _col(System, "environment", Kind.CHOICE),
    _col(System, "internet_facing", Kind.BOOL),
    Column("owner", Kind.PERSON, help="employee_id of the owner."),
    _col(System, "tags", Kind.LINES),
    _col(System, "lifecycle", Kind.CHOICE),
    _col(System, "criticality", Kind.CRITICALITY, "The system's own criticality.", field="own_criticality"),
    Column("effective_criticality", Kind.DERIVED, help="Read-only: criticality after propagation."),
    Column("criticality_reasons", Kind.DERIVED, help="Read-only: why, e.g. 'critical: supports Payments (tier 1)'."),
)

DATA_ASSETS = (
    REF,
    _col(DataAsset, "name", Kind.TEXT, "The natural key: rows with the same name update that data asset."),
    Column("business_unit", Kind.UNIT, required=True, help="Must be one of your business units."),
    _col(DataAsset, "description", Kind.TEXT),
    _col(DataAsset, "classification", Kind.CHOICE),
    _col(DataAsset, "personal_data", Kind.BOOL),
    _col(DataAsset, "special_category_data", Kind.BOOL),
    _col(DataAsset, "health_data", Kind.BOOL, "Health information / PHI."),
    _col(DataAsset, "cardholder_data", Kind.BOOL),
    _col(DataAsset, "record_count", Kind.INT, "Approximate number of records."),
    _col(DataAsset, "confidentiality", Kind.LEVEL),
    _col(DataAsset, "integrity", Kind.LEVEL),
    _col(DataAsset, "availability", Kind.LEVEL),
    Column("systems", Kind.SYSTEMS, help="Names of the systems it lives on."),
    Column("owner", Kind.PERSON, help="employee_id of the owner."),
    _col(DataAsset, "regulations", Kind.LINES, "e.g. GDPR; PCI DSS; HIPAA."),
)

SERVICES = (
    REF,
    _col(BusinessService, "name", Kind.TEXT, "The natural key: rows with the same name update that service."),
    Column("business_unit", Kind.UNIT, required=True, help="Must be one of your business units."),
    _col(BusinessService, "description", Kind.TEXT),
    _col(BusinessService, "criticality", Kind.CRITICALITY),
    _col(BusinessService, "rto_hours", Kind.INT, "Recovery time objective, hours."),
    _col(BusinessService, "rpo_hours", Kind.INT, "Recovery point objective, hours."),
    Column("owner", Kind.PERSON, help="employee_id of the owner."),
    _col(BusinessService, "confidentiality", Kind.LEVEL),
    _col(BusinessService, "integrity", Kind.LEVEL),
    _col(BusinessService, "availability", Kind.LEVEL),
)

TARGET_TYPES = ("system", "data_asset", "service")
DEPENDENCIES = (
    Column("service", Kind.SERVICE, required=True, help="Name of the service that depends on the target."),
    Column("target_type", Kind.CHOICE, required=True, choices=TARGET_TYPES, help="What the target is."),
    Column("target", Kind.TEXT, required=True, help="Name of the system, data asset or service depended on."),
)


@dataclass(frozen=True)
class Entity:
    slug: str  # as on the command line: people, systems, data-assets, services, dependencies
    label: str
    columns: tuple[Column, ...]
    model: type[models.Model] | None
    key: tuple[str, ...] = ("name",)
    by_name: dict[str, Column] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.by_name.update({c.name: c for c in self.columns})

    @property
    def writable(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.read_only)


ENTITIES = {
    e.slug: e
    for e in (
        Entity("people", "people", PEOPLE, Person, ("employee_id",)),
        Entity("systems", "systems", SYSTEMS, System),
        Entity("data-assets", "data assets", DATA_ASSETS, DataAsset),
        Entity("services", "business services", SERVICES, BusinessService),
        Entity("dependencies", "dependencies", DEPENDENCIES, None, ("service", "target_type", "target")),
    )
}


def entity(slug: str) -> Entity:
    try:
        return ENTITIES[slug.replace("_", "-")]
    except KeyError:
        raise Invalid(f"unknown entity {slug!r}: choose from {', '.join(ENTITIES)}") from None


# --- cells --------------------------------------------------------------------------------------


def to_cell(value: Any) -> str:
    """A Python value (as the UI or API passes it) in cell form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, models.Model):
        for attr in ("code", "employee_id", "username", "name"):
            if hasattr(value, attr):
                return str(getattr(value, attr))
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return f"{LIST_SEPARATOR} ".join(to_cell(v) for v in value)
    return str(value)


def split_list(raw: str) -> list[str]:
    items = (v.strip() for v in raw.replace("\n", LIST_SEPARATOR).split(LIST_SEPARATOR))
    return list(dict.fromkeys(v for v in items if v))


def join_list(values: Iterable[str]) -> str:
    return f"{LIST_SEPARATOR} ".join(values)


def _level_word(value: int, words: dict[str, int]) -> str:
    return next((w for w, v in words.items() if v == value), str(value))


def parse_scalar(column: Column, raw: str) -> tuple[Any, str]:
    """(model value, canonical cell) for a column that needs no database lookup."""
    text = raw.strip()
    match column.kind:
        case Kind.TEXT | Kind.EMAIL | Kind.CPE:
            if column.max_length and len(text) > column.max_length:
                raise Invalid(f"is longer than {column.max_length} characters")
            if column.kind == Kind.EMAIL and text:
                try:
                    validate_email(text)
                except ValidationError:
                    raise Invalid(f"{text!r} is not an e-mail address") from None
            if column.kind == Kind.CPE and text:
                found = cpe.problems(text)
                if found:
                    raise Invalid("; ".join(found))
            return text, text
        case Kind.CHOICE:
            if not text and column.default is not None:
                return column.default, str(column.default)
            wanted = text.lower().replace(" ", "_")
            for choice in column.choices:
                if wanted == choice.lower():
                    return choice, choice
            raise Invalid(f"{text!r} is not one of: {', '.join(column.choices)}")
        case Kind.BOOL:
            word = text.lower()
            if word in TRUE_WORDS:
                return True, "true"
            if word in FALSE_WORDS:
                return False, "false"
            raise Invalid(f"{text!r} is not true or false")
        case Kind.INT:
            if not text:
                return None, ""
            if not text.isdigit():
                raise Invalid(f"{text!r} is not a whole number ≥ 0")
            return int(text), str(int(text))
        case Kind.DATE:
            if not text:
                return None, ""
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                raise Invalid(f"{text!r} is not a date (YYYY-MM-DD)") from None
            return day, day.isoformat()
        case Kind.LEVEL | Kind.CRITICALITY:
            words = LEVEL_WORDS if column.kind == Kind.LEVEL else CRITICALITY_WORDS
            if not text:
                value = column.default or 1
            elif text.lower() in words:
                value = words[text.lower()]
            elif text.isdigit() and int(text) in words.values():
                value = int(text)
            else:
                raise Invalid(f"{text!r} is not one of: {column.accepted()}")
            return value, _level_word(value, words)
        case Kind.LINES | Kind.IPS | Kind.URLS:
            items = split_list(text)
            for item in items:
                _check_item(column.kind, item)
            return "\n".join(items), join_list(items)
    raise AssertionError(f"{column.kind} needs a lookup")


def _check_item(kind: Kind, item: str) -> None:
    if kind == Kind.IPS:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise Invalid(f"{item!r} is not an IP address or network") from None
    elif kind == Kind.URLS and ("://" not in item or " " in item):
        raise Invalid(f"{item!r} is not a URL (it needs a scheme, e.g. https://)")


def current_cell(column: Column, obj: Any) -> str:
    """The cell form of what `obj` holds now (relations must be select_related/prefetched)."""
    value: Any = getattr(obj, column.attr, None) if column.kind not in (Kind.REF, Kind.DERIVED) else None
    match column.kind:
        case Kind.REF:
            return obj.ref
        case Kind.DERIVED:
            if column.name == "effective_criticality":
                return _level_word(obj.criticality, CRITICALITY_WORDS)
            return join_list(obj.criticality_reasons or [])
        case Kind.BOOL:
            return "true" if value else "false"
        case Kind.LEVEL:
            return _level_word(value, LEVEL_WORDS)
        case Kind.CRITICALITY:
            return _level_word(value, CRITICALITY_WORDS)
        case Kind.LINES | Kind.IPS | Kind.URLS:
            return join_list(lines(value))
        case Kind.UNIT | Kind.PERSON | Kind.USER:
            return to_cell(value)
        case Kind.SYSTEMS:
            return join_list(sorted(s.name for s in obj.systems.all()))
        case Kind.DATE:
            return value.isoformat() if value else ""
    return "" if value is None else str(value)


CellReader = Callable[[Column, Any], str]
