import datetime as dt
import time

import orjson
import pytest
from django.utils import timezone

from ramparts.alerts.models import Alert, AlertGroup
from ramparts.alerts.services import source_create, source_rotate_secret, source_update, suppression_create
from ramparts.notifications import signing
from tests.alerts import samples
from tests.alerts.conftest import signed_post

pytestmark = pytest.mark.django_db


def test_signed_wazuh_alert_is_stored_before_202(client, wazuh_source):
    source, secret = wazuh_source
    response = signed_post(client, source.slug, secret, samples.WAZUH_SSH_BRUTE_FORCE)
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["new"] == 1 and body["stored"] == 1
    alert = Alert.objects.get()
    assert body["alerts"] == [alert.ref]
    assert alert.title.startswith("sshd: brute force")
    assert (alert.severity, alert.host, alert.ip, alert.technique, alert.rule) == (
        "medium",
        "nw-claims-web-01",
        "10.20.4.17",
        "T1110",
        "5712",
    )
    assert alert.user == "admin"
    assert alert.occurred_at == dt.datetime(2026, 11, 27, 1, 14, 7, 532000, tzinfo=dt.UTC)
    assert alert.raw == samples.WAZUH_SSH_BRUTE_FORCE
    assert alert.business_unit == source.business_unit


@pytest.mark.parametrize(
    ("headers", "expected", "message"),
    [
        ({}, 401, b"Unsigned"),
        ({"HTTP_X_RAMPARTS_TIMESTAMP": "1795741847"}, 401, b"Unsigned"),
        ({"HTTP_X_RAMPARTS_TIMESTAMP": "yesterday", "HTTP_X_RAMPARTS_SIGNATURE": "sha256=00"}, 401, b"Unix seconds"),
    ],
)
def test_unsigned_requests_are_refused(client, wazuh_source, headers, expected, message):
    source, _ = wazuh_source
    response = client.post(f"/alerts/hooks/{source.slug}/", b"{}", content_type="application/json", **headers)
    assert response.status_code == expected and message in response.content
    assert not Alert.objects.exists()


def test_bad_signature_wrong_secret_or_tampered_body(client, wazuh_source):
    source, secret = wazuh_source
    assert signed_post(client, source.slug, "not-the-secret", samples.WAZUH_SSH_BRUTE_FORCE).status_code == 401
    body = orjson.dumps(samples.WAZUH_SSH_BRUTE_FORCE)
    headers = signing.signed_headers(secret, body)
    tampered = body.replace(b"nw-claims-web-01", b"nw-claims-web-02")
    response = client.post(
        f"/alerts/hooks/{source.slug}/",
        tampered,
        content_type="application/json",
        HTTP_X_RAMPARTS_TIMESTAMP=headers[signing.TIMESTAMP_HEADER],
        HTTP_X_RAMPARTS_SIGNATURE=headers[signing.SIGNATURE_HEADER],
    )
    assert response.status_code == 401 and b"Bad signature" in response.content
    assert not Alert.objects.exists()


@pytest.mark.parametrize("offset", [-400, 400, -3600])
def test_stale_timestamps_are_refused(client, wazuh_source, offset):
    source, secret = wazuh_source
    response = signed_post(client, source.slug, secret, samples.WAZUH_SSH_BRUTE_FORCE, now=time.time() + offset)
    assert response.status_code == 401 and b"Stale" in response.content


def test_timestamp_within_skew_is_accepted(client, wazuh_source):
    source, secret = wazuh_source
    assert (
        signed_post(client, source.slug, secret, samples.WAZUH_SSH_BRUTE_FORCE, now=time.time() - 200).status_code
        == 202
    )


def test_replay_is_refused_and_counts_nothing(client, wazuh_source):
    source, secret = wazuh_source
    body = orjson.dumps(samples.WAZUH_SSH_BRUTE_FORCE)
    headers = signing.signed_headers(secret, body)
    meta = {
        "HTTP_X_RAMPARTS_TIMESTAMP": headers[signing.TIMESTAMP_HEADER],
        "HTTP_X_RAMPARTS_SIGNATURE": headers[signing.SIGNATURE_HEADER],
    }
    first = client.post(f"/alerts/hooks/{source.slug}/", body, content_type="application/json", **meta)
    again = client.post(f"/alerts/hooks/{source.slug}/", body, content_type="application/json", **meta)
    assert (first.status_code, again.status_code) == (202, 409)
    assert b"Replayed" in again.content
    assert Alert.objects.get().count == 1


