"""Declaring an incident, editing it, walking its lifecycle and recording what it hit."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import Conflict, Problem
from ramparts.core.models import User
from ramparts.core.permissions import require_unit, unit_ids
from ramparts.incidents import config
from ramparts.incidents.models import (
    PHASE_ORDER,
    EntryKind,
    Incident,
    IncidentTransition,
    Phase,
    Priority,
    RoleAssignment,
    Severity,
)
from ramparts.incidents.services._common import aware, fail_if, guard, record, send, text, timeline
from ramparts.inventory.models import BusinessService, DataAsset, System

KEY_TIMES = (
    "occurred_at",
    "detected_at",
    "reported_at",
    "acknowledged_at",
    "contained_at",
    "eradicated_at",
    "recovered_at",
    "closed_at",
)
FACT_TIMES = ("aware_at", "classified_at", "determined_at", "material_at", "discovered_at", "payment_at")
# Entering a phase records the milestone the previous phase was for, if no one has recorded it yet.
MILESTONE_ON_ENTRY = {
    Phase.ANALYSIS: "acknowledged_at",
    Phase.ERADICATION: "contained_at",
    Phase.RECOVERY: "eradicated_at",
    Phase.REVIEW: "recovered_at",
    Phase.CLOSED: "closed_at",
}
SEVERITY_TO_PRIORITY = {4: Priority.P1, 3: Priority.P2, 2: Priority.P3, 1: Priority.P4}


def _choice(value: Any, choices, field: str, problems: list[Problem]) -> int | None:
    if value is None:
        return None
    for number, label in choices.choices:
        if value == number or str(value).strip().lower() in (str(number), label.lower()):
            return number
    problems.append(
        Problem(f"{value!r} is not one of {', '.join(label for _, label in choices.choices)}", column=field)
    )
    return None


def _incident_type(value: Any, problems: list[Problem]) -> str:
    types = config.incident_types()
    if value not in types:
        problems.append(Problem(f"{value!r} is not a configured incident type ({', '.join(types)})", column="type"))
    return str(value)


def _inventory(actor, model, items: Iterable[Any], field: str, problems: list[Problem]) -> list:
    """Inventory objects given as instances or refs (SYS-12), each visible to the actor."""
    wanted = list(items or ())
    if not wanted:
        return []
    numbers, objects = [], []
    for item in wanted:
        if isinstance(item, model):
            objects.append(item)
            continue
        ref = str(item)
        prefix, _, digits = ref.rpartition("-")
        if prefix != model.REF_PREFIX or not digits.isdigit():
            problems.append(Problem(f"{ref!r} is not a {model.REF_PREFIX}-<number> reference", column=field))
            continue
        numbers.append(int(digits))
    found = {o.number: o for o in model.objects.filter(number__in=numbers)}
    units = unit_ids(actor)
    for number in numbers:
        obj = found.get(number)
        if obj is None or (units is not None and obj.business_unit_id not in units):
            problems.append(Problem(f"no {model.REF_PREFIX}-{number} that you can see", column=field))
        else:
            objects.append(obj)
    objects = [o for o in objects if units is None or o.business_unit_id in units] if objects else []
    return list(dict.fromkeys(objects))


def _privacy_flags(incident: Incident) -> tuple[bool, bool]:
    """Personal data / health data held by an affected data asset, or by a data asset an affected system holds."""
    assets = DataAsset.objects.filter(incidents=incident) | DataAsset.objects.filter(systems__incidents=incident)
    flags = assets.distinct().values_list("personal_data", "special_category_data", "health_data")
    personal = any(p or s or h for p, s, h in flags)
    health = any(h for _, _, h in flags)
    return personal, health


def refresh_privacy(incident: Incident) -> None:
    """Affected personal data establishes the GDPR condition; health data the HIPAA one. A person's explicit
    'no' (conditions set by hand) is kept."""
    personal, health = _privacy_flags(incident)
    conditions = dict(incident.conditions)
    manual = set(conditions.get("_manual", []))
    if personal and "personal_data" not in manual:
        conditions["personal_data"] = True
    if health and "phi_breach" not in manual:
        conditions["phi_breach"] = True
    if personal != incident.personal_data or conditions != incident.conditions:
        incident.personal_data = personal
        incident.conditions = conditions
        incident.save(update_fields=["personal_data", "conditions", "updated_at"])


def _next_number(year: int) -> int:
    return (Incident.objects.filter(year=year).aggregate(m=Max("number"))["m"] or 0) + 1


def incident_declare(
    *,
    actor,
    title: str,
    incident_type: str,
    severity: Any,
    business_unit,
    priority: Any = None,
    summary: str = "",
    occurred_at: datetime | None = None,
    occurred_estimated: bool = False,
    detected_at: datetime | None = None,
    aware_at: datetime | None = None,
    systems: Iterable[Any] = (),
    data_assets: Iterable[Any] = (),
    services: Iterable[Any] = (),
    commander: User | None = None,
    declared_at: datetime | None = None,
    notify_people: bool = True,
) -> Incident:
    """Declare an incident: numbered INC-<year>-<nnn>, phase 'declared', the actor (or `commander`) as
    incident commander, the type's playbook applied, and a declaration notice sent."""
    require_unit(actor, getattr(business_unit, "pk", None), "incidents.declare")
    problems: list[Problem] = []
    title = text(title, "title", problems, max_length=300, required=True)
    summary = text(summary, "summary", problems, max_length=20000)
    incident_type = _incident_type(incident_type, problems)
    sev = _choice(severity, Severity, "severity", problems)
    prio = _choice(priority, Priority, "priority", problems) if priority not in (None, "") else None
    now = timezone.now()
    declared = aware(declared_at, "declared_at", problems) or now
    occurred = aware(occurred_at, "occurred_at", problems)
    detected = aware(detected_at, "detected_at", problems) or declared
    aware_time = aware(aware_at, "aware_at", problems) or detected
    if occurred and occurred > detected:
        problems.append(Problem("the incident cannot be detected before it occurred", column="detected_at"))
    linked = {
        "systems": _inventory(actor, System, systems, "systems", problems),
        "data_assets": _inventory(actor, DataAsset, data_assets, "data_assets", problems),
        "services": _inventory(actor, BusinessService, services, "services", problems),
    }
    if commander is not None and not commander.is_active:
        problems.append(Problem("the commander's account is inactive", column="commander"))
    fail_if(problems, "The incident was not declared.")
    assert sev is not None
    for attempt in range(5):
        try:
            with transaction.atomic():
                incident = Incident.objects.create(
                    year=declared.year,
                    number=_next_number(declared.year),
                    business_unit=business_unit,
                    title=title,
                    incident_type=incident_type,
                    severity=sev,
                    priority=prio or SEVERITY_TO_PRIORITY[sev],
                    summary=summary,
                    declared_by=actor,
                    declared_at=declared,
                    occurred_at=occurred,
                    occurred_estimated=bool(occurred_estimated) and occurred is not None,
                    detected_at=detected,
                    reported_at=declared,
                    aware_at=aware_time,
                )
                break
        except IntegrityError:  # two declarations took the same number: take the next one
            if attempt == 4:
                raise
    with transaction.atomic():
        for name, objs in linked.items():
            getattr(incident, name).set(objs)
        refresh_privacy(incident)
        IncidentTransition.objects.create(
            incident=incident, from_phase="", to_phase=Phase.DECLARED, at=declared, actor=actor
        )
        lead = commander or actor
        RoleAssignment.objects.create(incident=incident, user=lead, role="commander", held_from=declared)
        timeline(incident, EntryKind.DECLARED, f"Incident declared: {title}", actor=actor, occurred_at=declared)
        timeline(
            incident, EntryKind.ROLE, f"{lead.get_username()} is incident commander", actor=actor, occurred_at=declared
        )
        after = audit.snapshot(incident)
        after.update({name: [str(o) for o in objs] for name, objs in linked.items()})
        record(actor, audit.Action.CREATE, incident, incident.ref, audit.created(after))
        from ramparts.incidents.services.tasks import playbook_apply

        playbook_apply(actor=actor, incident=incident)
        if notify_people:
            send(
                incident,
                event="incident.declared",
                recipients=[lead, *responders(incident)],
                subject=f"{incident.ref} declared: {title}",
                body=f"{config.type_label(incident_type)}, severity {incident.get_severity_display()}, "
                f"priority {incident.get_priority_display()}. Commander: {lead.get_username()}.",
            )
    return incident


