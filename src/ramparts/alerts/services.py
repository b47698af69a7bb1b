"""Writes of the alerts module: sources (with their secrets and mappings), suppression rules, and
triage (dismiss, merge into an incident, promote to a new one). Intake itself is in intake.py."""

import datetime as dt
import re
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ramparts.alerts import incident_link, intake, selectors
from ramparts.alerts.engine.mapping import FIELDS, CompiledMapping, MappingError
from ramparts.alerts.engine.presets import PRESETS
from ramparts.alerts.models import Alert, AlertSource, SuppressionRule
from ramparts.core import audit
from ramparts.core.errors import Conflict, NotFound, Problem, ValidationFailed
from ramparts.core.permissions import require, require_unit

_SOURCE_FIELDS = ("name", "kind", "mapping", "group_by", "group_window_minutes", "rate_limit_per_minute", "active")


def _new_secret() -> str:
    return "alsec_" + secrets.token_urlsafe(32)


def _validate_source(source: AlertSource) -> list[Problem]:
    problems = []
    if not source.name.strip():
        problems.append(Problem("is required", column="name"))
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,59}", source.slug or ""):
        problems.append(Problem("lower-case letters, digits and dashes only", column="slug"))
    if source.kind not in AlertSource.Kind.values:
        problems.append(Problem(f"must be one of {', '.join(AlertSource.Kind.values)}", column="kind"))
    try:
        CompiledMapping(source.mapping)
    except MappingError as exc:
        problems.append(Problem(str(exc), column="mapping"))
    if not isinstance(source.group_by, list) or any(f not in FIELDS for f in source.group_by):
        problems.append(Problem(f"a list of alert fields among {', '.join(FIELDS)}", column="group_by"))
    if not 1 <= source.group_window_minutes <= 7 * 24 * 60:
        problems.append(Problem("between 1 minute and 7 days", column="group_window_minutes"))
    if source.rate_limit_per_minute < 1:
        problems.append(Problem("at least 1", column="rate_limit_per_minute"))
    return problems


def source_create(
    *,
    actor,
    name: str,
    business_unit,
    kind: str = "generic",
    slug: str = "",
    mapping: dict | None = None,
    group_by: list[str] | None = None,
    group_window_minutes: int = 10,
    rate_limit_per_minute: int = 6000,
    active: bool = True,
) -> tuple[AlertSource, str]:
    """A new source with a fresh secret, returned once. Without a mapping, the kind's preset is used."""
    require_unit(actor, getattr(business_unit, "pk", None), "alerts.sources")
    source = AlertSource(
        name=name.strip(),
        slug=slug or slugify(name)[:60],
        kind=kind,
        business_unit=business_unit,
        secret=_new_secret(),
        mapping=mapping if mapping is not None else PRESETS.get(kind, PRESETS["generic"]),
        group_by=list(group_by) if group_by is not None else ["host", "rule"],
        group_window_minutes=group_window_minutes,
        rate_limit_per_minute=rate_limit_per_minute,
        active=active,
    )
    problems = _validate_source(source)
    if AlertSource.objects.filter(name=source.name).exists():
        problems.append(Problem("another source has this name", column="name"))
    if AlertSource.objects.filter(slug=source.slug).exists():
        problems.append(Problem("another source has this slug", column="slug"))
    if problems:
        raise ValidationFailed("The alert source was not saved.", problems)
    with transaction.atomic():
        source.save()
        audit.record(actor, _change(audit.Action.CREATE, source, audit.created(audit.snapshot(source))))
    intake.forget_cached_sources()
    return source, source.secret


def source_update(*, actor, source: AlertSource, **fields: Any) -> AlertSource:
    require_unit(actor, source.business_unit_id, "alerts.sources")
    with transaction.atomic():
        source = AlertSource.objects.select_for_update().get(pk=source.pk)
        before = audit.snapshot(source)
        for key, value in fields.items():
            if key not in _SOURCE_FIELDS:
                raise ValidationFailed("The alert source was not saved.", [Problem("cannot be changed", column=key)])
            setattr(source, key, value)
        problems = _validate_source(source)
        if AlertSource.objects.filter(name=source.name).exclude(pk=source.pk).exists():
            problems.append(Problem("another source has this name", column="name"))
        if problems:
            raise ValidationFailed("The alert source was not saved.", problems)
        source.save()
        changes = audit.diff(before, audit.snapshot(source))
        if changes:
            audit.record(actor, _change(audit.Action.UPDATE, source, changes))
    intake.forget_cached_sources()
    return source


def source_rotate_secret(*, actor, source: AlertSource) -> str:
    require_unit(actor, source.business_unit_id, "alerts.sources")
    secret = _new_secret()
    with transaction.atomic():
        AlertSource.objects.filter(pk=source.pk).update(secret=secret, updated_at=timezone.now())
        audit.record(actor, _change(audit.Action.UPDATE, source, {"secret": ["(old)", "(rotated)"]}))
    intake.forget_cached_sources()
    return secret