def test_malformed_json_and_unreadable_payload_are_400(client, admin_user, unit_a, wazuh_source):
    source, secret = wazuh_source
    response = signed_post(client, source.slug, secret, None, raw=b'{"rule": {"level": 10,')
    assert response.status_code == 400 and b"Malformed JSON" in response.content
    am, am_secret = source_create(actor=admin_user, name="Prometheus", business_unit=unit_a, kind="alertmanager")
    response = signed_post(client, am.slug, am_secret, {"version": "4", "alerts": []})
    assert response.status_code == 400 and b"holds no alerts" in response.content
    assert not Alert.objects.exists()


def test_oversized_body_is_413(client, wazuh_source, settings):
    settings.RAMPARTS_ALERT_MAX_BYTES = 2000
    source, secret = wazuh_source
    huge = samples.wazuh(full_log="x" * 5000)
    response = signed_post(client, source.slug, secret, huge)
    assert response.status_code == 413 and b"2000" in response.content
    assert not Alert.objects.exists()


def test_unknown_and_disabled_sources_are_404(client, admin_user, wazuh_source):
    source, secret = wazuh_source
    assert signed_post(client, "no-such-source", secret, {}).status_code == 404
    source_update(actor=admin_user, source=source, active=False)
    assert signed_post(client, source.slug, secret, samples.WAZUH_SSH_BRUTE_FORCE).status_code == 404


def test_get_is_not_allowed_and_no_session_is_needed(client, wazuh_source):
    source, _ = wazuh_source
    assert client.get(f"/alerts/hooks/{source.slug}/").status_code == 405


def test_rotated_secret_takes_over(client, admin_user, wazuh_source):
    source, old = wazuh_source
    new = source_rotate_secret(actor=admin_user, source=source)
    assert signed_post(client, source.slug, old, samples.WAZUH_SSH_BRUTE_FORCE).status_code == 401
    assert signed_post(client, source.slug, new, samples.WAZUH_SSH_BRUTE_FORCE).status_code == 202


def test_rate_limit_per_source_is_429_and_stores_nothing(client, admin_user, wazuh_source):
    source, secret = wazuh_source
    source_update(actor=admin_user, source=source, rate_limit_per_minute=3)
    codes = [signed_post(client, source.slug, secret, samples.wazuh(id=f"id-{i}")).status_code for i in range(5)]
    assert codes == [202, 202, 202, 429, 429]
    assert Alert.objects.count() == 3


def test_dedup_repeat_counted(client, wazuh_source):
    source, secret = wazuh_source
    now = time.time()
    a = signed_post(client, source.slug, secret, samples.WAZUH_SSH_BRUTE_FORCE, now=now)
    b = signed_post(client, source.slug, secret, samples.WAZUH_SSH_BRUTE_FORCE, now=now - 1)
    assert (a.json()["new"], b.json()["duplicates"]) == (1, 1)
    alert = Alert.objects.get()
    assert alert.count == 2 and alert.last_seen >= alert.first_seen


def test_same_reference_in_two_sources_are_two_alerts(client, admin_user, unit_a, wazuh_source):
    source, secret = wazuh_source
    other, other_secret = source_create(actor=admin_user, name="Wazuh DR site", business_unit=unit_a, kind="wazuh")
    signed_post(client, source.slug, secret, samples.WAZUH_SSH_BRUTE_FORCE)
    signed_post(client, other.slug, other_secret, samples.WAZUH_SSH_BRUTE_FORCE)
    assert Alert.objects.count() == 2


def test_hostile_strings_are_stored_as_is(client, wazuh_source):
    source, secret = wazuh_source
    hostile = '<script>alert(1)</script>=HYPERLINK("http://evil.example","x")'
    signed_post(
        client,
        source.slug,
        secret,
        samples.wazuh(rule__description=hostile, agent__name="<img src=x onerror=alert(2)>"),
    )
    alert = Alert.objects.get()
    assert alert.title == hostile and alert.host == "<img src=x onerror=alert(2)>"


