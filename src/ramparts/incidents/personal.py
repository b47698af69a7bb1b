"""Open incident tasks and review actions owned by a person, for their personal home."""

from django.urls import reverse
from django.utils import timezone

from ramparts.core.personal import Item, register
from ramparts.incidents.models import ActionItem, IncidentTask, Phase, TaskStatus

SHOWN = 50


@register
def incident_tasks_assigned(user) -> list[Item]:
    now = timezone.now()
    tasks = (
        IncidentTask.objects.filter(owner=user, status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS])
        .exclude(incident__phase=Phase.CLOSED)
        .select_related("incident")
        .order_by("due_at", "id")[:SHOWN]
    )
    actions = (
        ActionItem.objects.filter(owner=user, status=ActionItem.Status.OPEN)
        .select_related("incident")
        .order_by("due_on", "id")[:SHOWN]
    )
    items = [
        Item(
            kind="Incident task",
            title=f"{t.incident.ref} {t.ref} {t.title}"[:200],
            url=reverse("incidents:detail", args=[t.incident.ref]) + f"#task-{t.number}",
            due=t.due_at,
            detail=t.get_status_display(),
            overdue=bool(t.due_at and t.due_at < now),
        )
        for t in tasks
    ]
    items += [
        Item(
            kind="Review action",
            title=f"{a.incident.ref} {a.ref} {a.title}"[:200],
            url=reverse("incidents:detail", args=[a.incident.ref]) + "#review",
            due=a.due_on,
            overdue=bool(a.due_on and a.due_on < now.date()),
        )
        for a in actions
    ]
    return items
