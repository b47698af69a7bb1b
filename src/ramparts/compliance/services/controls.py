"""Writes of the control library: controls, their scope, technologies and requirement mappings."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from ramparts.compliance.models import Control, ControlRequirement
from ramparts.compliance.refs import next_number, resolve_requirements
from ramparts.compliance.selectors import control_get, visible_to
from ramparts.compliance.services._common import (
    choice,
    m2m_refs,
    person_named,
    record,
    systems_named,
    unit_for,
    units_named,
)
from ramparts.core import audit
from ramparts.core.errors import Problem, ValidationFailed
from ramparts.core.permissions import require

SCALARS = ("name", "description", "owner", "control_type", "automation", "frequency", "status", "annual_cost")
RELATIONS = ("units_in_scope", "systems", "technologies", "requirements")
FIELDS = frozenset((*SCALARS, "effectiveness", *RELATIONS))


def _clean(actor, fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    unknown = sorted(set(fields) - FIELDS)
    if unknown:
        raise ValidationFailed(
            "Unknown control fields.", [Problem("not a field you can set", column=n) for n in unknown]
        )
    values: dict[str, Any] = {}
    problems = []
    if "name" in fields:
        name = str(fields["name"] or "").strip()
        if not name or len(name) > 200:
            problems.append(Problem("a name of 1 to 200 characters is required", column="name"))
        values["name"] = name
    if "description" in fields:
        values["description"] = str(fields["description"] or "")
    for name, choices in (
        ("control_type", Control.Type.choices),
        ("automation", Control.Automation.choices),
        ("frequency", Control.Frequency.choices),
        ("status", Control.Status.choices),
        ("effectiveness", Control.Effectiveness.choices),
    ):
        if name in fields:
            try:
                values[name] = choice(fields[name], choices, name)
            except ValidationFailed as exc:
                problems += exc.problems
    if "annual_cost" in fields:
        raw = fields["annual_cost"]
        if raw in (None, ""):
            values["annual_cost"] = None
        else:
            try:
                cost = Decimal(str(raw).replace(",", "").strip())
                if not cost.is_finite() or cost < 0 or cost >= Decimal("1e12"):
                    raise InvalidOperation
                values["annual_cost"] = cost.quantize(Decimal("0.01"))
            except InvalidOperation:
                problems.append(Problem(f"{raw!r} is not an amount ≥ 0", column="annual_cost"))
    if problems:
        raise ValidationFailed("Invalid control.", problems)
    if "owner" in fields:
        values["owner"] = person_named(actor, fields["owner"])
    relations: dict[str, list] = {}
    if "units_in_scope" in fields:
        relations["units_in_scope"] = units_named(actor, fields["units_in_scope"] or [], "units_in_scope")
    if "systems" in fields:
        relations["systems"] = systems_named(actor, fields["systems"] or [], "systems")
    if "technologies" in fields:
        relations["technologies"] = systems_named(actor, fields["technologies"] or [], "technologies")
    if "requirements" in fields:
        relations["requirements"] = resolve_requirements(list(fields["requirements"] or []))
    return values, relations


def _relations_snapshot(control: Control) -> dict[str, list[str]]:
    return {
        "units_in_scope": m2m_refs(control.units_in_scope.all()),
        "systems": m2m_refs(control.systems.all()),
        "technologies": m2m_refs(control.technologies.all()),
        "requirements": sorted(
            f"{m.requirement.framework.slug}:{m.requirement.identifier}"
            for m in control.mappings.select_related("requirement__framework")
        ),
    }


def _set_relations(control: Control, relations: dict[str, list]) -> None:
    for name in ("units_in_scope", "systems", "technologies"):
        if name in relations:
            getattr(control, name).set(relations[name])
    if "requirements" in relations:
        wanted = {r.pk for r in relations["requirements"]}
        control.mappings.exclude(requirement_id__in=wanted).delete()
        have = set(control.mappings.values_list("requirement_id", flat=True))
        ControlRequirement.objects.bulk_create(
            [ControlRequirement(control=control, requirement_id=rid) for rid in wanted - have]
        )


def control_create(*, actor, business_unit, name: str, **fields: Any) -> Control:
    require(actor, "compliance.change")
    unit = unit_for(actor, business_unit, "compliance.change")
    values, relations = _clean(actor, {"name": name, **fields})
    with transaction.atomic():
        control = Control.objects.create(number=next_number(Control), business_unit=unit, **values)
        _set_relations(control, relations)
        after = {**audit.snapshot(control), **_relations_snapshot(control)}
        record(actor, audit.Action.CREATE, control, audit.created(after))
    return control


def control_update(*, actor, ref: str, **fields: Any) -> Control:
    control = control_get(actor, ref=ref)
    require(actor, "compliance.change")
    if "business_unit" in fields:
        fields = dict(fields)
        control.business_unit = unit_for(actor, fields.pop("business_unit"), "compliance.change")
    values, relations = _clean(actor, fields)
    with transaction.atomic():
        before = {**audit.snapshot(control), **_relations_snapshot(control)}
        for name, value in values.items():
            setattr(control, name, value)
        control.save()
        _set_relations(control, relations)
        changes = audit.diff(before, {**audit.snapshot(control), **_relations_snapshot(control)})
        if changes:
            record(actor, audit.Action.UPDATE, control, changes)
    return control


def control_delete(*, actor, ref: str) -> None:
    control = control_get(actor, ref=ref)
    require(actor, "compliance.change")
    with transaction.atomic():
        before = {**audit.snapshot(control), **_relations_snapshot(control)}
        record(actor, audit.Action.DELETE, control, audit.deleted(before))
        control.delete()


def control_map(*, actor, ref: str, add: list[str] = (), remove: list[str] = ()) -> Control:  # type: ignore[assignment]
    """Add and remove requirement mappings ("framework-slug:identifier") without restating the rest."""
    control = control_get(actor, ref=ref)
    require(actor, "compliance.change")
    adding = resolve_requirements(list(add), field="add")
    removing = resolve_requirements(list(remove), field="remove")
    with transaction.atomic():
        before = _relations_snapshot(control)["requirements"]
        have = set(control.mappings.values_list("requirement_id", flat=True))
        ControlRequirement.objects.bulk_create(
            [ControlRequirement(control=control, requirement=r) for r in adding if r.pk not in have]
        )
        control.mappings.filter(requirement__in=removing).delete()
        after = _relations_snapshot(control)["requirements"]
        if before != after:
            record(actor, audit.Action.UPDATE, control, {"requirements": [before, after]})
    return control


def controls_for_units(actor):
    """The controls the actor may change (for pickers)."""
    return visible_to(actor, Control, "compliance.change")
