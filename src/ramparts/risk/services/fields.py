"""Checks and resolves the fields of a risk as given by a form, the API or an import.

Values may be objects or what a person types: a category name or id, a username, references
("SYS-12", "FND-3", "CTL-7"), a date "2026-12-31". Every problem names its field."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from ramparts.compliance.models import Control
from ramparts.core.errors import Problem
from ramparts.core.models import BusinessUnit, User
from ramparts.core.permissions import scope_to_units
from ramparts.inventory.models import BusinessService, DataAsset, System
from ramparts.risk.engine.matrix import Matrix
from ramparts.risk.models import Risk, RiskCategory
from ramparts.risk.quant.model import QuantError
from ramparts.risk.quant.spec import parse_scenario
from ramparts.vulns.models import Finding

TEXT_FIELDS = {"title": 300, "because": 5000, "affecting": 5000, "resulting_in": 5000, "threat": 10000}
TEXT_FIELDS |= {"existing_controls": 10000}
LEVEL_FIELDS = tuple(
    f"{stage}_{axis}" for stage in ("inherent", "residual", "target") for axis in ("likelihood", "impact")
)
LINKS: dict[str, tuple[type, str]] = {
    "services": (BusinessService, "SVC"),
    "systems": (System, "SYS"),
    "data_assets": (DataAsset, "DATA"),
    "findings": (Finding, "FND"),
    "controls": (Control, "CTL"),
}
SCALAR_FIELDS = {"business_unit", "category", "owner", "status", "next_review", "fair", *TEXT_FIELDS, *LEVEL_FIELDS}
ALL_FIELDS = SCALAR_FIELDS | set(LINKS)


def resolve(actor, fields: Mapping[str, Any], matrix: Matrix, problems: list[Problem]) -> tuple[dict, dict]:
    """(scalar values, {link: [objects]}) for the fields given; problems appended."""
    values: dict[str, Any] = {}
    links: dict[str, list] = {}
    for name in fields:
        if name not in ALL_FIELDS:
            problems.append(Problem("not a field of a risk", column=name))
    for name, limit in TEXT_FIELDS.items():
        if name in fields:
            text = str(fields[name] or "").strip()
            if name == "title" and not text:
                problems.append(Problem("is required", column=name))
            elif len(text) > limit:
                problems.append(Problem(f"is longer than {limit:,} characters", column=name))
            values[name] = text
    if "business_unit" in fields:
        values["business_unit"] = _unit(fields["business_unit"], problems)
    if "category" in fields:
        values["category"] = _category(fields["category"], problems)
    if "owner" in fields:
        values["owner"] = _owner(fields["owner"], problems)
    if "status" in fields:
        status = str(fields["status"] or "")
        if status not in Risk.Status.values:
            problems.append(Problem(f"must be one of {', '.join(Risk.Status.values)}", column="status"))
        values["status"] = status
    if "next_review" in fields:
        values["next_review"] = _date(fields["next_review"], "next_review", problems)
    for name in LEVEL_FIELDS:
        if name in fields:
            values[name] = _level(fields[name], name, matrix, problems)
    if "fair" in fields:
        values["fair"] = check_fair(fields["fair"], problems)
    for name, (model, prefix) in LINKS.items():
        if name in fields:
            links[name] = _links(actor, model, prefix, name, fields[name], problems)
    return values, links


def check_fair(raw: Any, problems: list[Problem]) -> dict | None:
    """An Open FAIR scenario in the SPEC format (docs/risk-quant.md), checked by the engine."""
    if raw in (None, "", {}):
        return None
    if not isinstance(raw, Mapping):
        problems.append(Problem("must be a scenario: frequency (or tef and vulnerability), loss", column="fair"))
        return None
    data = {k: v for k, v in raw.items() if k not in ("id", "title")}
    try:
        parse_scenario({**data, "id": "risk"}, 1)
    except QuantError as error:
        where = f"fair.{error.field}" if error.field else "fair"
        problems.append(Problem(error.reason, column=where))
        return None
    return data


def _unit(value: Any, problems: list[Problem]) -> BusinessUnit | None:
    if isinstance(value, BusinessUnit):
        return value
    unit = BusinessUnit.objects.filter(code__iexact=str(value or "").strip()).first()
    if unit is None:
        problems.append(Problem(f"no business unit {value!r}", column="business_unit"))
    return unit


def _category(value: Any, problems: list[Problem]) -> RiskCategory | None:
    if isinstance(value, RiskCategory):
        return value
    text = str(value or "").strip()
    found = RiskCategory.objects.filter(Q(name__iexact=text) | Q(pk=int(text) if text.isdigit() else None)).first()
    if found is None:
        problems.append(Problem(f"no risk category {text!r}" if text else "is required", column="category"))
    return found


def _owner(value: Any, problems: list[Problem]) -> User | None:
    if value in (None, ""):
        return None
    if isinstance(value, User):
        return value
    user = User.objects.filter(username=str(value).strip(), is_active=True).first()
    if user is None:
        problems.append(Problem(f"no active user {value!r}", column="owner"))
    return user


def _date(value: Any, name: str, problems: list[Problem]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(Problem(f"must be a date YYYY-MM-DD, got {value!r}", column=name))
        return None


def _level(value: Any, name: str, matrix: Matrix, problems: list[Problem]) -> int | None:
    if value in (None, ""):
        return None
    size = len(matrix.likelihood if name.endswith("likelihood") else matrix.impact)
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    if isinstance(value, bool) or not 1 <= level <= size:
        problems.append(Problem(f"must be a level from 1 to {size}, got {value!r}", column=name))
        return None
    return level


def _links(actor, model: Any, prefix: str, name: str, raw: Any, problems: list[Problem]) -> list:
    items = raw if isinstance(raw, list | tuple | set) else [v for v in str(raw or "").replace(",", "\n").split()]
    objects, numbers = [], []
    for item in items:
        if isinstance(item, model):
            objects.append(item)
            continue
        text = str(item).strip().upper()
        head, _, number = text.partition("-")
        if head != prefix or not number.isdigit():
            problems.append(Problem(f"{item!r} is not a {prefix}-n reference", column=name))
            continue
        numbers.append(int(number))
    if numbers:
        found = {o.number: o for o in scope_to_units(actor, model._default_manager.filter(number__in=numbers))}
        missing = [f"{prefix}-{n}" for n in numbers if n not in found]
        if missing:
            problems.append(Problem(f"not found: {', '.join(missing)}", column=name))
        objects += [found[n] for n in numbers if n in found]
    return objects