def responders(incident: Incident) -> list[User]:
    """Security managers who see the incident's unit: told about declarations and clocks."""
    people = User.objects.filter(is_active=True, role__in=["security_manager", "admin"])
    in_unit = people.filter(business_units=incident.business_unit_id) | people.filter(all_units=True)
    return list(in_unit.distinct() | people.filter(role="admin").distinct())


EDITABLE = ("title", "summary", "incident_type", "severity", "priority", "occurred_estimated", *KEY_TIMES, *FACT_TIMES)


def incident_update(*, actor, incident: Incident, **fields: Any) -> Incident:
    """Change identity fields, key times and regulatory trigger times. Each recorded time goes on the timeline."""
    guard(actor, incident)
    unknown = set(fields) - set(EDITABLE)
    problems: list[Problem] = [Problem("cannot be changed here", column=name) for name in sorted(unknown)]
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in unknown:
            continue
        if name in ("title", "summary"):
            values[name] = text(
                value, name, problems, max_length=300 if name == "title" else 20000, required=name == "title"
            )
        elif name == "incident_type":
            values[name] = _incident_type(value, problems)
        elif name == "severity":
            values[name] = _choice(value, Severity, name, problems)
        elif name == "priority":
            values[name] = _choice(value, Priority, name, problems)
        elif name == "occurred_estimated":
            values[name] = bool(value)
        else:
            values[name] = aware(value, name, problems)
    merged = {n: values.get(n, getattr(incident, n)) for n in KEY_TIMES}
    if merged["occurred_at"] and merged["detected_at"] and merged["occurred_at"] > merged["detected_at"]:
        problems.append(Problem("the incident cannot be detected before it occurred", column="detected_at"))
    fail_if(problems)
    with transaction.atomic():
        before = audit.snapshot(incident)
        for name, value in values.items():
            setattr(incident, name, value)
        incident.save()
        changes = audit.diff(before, audit.snapshot(incident))
        if changes:
            record(actor, audit.Action.UPDATE, incident, incident.ref, changes)
            for name in changes:
                if name in KEY_TIMES or name in FACT_TIMES:
                    label = name.removesuffix("_at").replace("_", " ")
                    value = getattr(incident, name)
                    timeline(
                        incident,
                        EntryKind.FACT,
                        f"Recorded: {label} time" if value else f"Cleared: {label} time",
                        actor=actor,
                        occurred_at=value or timezone.now(),
                    )
    return incident


