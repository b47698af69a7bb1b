"""Writes of policies and their versions: draft → in approval → approved → published → superseded.

Every transition is written to the policy's audit history (object policies.policy), naming the
version, so that the policy page tells its whole story. The approver of a version is never its
author nor the person who submitted it (segregation of duties).
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import Conflict, PermissionDenied, Problem, ValidationFailed
from ramparts.core.models import User
from ramparts.core.permissions import require, require_unit
from ramparts.core.roles import Role
from ramparts.notifications.services import notify
from ramparts.policies import selectors
from ramparts.policies.models import Policy, PolicyVersion
from ramparts.policies.refs import next_number
from ramparts.policies.services._common import (
    MAX_INTERVAL_MONTHS,
    MAX_TEXT,
    MAX_TITLE,
    add_months,
    controls_of,
    m2m_labels,
    record,
    require_text,
    requirements_of,
    roles_of,
    unit_of,
    units_of,
    user_of,
)

Status = PolicyVersion.Status
M2M_FIELDS = ("audience_units", "controls", "requirements")
SCALAR_FIELDS = ("title", "kind", "summary", "owner", "review_interval_months", "next_review_on", "audience_roles")


def _scalars(values: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """Checked values of the policy's own fields (only those given)."""
    clean: dict[str, Any] = {}
    if "title" in values:
        clean["title"] = require_text(values["title"], field="title", limit=MAX_TITLE, problems=problems)
    if "kind" in values:
        if values["kind"] not in Policy.Kind.values:
            problems.append(Problem(f"must be one of {', '.join(Policy.Kind.values)}", column="kind"))
        clean["kind"] = values["kind"]
    if "summary" in values:
        clean["summary"] = require_text(
            values["summary"], field="summary", limit=2000, problems=problems, required=False
        )
    if "review_interval_months" in values:
        months = values["review_interval_months"]
        if not isinstance(months, int) or not 1 <= months <= MAX_INTERVAL_MONTHS:
            problems.append(
                Problem(
                    f"must be a whole number of months, 1 to {MAX_INTERVAL_MONTHS}", column="review_interval_months"
                )
            )
        clean["review_interval_months"] = months
    if "next_review_on" in values:
        clean["next_review_on"] = _date(values["next_review_on"], "next_review_on", problems)
    for name, check in (("owner", lambda v: user_of(v, field="owner")), ("audience_roles", roles_of)):
        if name in values:
            try:
                clean[name] = check(values[name])
            except ValidationFailed as exc:
                problems += exc.problems
    return clean


def _date(value: Any, field: str, problems: list[Problem]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem("must be a date (YYYY-MM-DD)", column=field))
        return None


def _relations(actor, values: dict[str, Any], problems: list[Problem]) -> dict[str, list]:
    resolvers = {
        "audience_units": units_of,
        "controls": lambda refs: controls_of(actor, refs),
        "requirements": requirements_of,
    }
    clean = {}
    for name, resolve in resolvers.items():
        if name in values:
            try:
                clean[name] = resolve(values[name] or [])
            except ValidationFailed as exc:
                problems += exc.problems
    return clean


def _snapshot(policy: Policy) -> dict[str, Any]:
    data = audit.snapshot(policy, fields=[*SCALAR_FIELDS, "business_unit"])
    for name in M2M_FIELDS:
        data[name] = m2m_labels(policy, name)
    return data


