"""Create, update, delete, bulk edit and import, written once for every inventory entity."""

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction

from ramparts.core import audit
from ramparts.core.errors import Conflict, NotFound, Problem, ValidationFailed
from ramparts.core.permissions import require, require_unit, scope_to_units, unit_ids
from ramparts.inventory.importexport.columns import Entity, Kind, current_cell, to_cell
from ramparts.inventory.selectors import parse_ref
from ramparts.inventory.services._rows import (
    ImportReport,
    Lookups,
    Plan,
    check_row,
    diff_with,
    existing_by_key,
    object_ref,
    write,
)

PROPAGATING_ENTITIES = {"systems", "data-assets", "services"}
PROPAGATING_COLUMNS = {"criticality", "confidentiality", "integrity", "availability", "systems"}
MAX_PROBLEMS = 1000  # a report longer than this helps no one; the count says how many more


def normalise_header(name: str) -> str:
    return (name or "").strip().lower().replace(" ", "_").replace("-", "_")


def normalise_rows(rows: Iterable[Mapping[str, Any]]) -> tuple[list[dict[str, str]], list[int]]:
    """Rows with plain header names and text cells, and each row's line (a file's Row knows it;
    otherwise line 1 is the header and rows follow)."""
    table, lines = [], []
    names: dict[str, str] = {}
    for index, row in enumerate(rows):
        cells = {}
        for key, value in row.items():
            name = names.get(key)
            if name is None:
                name = names[key] = normalise_header(key)
            cells[name] = "" if value is None else value if isinstance(value, str) else str(value)
        table.append(cells)
        lines.append(getattr(row, "line", 0) or index + 2)
    return table, lines


def cells_from_fields(entity: Entity, fields: Mapping[str, Any]) -> dict[str, str]:
    """Keyword arguments of a service call (Python values) -> cells, refusing unknown names."""
    unknown = [name for name in fields if name not in entity.by_name or entity.by_name[name].read_only]
    if unknown:
        raise ValidationFailed(
            f"Unknown {entity.label} fields.", [Problem(column=n, reason="not a field you can set") for n in unknown]
        )
    return {name: to_cell(value) for name, value in fields.items()}


def _entity_problems(entity: Entity, plan: Plan) -> list[Problem]:
    found = []
    if entity.slug == "people":
        start, end = plan.values.get("start_date"), plan.values.get("end_date")
        if plan.obj is not None:
            start = start if "start_date" in plan.values else plan.obj.start_date
            end = end if "end_date" in plan.values else plan.obj.end_date
        if start and end and end < start:
            found.append(Problem("end_date is before start_date", plan.line, "end_date"))
        if plan.cells.get("manager") and plan.cells.get("manager") == plan.key:
            found.append(Problem("a person cannot be their own manager", plan.line, "manager"))
    return found


def _account_problems(plans: list[Plan]) -> list[Problem]:
    """A Ramparts account belongs to one person at most, in the file and in the inventory."""
    from ramparts.inventory.models import Person

    wanted = {p.values["user_id"]: p for p in plans if p.values.get("user_id")}
    if not wanted:
        return []
    problems: list[Problem] = []
    seen: dict[int, int | None] = {}
    for plan in plans:
        user_id = plan.values.get("user_id")
        if user_id and user_id in seen:
            problems.append(Problem(f"this account is already linked on line {seen[user_id]}", plan.line, "user"))
        elif user_id:
            seen[user_id] = plan.line
    for user_id, employee_id in Person.objects.filter(user_id__in=wanted).values_list("user_id", "employee_id"):
        plan = wanted[user_id]
        if employee_id != plan.key:
            problems.append(Problem(f"this account is already linked to {employee_id}", plan.line, "user"))
    return problems


def _missing_for_create(entity: Entity, plan: Plan) -> list[Problem]:
    return [
        Problem(
            f"is required to create a new {entity.label.rstrip('s')} (none exists with this key)", plan.line, c.name
        )
        for c in entity.writable
        if c.required and c.name not in plan.present
    ]


def _needs_propagation(entity: Entity, plans: Iterable[Plan]) -> bool:
    """Whether these writes can change any system's effective values.

    Nothing depends yet on a system or service just created (write() gives a new system the
    values propagation would); a new data asset matters once it lives on systems."""
    if entity.slug not in PROPAGATING_ENTITIES:
        return False
    for plan in plans:
        if plan.changes.keys() & PROPAGATING_COLUMNS:
            return True
        if entity.slug == "data-assets" and not plan.changes and plan.m2m.get("systems"):
            return True
    return False


def _announce_exposure(entity: Entity, plans: Iterable[Plan]) -> None:
    """Existing systems whose internet exposure changed (criticality is announced by propagation)."""
    if entity.slug != "systems":
        return
    ids = [plan.obj.pk for plan in plans if plan.obj is not None and "internet_facing" in plan.changes]
    if ids:
        from ramparts.inventory.models import System
        from ramparts.inventory.signals import systems_rated

        systems_rated.send(sender=System, system_ids=ids)