def incident_set_conditions(*, actor, incident: Incident, conditions: Mapping[str, bool | None]) -> Incident:
    """Establish (True/False) or forget (None) the conditions the regulatory rules depend on."""
    from ramparts.incidents.engine.ruleset import load_rules

    guard(actor, incident)
    known = load_rules().conditions
    problems = [
        Problem(f"unknown condition (known: {', '.join(known)})", column=n) for n in conditions if n not in known
    ]
    fail_if(problems)
    with transaction.atomic():
        current = dict(incident.conditions)
        manual = set(current.pop("_manual", []))
        before = dict(current)
        for name, value in conditions.items():
            if value is None:
                current.pop(name, None)
                manual.discard(name)
            else:
                current[name] = bool(value)
                manual.add(name)
        incident.conditions = {**current, "_manual": sorted(manual)}
        incident.save(update_fields=["conditions", "updated_at"])
        if current != before:
            record(actor, audit.Action.UPDATE, incident, incident.ref, {"conditions": [before, current]})
            words = ", ".join(f"{n}: {'yes' if v else 'no'}" for n, v in sorted(current.items())) or "none"
            timeline(incident, EntryKind.FACT, f"Conditions recorded — {words}", actor=actor)
    return incident


def incident_transition(
    *, actor, incident: Incident, to_phase: str, at: datetime | None = None, note: str = ""
) -> Incident:
    """Move to another phase. Forward moves may skip phases; moving back (re-opening a phase) needs a note.
    Closing needs incidents.close. Entering a phase fills the milestone time of the one before it."""
    guard(actor, incident, "incidents.close" if to_phase == Phase.CLOSED else "incidents.manage")
    problems: list[Problem] = []
    if to_phase not in PHASE_ORDER:
        problems.append(Problem(f"{to_phase!r} is not a phase ({', '.join(PHASE_ORDER)})", column="phase"))
    at = aware(at, "at", problems) or timezone.now()
    note = text(note, "note", problems, max_length=5000)
    fail_if(problems, "The phase was not changed.")
    if to_phase == incident.phase:
        raise Conflict(f"{incident.ref} is already in {incident.get_phase_display()}.")
    backwards = PHASE_ORDER.index(to_phase) < PHASE_ORDER.index(incident.phase)
    if backwards and not note.strip():
        fail_if(
            [Problem("say why the incident goes back to an earlier phase", column="note")], "The phase was not changed."
        )
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        last = incident.transitions.order_by("-at").values_list("at", flat=True).first()
        if last and at < last:
            fail_if([Problem("is before the previous phase change", column="at")], "The phase was not changed.")
        before = audit.snapshot(incident)
        from_phase = incident.phase
        incident.phase = to_phase
        if not backwards:
            for phase in PHASE_ORDER[PHASE_ORDER.index(from_phase) + 1 : PHASE_ORDER.index(to_phase) + 1]:
                milestone = MILESTONE_ON_ENTRY.get(Phase(phase))
                if milestone and getattr(incident, milestone) is None:
                    setattr(incident, milestone, at)
        if backwards and PHASE_ORDER.index(to_phase) < PHASE_ORDER.index(Phase.CLOSED):
            incident.closed_at = None
        incident.save()
        IncidentTransition.objects.create(
            incident=incident, from_phase=from_phase, to_phase=to_phase, at=at, actor=actor, note=note
        )
        record(actor, audit.Action.UPDATE, incident, incident.ref, audit.diff(before, audit.snapshot(incident)))
        words = f"Phase: {Phase(from_phase).label} → {Phase(to_phase).label}"
        timeline(incident, EntryKind.PHASE, f"{words}. {note}".strip() if note else words, actor=actor, occurred_at=at)
        if to_phase == Phase.CLOSED:
            RoleAssignment.objects.filter(incident=incident, held_until__isnull=True).update(held_until=at)
    return incident


