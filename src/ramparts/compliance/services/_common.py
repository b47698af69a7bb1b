"""What the compliance services share: unit and inventory lookups within the actor's scope, audit."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from ramparts.core import audit
from ramparts.core.errors import NotFound, Problem, ValidationFailed
from ramparts.core.models import BusinessUnit
from ramparts.core.permissions import require_unit, scope_to_units
from ramparts.inventory.models import BusinessService, Person, System
from ramparts.inventory.selectors import parse_ref as inventory_ref


def unit_for(actor, value: BusinessUnit | str | int, action: str) -> BusinessUnit:
    """A business unit named by object, code or id, inside the actor's units (else NotFound)."""
    unit: BusinessUnit | None
    if isinstance(value, BusinessUnit):
        unit = value
    else:
        text = str(value).strip()
        unit = BusinessUnit.objects.filter(code=text).first()
        if unit is None and text.isdigit():
            unit = BusinessUnit.objects.filter(pk=int(text)).first()
        if unit is None:
            raise ValidationFailed("Unknown business unit.", [Problem(f"no unit {text!r}", column="business_unit")])
    require_unit(actor, unit.pk, action)
    return unit


def units_named(actor, values: Iterable[Any], field: str) -> list[BusinessUnit]:
    codes = [v.code if isinstance(v, BusinessUnit) else str(v).strip() for v in values if str(v).strip()]
    found = {u.code: u for u in BusinessUnit.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationFailed("Unknown business units.", [Problem(f"no unit {c!r}", column=field) for c in missing])
    return [found[c] for c in dict.fromkeys(codes)]


def _inventory(actor, model: type[Any], prefix: str, values: Iterable[Any], field: str) -> list:
    """Inventory objects by ref (SYS-3) or object, limited to the actor's units: a ref outside
    them is reported like an unknown one."""
    refs = [v.ref if isinstance(v, model) else str(v).strip() for v in values if str(v).strip()]
    numbers = {}
    problems = []
    for ref in refs:
        try:
            numbers[ref] = inventory_ref(ref, prefix)
        except NotFound:
            problems.append(Problem(f"{ref!r} is not a {prefix}- reference", column=field))
    found = {o.number: o for o in scope_to_units(actor, model._default_manager.filter(number__in=numbers.values()))}
    for ref, number in numbers.items():
        if number not in found:
            problems.append(Problem(f"no {ref} in your business units", column=field))
    if problems:
        raise ValidationFailed(f"Unknown {field}.", problems)
    return [found[numbers[ref]] for ref in dict.fromkeys(refs)]


def systems_named(actor, values: Iterable[Any], field: str) -> list[System]:
    return _inventory(actor, System, "SYS", values, field)


def services_named(actor, values: Iterable[Any], field: str) -> list[BusinessService]:
    return _inventory(actor, BusinessService, "SVC", values, field)


def person_named(actor, value: Any, field: str = "owner") -> Person | None:
    if value in (None, ""):
        return None
    return _inventory(actor, Person, "PER", [value], field)[0]


def choice(value: Any, choices: Iterable[tuple[Any, str]], field: str) -> Any:
    allowed = {str(k): k for k, _ in choices}
    key = str(value).strip()
    if key not in allowed:
        raise ValidationFailed(
            f"Invalid {field}.", [Problem(f"{value!r} is not one of {', '.join(allowed)}", column=field)]
        )
    return allowed[key]


def record(actor, action: str, obj: models.Model, changes: dict) -> None:
    audit.record(
        actor,
        audit.Change(
            action=action,
            object_type=audit.object_type_of(obj),
            object_id=str(obj.pk),
            object_ref=getattr(obj, "ref", str(obj)),
            changes=changes,
        ),
    )


def m2m_refs(objects: Iterable[Any]) -> list[str]:
    return sorted(getattr(o, "ref", None) or getattr(o, "code", None) or str(o) for o in objects)
