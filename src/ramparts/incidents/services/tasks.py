"""Tasks with checklists, playbooks applied on declaration, and reminders for overdue tasks."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import Problem
from ramparts.core.models import User
from ramparts.incidents import config
from ramparts.incidents.models import ChecklistItem, EntryKind, Incident, IncidentTask, Phase, TaskStatus
from ramparts.incidents.services._common import aware, fail_if, guard, record, send, text, timeline

# A reminder for an overdue task is repeated at most this often.
REMIND_EVERY = timedelta(hours=24)


def _holder(incident: Incident, role: str) -> User | None:
    held = incident.roles.filter(role=role, held_until__isnull=True).select_related("user").order_by("-held_from")
    first = held.first()
    return first.user if first else None


def playbook_apply(*, actor, incident: Incident) -> list[IncidentTask]:
    """Create the tasks and checklists of the incident type's playbook (called on declaration)."""
    guard(actor, incident, "incidents.declare")
    kind = config.incident_types().get(incident.incident_type)
    if kind is None or not kind.tasks:
        return []
    start = (incident.tasks.aggregate(m=Max("number"))["m"] or 0) + 1
    with transaction.atomic():
        tasks = IncidentTask.objects.bulk_create(
            IncidentTask(
                incident=incident,
                number=start + i,
                title=t.title,
                phase=t.phase,
                owner=_holder(incident, t.owner) if t.owner else None,
                due_at=incident.declared_at + timedelta(hours=t.due_hours) if t.due_hours is not None else None,
                playbook=kind.key,
            )
            for i, t in enumerate(kind.tasks)
        )
        tasks = list(incident.tasks.filter(number__gte=start).order_by("number"))
        ChecklistItem.objects.bulk_create(
            ChecklistItem(task=task, position=j, text=item)
            for task, spec in zip(tasks, kind.tasks, strict=True)
            for j, item in enumerate(spec.checklist)
        )
        timeline(incident, EntryKind.CHANGE, f"Playbook '{kind.label}' applied: {len(tasks)} tasks", actor=actor)
        record(actor, audit.Action.UPDATE, incident, incident.ref, {"playbook": [None, kind.key]})
    return tasks


def _owner(owner: Any, incident: Incident, problems: list[Problem]) -> User | None:
    if owner in (None, ""):
        return None
    user = owner if isinstance(owner, User) else User.objects.filter(username=str(owner), is_active=True).first()
    if user is None or not user.is_active:
        problems.append(Problem(f"no active user {owner!s:.60}", column="owner"))
        return None
    from ramparts.core.permissions import sees_all_units

    if not sees_all_units(user) and not user.business_units.filter(pk=incident.business_unit_id).exists():
        problems.append(Problem(f"{user.get_username()} does not work in the incident's business unit", column="owner"))
    return user


def task_create(
    *,
    actor,
    incident: Incident,
    title: str,
    description: str = "",
    owner: Any = None,
    due_at: datetime | None = None,
    phase: str = "",
    checklist: list[str] | tuple[str, ...] = (),
) -> IncidentTask:
    guard(actor, incident)
    problems: list[Problem] = []
    title = text(title, "title", problems, max_length=300, required=True)
    description = text(description, "description", problems, max_length=20000)
    user = _owner(owner, incident, problems)
    due = aware(due_at, "due_at", problems, allow_future=True)
    if phase and phase not in Phase.values:
        problems.append(Problem(f"{phase!r} is not a phase", column="phase"))
    items = [text(c, "checklist", problems, max_length=500) for c in checklist if str(c).strip()]
    fail_if(problems, "The task was not created.")
    with transaction.atomic():
        number = (incident.tasks.aggregate(m=Max("number"))["m"] or 0) + 1
        task = IncidentTask.objects.create(
            incident=incident, number=number, title=title, description=description, owner=user, due_at=due, phase=phase
        )
        ChecklistItem.objects.bulk_create(ChecklistItem(task=task, position=i, text=t) for i, t in enumerate(items))
        record(actor, audit.Action.CREATE, task, f"{incident.ref}/{task.ref}", audit.created(audit.snapshot(task)))
        if user is not None and user != actor:
            send(
                incident,
                event="incident.assigned",
                recipients=[user],
                subject=f"{incident.ref}: task {task.ref} assigned to you: {title}",
                body=f"Due {due:%Y-%m-%d %H:%M} UTC." if due else "No due time.",
            )
    return task


