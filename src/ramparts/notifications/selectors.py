"""Reads of the notifications module. The inbox is personal; webhooks and deliveries are the
security team's (no business-unit scoping: they are organisation-wide settings)."""

from django.db.models import QuerySet

from ramparts.core.errors import NotFound
from ramparts.core.permissions import require
from ramparts.notifications.events import EVENTS
from ramparts.notifications.models import Delivery, Notification, Preference, WebhookEndpoint


def inbox(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    require(user, "notifications.own")
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences(user) -> list[dict]:
    """Every registered event with the user's choice (defaults where none is stored)."""
    require(user, "notifications.own")
    stored = {p.event: p for p in Preference.objects.filter(user=user)}
    rows = []
    for key, kind in sorted(EVENTS.items()):
        pref = stored.get(key)
        rows.append(
            {
                "event": key,
                "label": kind.label,
                "in_app": pref.in_app if pref else True,
                "email": pref.email if pref else True,
            }
        )
    return rows


def endpoint_list(user) -> QuerySet[WebhookEndpoint]:
    require(user, "notifications.webhooks")
    return WebhookEndpoint.objects.all()


def endpoint_get(user, *, endpoint_id: int) -> WebhookEndpoint:
    require(user, "notifications.webhooks")
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound("No such webhook endpoint.")
    return endpoint


def delivery_list(user, *, status: str = "", channel: str = "", event: str = "") -> QuerySet[Delivery]:
    require(user, "notifications.deliveries")
    qs = Delivery.objects.select_related("endpoint")
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if event:
        qs = qs.filter(event=event)
    return qs
