"""Reads of the incidents module. The user comes first; every query starts from `visible_to(user)`."""

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ramparts.core.errors import NotFound
from ramparts.core.permissions import require, scope_to_units
from ramparts.incidents.models import Incident, IncidentTask, TaskStatus

REF = re.compile(r"^INC-(\d{4})-(\d{3,})$")


def visible_to(user) -> QuerySet[Incident]:
    require(user, "incidents.view")
    return scope_to_units(user, Incident.objects.all())


@dataclass(frozen=True)
class IncidentFilters:
    q: str = ""
    phase: str = ""  # a phase, or "open"
    incident_type: str = ""
    severity: int | None = None
    business_unit: str = ""  # unit code


def incident_list(user, *, filters: IncidentFilters | None = None) -> QuerySet[Incident]:
    filters = filters or IncidentFilters()
    qs = visible_to(user).select_related("business_unit")
    if filters.q:
        q = filters.q.strip()
        match = REF.match(q.upper())
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(summary__icontains=q)
            | (Q(year=int(match[1]), number=int(match[2])) if match else Q(pk__in=[]))
        )
    if filters.phase == "open":
        qs = qs.exclude(phase="closed")
    elif filters.phase:
        qs = qs.filter(phase=filters.phase)
    if filters.incident_type:
        qs = qs.filter(incident_type=filters.incident_type)
    if filters.severity:
        qs = qs.filter(severity=filters.severity)
    if filters.business_unit:
        qs = qs.filter(business_unit__code=filters.business_unit)
    return qs.annotate(
        open_tasks=Count("tasks", filter=Q(tasks__status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS]), distinct=True)
    ).order_by("-declared_at", "-id")


def incident_get(user, *, ref: str) -> Incident:
    match = REF.match((ref or "").upper())
    if not match:
        raise NotFound(f"No incident {ref[:40]!r}.")
    found = (
        visible_to(user)
        .select_related("business_unit", "declared_by")
        .filter(year=int(match[1]), number=int(match[2]))
        .first()
    )
    if found is None:
        raise NotFound(f"No incident {ref}.")
    return found


def task_get(user, *, incident: Incident, number: int) -> IncidentTask:
    task = incident.tasks.select_related("owner", "incident").filter(number=number).first()
    if task is None:
        raise NotFound(f"No task T{number} on {incident.ref}.")
    return task


def tasks_assigned(user) -> QuerySet[IncidentTask]:
    """Open tasks owned by the user, in incidents they may see (or any, for the owner's own personal list)."""
    return (
        IncidentTask.objects.filter(owner=user, status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS])
        .exclude(incident__phase="closed")
        .select_related("incident")
        .order_by("due_at", "id")
    )
