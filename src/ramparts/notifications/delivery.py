"""Sending: one attempt per call, claimed so that two workers never send the same delivery, with
exponential backoff between attempts.

Backoff: attempt n (1-based) that fails waits RAMPARTS_NOTIFY_BACKOFF_SECONDS × 2^(n-1) (default
30 s → 30 s, 1 min, 2 min, 4 min, …, at most 1 h) before the next; after
RAMPARTS_NOTIFY_MAX_ATTEMPTS (default 8) the delivery is marked failed. Errors are recorded without
the URL or any header: webhook URLs and secrets never reach the database's error text or the logs.
"""

import datetime as dt
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

import orjson
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from ramparts.notifications import formats, signing
from ramparts.notifications.models import Channel, Delivery, DeliveryStatus

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
# While one worker sends, the row is leased: nobody else picks it up before this passes.
LEASE = dt.timedelta(seconds=TIMEOUT_SECONDS * 3)
USER_AGENT = "Ramparts-Notifications/1"


def max_attempts() -> int:
    return int(getattr(settings, "RAMPARTS_NOTIFY_MAX_ATTEMPTS", 8))


def backoff(attempts: int) -> dt.timedelta:
    base = float(getattr(settings, "RAMPARTS_NOTIFY_BACKOFF_SECONDS", 30))
    return dt.timedelta(seconds=min(base * 2 ** (attempts - 1), 3600))


@dataclass(frozen=True)
class Outcome:
    status: str  # DeliveryStatus value after the attempt, or "skipped" when not due / claimed elsewhere
    next_attempt_at: dt.datetime | None = None


def attempt(delivery_id: int) -> Outcome:
    """Try one delivery if it is due and nobody else holds it."""
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(
            pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lte=now
        ).update(next_attempt_at=now + LEASE)
        == 1
    )
    if not claimed:
        return Outcome("skipped")
    delivery = Delivery.objects.select_related("endpoint", "recipient").get(pk=delivery_id)
    try:
        code = _send(delivery)
    except DeliveryError as exc:
        return _failed(delivery, str(exc), getattr(exc, "code", None))
    delivery.status = DeliveryStatus.SENT
    delivery.attempts += 1
    delivery.delivered_at = timezone.now()
    delivery.next_attempt_at = None
    delivery.last_error = ""
    delivery.last_status_code = code
    delivery.save(
        update_fields=["status", "attempts", "delivered_at", "next_attempt_at", "last_error", "last_status_code"]
    )
    return Outcome(DeliveryStatus.SENT)


def due_ids(*, limit: int = 200) -> list[int]:
    now = timezone.now()
    return list(
        Delivery.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


class DeliveryError(Exception):
    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


def _failed(delivery: Delivery, error: str, code: int | None) -> Outcome:
    delivery.attempts += 1
    delivery.last_error = error[:500]
    delivery.last_status_code = code
    if delivery.attempts >= max_attempts():
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.RETRYING
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "last_error", "last_status_code"])
    log.warning(
        "notification delivery %s (%s to %s) attempt %s failed: %s",
        delivery.pk, delivery.channel, delivery.to, delivery.attempts, delivery.last_error,
    )  # fmt: skip
    return Outcome(delivery.status, delivery.next_attempt_at)


def absolute(link: str) -> str:
    if not link or "://" in link:
        return link
    base = getattr(settings, "RAMPARTS_BASE_URL", "").rstrip("/")
    return f"{base}{link}" if base else link


def _send(delivery: Delivery) -> int | None:
    if delivery.channel == Channel.EMAIL:
        _send_email(delivery)
        return None
    return _send_webhook(delivery)


def _send_email(delivery: Delivery) -> None:
    if not delivery.to:
        raise DeliveryError("the recipient has no e-mail address")
    link = absolute(delivery.link)
    text = delivery.body + (f"\n\n{link}\n" if link else "\n")
    message = EmailMessage(subject=delivery.subject, body=text, to=[delivery.to])
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 — SMTP and socket errors alike are retried
        raise DeliveryError(f"e-mail not sent: {type(exc).__name__}") from None


def webhook_body(delivery: Delivery) -> bytes:
    endpoint = delivery.endpoint
    assert endpoint is not None
    message = {
        "event": delivery.event,
        "subject": delivery.subject,
        "body": delivery.body,
        "link": absolute(delivery.link),
        "payload": delivery.payload,
        "delivery_id": delivery.pk,
        "sent_at": timezone.now().isoformat(),
    }
    return orjson.dumps(formats.RENDERERS[endpoint.format](message))


def _send_webhook(delivery: Delivery) -> int:
    endpoint = delivery.endpoint
    if endpoint is None:
        raise DeliveryError("the webhook endpoint was deleted")
    body = webhook_body(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Ramparts-Event": delivery.event,
        "X-Ramparts-Delivery": str(delivery.pk),
        **signing.signed_headers(endpoint.secret, body),
    }
    request = urllib.request.Request(endpoint.url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"the endpoint answered HTTP {exc.code}", exc.code) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"connection failed: {type(reason).__name__}") from None
