"""Notifications: the one entry point other modules call (`notify`), and the writes behind the
inbox, the preferences and the webhook endpoints."""

import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import NotFound, Problem, ValidationFailed
from ramparts.core.permissions import require
from ramparts.notifications.events import EVENTS, register_event  # noqa: F401  (re-exported for modules)
from ramparts.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    Preference,
    WebhookEndpoint,
    WebhookFormat,
)


def notify(
    *,
    event: str,
    recipients: Iterable[Any],
    subject: str,
    body: str,
    link: str = "",
    payload: dict | None = None,
) -> None:
    """Tell people that something happened, the way each of them chose.

    event       a registered kind (see `ramparts.notifications.events`, e.g. "incident.declared",
                "incident.assigned", "incident.clock", "incident.task_overdue", "risk.appetite_breach",
                "risk.acceptance_expired", "policy.review_due", "policy.acknowledge", "vulns.assigned");
                a module declares its own with `register_event(key, label)` at import time.
                An unregistered key raises ValueError (a programming error, not bad input).
    recipients  users; duplicates and inactive accounts are skipped. May be empty: webhooks still fire.
    subject     one line (cut at 300 characters); body plain text; link an absolute URL or a path
                ("/incidents/INC-2026-007/"), which is made absolute with RAMPARTS_BASE_URL for
                e-mail and webhooks.
    payload     JSON-safe facts for webhook consumers (e.g. {"incident": "INC-2026-007"}); stored
                with the inbox record; never put secrets in it.

    What it does, inside the caller's transaction (so nothing is sent for a rolled-back change):
    - an in-app Notification for each recipient whose preference for `event` has in-app on;
    - an e-mail Delivery for each recipient with e-mail on and an address;
    - one webhook Delivery per active WebhookEndpoint subscribed to `event` (once per event, not
      per recipient).
    Sending happens after commit in the `deliver_task` background task (django.tasks); failures are
    retried with exponential backoff (see `ramparts.notifications.delivery`). Never raises for a
    delivery problem; the Delivery rows record it.
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown notification event {event!r}: register it with register_event().")
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    now = timezone.now()
    subject = subject[:300]
    payload = payload or {}
    with transaction.atomic():
        prefs = {p.user_id: p for p in Preference.objects.filter(event=event, user_id__in=list(people))}
        inbox, deliveries = [], []
        for pk, user in people.items():
            pref = prefs.get(pk)
            if pref is None or pref.in_app:
                inbox.append(
                    Notification(
                        recipient=user,
                        event=event,
                        subject=subject,
                        body=body,
                        link=link[:500],
                        payload=payload,
                        created_at=now,
                    )
                )
            if (pref is None or pref.email) and user.email:
                deliveries.append(_delivery(Channel.EMAIL, event, subject, body, link, payload, now, recipient=user))
        for endpoint in WebhookEndpoint.objects.filter(active=True):
            if endpoint.wants(event):
                deliveries.append(
                    _delivery(Channel.WEBHOOK, event, subject, body, link, payload, now, endpoint=endpoint)
                )
        Notification.objects.bulk_create(inbox)
        created = Delivery.objects.bulk_create(deliveries)
        if created:
            from ramparts.notifications.tasks import enqueue_delivery

            enqueue_delivery([d.pk for d in created])


def _delivery(channel, event, subject, body, link, payload, now, *, recipient=None, endpoint=None) -> Delivery:
    return Delivery(
        channel=channel,
        event=event,
        recipient=recipient,
        endpoint=endpoint,
        # Never the webhook URL: Slack and Teams URLs carry their own credential in the path.
        to=recipient.email if recipient is not None else endpoint.name,
        subject=subject,
        body=body,
        link=link[:500],
        payload=payload,
        status=DeliveryStatus.PENDING,
        next_attempt_at=now,
        created_at=now,
    )


# --- inbox ---------------------------------------------------------------------------------------


def notifications_mark_read(*, actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all unread ones when `ids` is None)."""
    require(actor, "notifications.own")
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


# --- preferences ---------------------------------------------------------------------------------


def preferences_set(*, actor, choices: dict[str, tuple[bool, bool]]) -> None:
    """Store the actor's own choices: {event: (in_app, email)}; unknown events are rejected."""
    require(actor, "notifications.own")
    unknown = [key for key in choices if key not in EVENTS]
    if unknown:
        raise ValidationFailed("Unknown events.", [Problem(f"no such event {k!r}", column="event") for k in unknown])
    with transaction.atomic():
        current = {p.event: p for p in Preference.objects.filter(user=actor)}
        changes = {}
        for event, (in_app, email) in choices.items():
            before = current.get(event)
            old = (before.in_app, before.email) if before else (True, True)
            if old == (in_app, email):
                continue
            Preference.objects.update_or_create(user=actor, event=event, defaults={"in_app": in_app, "email": email})
            changes[event] = [{"in_app": old[0], "email": old[1]}, {"in_app": in_app, "email": email}]
        if changes:
            audit.record(
                actor,
                audit.Change(audit.Action.UPDATE, "notifications.preference", str(actor.pk), actor.username, changes),
            )


# --- webhook endpoints ---------------------------------------------------------------------------

_ENDPOINT_FIELDS = ("name", "url", "events", "format", "active")