def policy_create(
    *, actor, business_unit, title: str, text: str, kind: str = Policy.Kind.POLICY, change_summary: str = "",
    **fields: Any,
) -> Policy:  # fmt: skip
    """A new policy and its first draft, version 1.0. `fields`: summary, owner (user or username;
    default the actor), review_interval_months, audience_units (codes), audience_roles, controls
    (CTL refs), requirements ("framework-slug:identifier")."""
    require(actor, "policies.change")
    unit = unit_of(business_unit)
    require_unit(actor, unit.pk, "policies.change")
    unknown = set(fields) - {*SCALAR_FIELDS, *M2M_FIELDS} - {"next_review_on"}
    if unknown:
        raise ValidationFailed(
            "Unknown policy fields.", [Problem("not a field you can set", column=n) for n in unknown]
        )
    problems: list[Problem] = []
    if fields.get("owner") in (None, ""):
        fields["owner"] = actor
    values = _scalars({"title": title, "kind": kind, **fields}, problems)
    relations = _relations(actor, fields, problems)
    body = require_text(text, field="text", limit=MAX_TEXT, problems=problems)
    summary = require_text(change_summary, field="change_summary", limit=500, problems=problems, required=False)
    if problems:
        raise ValidationFailed("The policy was not saved.", problems)
    with transaction.atomic():
        policy = Policy.objects.create(number=next_number(Policy), business_unit=unit, **values)
        for name, objects in relations.items():
            getattr(policy, name).set(objects)
        version = PolicyVersion.objects.create(
            policy=policy, major=1, minor=0, text=body, change_summary=summary or "First version", author=actor
        )
        record(
            actor, policy, audit.Action.CREATE, {**audit.created(_snapshot(policy)), "version": [None, version.label]}
        )
    return policy


def policy_update(*, actor, ref: str, **fields: Any) -> Policy:
    policy = selectors.policy_for_change(actor, ref=ref)
    require(actor, "policies.change")
    unknown = set(fields) - {*SCALAR_FIELDS, *M2M_FIELDS, "business_unit"}
    if unknown:
        raise ValidationFailed(
            "Unknown policy fields.", [Problem("not a field you can set", column=n) for n in unknown]
        )
    problems: list[Problem] = []
    values = _scalars(fields, problems)
    relations = _relations(actor, fields, problems)
    if "business_unit" in fields:
        try:
            values["business_unit"] = unit_of(fields["business_unit"])
        except ValidationFailed as exc:
            problems += exc.problems
    if problems:
        raise ValidationFailed("The policy was not saved.", problems)
    if "business_unit" in values:
        require_unit(actor, values["business_unit"].pk, "policies.change")
    with transaction.atomic():
        policy = Policy.objects.select_for_update().get(pk=policy.pk)
        before = _snapshot(policy)
        for name, value in values.items():
            setattr(policy, name, value)
        policy.save()
        for name, objects in relations.items():
            getattr(policy, name).set(objects)
        changes = audit.diff(before, _snapshot(policy))
        if changes:
            record(actor, policy, audit.Action.UPDATE, changes)
    return policy


# --- versions ------------------------------------------------------------------------------------


def _locked(actor, ref: str) -> Policy:
    policy = selectors.policy_for_change(actor, ref=ref)
    return Policy.objects.select_for_update().get(pk=policy.pk)


def _version(policy: Policy, label: str) -> PolicyVersion:
    version = selectors.version_get(policy, label=label)
    return PolicyVersion.objects.select_for_update().get(pk=version.pk)


def _transition(actor, policy: Policy, version: PolicyVersion, new: str, **extra: Any) -> None:
    old = version.status
    version.status = new
    version.save()
    record(
        actor, policy, audit.Action.UPDATE, {"version": [version.label, version.label], "status": [old, new], **extra}
    )


def version_create(*, actor, ref: str, bump: str, text: str, change_summary: str) -> PolicyVersion:
    """A new draft after the latest version: `bump` "major" (2.0: asks everyone to acknowledge
    again) or "minor" (1.3: wording; acknowledgements stay valid)."""
    require(actor, "policies.change")
    problems: list[Problem] = []
    if bump not in ("major", "minor"):
        problems.append(Problem('must be "major" or "minor"', column="bump"))
    body = require_text(text, field="text", limit=MAX_TEXT, problems=problems)
    summary = require_text(change_summary, field="change_summary", limit=500, problems=problems)
    if problems:
        raise ValidationFailed("The version was not created.", problems)
    with transaction.atomic():
        policy = _locked(actor, ref)
        if policy.retired_at is not None:
            raise Conflict(f"{policy.ref} is retired: it takes no new versions.")
        working = selectors.open_version(policy)
        if working is not None:
            raise Conflict(
                f"{policy.ref} already has version {working.label} in progress ({working.get_status_display()})."
            )
        top = policy.versions.aggregate(m=Max("major"))["m"] or 0
        if bump == "major":
            major, minor = top + 1, 0
        else:
            major = top
            minor = (policy.versions.filter(major=top).aggregate(m=Max("minor"))["m"] or 0) + 1
        version = PolicyVersion.objects.create(
            policy=policy, major=major, minor=minor, text=body, change_summary=summary, author=actor
        )
        record(actor, policy, audit.Action.UPDATE, {"version": [None, version.label], "status": [None, Status.DRAFT]})
    return version


