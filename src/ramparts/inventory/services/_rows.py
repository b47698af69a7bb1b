"""The one write path of inventory entities: rows of cells -> checked plans -> bulk writes + audit.

A single create from the UI is a file of one row; a 10,000-row import is the same code with every
lookup loaded up front in a few queries. Checking and writing are separate steps, so an import
checks every row, reports every problem and writes nothing unless all rows are good.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import Problem
from ramparts.core.models import BusinessUnit, User
from ramparts.core.permissions import scope_to_units, unit_ids
from ramparts.inventory.importexport.columns import (
    Column,
    Entity,
    Invalid,
    Kind,
    current_cell,
    join_list,
    parse_scalar,
    split_list,
)
from ramparts.inventory.models import DataAsset, Person, System

# Keys of PostgreSQL advisory locks that serialise reference numbering per model.
_LOCK_KEYS = {"person": 71_001, "system": 71_002, "dataasset": 71_003, "businessservice": 71_004}
# Fields that feed criticality propagation: writing one of them means propagating again.
PROPAGATION_INPUTS = {"own_criticality", "criticality", "confidentiality", "integrity", "availability", "systems"}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "errors": [p.as_dict() for p in self.errors],
        }


@dataclass
class Plan:
    """One row, checked: what to write and the audit diff (in cells)."""

    line: int | None
    key: str
    values: dict[str, Any] = field(default_factory=dict)  # model attname -> value
    cells: dict[str, str] = field(default_factory=dict)  # column -> canonical cell
    obj: Any = None  # the existing object, when the row updates one
    changes: dict[str, list[Any]] = field(default_factory=dict)
    m2m: dict[str, list[int]] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)  # attname -> natural key of a row of this batch
    present: set[str] = field(default_factory=set)  # the columns the row has, valid or not


class Lookups:
    """Business units, people, users and systems by the names cells use, loaded in bulk."""

    def __init__(self, actor) -> None:
        self.actor = actor
        self.allowed = unit_ids(actor)
        self.units = {u.code.lower(): u for u in BusinessUnit.objects.all()}
        self.people: dict[str, Person] = {}
        self.users: dict[str, User] = {}
        self.systems: dict[str, System] = {}
        self.batch_keys: set[str] = set()  # natural keys of the rows being written (people import)

    def preload(self, columns: Sequence[Column], rows: Sequence[Mapping[str, str]]) -> None:
        wanted: dict[Kind, set[str]] = {Kind.PERSON: set(), Kind.USER: set(), Kind.SYSTEMS: set()}
        for column in columns:
            if column.kind in wanted:
                for row in rows:
                    raw = (row.get(column.name) or "").strip()
                    if raw:
                        wanted[column.kind].update(split_list(raw) if column.kind == Kind.SYSTEMS else [raw])
        if wanted[Kind.PERSON]:
            people = scope_to_units(self.actor, Person.objects.filter(employee_id__in=wanted[Kind.PERSON]))
            self.people.update({p.employee_id: p for p in people.only("id", "employee_id", "business_unit_id")})
        if wanted[Kind.USER]:
            users = User.objects.filter(username__in=wanted[Kind.USER]).only("id", "username")
            self.users.update({u.username: u for u in users})
        if wanted[Kind.SYSTEMS]:
            systems = scope_to_units(self.actor, System.objects.filter(name__in=wanted[Kind.SYSTEMS]))
            self.systems.update({s.name: s for s in systems.only("id", "name", "business_unit_id")})

    def unit(self, code: str) -> BusinessUnit:
        unit = self.units.get(code.lower())
        if unit is None or (self.allowed is not None and unit.pk not in self.allowed):
            raise Invalid(f"{code!r} is not one of your business units")
        return unit

    def person(self, employee_id: str) -> Person | None:
        person = self.people.get(employee_id)
        if person is None:
            person = scope_to_units(self.actor, Person.objects.filter(employee_id=employee_id)).first()
            if person is not None:
                self.people[employee_id] = person
        if person is None and employee_id not in self.batch_keys:
            raise Invalid(f"no person with employee_id {employee_id!r} in your business units")
        return person

    def user(self, username: str) -> User:
        user = self.users.get(username) or User.objects.filter(username=username).first()
        if user is None:
            raise Invalid(f"no Ramparts user named {username!r}")
        return user

    def system_ids(self, names: list[str]) -> list[int]:
        missing = [n for n in names if n not in self.systems]
        if missing:
            found = scope_to_units(self.actor, System.objects.filter(name__in=missing)).only("id", "name")
            self.systems.update({s.name: s for s in found})
        unknown = [n for n in names if n not in self.systems]
        if unknown:
            raise Invalid(f"no system named {', '.join(repr(n) for n in unknown)} in your business units")
        return [self.systems[n].pk for n in names]


def parse_cell(column: Column, raw: str, lookups: Lookups, plan: Plan) -> str:
    """Parse one cell into `plan` (values, m2m or pending) and return its canonical cell."""
    text = (raw or "").strip()
    if column.required and not text:
        raise Invalid("is required")
    if column.kind == Kind.UNIT:
        unit = lookups.unit(text)
        plan.values["business_unit_id"] = unit.pk
        return unit.code
    if column.kind in (Kind.PERSON, Kind.USER):
        attname = f"{column.attr}_id"
        if not text:
            plan.values[attname] = None
            return ""
        if column.kind == Kind.USER:
            plan.values[attname] = lookups.user(text).pk
            return text
        person = lookups.person(text)
        if person is None:  # a row of this same import, created with it
            plan.pending[attname] = text
        else:
            plan.values[attname] = person.pk
        return text
    if column.kind == Kind.SYSTEMS:
        names = sorted(split_list(text))
        plan.m2m[column.attr] = lookups.system_ids(names)
        return join_list(names)
    value, cell = parse_scalar(column, text)
    plan.values[column.attr] = value
    return cell


def check_row(
    entity: Entity, line: int | None, row: Mapping[str, str], lookups: Lookups, problems: list[Problem]
) -> Plan:
    plan = Plan(line=line, key="", present=set(row))
    for name, raw in row.items():
        column = entity.by_name.get(name)
        if column is None or column.read_only:
            continue
        try:
            plan.cells[name] = parse_cell(column, raw, lookups, plan)
        except Invalid as exc:
            problems.append(Problem(reason=str(exc), line=line, column=name))
    plan.key = plan.cells.get(entity.key[0], (row.get(entity.key[0]) or "").strip())
    return plan


def existing_by_key(entity: Entity, keys: Iterable[str]) -> dict[str, Any]:
    model = entity.model
    assert model is not None
    related = [c.attr for c in entity.columns if c.is_relation]
    qs = model._default_manager.select_related(*related)
    if any(c.kind == Kind.SYSTEMS for c in entity.columns):
        qs = qs.prefetch_related(models.Prefetch("systems", queryset=System.objects.only("id", "name")))
    key = entity.key[0]
    found: dict[str, Any] = {}
    keys = list(keys)
    for start in range(0, len(keys), 900):  # SQLite limits the number of query parameters
        found.update({getattr(o, key): o for o in qs.filter(**{f"{key}__in": keys[start : start + 900]})})
    return found


def diff_with(entity: Entity, plan: Plan) -> None:
    """Fill `plan.changes` with what the row changes on its existing object (cells before/after)."""
    obj = plan.obj
    for name, cell in plan.cells.items():
        before = current_cell(entity.by_name[name], obj)
        if before != cell:
            plan.changes[name] = [before, cell]


def next_numbers(model: type[models.Model], count: int) -> list[int]:
    """Reference numbers max+1…; call inside the writing transaction. On PostgreSQL an advisory
    lock held to the end of the transaction serialises writers; SQLite's writers are serial already."""
    assert connection.in_atomic_block, "next_numbers must run inside the writing transaction"
    if count <= 0:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[model._meta.model_name or ""]])
    start = (model._default_manager.aggregate(m=Max("number"))["m"] or 0) + 1
    return list(range(start, start + count))


