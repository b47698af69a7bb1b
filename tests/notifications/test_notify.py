import datetime as dt
import logging

import orjson
import pytest
from django.core import mail
from django.utils import timezone

from ramparts.core.models import AuditEntry
from ramparts.core.roles import Role
from ramparts.notifications import delivery, signing
from ramparts.notifications.models import Delivery, DeliveryStatus, Notification, Preference, WebhookEndpoint
from ramparts.notifications.services import (
    notify,
    preferences_set,
    register_event,
    webhook_endpoint_create,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(make_user):
    alice = make_user(Role.ANALYST, username="alice")
    alice.email = "alice@northwind.example"
    alice.save()
    bob = make_user(Role.EMPLOYEE, username="bob")
    bob.email = "bob@northwind.example"
    bob.save()
    return alice, bob


def test_notify_fills_inbox_and_sends_email_by_default(people):
    alice, bob = people
    notify(
        event="incident.declared",
        recipients=[alice, bob, alice],
        subject="INC-2026-001 declared",
        body="B",
        link="/incidents/INC-2026-001/",
    )
    assert Notification.objects.filter(event="incident.declared").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@northwind.example", "bob@northwind.example"]
    assert "/incidents/INC-2026-001/" in mail.outbox[0].body
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_preferences_choose_channels(people):
    alice, bob = people
    preferences_set(actor=alice, choices={"incident.declared": (False, True)})
    preferences_set(actor=bob, choices={"incident.declared": (True, False)})
    notify(event="incident.declared", recipients=[alice, bob], subject="S", body="B")
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["bob"]
    assert [m.to for m in mail.outbox] == [["alice@northwind.example"]]
    assert AuditEntry.objects.filter(object_type="notifications.preference").count() == 2


def test_unknown_event_is_a_programming_error(people):
    with pytest.raises(ValueError, match="register"):
        notify(event="nope.never", recipients=people, subject="S", body="B")


def test_register_event_refuses_a_conflicting_label():
    register_event("test.kind", "A test kind")
    register_event("test.kind", "A test kind")
    with pytest.raises(ValueError):
        register_event("test.kind", "Another label")


def test_nothing_is_sent_for_a_rolled_back_change(people):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        notify(event="incident.declared", recipients=people, subject="S", body="B")
        raise RuntimeError
    assert not mail.outbox
    assert not Notification.objects.exists()


@pytest.mark.parametrize("fmt", ["generic", "slack", "teams"])
def test_webhook_is_signed_and_formatted(people, admin_user, receiver, fmt, caplog):
    endpoint, secret = webhook_endpoint_create(
        actor=admin_user, name=f"SOC {fmt}", url=receiver.url, events=["incident.declared"], format=fmt
    )
    with caplog.at_level(logging.DEBUG):
        notify(event="incident.declared", recipients=[], subject="INC <b>", body="Body", link="/incidents/X/")
        notify(event="incident.assigned", recipients=[], subject="not subscribed", body="")
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert signing.matches(secret, headers["x-ramparts-timestamp"], request["body"], headers["x-ramparts-signature"])
    assert not signing.matches(
        "wrong", headers["x-ramparts-timestamp"], request["body"], headers["x-ramparts-signature"]
    )
    assert abs(int(headers["x-ramparts-timestamp"]) - timezone.now().timestamp()) < 60
    body = orjson.loads(request["body"])
    if fmt == "generic":
        assert body["event"] == "incident.declared" and body["subject"] == "INC <b>"
    elif fmt == "slack":
        assert body["text"] == "INC &lt;b&gt;"
    else:
        assert body["attachments"][0]["content"]["type"] == "AdaptiveCard"
    assert secret not in caplog.text
    delivered = Delivery.objects.get(endpoint=endpoint)
    assert delivered.status == DeliveryStatus.SENT and delivered.last_status_code == 200
    assert "s3cr3tpath" not in delivered.to
    assert not AuditEntry.objects.filter(changes__icontains=secret).exists()
    assert not AuditEntry.objects.filter(changes__icontains="s3cr3tpath").exists()


def test_failed_webhook_is_retried_with_backoff_then_given_up(people, admin_user, receiver, settings, caplog):
    settings.RAMPARTS_NOTIFY_MAX_ATTEMPTS = 3
    endpoint, secret = webhook_endpoint_create(actor=admin_user, name="Flaky", url=receiver.url, events=[])
    receiver.statuses = [500, 503, 500]
    notify(event="incident.clock", recipients=[], subject="GDPR due in 24 h", body="")
    d = Delivery.objects.get(endpoint=endpoint)
    assert (d.status, d.attempts, d.last_status_code) == (DeliveryStatus.RETRYING, 1, 500)
    assert d.next_attempt_at - timezone.now() > dt.timedelta(seconds=25)
    assert delivery.attempt(d.pk).status == "skipped"  # not due yet

    Delivery.objects.filter(pk=d.pk).update(next_attempt_at=timezone.now())
    second = delivery.attempt(d.pk)
    d.refresh_from_db()
    assert (second.status, d.attempts) == (DeliveryStatus.RETRYING, 2)
    assert d.next_attempt_at - timezone.now() > dt.timedelta(seconds=55)  # doubled

    Delivery.objects.filter(pk=d.pk).update(next_attempt_at=timezone.now())
    assert delivery.attempt(d.pk).status == DeliveryStatus.FAILED
    assert len(receiver.requests) == 3
    assert "s3cr3tpath" not in caplog.text and secret not in caplog.text
    assert "HTTP 500" in Delivery.objects.get(pk=d.pk).last_error


def test_deliver_command_sends_due_retries(people, admin_user, receiver):
    from django.core.management import call_command

    endpoint, _ = webhook_endpoint_create(actor=admin_user, name="Once flaky", url=receiver.url, events=[])
    receiver.statuses = [502]
    notify(event="incident.declared", recipients=[], subject="S", body="")
    Delivery.objects.filter(endpoint=endpoint).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    call_command("notifications", "deliver")
    d = Delivery.objects.get(endpoint=endpoint)
    assert (d.status, d.attempts) == (DeliveryStatus.SENT, 2)


def test_unreachable_endpoint_is_recorded_without_url(admin_user):
    endpoint, _ = webhook_endpoint_create(
        actor=admin_user, name="Down", url="http://127.0.0.1:9/secret-path", events=[]
    )
    notify(event="incident.declared", recipients=[], subject="S", body="")
    d = Delivery.objects.get(endpoint=endpoint)
    assert d.status == DeliveryStatus.RETRYING and "connection failed" in d.last_error
    assert "secret-path" not in d.last_error


def test_inactive_users_and_endpoints_get_nothing(people, admin_user, receiver):
    alice, bob = people
    bob.is_active = False
    bob.save()
    endpoint, _ = webhook_endpoint_create(actor=admin_user, name="Off", url=receiver.url, events=[], active=False)
    notify(event="incident.declared", recipients=[alice, bob], subject="S", body="")
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["alice"]
    assert not receiver.requests
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).active is False
    assert Preference.objects.count() == 0
