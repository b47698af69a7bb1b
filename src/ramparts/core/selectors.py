"""Reads of core data: the audit trail, business units."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from ramparts.core.models import AuditEntry, BusinessUnit
from ramparts.core.permissions import require, scope_to_units, unit_ids


@dataclass(frozen=True)
class AuditFilters:
    object_type: str = ""
    object_id: str = ""
    actor: str = ""
    action: str = ""
    channel: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    q: str = ""


def audit_list(user, *, filters: AuditFilters) -> QuerySet[AuditEntry]:
    require(user, "audit.view")
    qs = AuditEntry.objects.all()
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.actor:
        qs = qs.filter(actor_label__iexact=filters.actor)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.since:
        qs = qs.filter(at__gte=filters.since)
    if filters.until:
        qs = qs.filter(at__lt=filters.until)
    if filters.q:
        qs = qs.filter(object_ref__icontains=filters.q)
    return qs.order_by("-seq")


def object_history(object_type: str, object_id: str, limit: int = 50) -> list[AuditEntry]:
    """The history shown on an object's page. Callers have already checked the object is visible."""
    return list(AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("-seq")[:limit])


def business_unit_list(user) -> QuerySet[BusinessUnit]:
    units = unit_ids(user)
    qs = BusinessUnit.objects.all()
    return qs if units is None else qs.filter(id__in=units)


__all__ = ["AuditFilters", "audit_list", "business_unit_list", "object_history", "scope_to_units"]