# Fields whose Python value both database drivers take as it is; others go through Django's prep.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def _params(fields: Sequence[Any], objs: Sequence[Any]) -> list[list[Any]]:
    plain = [isinstance(f, _PLAIN_FIELDS) and not isinstance(f, models.AutoField) for f in fields]
    attnames = [f.attname for f in fields]
    rows = []
    for obj in objs:
        values = obj.__dict__
        rows.append(
            [
                values[a] if is_plain else f.get_db_prep_save(values[a], connection)
                for f, a, is_plain in zip(fields, attnames, plain, strict=True)
            ]
        )
    return rows


def fast_insert(model: type[models.Model], objs: Sequence[Any]) -> None:
    """INSERT the objects with one executemany, then read their ids back by number.

    Several times faster than bulk_create for thousands of rows (no per-batch SQL compiling)."""
    if not objs:
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    params = _params(fields, objs)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    numbers = [obj.number for obj in objs]
    ids: dict[int, int] = {}
    for start in range(0, len(numbers), 900):
        chunk = numbers[start : start + 900]
        ids.update(model._default_manager.filter(number__in=chunk).values_list("number", "id"))  # type: ignore[arg-type]
    for obj in objs:
        obj.pk = ids[obj.number]
        obj._state.adding = False
        obj._state.db = connection.alias