def _change(action: str, source: AlertSource, changes: dict) -> audit.Change:
    return audit.Change(action, audit.object_type_of(source), str(source.pk), source.name, changes)


# --- suppression -------------------------------------------------------------------------------


def suppression_create(
    *, actor, field: str, value: str, until: dt.datetime, reason: str, source: AlertSource | None = None
) -> SuppressionRule:
    if source is not None:
        require_unit(actor, source.business_unit_id, "alerts.triage")
    else:
        require(actor, "alerts.sources")  # a rule over every source is the source managers' call
    problems = []
    if field not in SuppressionRule.FIELDS:
        problems.append(Problem(f"one of {', '.join(SuppressionRule.FIELDS)}", column="field"))
    if not value.strip():
        problems.append(Problem("is required", column="value"))
    if until <= timezone.now():
        problems.append(Problem("must be in the future", column="until"))
    if until > timezone.now() + dt.timedelta(days=366):
        problems.append(Problem("at most a year ahead", column="until"))
    if not reason.strip():
        problems.append(Problem("is required", column="reason"))
    if problems:
        raise ValidationFailed("The suppression rule was not saved.", problems)
    with transaction.atomic():
        rule = SuppressionRule.objects.create(
            source=source, field=field, value=value.strip(), until=until, reason=reason.strip(), created_by=actor
        )
        audit.record(
            actor,
            audit.Change(
                audit.Action.CREATE,
                audit.object_type_of(rule),
                str(rule.pk),
                str(rule),
                audit.created(audit.snapshot(rule)),
            ),
        )
    intake.forget_cached_sources()
    return rule


def suppression_end(*, actor, rule: SuppressionRule) -> SuppressionRule:
    """End a rule now (kept for the record of what was suppressed)."""
    if rule.source is not None:
        require_unit(actor, rule.source.business_unit_id, "alerts.triage")
    else:
        require(actor, "alerts.sources")
    with transaction.atomic():
        before = audit.snapshot(rule)
        rule.until = timezone.now()
        rule.save(update_fields=["until"])
        audit.record(
            actor,
            audit.Change(
                audit.Action.UPDATE,
                audit.object_type_of(rule),
                str(rule.pk),
                str(rule),
                audit.diff(before, audit.snapshot(rule)),
            ),
        )
    intake.forget_cached_sources()
    return rule


# --- triage ------------------------------------------------------------------------------------

_OPEN = (Alert.Status.NEW, Alert.Status.SUPPRESSED)


def _triage(actor, alert: Alert, *, status: str, **fields: Any) -> Alert:
    require_unit(actor, alert.business_unit_id, "alerts.triage")
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.status not in _OPEN:
        raise Conflict(f"{locked.ref} is already {locked.get_status_display()}.")
    before = audit.snapshot(locked, ["status", "dismiss_reason", "incident_ref"])
    locked.status = status
    locked.triaged_by = actor
    locked.triaged_at = timezone.now()
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.save(update_fields=["status", "triaged_by", "triaged_at", *fields])
    changes = audit.diff(before, audit.snapshot(locked, ["status", "dismiss_reason", "incident_ref"]))
    audit.record(
        actor, audit.Change(audit.Action.UPDATE, audit.object_type_of(locked), str(locked.pk), locked.ref, changes)
    )
    return locked


def alert_dismiss(*, actor, alert: Alert, reason: str) -> Alert:
    if not reason.strip():
        raise ValidationFailed("The alert was not dismissed.", [Problem("a reason is required", column="reason")])
    with transaction.atomic():
        return _triage(actor, alert, status=Alert.Status.DISMISSED, dismiss_reason=reason.strip()[:500])


def alert_merge(*, actor, alert: Alert, incident_ref: str) -> Alert:
    """Attach the alert to an existing incident (recorded on the incident's timeline when it keeps one)."""
    with transaction.atomic():
        incident = incident_link.find(actor, incident_ref)
        merged = _triage(actor, alert, status=Alert.Status.MERGED, incident_ref=incident_link.ref_of(incident))
        incident_link.note_alert(actor, incident, merged)
    return merged


def alert_promote(*, actor, alert: Alert, title: str = "", **incident_fields: Any) -> Alert:
    """Declare a new incident from the alert; its affected systems are the inventory systems whose
    host name or IP address the alert names."""
    with transaction.atomic():
        systems = selectors.matching_systems(actor, alert)
        incident = incident_link.declare(actor, alert, title=title or alert.title, systems=systems, **incident_fields)
        promoted = _triage(actor, alert, status=Alert.Status.PROMOTED, incident_ref=incident_link.ref_of(incident))
        incident_link.note_alert(actor, incident, promoted)
    return promoted


def alert_get_for_update(alert_id: int) -> Alert:
    alert = Alert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise NotFound("No such alert.")
    return alert
