"""The alerts module's only contact with the incidents module: find, declare, and note alerts on
an incident, through the incidents' own selectors and services (their permissions apply)."""

import ipaddress
from typing import Any

from django.db import transaction

from ramparts.alerts.models import Alert
from ramparts.core.errors import Conflict, ValidationFailed

# An alert's severity as the incident's; "info" is no incident severity.
_SEVERITY = {"info": "low", "low": "low", "medium": "medium", "high": "high", "critical": "critical"}


def find(actor, ref: str):
    from ramparts.incidents.selectors import incident_get

    return incident_get(actor, ref=ref.strip().upper())


def ref_of(incident) -> str:
    return incident.ref


def declare(actor, alert: Alert, *, title: str, systems: list, incident_type: str = "other", **fields: Any):
    from ramparts.incidents.services import incident_declare

    fields.setdefault("severity", _SEVERITY.get(alert.severity, "medium"))
    fields.setdefault("summary", f"Promoted from alert {alert.ref} ({alert.source.name}): {alert.title}")
    return incident_declare(
        actor=actor,
        title=title,
        incident_type=incident_type,
        business_unit=alert.business_unit,
        occurred_at=alert.occurred_at,
        detected_at=alert.first_seen,
        systems=systems,
        **fields,
    )


def note_alert(actor, incident, alert: Alert) -> None:
    """Timeline entry, plus the alert's ATT&CK techniques and IP/account as observables (each
    skipped if the incident already has it)."""
    from ramparts.incidents import services

    where = " · ".join(v for v in (alert.host, alert.ip, alert.user) if v)
    summary = f"Alert {alert.ref} ({alert.source.name}, {alert.severity}): {alert.title}" + (
        f" [{where}]" if where else ""
    )
    services.incident_attach_alert(actor=actor, incident=incident, summary=summary, occurred_at=alert.occurred_at)
    for technique in filter(None, (t.strip() for t in alert.technique.split(","))):
        _quietly(services.technique_add, actor=actor, incident=incident, technique_id=technique)
    for ip in filter(None, (v.strip() for v in alert.ip.split(","))):
        if _is_ip(ip):
            _quietly(services.observable_add, actor=actor, incident=incident, kind="ip", value=ip, note=alert.ref)
    if alert.user:
        _quietly(
            services.observable_add, actor=actor, incident=incident, kind="account", value=alert.user, note=alert.ref
        )


def _quietly(write, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            write(**kwargs)
    except (Conflict, ValidationFailed):
        pass  # already there, or not a value the incident accepts: the timeline entry keeps it


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
