"""The kinds of notification a module may send. Modules register their own with `register_event`
(at import time, e.g. in their services module); people choose per kind how they receive it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class EventKind:
    key: str
    label: str


EVENTS: dict[str, EventKind] = {}


def register_event(key: str, label: str) -> EventKind:
    """Declare an event kind ("module.what", e.g. "incident.declared"). Registering the same key
    again with the same label is harmless (modules are imported more than once in tests)."""
    if not key or len(key) > 64 or " " in key:
        raise ValueError(f"Event key {key!r} must be 1–64 characters without spaces.")
    existing = EVENTS.get(key)
    if existing is not None and existing.label != label:
        raise ValueError(f"Event {key!r} is already registered as {existing.label!r}.")
    kind = EventKind(key, label)
    EVENTS[key] = kind
    return kind


def label_of(key: str) -> str:
    kind = EVENTS.get(key)
    return kind.label if kind else key


for _key, _label in (
    ("incident.declared", "An incident is declared"),
    ("incident.assigned", "You are given an incident role or task"),
    ("incident.clock", "A regulatory notification deadline approaches or is missed"),
    ("incident.task_overdue", "An incident task is overdue"),
    ("risk.appetite_breach", "A risk exceeds the appetite"),
    ("risk.acceptance_expired", "A risk acceptance expires"),
    ("policy.review_due", "A policy review is due"),
    ("policy.acknowledge", "A policy awaits your acknowledgement"),
    ("vulns.assigned", "A vulnerability finding is assigned to you"),
    ("alerts.received", "A new alert group opens"),
    ("notifications.test", "Test message sent from the webhook settings"),
):
    register_event(_key, _label)