def incident_link_assets(
    *,
    actor,
    incident: Incident,
    systems: Iterable[Any] = (),
    data_assets: Iterable[Any] = (),
    services: Iterable[Any] = (),
    remove: bool = False,
) -> Incident:
    """Add (or remove) affected systems, data assets and services; re-evaluates the privacy flags."""
    guard(actor, incident)
    problems: list[Problem] = []
    linked = {
        "systems": _inventory(actor, System, systems, "systems", problems),
        "data_assets": _inventory(actor, DataAsset, data_assets, "data_assets", problems),
        "services": _inventory(actor, BusinessService, services, "services", problems),
    }
    fail_if(problems)
    with transaction.atomic():
        for name, objs in linked.items():
            if not objs:
                continue
            (getattr(incident, name).remove if remove else getattr(incident, name).add)(*objs)
            words = ", ".join(f"{o.ref} {o.name}" for o in objs)
            timeline(
                incident,
                EntryKind.CHANGE,
                f"{'Removed' if remove else 'Affected'} {name.replace('_', ' ')}: {words}",
                actor=actor,
            )
            record(
                actor,
                audit.Action.UPDATE,
                incident,
                incident.ref,
                {
                    name: [
                        None if not remove else [str(o) for o in objs],
                        [str(o) for o in objs] if not remove else None,
                    ]
                },
            )
        refresh_privacy(incident)
    return incident


def incident_link_risks(*, actor, incident: Incident, risks: Iterable[Any], remove: bool = False) -> Incident:
    """Record (or forget) the risks this incident realised, by reference (RISK-4), as frequency evidence."""
    from ramparts.risk.models import Risk

    guard(actor, incident)
    problems: list[Problem] = []
    found = _inventory(actor, Risk, risks, "risks", problems)
    fail_if(problems)
    if not found:
        return incident
    with transaction.atomic():
        (incident.risks.remove if remove else incident.risks.add)(*found)
        refs = [r.ref for r in found]
        record(
            actor,
            audit.Action.UPDATE,
            incident,
            incident.ref,
            {"risks": [refs if remove else None, None if remove else refs]},
        )
        words = ", ".join(f"{r.ref} {r.title}" for r in found)
        timeline(incident, EntryKind.CHANGE, f"{'Unlinked' if remove else 'Realised'} risks: {words}", actor=actor)
    return incident


def incident_attach_alert(*, actor, incident: Incident, summary: str, occurred_at: datetime | None = None) -> None:
    """For alert triage: a merged alert goes on the timeline (the alert itself keeps the link to the incident)."""
    guard(actor, incident)
    problems: list[Problem] = []
    summary = text(summary, "summary", problems, max_length=5000, required=True)
    occurred = aware(occurred_at, "occurred_at", problems)
    fail_if(problems)
    with transaction.atomic():
        timeline(incident, EntryKind.ALERT, f"Alert merged: {summary}", actor=actor, occurred_at=occurred)