def _propagate() -> None:
    from ramparts.inventory.services.propagation import propagate_criticality

    propagate_criticality()


@contextmanager
def _conflicts() -> Iterator[None]:
    """A unique value taken meanwhile by another writer (a name, an account) is a Conflict."""
    try:
        yield
    except IntegrityError:
        raise Conflict("That value is already in use (perhaps someone else just took it).") from None


def _guard_unit(actor, cells: Mapping[str, str], action: str) -> None:
    """Naming a unit outside the actor's units answers NotFound, as for any other object there."""
    code = (cells.get("business_unit") or "").strip()
    if code:
        from ramparts.core.models import BusinessUnit

        unit = BusinessUnit.objects.filter(code__iexact=code).first()
        if unit is not None:
            require_unit(actor, unit.pk, action)


# --- one object ---------------------------------------------------------------------------------


def create_one(entity: Entity, *, actor, cells: Mapping[str, str]) -> Any:
    require(actor, "inventory.change")
    _guard_unit(actor, cells, "inventory.change")
    lookups = Lookups(actor)
    problems: list[Problem] = []
    plan = check_row(entity, None, cells, lookups, problems)
    problems += _missing_for_create(entity, plan) + _entity_problems(entity, plan)
    if problems:
        raise ValidationFailed(f"The {entity.label.rstrip('s')} was not created.", problems)
    with _conflicts(), transaction.atomic():
        if existing_by_key(entity, [plan.key]):
            raise Conflict(f"{entity.key[0]} {plan.key!r} is already in use.")
        write(entity, actor, [plan])
        if _needs_propagation(entity, [plan]):
            _propagate()
    return plan.obj


def load(entity: Entity, actor, refs: list[str], *, lock: bool = False) -> list[Any]:
    """Objects by ref within the actor's units, with what their cells need; NotFound otherwise."""
    model = entity.model
    assert model is not None
    numbers = [parse_ref(ref, model.REF_PREFIX) for ref in refs]  # type: ignore[attr-defined]
    qs = scope_to_units(actor, model._default_manager.filter(number__in=numbers))
    qs = qs.select_related(*[c.attr for c in entity.columns if c.is_relation])
    if any(c.kind == Kind.SYSTEMS for c in entity.columns):
        qs = qs.prefetch_related("systems")
    if lock:
        qs = qs.select_for_update(of=("self",))
    found = {o.number: o for o in qs}
    missing = [ref for ref, n in zip(refs, numbers, strict=True) if n not in found]
    if missing:
        raise NotFound(f"{entity.label.capitalize()} not found: {', '.join(missing)}.")
    return [found[n] for n in numbers]


def _update_plans(entity: Entity, actor, objs: list[Any], cells: Mapping[str, str]) -> list[Plan]:
    lookups = Lookups(actor)
    problems: list[Problem] = []
    plans = []
    for obj in objs:
        plan = check_row(entity, None, cells, lookups, problems)
        plan.obj = obj
        key = entity.key[0]
        if key not in plan.cells:
            plan.key = getattr(obj, key)
        problems += _entity_problems(entity, plan)
        if plan.values.get("manager_id") == obj.pk:
            problems.append(Problem("a person cannot be their own manager", None, "manager"))
        diff_with(entity, plan)
        plans.append(plan)
    if problems:
        raise ValidationFailed(f"The {entity.label} were not changed.", list(dict.fromkeys(problems)))
    return plans


def update_one(entity: Entity, *, actor, ref: str, cells: Mapping[str, str]) -> Any:
    require(actor, "inventory.change")
    with _conflicts(), transaction.atomic():
        (obj,) = load(entity, actor, [ref], lock=True)
        _guard_unit(actor, cells, "inventory.change")
        (plan,) = _update_plans(entity, actor, [obj], cells)
        key = entity.key[0]
        if key in plan.changes:
            other = existing_by_key(entity, [plan.key]).get(plan.key)
            if other is not None and other.pk != obj.pk:
                raise Conflict(f"{key} {plan.key!r} is already in use.")
        if plan.changes:
            write(entity, actor, [plan])
            if _needs_propagation(entity, [plan]):
                _propagate()
            _announce_exposure(entity, [plan])
    return obj


def bulk_update(entity: Entity, *, actor, refs: list[str], cells: Mapping[str, str]) -> int:
    """Give many objects the same values (the UI's bulk edit). Returns how many changed."""
    require(actor, "inventory.change")
    if entity.key[0] in cells:
        raise ValidationFailed("Bulk edit cannot set a name.", [Problem("set it one by one", None, entity.key[0])])
    with _conflicts(), transaction.atomic():
        objs = load(entity, actor, list(dict.fromkeys(refs)), lock=True)
        _guard_unit(actor, cells, "inventory.change")
        plans = [p for p in _update_plans(entity, actor, objs, cells) if p.changes]
        write(entity, actor, plans)
        if _needs_propagation(entity, plans):
            _propagate()
        _announce_exposure(entity, plans)
    return len(plans)