def _validate_endpoint(*, name: str, url: str, events: list[str], format: str) -> list[Problem]:
    problems = []
    if not name.strip():
        problems.append(Problem("is required", column="name"))
    if not url.startswith(("https://", "http://")):
        problems.append(Problem("must start with https:// (or http:// on a private network)", column="url"))
    problems += [Problem(f"no such event {e!r}", column="events") for e in events if e not in EVENTS]
    if format not in WebhookFormat.values:
        problems.append(Problem(f"must be one of {', '.join(WebhookFormat.values)}", column="format"))
    return problems


def webhook_endpoint_create(
    *, actor, name: str, url: str, events: list[str], format: str = "generic", active: bool = True
) -> tuple[WebhookEndpoint, str]:
    """Create an endpoint with a fresh signing secret; returns it with the secret, shown only once."""
    require(actor, "notifications.webhooks")
    problems = _validate_endpoint(name=name, url=url, events=events, format=format)
    if WebhookEndpoint.objects.filter(name=name.strip()).exists():
        problems.append(Problem("another endpoint has this name", column="name"))
    if problems:
        raise ValidationFailed("The webhook endpoint was not saved.", problems)
    secret = "whsec_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            name=name.strip(), url=url, secret=secret, events=sorted(set(events)), format=format, active=active
        )
        audit.record(actor, _endpoint_change(audit.Action.CREATE, endpoint, audit.created(_endpoint_view(endpoint))))
    return endpoint, secret


def webhook_endpoint_update(*, actor, endpoint_id: int, **fields: Any) -> WebhookEndpoint:
    require(actor, "notifications.webhooks")
    with transaction.atomic():
        endpoint = _endpoint(endpoint_id, lock=True)
        before = _endpoint_view(endpoint)
        for key, value in fields.items():
            if key not in _ENDPOINT_FIELDS:
                raise ValidationFailed("The webhook endpoint was not saved.", [Problem("unknown field", column=key)])
            setattr(endpoint, key, sorted(set(value)) if key == "events" else value)
        problems = _validate_endpoint(
            name=endpoint.name, url=endpoint.url, events=endpoint.events, format=endpoint.format
        )
        if WebhookEndpoint.objects.filter(name=endpoint.name).exclude(pk=endpoint.pk).exists():
            problems.append(Problem("another endpoint has this name", column="name"))
        if problems:
            raise ValidationFailed("The webhook endpoint was not saved.", problems)
        endpoint.save()
        changes = audit.diff(before, _endpoint_view(endpoint))
        if changes:
            audit.record(actor, _endpoint_change(audit.Action.UPDATE, endpoint, changes))
    return endpoint


def webhook_endpoint_rotate_secret(*, actor, endpoint_id: int) -> str:
    require(actor, "notifications.webhooks")
    secret = "whsec_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        endpoint = _endpoint(endpoint_id, lock=True)
        endpoint.secret = secret
        endpoint.save(update_fields=["secret"])
        audit.record(actor, _endpoint_change(audit.Action.UPDATE, endpoint, {"secret": ["(old)", "(rotated)"]}))
    return secret


def webhook_endpoint_delete(*, actor, endpoint_id: int) -> None:
    require(actor, "notifications.webhooks")
    with transaction.atomic():
        endpoint = _endpoint(endpoint_id, lock=True)
        change = _endpoint_change(audit.Action.DELETE, endpoint, audit.deleted(_endpoint_view(endpoint)))
        endpoint.delete()
        audit.record(actor, change)


def webhook_endpoint_test(*, actor, endpoint_id: int) -> Delivery:
    """Queue a test message to one endpoint (whatever events it subscribes to)."""
    require(actor, "notifications.webhooks")
    with transaction.atomic():
        endpoint = _endpoint(endpoint_id)
        delivery = _delivery(
            Channel.WEBHOOK,
            "notifications.test",
            "Ramparts test message",
            f"Sent by {actor.username} to check the endpoint {endpoint.name}.",
            "/notifications/",
            {},
            timezone.now(),
            endpoint=endpoint,
        )
        delivery.save()
        from ramparts.notifications.tasks import enqueue_delivery

        enqueue_delivery([delivery.pk])
    return delivery


def delivery_retry(*, actor, delivery_id: int) -> Delivery:
    """Send a failed delivery again now (its attempts start over)."""
    require(actor, "notifications.webhooks")
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:
            raise NotFound("No such delivery.")
        delivery.status = DeliveryStatus.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit.record(
            actor,
            audit.Change(
                audit.Action.UPDATE, "notifications.delivery", str(delivery.pk), str(delivery), {"retry": [None, True]}
            ),
        )
        from ramparts.notifications.tasks import enqueue_delivery

        enqueue_delivery([delivery.pk])
    return delivery


def _endpoint(endpoint_id: int, *, lock: bool = False) -> WebhookEndpoint:
    qs = WebhookEndpoint.objects.select_for_update() if lock else WebhookEndpoint.objects
    endpoint = qs.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound("No such webhook endpoint.")
    return endpoint


def _endpoint_view(endpoint: WebhookEndpoint) -> dict[str, Any]:
    # The URL's path is left out of the trail: for Slack and Teams it is itself a credential.
    return {
        "name": endpoint.name,
        "url": host_of(endpoint.url),
        "events": list(endpoint.events),
        "format": endpoint.format,
        "active": endpoint.active,
    }


def _endpoint_change(action: str, endpoint: WebhookEndpoint, changes: dict) -> audit.Change:
    return audit.Change(action, "notifications.webhookendpoint", str(endpoint.pk), endpoint.name, changes)


def host_of(url: str) -> str:
    """scheme://host of a URL: what may be shown of a webhook address."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}/…"