def version_update(
    *, actor, ref: str, label: str, text: str | None = None, change_summary: str | None = None
) -> PolicyVersion:
    require(actor, "policies.change")
    problems: list[Problem] = []
    values = {}
    if text is not None:
        values["text"] = require_text(text, field="text", limit=MAX_TEXT, problems=problems)
    if change_summary is not None:
        values["change_summary"] = require_text(
            change_summary, field="change_summary", limit=500, problems=problems, required=False
        )
    if problems:
        raise ValidationFailed("The version was not saved.", problems)
    with transaction.atomic():
        policy = _locked(actor, ref)
        version = _version(policy, label)
        if version.status != Status.DRAFT:
            raise Conflict(f"Version {version.label} is {version.get_status_display()}: only drafts can be edited.")
        before = audit.snapshot(version, fields=["text", "change_summary"])
        for name, value in values.items():
            setattr(version, name, value)
        version.save()
        changes = audit.diff(before, audit.snapshot(version, fields=["text", "change_summary"]))
        if changes:
            record(actor, policy, audit.Action.UPDATE, {"version": [version.label, version.label], **changes})
    return version


def version_submit(*, actor, ref: str, label: str) -> PolicyVersion:
    """Send a draft for approval: its owner, a security manager or an administrator may."""
    require(actor, "policies.change")
    with transaction.atomic():
        policy = _locked(actor, ref)
        if policy.owner_id != actor.pk and actor.role not in (Role.SECURITY_MANAGER, Role.ADMIN):
            raise PermissionDenied("Only the policy's owner or a security manager may submit it for approval.")
        version = _version(policy, label)
        if version.status != Status.DRAFT:
            raise Conflict(f"Version {version.label} is {version.get_status_display()}, not a draft.")
        version.submitted_by, version.submitted_at = actor, timezone.now()
        version.decision_note = ""
        _transition(actor, policy, version, Status.IN_APPROVAL)
    return version


def _approvable(actor, ref: str, label: str) -> tuple[Policy, PolicyVersion]:
    require(actor, "policies.approve")
    # Approvers read policies of any unit they see; they need not own the policy's unit.
    policy = Policy.objects.select_for_update().get(pk=selectors.policy_get(actor, ref=ref).pk)
    version = _version(policy, label)
    if version.status != Status.IN_APPROVAL:
        raise Conflict(f"Version {version.label} is {version.get_status_display()}, not in approval.")
    return policy, version


def version_approve(*, actor, ref: str, label: str, note: str = "") -> PolicyVersion:
    with transaction.atomic():
        policy, version = _approvable(actor, ref, label)
        if actor.pk in (version.author_id, version.submitted_by_id):
            raise PermissionDenied("You wrote or submitted this version: someone else must approve it.")
        version.approver, version.approved_at = actor, timezone.now()
        version.decision_note = (note or "").strip()[:2000]
        extra = {"note": [None, version.decision_note]} if version.decision_note else {}
        _transition(actor, policy, version, Status.APPROVED, **extra)
    return version


def version_reject(*, actor, ref: str, label: str, note: str) -> PolicyVersion:
    """Send a version in approval back to draft, saying why."""
    reason = (note or "").strip()
    if not reason:
        raise ValidationFailed("Say why the version goes back.", [Problem("is required", column="note")])
    with transaction.atomic():
        policy, version = _approvable(actor, ref, label)
        version.decision_note = reason[:2000]
        version.submitted_by, version.submitted_at = None, None
        _transition(actor, policy, version, Status.DRAFT, note=[None, version.decision_note])
    return version