def delete_one(entity: Entity, *, actor, ref: str) -> None:
    require(actor, "inventory.delete")
    with _conflicts(), transaction.atomic():
        (obj,) = load(entity, actor, [ref], lock=True)
        before = {c.name: current_cell(c, obj) for c in entity.writable}
        change = audit.Change(
            audit.Action.DELETE, audit.object_type_of(obj), str(obj.pk), object_ref(obj), audit.deleted(before)
        )
        knock_on = _knock_on_changes(obj)
        obj.delete()
        audit.record_many(actor, [change, *knock_on])
        if entity.slug in PROPAGATING_ENTITIES and entity.slug != "systems":
            _propagate()


def _knock_on_changes(obj: Any) -> list[audit.Change]:
    """What deleting `obj` changes elsewhere (cascaded dependencies, owners and managers set to
    none), so that the other objects' histories show it too."""
    from ramparts.inventory.models import BusinessService, DataAsset, Dependency, Person, System

    changes = []

    def on(other: Any, field: str, before: str) -> None:
        changes.append(
            audit.Change(
                audit.Action.UPDATE,
                audit.object_type_of(other),
                str(other.pk),
                object_ref(other),
                {field: [before, None]},
            )
        )

    if isinstance(obj, Person):
        for model in (System, DataAsset, BusinessService):
            for other in model._default_manager.filter(owner=obj).only("id", "number", "name"):
                on(other, "owner", obj.employee_id)
        for report in Person.objects.filter(manager=obj).only("id", "number", "full_name"):
            on(report, "manager", obj.employee_id)
        return changes
    field = {System: "system", DataAsset: "data_asset", BusinessService: "upstream_service"}[type(obj)]
    kind = {System: "system", DataAsset: "data asset", BusinessService: "service"}[type(obj)]
    for dependency in Dependency.objects.filter(**{field: obj}).select_related("service"):
        on(dependency.service, "depends_on", f"{kind} {obj.ref} {obj}")
    return changes


# --- files --------------------------------------------------------------------------------------


def header_problems(entity: Entity, header: list[str]) -> list[Problem]:
    problems = []
    known = ", ".join(c.name for c in entity.writable)
    for name in header:
        if name not in entity.by_name:
            problems.append(Problem(f"unknown column; the columns are: {known}", 1, name or "(empty)"))
    for name in entity.key:
        if name not in header:
            problems.append(Problem("this column is required (it identifies each row)", 1, name))
    return problems


def run_import(entity: Entity, *, actor, rows: Iterable[Mapping[str, Any]], dry_run: bool) -> ImportReport:
    """Check every row; write nothing unless all are good; match existing objects by natural key."""
    require(actor, "inventory.import")
    table, lines = normalise_rows(rows)
    report = ImportReport(dry_run=dry_run)
    header = list(table[0].keys()) if table else []
    report.errors = header_problems(entity, header)
    if report.errors or not table:
        return report
    lookups = Lookups(actor)
    lookups.preload(entity.writable, table)
    key = entity.key[0]
    if entity.slug == "people":
        lookups.batch_keys = {(r.get(key) or "").strip() for r in table}
    problems: list[Problem] = []
    plans: list[Plan] = []
    first_line: dict[str, int] = {}
    for index, row in enumerate(table):
        line = lines[index]
        plan = check_row(entity, line, row, lookups, problems)
        if plan.key:
            if plan.key in first_line:
                problems.append(
                    Problem(f"duplicate {key} {plan.key!r}: also on line {first_line[plan.key]}", line, key)
                )
            else:
                first_line[plan.key] = line
        plans.append(plan)
    existing = existing_by_key(entity, first_line)
    allowed = unit_ids(actor)
    for plan in plans:
        obj = existing.get(plan.key)
        if obj is not None and allowed is not None and obj.business_unit_id not in allowed:
            problems.append(
                Problem(f"{key} {plan.key!r} is already in use outside your business units", plan.line, key)
            )
            continue
        if obj is None:
            problems += _missing_for_create(entity, plan)
        else:
            plan.obj = obj
            if plan.values.get("manager_id") == obj.pk:
                problems.append(Problem("a person cannot be their own manager", plan.line, "manager"))
            diff_with(entity, plan)
        problems += _entity_problems(entity, plan)
    if entity.slug == "people":
        problems += _account_problems(plans)
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or ""))
        extra = len(problems) - MAX_PROBLEMS
        report.errors = problems[:MAX_PROBLEMS]
        if extra > 0:
            report.errors.append(Problem(f"… and {extra} more problems", None, None))
        return report
    creates = [p for p in plans if p.obj is None]
    updates = [p for p in plans if p.obj is not None and p.changes]
    report.created, report.updated = len(creates), len(updates)
    report.unchanged = len(plans) - len(creates) - len(updates)
    if dry_run or not (creates or updates):
        return report
    try:
        with transaction.atomic():
            write(entity, actor, creates + updates)
            if _needs_propagation(entity, creates + updates):
                _propagate()
            _announce_exposure(entity, updates)
    except IntegrityError:
        # Another writer created one of these keys between our check and our write.
        raise Conflict("Someone else changed the same records at the same time; import the file again.") from None
    return report