def task_update(*, actor, task: IncidentTask, **fields: Any) -> IncidentTask:
    """Change title, description, owner, due time or status. Completing a task puts it on the timeline."""
    incident = task.incident
    guard(actor, incident)
    problems: list[Problem] = [
        Problem("cannot be changed here", column=n)
        for n in sorted(set(fields) - {"title", "description", "owner", "due_at", "status"})
    ]
    values: dict[str, Any] = {}
    if "title" in fields:
        values["title"] = text(fields["title"], "title", problems, max_length=300, required=True)
    if "description" in fields:
        values["description"] = text(fields["description"], "description", problems, max_length=20000)
    if "owner" in fields:
        values["owner"] = _owner(fields["owner"], incident, problems)
    if "due_at" in fields:
        values["due_at"] = aware(fields["due_at"], "due_at", problems, allow_future=True)
    if "status" in fields:
        if fields["status"] not in TaskStatus.values:
            problems.append(
                Problem(f"{fields['status']!r} is not one of {', '.join(TaskStatus.values)}", column="status")
            )
        values["status"] = fields["status"]
    fail_if(problems, "The task was not changed.")
    with transaction.atomic():
        before = audit.snapshot(task)
        was_open = task.is_open
        old_owner = task.owner_id
        for name, value in values.items():
            setattr(task, name, value)
        if task.status == TaskStatus.DONE and was_open:
            task.completed_at, task.completed_by = timezone.now(), actor
        elif task.is_open:
            task.completed_at, task.completed_by = None, None
        task.save()
        changes = audit.diff(before, audit.snapshot(task))
        if changes:
            record(actor, audit.Action.UPDATE, task, f"{incident.ref}/{task.ref}", changes)
        if task.status == TaskStatus.DONE and was_open:
            timeline(incident, EntryKind.TASK, f"Task {task.ref} completed: {task.title}", actor=actor)
        if task.owner_id and task.owner_id != old_owner and task.owner != actor:
            send(
                incident,
                event="incident.assigned",
                recipients=[task.owner],
                subject=f"{incident.ref}: task {task.ref} assigned to you: {task.title}",
                body="",
            )
    return task


def checklist_set(*, actor, item: ChecklistItem, done: bool) -> ChecklistItem:
    task = item.task
    guard(actor, task.incident)
    with transaction.atomic():
        if item.done != bool(done):
            item.done = bool(done)
            item.done_at, item.done_by = (timezone.now(), actor) if done else (None, None)
            item.save()
            record(
                actor,
                audit.Action.UPDATE,
                item,
                f"{task.incident.ref}/{task.ref}",
                {"done": [not done, bool(done)], "item": [item.text, item.text]},
            )
    return item


def tasks_remind(*, now: datetime | None = None) -> int:
    """Send a reminder to the owner of every overdue open task (at most once per REMIND_EVERY). Returns how many."""
    now = now or timezone.now()
    overdue = (
        IncidentTask.objects.filter(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS], due_at__lt=now)
        .exclude(incident__phase=Phase.CLOSED)
        .exclude(reminded_at__gt=now - REMIND_EVERY)
        .select_related("incident", "owner")
    )
    sent = 0
    for task in overdue:
        with transaction.atomic():
            incident = task.incident
            from ramparts.incidents.services.lifecycle import responders

            recipients = [task.owner] if task.owner else [_holder(incident, "commander"), *responders(incident)]
            late = now - task.due_at if task.due_at else timedelta(0)
            send(
                incident,
                event="incident.task_overdue",
                recipients=recipients,
                subject=f"{incident.ref}: task {task.ref} is overdue: {task.title}",
                body=f"It was due {task.due_at:%Y-%m-%d %H:%M} UTC ({int(late.total_seconds() // 3600)} h ago).",
            )
            task.reminded_at = now
            task.save(update_fields=["reminded_at"])
            sent += 1
    return sent
