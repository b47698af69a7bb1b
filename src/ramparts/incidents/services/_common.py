"""Helpers shared by the incident services: permission with scoping, audit, timeline, notifications."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import Problem, ValidationFailed
from ramparts.core.permissions import require_unit
from ramparts.incidents.models import EntryKind, Incident, TimelineEntry

# Clocks drift: a time a few minutes ahead of the server is accepted, a future event is not.
FUTURE_TOLERANCE = timedelta(minutes=5)


def guard(actor, incident: Incident, action: str = "incidents.manage") -> None:
    require_unit(actor, incident.business_unit_id, action)


def record(actor, action: str, obj: Any, ref: str, changes: dict) -> None:
    audit.record(actor, audit.Change(action, audit.object_type_of(obj), str(obj.pk), ref, changes))


def aware(value: Any, field: str, problems: list[Problem], *, allow_future: bool = False) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            problems.append(Problem(f"not an ISO 8601 time: {value[:60]!r}", column=field))
            return None
    if not isinstance(value, datetime) or value.utcoffset() is None:
        problems.append(Problem("must be a time with a time zone (UTC offset)", column=field))
        return None
    if not allow_future and value > timezone.now() + FUTURE_TOLERANCE:
        problems.append(Problem("cannot be in the future", column=field))
        return None
    return value


def text(value: Any, field: str, problems: list[Problem], *, max_length: int, required: bool = False) -> str:
    value = "" if value is None else str(value)
    if required and not value.strip():
        problems.append(Problem("is required", column=field))
    elif len(value) > max_length:
        problems.append(Problem(f"is longer than {max_length} characters", column=field))
    return value.strip() if required else value


def fail_if(problems: list[Problem], message: str = "The incident was not saved.") -> None:
    if problems:
        raise ValidationFailed(message, problems)


def timeline(
    incident: Incident, kind: str, text: str, *, actor=None, occurred_at: datetime | None = None
) -> TimelineEntry:
    now = timezone.now()
    return TimelineEntry.objects.create(
        incident=incident,
        kind=kind,
        text=text,
        author=actor if actor is not None and actor.is_authenticated else None,
        occurred_at=occurred_at or now,
        written_at=now,
    )


def send(incident: Incident, *, event: str, recipients: Iterable[Any], subject: str, body: str) -> None:
    """Notify through ramparts.notifications and say so on the timeline."""
    from ramparts.notifications.services import notify

    people = [u for u in dict.fromkeys(recipients) if u is not None]
    notify(
        event=event,
        recipients=people,
        subject=subject,
        body=body,
        link=f"/incidents/{incident.ref}/",
        payload={"incident": incident.ref, "event": event},
    )
    names = ", ".join(sorted(u.get_username() for u in people)) or "subscribed webhooks"
    timeline(incident, EntryKind.NOTIFICATION, f"Notification sent ({event}): {subject} — to {names}")