def test_suppressed_alerts_are_stored_out_of_the_queue_until_the_rule_ends(client, admin_user, wazuh_source):
    source, secret = wazuh_source
    rule = suppression_create(
        actor=admin_user,
        source=source,
        field="host",
        value="nw-claims-*",
        until=timezone.now() + dt.timedelta(hours=1),
        reason="Pen test of the claims portal this week",
    )
    response = signed_post(client, source.slug, secret, samples.WAZUH_SSH_BRUTE_FORCE)
    assert response.json()["suppressed"] == 1
    alert = Alert.objects.get()
    assert (alert.status, alert.suppressed_by_id, alert.group_id) == ("suppressed", rule.pk, None)
    other = signed_post(client, source.slug, secret, samples.wazuh(id="other", agent__name="nw-hr-app-01"))
    assert other.json()["suppressed"] == 0


def test_expired_suppression_no_longer_applies(client, admin_user, wazuh_source):
    source, secret = wazuh_source
    rule = suppression_create(
        actor=admin_user,
        source=source,
        field="rule",
        value="5712",
        until=timezone.now() + dt.timedelta(hours=1),
        reason="noisy",
    )
    from ramparts.alerts.models import SuppressionRule

    SuppressionRule.objects.filter(pk=rule.pk).update(until=timezone.now() - dt.timedelta(seconds=1))
    from ramparts.alerts import intake

    intake.forget_cached_sources()
    assert signed_post(client, source.slug, secret, samples.WAZUH_SSH_BRUTE_FORCE).json()["suppressed"] == 0


def test_grouping_same_host_and_rule_within_window(wazuh_source):
    from ramparts.alerts import intake

    source, _ = wazuh_source
    cached = intake.source_for(source.slug)
    start = timezone.now()

    def receive(i: int, minutes: float, **changes):
        alerts = list(cached.mapping.apply(samples.wazuh(id=f"a{i}", **changes)))
        intake.receive(cached, alerts, signature=f"sig{i}", now=start + dt.timedelta(minutes=minutes))

    receive(1, 0)
    receive(2, 9)  # within 10 min of the previous one
    receive(3, 18)  # within 10 min of #2: the window slides
    receive(4, 18.5, agent__name="nw-other-host")  # another host: another group
    receive(5, 18.6, rule__id="5710")  # another rule: another group
    receive(6, 40)  # more than 10 min after the last: a new group
    groups = list(AlertGroup.objects.order_by("first_seen", "id").values_list("alert_count", flat=True))
    assert groups == [3, 1, 1, 1]
    first = AlertGroup.objects.order_by("first_seen", "id").first()
    assert first.label == "host=nw-claims-web-01 · rule=5712"
    assert sorted(first.alerts.values_list("source_ref", flat=True)) == ["a1", "a2", "a3"]


def test_a_new_critical_group_is_announced_once(client, wazuh_source, make_user, admin_user):
    from ramparts.core.roles import Role
    from ramparts.notifications.models import Notification

    source, secret = wazuh_source
    analyst, employee = make_user(Role.ANALYST), make_user(Role.EMPLOYEE)
    signed_post(client, source.slug, secret, samples.WAZUH_WINDOWS_CRITICAL)
    signed_post(
        client,
        source.slug,
        secret,
        samples.wazuh(id="same-group", agent__name="NW-FIN-DC02", rule__id="60204", rule__level=15),
    )
    signed_post(client, source.slug, secret, samples.WAZUH_SSH_BRUTE_FORCE)  # medium: not announced
    notes = Notification.objects.filter(event="alerts.received")
    assert sorted(notes.values_list("recipient", flat=True)) == sorted([analyst.pk, admin_user.pk])
    assert all(n.subject.startswith("Critical alert ALR-") for n in notes)
    assert not Notification.objects.filter(recipient=employee).exists()


def test_alertmanager_payload_with_a_repeat_inside_and_across_requests(client, admin_user, unit_a):
    import copy

    source, secret = source_create(actor=admin_user, name="Prometheus", business_unit=unit_a, kind="alertmanager")
    payload = copy.deepcopy(samples.ALERTMANAGER)
    payload["alerts"].append(copy.deepcopy(payload["alerts"][0]))  # the first alert twice in one request
    first = signed_post(client, source.slug, secret, payload).json()
    assert (first["stored"], first["new"], first["duplicates"]) == (4, 3, 1)
    assert first["alerts"][0] == first["alerts"][3]
    again = signed_post(client, source.slug, secret, samples.ALERTMANAGER, now=time.time() - 1).json()
    assert (again["new"], again["duplicates"]) == (0, 3)
    assert sorted(Alert.objects.values_list("count", flat=True)) == [2, 2, 3]
    assert AlertGroup.objects.count() == 3  # host + rule: two hosts of one rule, and another rule
