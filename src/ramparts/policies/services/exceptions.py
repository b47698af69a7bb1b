"""Policy exceptions: requested for named systems until a date, approved by someone else, and
reopened by expiry (an expired exception must be renewed and approved again)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import Conflict, NotFound, PermissionDenied, Problem, ValidationFailed
from ramparts.core.permissions import require, require_unit, scope_to_units
from ramparts.inventory.models import System
from ramparts.notifications.services import notify, register_event
from ramparts.policies import selectors
from ramparts.policies.models import PolicyException
from ramparts.policies.refs import next_number, parse_ref
from ramparts.policies.services._common import m2m_labels, record, require_text, unit_of

register_event("policy.exception_expired", "A policy exception expires")

MAX_DAYS = 366  # an exception is time-bound: a year at most, then it is decided again
Status = PolicyException.Status
FIELDS = ("title", "justification", "compensating_controls", "expires_on")


def _systems(actor, refs: Iterable[Any]) -> list[System]:
    wanted: dict[int, str] = {}
    problems = []
    for ref in refs or []:
        text = ref.ref if isinstance(ref, System) else str(ref)
        try:
            wanted[parse_ref(text, System.REF_PREFIX)] = text
        except NotFound:
            problems.append(Problem(f"{text!r} is not a system reference (SYS-12)", column="systems"))
    found = {s.number: s for s in scope_to_units(actor, System.objects.filter(number__in=wanted))}
    problems += [Problem(f"no system {ref}", column="systems") for n, ref in wanted.items() if n not in found]
    if problems:
        raise ValidationFailed("Unknown systems.", problems)
    return [found[n] for n in wanted]


def _risk(actor, ref: Any):
    """A risk of the register the actor sees ("RISK-12"), or None for an empty value."""
    from ramparts.risk.models import Risk

    if ref in (None, ""):
        return None
    if isinstance(ref, Risk):
        ref = ref.ref
    try:
        number = parse_ref(str(ref), Risk.REF_PREFIX)
    except NotFound:
        raise ValidationFailed(
            "Unknown risk.", [Problem(f"{ref!r} is not a risk reference (RISK-12)", column="risk")]
        ) from None
    found = scope_to_units(actor, Risk.objects.filter(number=number)).first()
    if found is None:
        raise ValidationFailed("Unknown risk.", [Problem(f"no risk {ref}", column="risk")])
    return found


def _check(values: dict[str, Any], problems: list[Problem], today: dt.date) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "title" in values:
        clean["title"] = require_text(values["title"], field="title", limit=200, problems=problems)
    if "justification" in values:
        clean["justification"] = require_text(
            values["justification"], field="justification", limit=10_000, problems=problems
        )
    if "compensating_controls" in values:
        clean["compensating_controls"] = require_text(
            values["compensating_controls"],
            field="compensating_controls",
            limit=10_000,
            problems=problems,
            required=False,
        )
    if "expires_on" in values:
        expires = values["expires_on"]
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                expires = None
        if not isinstance(expires, dt.date):
            problems.append(Problem("must be a date (YYYY-MM-DD)", column="expires_on"))
        elif expires < today:
            problems.append(Problem("is in the past", column="expires_on"))
        elif expires > today + dt.timedelta(days=MAX_DAYS):
            problems.append(
                Problem(f"is more than {MAX_DAYS} days away: exceptions are time-bound", column="expires_on")
            )
        clean["expires_on"] = expires
    return clean


def _snapshot(exc: PolicyException) -> dict[str, Any]:
    data = audit.snapshot(exc, fields=[*FIELDS, "status", "policy", "business_unit", "risk"])
    data["systems"] = m2m_labels(exc, "systems")
    return data


def exception_create(
    *, actor, policy: str, business_unit, title: str, justification: str, expires_on, systems: Iterable[Any] = (),
    compensating_controls: str = "", risk: Any = None,
) -> PolicyException:  # fmt: skip
    require(actor, "policies.exceptions")
    today = timezone.localdate()
    problems: list[Problem] = []
    values = _check(
        {
            "title": title,
            "justification": justification,
            "compensating_controls": compensating_controls,
            "expires_on": expires_on,
        },
        problems,
        today,
    )
    try:
        unit = unit_of(business_unit)
    except ValidationFailed as error:
        problems += error.problems
        unit = None
    try:
        target = selectors.policy_get(actor, ref=policy)
        if target.state != "published":
            problems.append(Problem(f"{target.ref} is not a published policy", column="policy"))
    except NotFound:
        problems.append(Problem(f"no policy {policy!r}", column="policy"))
    try:
        chosen = _systems(actor, systems)
    except ValidationFailed as error:
        problems += error.problems
    try:
        values["risk"] = _risk(actor, risk)
    except ValidationFailed as error:
        problems += error.problems
    if problems:
        raise ValidationFailed("The exception was not saved.", problems)
    assert unit is not None
    require_unit(actor, unit.pk, "policies.exceptions")
    with transaction.atomic():
        exc = PolicyException.objects.create(
            number=next_number(PolicyException), business_unit=unit, policy=target, requested_by=actor, **values
        )
        exc.systems.set(chosen)
        record(actor, exc, audit.Action.CREATE, audit.created(_snapshot(exc)))
    return exc


def _locked(actor, ref: str) -> PolicyException:
    found = selectors.exception_get(actor, ref=ref)
    return PolicyException.objects.select_for_update().select_related("policy").get(pk=found.pk)


def exception_update(*, actor, ref: str, systems: Iterable[Any] | None = None, **fields: Any) -> PolicyException:
    """Change a request before it is decided (the linked risk may change at any time)."""
    require(actor, "policies.exceptions")
    unknown = set(fields) - set(FIELDS) - {"risk"}
    if unknown:
        raise ValidationFailed(
            "Unknown exception fields.", [Problem("not a field you can set", column=n) for n in unknown]
        )
    problems: list[Problem] = []
    values = _check(fields, problems, timezone.localdate())
    if "risk" in fields:
        try:
            values["risk"] = _risk(actor, fields["risk"])
        except ValidationFailed as error:
            problems += error.problems
    chosen = None
    if systems is not None:
        try:
            chosen = _systems(actor, systems)
        except ValidationFailed as error:
            problems += error.problems
    if problems:
        raise ValidationFailed("The exception was not saved.", problems)
    with transaction.atomic():
        exc = _locked(actor, ref)
        if exc.status != Status.REQUESTED and set(values) - {"risk"} | ({"systems"} if chosen is not None else set()):
            raise Conflict(f"{exc.ref} is {exc.status_now}: only requests can be changed (renew it instead).")
        before = _snapshot(exc)
        for name, value in values.items():
            setattr(exc, name, value)
        exc.save()
        if chosen is not None:
            exc.systems.set(chosen)
        changes = audit.diff(before, _snapshot(exc))
        if changes:
            record(actor, exc, audit.Action.UPDATE, changes)
    return exc


def _decide(actor, ref: str, new: str, note: str) -> PolicyException:
    require(actor, "policies.approve_exception")
    with transaction.atomic():
        exc = _locked(actor, ref)
        if exc.status != Status.REQUESTED:
            raise Conflict(f"{exc.ref} is {exc.status_now}, not awaiting a decision.")
        if exc.requested_by_id == actor.pk:
            raise PermissionDenied("You requested this exception: someone else must decide on it.")
        if new == Status.APPROVED and exc.expires_on < timezone.localdate():
            raise ValidationFailed(
                "The exception has expired.", [Problem("is in the past: renew it first", column="expires_on")]
            )
        old = exc.status
        exc.status, exc.decided_by, exc.decided_at = new, actor, timezone.now()
        exc.decision_note = note.strip()[:2000]
        exc.save()
        changes: dict[str, list] = {"status": [old, new]}
        if exc.decision_note:
            changes["decision_note"] = [None, exc.decision_note]
        record(actor, exc, audit.Action.UPDATE, changes)
    return exc


def exception_approve(*, actor, ref: str, note: str = "") -> PolicyException:
    return _decide(actor, ref, Status.APPROVED, note)


def exception_reject(*, actor, ref: str, note: str) -> PolicyException:
    if not (note or "").strip():
        raise ValidationFailed("Say why the exception is rejected.", [Problem("is required", column="note")])
    return _decide(actor, ref, Status.REJECTED, note)


def exception_revoke(*, actor, ref: str, note: str = "") -> PolicyException:
    """End an approved exception before its date (the systems now comply, or the risk changed)."""
    require(actor, "policies.exceptions")
    with transaction.atomic():
        exc = _locked(actor, ref)
        if exc.status_now != Status.APPROVED:
            raise Conflict(f"{exc.ref} is {exc.status_now}: only an active exception can be revoked.")
        exc.status = Status.REVOKED
        exc.save()
        changes: dict[str, list] = {"status": [Status.APPROVED.value, Status.REVOKED.value]}
        if note.strip():
            changes["note"] = [None, note.strip()[:2000]]
        record(actor, exc, audit.Action.UPDATE, changes)
    return exc


def exception_renew(*, actor, ref: str, expires_on, justification: str | None = None) -> PolicyException:
    """Ask again, until a new date: the exception is a request again and needs a new approval."""
    require(actor, "policies.exceptions")
    problems: list[Problem] = []
    values = _check({"expires_on": expires_on}, problems, timezone.localdate())
    if justification is not None:
        values |= _check({"justification": justification}, problems, timezone.localdate())
    if problems:
        raise ValidationFailed("The exception was not renewed.", problems)
    with transaction.atomic():
        exc = _locked(actor, ref)
        if exc.status_now not in (Status.APPROVED, Status.EXPIRED):
            raise Conflict(f"{exc.ref} is {exc.status_now}: only approved or expired exceptions are renewed.")
        before = _snapshot(exc)
        for name, value in values.items():
            setattr(exc, name, value)
        exc.status, exc.requested_by = Status.REQUESTED, actor
        exc.decided_by, exc.decided_at, exc.decision_note, exc.expired_at = None, None, "", None
        exc.save()
        record(actor, exc, audit.Action.UPDATE, audit.diff(before, _snapshot(exc)))
    return exc


def exceptions_expire(*, today: dt.date | None = None) -> list[PolicyException]:
    """Mark approved exceptions past their date expired and tell the requester and the policy owner.
    (Pages already show them expired: this makes it stored, audited and known.)"""
    today = today or timezone.localdate()
    done = []
    for exc in selectors.exceptions_to_expire(today).select_related("policy", "policy__owner", "requested_by"):
        with transaction.atomic():
            exc.status, exc.expired_at = Status.EXPIRED, timezone.now()
            exc.save(update_fields=["status", "expired_at", "updated_at"])
            record(None, exc, audit.Action.UPDATE, {"status": [Status.APPROVED.value, Status.EXPIRED.value]})
            notify(
                event="policy.exception_expired",
                recipients=[u for u in (exc.requested_by, exc.policy.owner) if u is not None],
                subject=f"Exception {exc.ref} to {exc.policy.ref} expired on {exc.expires_on:%d %b %Y}",
                body=f"{exc.title}: the exception to {exc.policy.title} expired on {exc.expires_on:%d %B %Y}. "
                "The systems it covered must comply again, or the exception must be renewed and approved.",
                link=f"/policies/exceptions/{exc.ref}/",
                payload={"exception": exc.ref, "policy": exc.policy.ref},
            )
        done.append(exc)
    return done
