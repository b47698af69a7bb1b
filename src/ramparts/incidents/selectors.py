"""Reads of the incidents module. The user comes first; every query starts from `visible_to(user)`."""

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from ramparts.core.errors import NotFound
from ramparts.core.permissions import require, scope_to_units
from ramparts.incidents.models import ChecklistItem, Incident, IncidentTask, TaskStatus

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


TIMELINE_FIRST_PAGE = 100
# What the incident page and the API show of a task (a large incident has hundreds).
TASK_FIELDS = (
    "id", "incident_id", "number", "title", "description", "phase", "owner_id", "owner__username", "due_at",
    "status", "playbook", "completed_at",
)  # fmt: skip


@dataclass
class IncidentPage:
    """Everything the incident page shows, read in a fixed number of queries whatever the sizes."""

    incident: Incident
    clocks: list
    tasks: list
    roles: list
    pinned: list
    timeline: list
    timeline_total: int
    observables: list
    techniques: list
    notices: list
    transitions: list
    systems: list
    data_assets: list
    services: list
    risks: list
    actions: list
    review: Any
    effort: list
    costs: list
    notifications: list


def incident_page(user, *, ref: str, timeline_limit: int = TIMELINE_FIRST_PAGE) -> IncidentPage:
    from ramparts.incidents.models import Review
    from ramparts.incidents.services.regulatory import clocks_of

    incident = incident_get(user, ref=ref)
    notices = list(incident.notices.select_related("recorded_by"))
    tasks = list(incident.tasks.select_related("owner").only(*TASK_FIELDS))
    attach_checklists(tasks)
    entries = incident.timeline.select_related("author")
    return IncidentPage(
        incident=incident,
        clocks=clocks_of(incident, notices=notices),
        tasks=tasks,
        roles=list(incident.roles.select_related("user")),
        pinned=list(entries.filter(pinned=True)[:50]),
        timeline=list(entries[:timeline_limit]),
        timeline_total=incident.timeline.count(),
        observables=list(incident.observables.all()),
        techniques=list(incident.techniques.all()),
        notices=notices,
        transitions=list(incident.transitions.select_related("actor")),
        systems=list(incident.systems.all()),
        data_assets=list(incident.data_assets.all()),
        services=list(incident.services.all()),
        risks=list(incident.risks.prefetch_related("plans")),
        actions=list(incident.actions.select_related("owner", "control")),
        review=Review.objects.filter(incident=incident).first(),
        effort=list(incident.effort.select_related("user")),
        costs=list(incident.costs.all()),
        notifications=list(entries.filter(kind="notification")[:50]),
    )


@dataclass(frozen=True)
class Check:
    """A checklist item as the incident page and API show it (plain data: hundreds per incident)."""

    id: int
    text: str
    done: bool
    done_at: Any

    @property
    def pk(self) -> int:
        return self.id


def attach_checklists(tasks: list[IncidentTask]) -> None:
    """Give each task `checklist_items`, read in one query without building model instances."""
    by_task: dict[int, list[Check]] = {t.pk: [] for t in tasks}
    rows = (
        ChecklistItem.objects.filter(task_id__in=list(by_task))
        .order_by("task_id", "position", "id")
        .values_list("id", "task_id", "text", "done", "done_at")
    )
    for pk, task_id, text, done, done_at in rows:
        by_task[task_id].append(Check(pk, text, done, done_at))
    for t in tasks:
        t.checklist_items = by_task[t.pk]  # type: ignore[attr-defined]


def timeline_entries(user, *, incident: Incident) -> QuerySet:
    return incident.timeline.select_related("author").order_by("-occurred_at", "-id")
