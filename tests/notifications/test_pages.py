import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ramparts.core.roles import Role
from ramparts.notifications.models import Notification
from ramparts.notifications.services import notify, webhook_endpoint_create

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>=HYPERLINK("http://evil")'


def _inbox_queries(client, user, n: int) -> int:
    notify(event="incident.declared", recipients=[user] * 1, subject=HOSTILE, body="b")
    for _ in range(n - 1):
        notify(event="incident.assigned", recipients=[user], subject="Task for you", body="")
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/notifications/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_inbox_escapes_and_is_constant_in_queries(client, make_user):
    few = make_user(Role.EMPLOYEE, username="few")
    many = make_user(Role.EMPLOYEE, username="many")
    assert _inbox_queries(client, few, 2) == _inbox_queries(client, many, 30)
    page = client.get("/notifications/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert Notification.objects.filter(subject=HOSTILE).exists()  # stored as-is


def test_inbox_api_is_own_only_and_paginated(client, make_user, django_assert_max_num_queries):
    me, other = make_user(Role.ANALYST), make_user(Role.ANALYST)
    for _ in range(3):
        notify(event="incident.declared", recipients=[me, other], subject="S", body="")
    client.force_login(me)
    with django_assert_max_num_queries(8):
        data = client.get("/api/v1/notifications/inbox?page_size=2").json()
    assert data["count"] == 3 and len(data["items"]) == 2
    marked = client.post("/api/v1/notifications/inbox/read", {}, content_type="application/json").json()
    assert marked == {"marked": 3}
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 3


def test_preferences_page_saves_choices(client, make_user):
    user = make_user(Role.EMPLOYEE)
    client.force_login(user)
    response = client.post("/notifications/preferences/", {"in_app:incident.declared": "on"})
    assert response.status_code == 302
    rows = {r["event"]: r for r in client.get("/api/v1/notifications/preferences").json()}
    assert (rows["incident.declared"]["in_app"], rows["incident.declared"]["email"]) == (True, False)
    assert (rows["incident.clock"]["in_app"], rows["incident.clock"]["email"]) == (False, False)


def test_webhook_secret_and_url_path_shown_once(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/notifications/webhooks/new/",
        {"name": "Slack SOC", "url": "https://hooks.slack.com/services/T0/B0/tokenpart", "format": "slack"},
    )
    assert response.status_code == 200 and b"whsec_" in response.content
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    listing = client.get("/notifications/webhooks/").content.decode()
    assert "hooks.slack.com" in listing and "tokenpart" not in listing and "whsec_" not in listing
    api = client.get("/api/v1/notifications/webhooks").json()
    assert "tokenpart" not in str(api) and "whsec_" not in str(api)


def test_webhook_form_names_the_bad_field(client, admin_user):
    client.force_login(admin_user)
    webhook_endpoint_create(actor=admin_user, name="Taken", url="https://a.example/", events=[])
    response = client.post(
        "/notifications/webhooks/new/", {"name": "Taken", "url": "https://b.example/", "format": "generic"}
    )
    assert response.status_code == 400 and b"another endpoint has this name" in response.content
    api = client.post(
        "/api/v1/notifications/webhooks",
        {"name": "X", "url": "ftp://nope", "events": ["bogus.event"]},
        content_type="application/json",
    )
    assert api.status_code == 400
    columns = {p["column"] for p in api.json()["problems"]}
    assert columns == {"url", "events"}
