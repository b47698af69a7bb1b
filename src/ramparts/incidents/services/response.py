"""Roles, timeline entries, observables (IOCs) and ATT&CK techniques."""

import ipaddress
import re
from datetime import datetime
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import Conflict, Problem
from ramparts.core.models import User
from ramparts.incidents.models import (
    EntryKind,
    Incident,
    IncidentRole,
    Observable,
    ObservableKind,
    RoleAssignment,
    Technique,
    TimelineEntry,
    Tlp,
)
from ramparts.incidents.services._common import aware, fail_if, guard, record, send, timeline
from ramparts.incidents.services._common import text as clean

TECHNIQUE_ID = re.compile(r"^T\d{4}(\.\d{3})?$")
HASH_LENGTHS = {32: "MD5", 40: "SHA-1", 64: "SHA-256", 128: "SHA-512"}
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?!-)([a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# --- roles --------------------------------------------------------------------------------------


def role_assign(*, actor, incident: Incident, user: User, role: str, at: datetime | None = None) -> RoleAssignment:
    """Give a role. A single-holder role (commander, scribe, communications lead) passes from its holder."""
    guard(actor, incident)
    problems: list[Problem] = []
    if role not in IncidentRole.values:
        problems.append(Problem(f"{role!r} is not one of {', '.join(IncidentRole.values)}", column="role"))
    if not user.is_active:
        problems.append(Problem("the account is inactive", column="user"))
    at = aware(at, "at", problems) or timezone.now()
    fail_if(problems, "The role was not given.")
    with transaction.atomic():
        current = incident.roles.filter(held_until__isnull=True)
        if current.filter(user=user, role=role).exists():
            raise Conflict(f"{user.get_username()} already holds the role {IncidentRole(role).label}.")
        if role in (IncidentRole.COMMANDER, IncidentRole.SCRIBE, IncidentRole.COMMUNICATIONS):
            for held in current.filter(role=role).select_related("user"):
                held.held_until = at
                held.save(update_fields=["held_until"])
                timeline(
                    incident,
                    EntryKind.ROLE,
                    f"{held.user.get_username()} hands over {IncidentRole(role).label}",
                    actor=actor,
                    occurred_at=at,
                )
        assignment = RoleAssignment.objects.create(incident=incident, user=user, role=role, held_from=at)
        record(
            actor,
            audit.Action.CREATE,
            assignment,
            incident.ref,
            {"role": [None, role], "user": [None, user.get_username()]},
        )
        timeline(
            incident,
            EntryKind.ROLE,
            f"{user.get_username()} is {IncidentRole(role).label}",
            actor=actor,
            occurred_at=at,
        )
        if user != actor:
            send(
                incident,
                event="incident.assigned",
                recipients=[user],
                subject=f"{incident.ref}: you are {IncidentRole(role).label}",
                body=incident.title,
            )
    return assignment


def role_release(*, actor, assignment: RoleAssignment, at: datetime | None = None) -> RoleAssignment:
    incident = assignment.incident
    guard(actor, incident)
    problems: list[Problem] = []
    at = aware(at, "at", problems) or timezone.now()
    if at < assignment.held_from:
        problems.append(Problem("is before the role was given", column="at"))
    fail_if(problems, "The role was not released.")
    if assignment.held_until is not None:
        raise Conflict("This role was already released.")
    with transaction.atomic():
        assignment.held_until = at
        assignment.save(update_fields=["held_until"])
        record(actor, audit.Action.UPDATE, assignment, incident.ref, {"held_until": [None, audit.plain(at)]})
        label = IncidentRole(assignment.role).label
        timeline(
            incident, EntryKind.ROLE, f"{assignment.user.get_username()} no longer {label}", actor=actor, occurred_at=at
        )
    return assignment


# --- timeline -----------------------------------------------------------------------------------


def timeline_add(
    *, actor, incident: Incident, text: str, occurred_at: datetime | None = None, pinned: bool = False
) -> TimelineEntry:
    """A person's own entry: what happened (occurred_at) is kept apart from when it was written (now)."""
    guard(actor, incident)
    problems: list[Problem] = []
    body = clean(text, "text", problems, max_length=20000, required=True)
    occurred = aware(occurred_at, "occurred_at", problems) or timezone.now()
    fail_if(problems, "The entry was not added.")
    with transaction.atomic():
        entry = timeline(incident, EntryKind.NOTE, body, actor=actor, occurred_at=occurred)
        if pinned:
            entry.pinned = True
            entry.save(update_fields=["pinned"])
        record(actor, audit.Action.CREATE, entry, incident.ref, audit.created(audit.snapshot(entry)))
    return entry


def timeline_pin(*, actor, entry: TimelineEntry, pinned: bool) -> TimelineEntry:
    guard(actor, entry.incident)
    with transaction.atomic():
        if entry.pinned != bool(pinned):
            entry.pinned = bool(pinned)
            entry.save(update_fields=["pinned"])
            record(actor, audit.Action.UPDATE, entry, entry.incident.ref, {"pinned": [not pinned, bool(pinned)]})
    return entry


# --- observables --------------------------------------------------------------------------------


def normalise_observable(kind: str, value: str) -> tuple[str, str | None]:
    """(normalised value, problem or None) for an observable of a kind."""
    value = (value or "").strip()
    if not value:
        return value, "is required"
    if len(value) > 2000:
        return value, "is longer than 2000 characters"
    if kind == ObservableKind.IP:
        try:
            return str(ipaddress.ip_address(value)), None
        except ValueError:
            return value, f"{value[:60]!r} is not an IPv4 or IPv6 address"
    if kind == ObservableKind.DOMAIN:
        domain = value.lower().rstrip(".")
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            return value, f"{value[:60]!r} is not a domain name"
        return (domain, None) if _DOMAIN.match(domain) else (value, f"{value[:60]!r} is not a domain name")
    if kind == ObservableKind.URL:
        parts = urlsplit(value)
        if (
            parts.scheme.lower() not in ("http", "https", "ftp")
            or not parts.hostname
            or _CONTROL.search(value)
            or " " in value
        ):
            return value, f"{value[:60]!r} is not an http(s) or ftp URL"
        return value, None
    if kind == ObservableKind.HASH:
        digest = value.lower()
        if len(digest) not in HASH_LENGTHS or not re.fullmatch(r"[0-9a-f]+", digest):
            return value, "is not an MD5, SHA-1, SHA-256 or SHA-512 hex digest"
        return digest, None
    if kind == ObservableKind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            return value, f"{value[:60]!r} is not an e-mail address"
        return value, None
    if kind == ObservableKind.ACCOUNT:
        if len(value) > 256 or _CONTROL.search(value):
            return value, "an account name is at most 256 characters without control characters"
        return value, None
    return value, f"{kind!r} is not one of {', '.join(ObservableKind.values)}"


def observable_add(
    *, actor, incident: Incident, kind: str, value: str, tlp: str = Tlp.AMBER, note: str = ""
) -> Observable:
    guard(actor, incident)
    problems: list[Problem] = []
    if kind not in ObservableKind.values:
        problems.append(Problem(f"{kind!r} is not one of {', '.join(ObservableKind.values)}", column="kind"))
    else:
        value, problem = normalise_observable(kind, value)
        if problem:
            problems.append(Problem(problem, column="value"))
    if tlp not in Tlp.values:
        problems.append(Problem(f"{tlp!r} is not one of {', '.join(Tlp.values)}", column="tlp"))
    note = clean(note, "note", problems, max_length=5000)
    fail_if(problems, "The observable was not added.")
    try:
        with transaction.atomic():
            obs = Observable.objects.create(
                incident=incident, kind=kind, value=value, tlp=tlp, note=note, added_at=timezone.now(), added_by=actor
            )
    except IntegrityError:
        raise Conflict(f"{incident.ref} already has the {kind} {value[:80]}.") from None
    with transaction.atomic():
        record(actor, audit.Action.CREATE, obs, incident.ref, audit.created(audit.snapshot(obs)))
        timeline(
            incident,
            EntryKind.CHANGE,
            f"IOC added ({ObservableKind(kind).label}, {Tlp(tlp).label}): {value}",
            actor=actor,
        )
    return obs


def observable_remove(*, actor, observable: Observable) -> None:
    incident = observable.incident
    guard(actor, incident)
    with transaction.atomic():
        record(actor, audit.Action.DELETE, observable, incident.ref, audit.deleted(audit.snapshot(observable)))
        observable.delete()


# --- techniques ---------------------------------------------------------------------------------


def technique_add(*, actor, incident: Incident, technique_id: str, name: str = "") -> Technique:
    guard(actor, incident)
    problems: list[Problem] = []
    technique_id = (technique_id or "").strip().upper()
    if not TECHNIQUE_ID.match(technique_id):
        problems.append(Problem("an ATT&CK technique id looks like T1566 or T1566.001", column="technique_id"))
    name = clean(name, "name", problems, max_length=200)
    fail_if(problems, "The technique was not added.")
    try:
        with transaction.atomic():
            tech = Technique.objects.create(incident=incident, technique_id=technique_id, name=name)
    except IntegrityError:
        raise Conflict(f"{incident.ref} already lists {technique_id}.") from None
    with transaction.atomic():
        record(actor, audit.Action.CREATE, tech, incident.ref, audit.created(audit.snapshot(tech)))
        timeline(incident, EntryKind.CHANGE, f"ATT&CK technique {technique_id} {name}".strip(), actor=actor)
    return tech


def technique_remove(*, actor, technique: Technique) -> None:
    guard(actor, technique.incident)
    with transaction.atomic():
        record(actor, audit.Action.DELETE, technique, technique.incident.ref, audit.deleted(audit.snapshot(technique)))
        technique.delete()