def fast_update(model: type[models.Model], objs: Sequence[Any], attnames: Sequence[str]) -> None:
    """UPDATE … WHERE id = %s for each object, as one executemany.

    Django's bulk_update builds CASE WHEN expressions that grow with the batch and cost seconds
    for thousands of rows; a prepared statement run many times costs milliseconds on SQLite and
    is pipelined by psycopg 3 on PostgreSQL."""
    if not objs:
        return
    meta = model._meta
    fields: list[Any] = [meta.get_field(a) for a in attnames]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    pk_column = quote(str(meta.pk.column))  # type: ignore[union-attr]
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
    params = _params(fields, objs)
    for row, obj in zip(params, objs, strict=True):
        row.append(obj.pk)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def object_ref(obj: Any) -> str:
    return f"{obj.ref} {obj}"[:200]


def write(entity: Entity, actor, plans: Sequence[Plan]) -> tuple[list[Any], list[Any]]:
    """Create and update in bulk, with one audit entry per changed object. Returns (created, updated)."""
    model = entity.model
    assert model is not None
    now = timezone.now()
    creates = [p for p in plans if p.obj is None]
    updates = [p for p in plans if p.obj is not None and p.changes]
    new_objs = []
    for plan, number in zip(creates, next_numbers(model, len(creates)), strict=True):
        obj = model(number=number, created_at=now, updated_at=now, **plan.values)
        if isinstance(obj, System):
            # What propagation would say of a system nothing depends on yet: it only rewrites
            # the few that something does.
            obj.criticality = obj.own_criticality
            if obj.own_criticality > 1:
                obj.criticality_reasons = [f"{obj.get_own_criticality_display()}: set on the system"]
        plan.obj = obj
        new_objs.append(obj)
    fast_insert(model, new_objs)

    by_fields: dict[tuple[str, ...], list[Any]] = {}
    for plan in updates:
        attnames: list[str] = []
        for attname, value in plan.values.items():
            if getattr(plan.obj, attname) != value:
                setattr(plan.obj, attname, value)
                attnames.append(attname)
        if attnames:
            plan.obj.updated_at = now
            by_fields.setdefault((*sorted(attnames), "updated_at"), []).append(plan.obj)
    for changed_fields, objs in by_fields.items():
        fast_update(model, objs, changed_fields)

    _write_pending(model, plans)
    _write_m2m(creates, updates)
    changes = []
    for plan in creates:
        after = {k: v for k, v in plan.cells.items() if v not in ("", "false")}
        changes.append(_change(audit.Action.CREATE, plan.obj, audit.created(after)))
    changes += [_change(audit.Action.UPDATE, p.obj, p.changes) for p in updates]
    audit.record_many(actor, changes)
    return [p.obj for p in creates], [p.obj for p in updates]


def _change(action: str, obj: Any, changes: dict) -> audit.Change:
    return audit.Change(action, audit.object_type_of(obj), str(obj.pk), object_ref(obj), changes)


def _write_pending(model: type[models.Model], plans: Sequence[Plan]) -> None:
    """Relations to rows of the same batch (a manager imported with their reports)."""
    pending = [p for p in plans if p.pending]
    if not pending:
        return
    keys = {v for p in pending for v in p.pending.values()}
    ids = dict(model._default_manager.filter(employee_id__in=keys).values_list("employee_id", "id"))
    objs = []
    for plan in pending:
        for attname, key in plan.pending.items():
            setattr(plan.obj, attname, ids[key])
        objs.append(plan.obj)
    fast_update(model, objs, sorted({a for p in pending for a in p.pending}))


def _write_m2m(creates: Sequence[Plan], updates: Sequence[Plan]) -> None:
    through = DataAsset.systems.through
    touched = [p for p in creates if p.m2m.get("systems")] + [p for p in updates if "systems" in p.changes]
    if not touched:
        return
    through.objects.filter(dataasset_id__in=[p.obj.pk for p in touched]).delete()
    through.objects.bulk_create(
        [through(dataasset_id=p.obj.pk, system_id=s) for p in touched for s in p.m2m["systems"]], batch_size=2000
    )
