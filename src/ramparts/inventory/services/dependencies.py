"""What business services depend on: systems, data assets and other services. Cycles are refused.

A dependency's history is written on the service that depends, so the service's page shows it."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from ramparts.core import audit
from ramparts.core.errors import NotFound, Problem, ValidationFailed
from ramparts.core.permissions import require, scope_to_units
from ramparts.inventory.engine.cycles import cycle_message, find_cycle, starting_at
from ramparts.inventory.importexport.columns import ENTITIES, TARGET_TYPES
from ramparts.inventory.models import BusinessService, DataAsset, Dependency, System
from ramparts.inventory.services._ops import header_problems, normalise_rows
from ramparts.inventory.services._rows import ImportReport, object_ref
from ramparts.inventory.services.propagation import propagate_criticality

MODELS: dict[str, Any] = {"system": System, "data_asset": DataAsset, "service": BusinessService}
FIELD = {"system": "system", "data_asset": "data_asset", "service": "upstream_service"}
PREFIX = {"SYS": "system", "DATA": "data_asset", "SVC": "service"}


def _by_ref(actor, ref: str) -> tuple[str, Any]:
    prefix, _, number = (ref or "").strip().upper().partition("-")
    if prefix not in PREFIX or not number.isdigit():
        raise NotFound(f"No such reference: {ref!r} (use SYS-, DATA- or SVC- references).")
    kind = PREFIX[prefix]
    obj = scope_to_units(actor, MODELS[kind].objects.filter(number=int(number))).first()
    if obj is None:
        raise NotFound(f"{ref} not found.")
    return kind, obj


def _service_edges() -> tuple[list[tuple[int, int]], dict[int, str]]:
    edges = list(
        Dependency.objects.filter(upstream_service__isnull=False).values_list("service_id", "upstream_service_id")
    )
    names = dict(BusinessService.objects.values_list("id", "name"))
    return edges, names  # type: ignore[return-value]


def _record(actor, service: BusinessService, kind: str, target: Any, added: bool) -> audit.Change:
    label = f"{kind.replace('_', ' ')} {target.ref} {target}"
    return audit.Change(
        audit.Action.UPDATE,
        audit.object_type_of(service),
        str(service.pk),
        object_ref(service),
        {"depends_on": [None, label] if added else [label, None]},
    )


def dependency_add(*, actor, service: str, target: str) -> Dependency:
    """`service` depends on `target` (both refs: SVC-1 -> SYS-2 / DATA-3 / SVC-4)."""
    require(actor, "inventory.change")
    with transaction.atomic():
        kind, svc = _by_ref(actor, service)
        if kind != "service":
            raise NotFound(f"{service} is not a business service.")
        target_kind, obj = _by_ref(actor, target)
        existing = Dependency.objects.filter(service=svc, **{FIELD[target_kind]: obj}).first()
        if existing is not None:
            return existing
        if target_kind == "service":
            edges, names = _service_edges()
            cycle = find_cycle([*edges, (svc.pk, obj.pk)])
            if cycle is not None:
                message = cycle_message(starting_at(cycle, svc.pk), names)
                raise ValidationFailed(f"Refused: {message}.", [Problem(message, None, "target")])
        dependency = Dependency.objects.create(service=svc, **{FIELD[target_kind]: obj})
        audit.record(actor, _record(actor, svc, target_kind, obj, added=True))
        propagate_criticality()
    return dependency


def dependency_remove(*, actor, service: str, target: str) -> None:
    require(actor, "inventory.change")
    with transaction.atomic():
        kind, svc = _by_ref(actor, service)
        target_kind, obj = _by_ref(actor, target)
        if kind != "service":
            raise NotFound(f"{service} is not a business service.")
        deleted, _ = Dependency.objects.filter(service=svc, **{FIELD[target_kind]: obj}).delete()
        if not deleted:
            raise NotFound(f"{service} does not depend on {target}.")
        audit.record(actor, _record(actor, svc, target_kind, obj, added=False))
        propagate_criticality()


def dependencies_import(*, actor, rows: Iterable[Mapping[str, Any]], dry_run: bool) -> ImportReport:
    """Rows of (service, target_type, target) by name. Existing ones are unchanged; none is removed."""
    require(actor, "inventory.import")
    entity = ENTITIES["dependencies"]
    table, lines = normalise_rows(rows)
    table = [{k: v.strip() for k, v in row.items()} for row in table]
    report = ImportReport(dry_run=dry_run)
    report.errors = header_problems(entity, list(table[0].keys()) if table else [])
    if report.errors or not table:
        return report
    wanted: dict[str, set[str]] = {k: set() for k in MODELS}
    for row in table:
        wanted["service"].add(row.get("service", ""))
        if row.get("target_type") in MODELS:
            wanted[row["target_type"]].add(row.get("target", ""))
    found = {
        kind: {o.name: o for o in scope_to_units(actor, MODELS[kind].objects.filter(name__in=names))}
        for kind, names in wanted.items()
    }
    problems: list[Problem] = []
    new: dict[tuple[int, str, int], int] = {}  # (service id, kind, target id) -> line
    pending: list[tuple[int, BusinessService, str, Any]] = []
    for index, row in enumerate(table):
        line = lines[index]
        svc = found["service"].get(row.get("service", ""))
        kind = row.get("target_type", "").lower().replace(" ", "_")
        if not row.get("service"):
            problems.append(Problem("is required", line, "service"))
        elif svc is None:
            problems.append(Problem(f"no business service named {row['service']!r} in your units", line, "service"))
        if kind not in MODELS:
            problems.append(
                Problem(f"{row.get('target_type')!r} is not one of: {', '.join(TARGET_TYPES)}", line, "target_type")
            )
            continue
        obj = found[kind].get(row.get("target", ""))
        if not row.get("target"):
            problems.append(Problem("is required", line, "target"))
        elif obj is None:
            problems.append(
                Problem(f"no {kind.replace('_', ' ')} named {row['target']!r} in your units", line, "target")
            )
        if svc is None or obj is None:
            continue
        key = (svc.pk, kind, obj.pk)
        if key in new:
            problems.append(Problem(f"duplicate dependency: also on line {new[key]}", line, "target"))
            continue
        new[key] = line
        pending.append((line, svc, kind, obj))
    existing: set[tuple[int, str, int]] = set()
    for kind, field in FIELD.items():
        ids = {p[1].pk for p in pending if p[2] == kind}
        if ids:
            existing |= {
                (s, kind, t)
                for s, t in Dependency.objects.filter(service_id__in=ids, **{f"{field}__isnull": False}).values_list(
                    "service_id", f"{field}_id"
                )
            }
    to_create = [p for p in pending if (p[1].pk, p[2], p[3].pk) not in existing]
    problems += _cycle_problems([p for p in to_create if p[2] == "service"])
    if problems:
        report.errors = sorted(problems, key=lambda p: (p.line or 0, p.column or ""))
        return report
    report.created, report.unchanged = len(to_create), len(pending) - len(to_create)
    if dry_run or not to_create:
        return report
    with transaction.atomic():
        Dependency.objects.bulk_create(
            [Dependency(service=svc, **{FIELD[kind]: obj}) for _, svc, kind, obj in to_create], batch_size=1000
        )
        audit.record_many(actor, [_record(actor, svc, kind, obj, added=True) for _, svc, kind, obj in to_create])
        propagate_criticality()
    return report


def _cycle_problems(new_edges: list[tuple[int, BusinessService, str, Any]]) -> list[Problem]:
    """Every new service -> service edge that closes a cycle, one problem each (up to 50)."""
    if not new_edges:
        return []
    edges, names = _service_edges()
    line_of = {(svc.pk, obj.pk): line for line, svc, _, obj in new_edges}
    current = set(edges) | set(line_of)
    problems: list[Problem] = []
    while len(problems) < 50:
        cycle = find_cycle(sorted(current))
        if cycle is None:
            break
        pairs = list(zip(cycle, cycle[1:], strict=False))
        # blame the new edge that comes last in the file: reading top-down, it closes the cycle
        culprit = max((p for p in pairs if p in line_of), key=line_of.__getitem__, default=pairs[0])
        message = cycle_message(starting_at(cycle, culprit[0]), names)
        problems.append(Problem(message, line_of.get(culprit), "target"))
        current.discard(culprit)
    return problems