def version_publish(*, actor, ref: str, label: str) -> PolicyVersion:
    """Publish an approved version: it supersedes the current one and starts the review cycle. A
    new major version (or the first) asks everyone addressed to acknowledge it."""
    require(actor, "policies.change")
    now = timezone.now()
    with transaction.atomic():
        policy = _locked(actor, ref)
        version = _version(policy, label)
        if version.status != Status.APPROVED:
            raise Conflict(
                f"Version {version.label} is {version.get_status_display()}: only approved versions are published."
            )
        if policy.retired_at is not None:
            raise Conflict(f"{policy.ref} is retired.")
        previous = policy.current_version
        if previous is not None:
            previous.status, previous.ended_at = Status.SUPERSEDED, now
            previous.save()
        version.published_by, version.published_at = actor, now
        _transition(actor, policy, version, Status.PUBLISHED)
        before = audit.snapshot(policy, fields=["next_review_on"])
        policy.current_version = version
        policy.next_review_on = add_months(timezone.localdate(), policy.review_interval_months)
        policy.review_reminded_for = None
        policy.save()
        record(actor, policy, audit.Action.UPDATE, {
            "current_version": [previous.label if previous else None, version.label],
            **audit.diff(before, audit.snapshot(policy, fields=["next_review_on"])),
        })  # fmt: skip
        if previous is None or previous.major != version.major:
            _ask_to_acknowledge(policy, version)
    return version


def addressed_users(policy: Policy) -> Iterable[User]:
    """Active accounts the policy addresses (their own units or their inventory record's unit)."""
    audience = selectors.audience_of(policy)
    users = User.objects.filter(is_active=True)
    if audience.units:
        users = users.filter(Q(business_units__in=audience.units) | Q(person__business_unit__in=audience.units))
    if audience.roles:
        users = users.filter(role__in=audience.roles)
    return users.distinct()


def _ask_to_acknowledge(policy: Policy, version: PolicyVersion) -> None:
    notify(
        event="policy.acknowledge",
        recipients=addressed_users(policy),
        subject=f"Please read and acknowledge {policy.ref} {policy.title} (version {version.label})",
        body=f"{policy.title} version {version.label} was published and is addressed to you.\n\n"
        f"What changed: {version.change_summary or 'first publication'}\n\n"
        "Read it and acknowledge it in Ramparts under My policies.",
        link=f"/policies/mine/{policy.ref}/",
        payload={"policy": policy.ref, "version": version.label},
    )


def policy_review(*, actor, ref: str, note: str = "") -> Policy:
    """The owner reviewed the policy and it stays as it is: the next review is one interval away."""
    require(actor, "policies.change")
    with transaction.atomic():
        policy = _locked(actor, ref)
        if policy.state != "published":
            raise Conflict(f"{policy.ref} is not published: there is nothing to review yet.")
        before = audit.snapshot(policy, fields=["last_reviewed_on", "next_review_on"])
        today = timezone.localdate()
        policy.last_reviewed_on = today
        policy.next_review_on = add_months(today, policy.review_interval_months)
        policy.review_reminded_for = None
        policy.save()
        changes = audit.diff(before, audit.snapshot(policy, fields=["last_reviewed_on", "next_review_on"]))
        if note.strip():
            changes["review_note"] = [None, note.strip()[:2000]]
        record(actor, policy, audit.Action.UPDATE, changes)
    return policy


def policy_retire(*, actor, ref: str, note: str = "") -> Policy:
    """Withdraw a policy: nobody is asked to acknowledge it any more; its versions are kept."""
    require(actor, "policies.change")
    now = timezone.now()
    with transaction.atomic():
        policy = _locked(actor, ref)
        if policy.retired_at is not None:
            raise Conflict(f"{policy.ref} is already retired.")
        policy.versions.filter(status=Status.PUBLISHED).update(status=Status.RETIRED, ended_at=now)
        policy.retired_at = now
        policy.save()
        changes: dict[str, list] = {"retired_at": [None, audit.plain(now)]}
        if note.strip():
            changes["note"] = [None, note.strip()[:2000]]
        record(actor, policy, audit.Action.UPDATE, changes)
    return policy
