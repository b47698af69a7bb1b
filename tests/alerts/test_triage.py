import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ramparts.alerts import intake
from ramparts.alerts.models import Alert
from ramparts.alerts.services import alert_dismiss, alert_merge, alert_promote, source_create
from ramparts.core.errors import Conflict, ValidationFailed
from ramparts.core.models import AuditEntry
from ramparts.core.roles import Role
from ramparts.incidents.models import Incident
from ramparts.incidents.services import incident_declare
from ramparts.inventory import services as inventory
from tests.alerts import samples

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>=HYPERLINK("http://evil.example","click")'


def receive(source, payload, n=[0]) -> Alert:  # noqa: B006 (a counter for unique signatures)
    n[0] += 1
    cached = intake.source_for(source.slug)
    refs = intake.receive(cached, list(cached.mapping.apply(payload)), signature=f"s{n[0]}", now=timezone.now()).refs
    return Alert.objects.get(pk=int(refs[0].split("-")[1]))


@pytest.fixture
def claims_web(admin_user, unit_a):
    system = inventory.system_create(
        actor=admin_user, business_unit=unit_a, name="claims-web", kind="server",
        hostnames="nw-claims-web-01.northwind.example", ip_addresses="10.20.4.17",
    )  # fmt: skip
    data = inventory.data_asset_create(actor=admin_user, business_unit=unit_a, name="Claims files", personal_data=True)
    data.systems.add(system)
    return system


@pytest.fixture
def analyst(make_user, unit_a):
    return make_user(Role.ANALYST, units=[unit_a])


def test_promote_declares_an_incident_on_the_matched_system(wazuh_source, claims_web, analyst):
    source, _ = wazuh_source
    alert = receive(source, samples.WAZUH_SSH_BRUTE_FORCE)
    promoted = alert_promote(actor=analyst, alert=alert, incident_type="other", severity="high")
    incident = Incident.objects.get()
    assert promoted.status == "promoted" and promoted.incident_ref == incident.ref
    assert list(incident.systems.all()) == [claims_web]
    assert incident.personal_data is True  # the system holds personal data: the GDPR clock applies
    assert incident.title == alert.title
    assert incident.techniques.filter(technique_id="T1110").exists()
    assert incident.observables.filter(kind="account", value="admin").exists()
    assert incident.observables.filter(kind="ip", value="10.20.4.17").exists()
    assert AuditEntry.objects.filter(object_type="alerts.alert", object_id=str(alert.pk)).exists()
    with pytest.raises(Conflict, match="already"):
        alert_dismiss(actor=analyst, alert=alert, reason="late")


def test_prometheus_instance_matches_the_host_without_port(admin_user, unit_a, analyst):
    system = inventory.system_create(actor=admin_user, business_unit=unit_a, name="nw-sso-01", kind="server")
    source, _ = source_create(actor=admin_user, name="Prometheus", business_unit=unit_a, kind="alertmanager")
    alert = receive(source, samples.ALERTMANAGER)
    from ramparts.alerts.selectors import matching_systems

    assert matching_systems(analyst, alert) == [system]


def test_dismiss_needs_a_reason(wazuh_source, analyst):
    source, _ = wazuh_source
    alert = receive(source, samples.WAZUH_SSH_BRUTE_FORCE)
    with pytest.raises(ValidationFailed) as exc:
        alert_dismiss(actor=analyst, alert=alert, reason="  ")
    assert exc.value.problems[0].column == "reason"
    dismissed = alert_dismiss(actor=analyst, alert=alert, reason="Authorised pen test")
    assert (dismissed.status, dismissed.dismiss_reason, dismissed.triaged_by) == (
        "dismissed",
        "Authorised pen test",
        analyst,
    )


def test_merge_puts_the_alert_on_the_incident_timeline(wazuh_source, admin_user, unit_a, analyst):
    source, _ = wazuh_source
    incident = incident_declare(
        actor=admin_user, title="SSH attack", incident_type="other", severity="high", business_unit=unit_a
    )
    alert = receive(source, samples.WAZUH_SSH_BRUTE_FORCE)
    merged = alert_merge(actor=analyst, alert=alert, incident_ref=incident.ref.lower())
    assert (merged.status, merged.incident_ref) == ("merged", incident.ref)
    assert incident.timeline.filter(text__contains=alert.ref).exists()


def test_other_units_alerts_are_404(client, admin_user, unit_b, make_user):
    source, secret = source_create(actor=admin_user, name="Wealth Wazuh", business_unit=unit_b, kind="wazuh")
    alert = receive(source, samples.WAZUH_SSH_BRUTE_FORCE)
    client.force_login(make_user(Role.ANALYST))  # works in unit_a only
    assert client.get(f"/alerts/{alert.ref}/").status_code == 404
    assert client.post(f"/alerts/{alert.ref}/dismiss/", {"reason": "x"}).status_code == 404
    assert client.get(f"/api/v1/alerts/{alert.ref}").status_code == 404
    assert client.get("/api/v1/alerts/").json()["count"] == 0
    assert client.get(f"/api/v1/alerts/sources/{source.slug}").status_code == 404
    assert Alert.objects.get().status == "new"


def test_hostile_strings_are_escaped_on_list_and_detail(client, wazuh_source, analyst):
    source, _ = wazuh_source
    alert = receive(source, samples.wazuh(rule__description=HOSTILE, agent__name="<img src=x onerror=alert(1)>"))
    client.force_login(analyst)
    for url in ("/alerts/", f"/alerts/{alert.ref}/"):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url
    assert client.get(f"/api/v1/alerts/{alert.ref}").json()["title"] == HOSTILE


def _list_queries(client, user, source, n: int) -> int:
    for i in range(n):
        receive(source, samples.wazuh(id=f"q{n}-{i}", agent__name=f"host-{i}"))
    client.force_login(user)
    with CaptureQueriesContext(connection) as ui:
        assert client.get("/alerts/?status=").status_code == 200
    with CaptureQueriesContext(connection) as api:
        assert client.get("/api/v1/alerts/?status=").status_code == 200
    return len(ui.captured_queries) + 1000 * len(api.captured_queries)


def test_list_queries_do_not_grow_with_alerts(client, wazuh_source, analyst):
    source, _ = wazuh_source
    assert _list_queries(client, analyst, source, 2) == _list_queries(client, analyst, source, 25)


def test_list_filters_and_search(client, wazuh_source, analyst):
    source, _ = wazuh_source
    a = receive(source, samples.WAZUH_SSH_BRUTE_FORCE)
    b = receive(source, samples.WAZUH_WINDOWS_CRITICAL)
    client.force_login(analyst)

    def refs(query: str) -> list[str]:
        return [item["ref"] for item in client.get(f"/api/v1/alerts/?{query}").json()["items"]]

    assert set(refs("")) == {a.ref, b.ref}
    assert refs("severity=critical") == [b.ref]
    assert refs("q=T1078") == [b.ref]
    assert refs(f"q={a.ref}") == [a.ref]
    assert refs("host=nw-claims-web-01") == [a.ref]
    alert_dismiss(actor=analyst, alert=a, reason="noise")
    assert refs("") == [b.ref]
    assert refs("status=dismissed") == [a.ref]
    page = client.get("/alerts/?severity=critical").content.decode()
    assert b.ref in page and a.ref not in page


def test_promote_from_the_page_redirects_to_the_incident(client, wazuh_source, claims_web, analyst):
    source, _ = wazuh_source
    alert = receive(source, samples.WAZUH_SSH_BRUTE_FORCE)
    client.force_login(analyst)
    detail = client.get(f"/alerts/{alert.ref}/").content.decode()
    assert "claims-web" in detail and "Promote to incident" in detail
    response = client.post(
        f"/alerts/{alert.ref}/promote/",
        {"title": "SSH brute force on claims", "incident_type": "other", "severity": "high"},
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/incidents/{incident.ref}/"
    again = client.post(f"/alerts/{alert.ref}/dismiss/", {"reason": "x"})
    assert again.status_code == 302 and Alert.objects.get().status == "promoted"


def test_merge_into_unknown_incident_names_the_problem(client, wazuh_source, analyst):
    source, _ = wazuh_source
    alert = receive(source, samples.WAZUH_SSH_BRUTE_FORCE)
    client.force_login(analyst)
    response = client.post(
        f"/api/v1/alerts/{alert.ref}/merge", {"incident": "INC-1999-999"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert Alert.objects.get().status == "new"


def test_source_secret_never_listed(client, admin_user, wazuh_source):
    source, secret = wazuh_source
    client.force_login(admin_user)
    for url in ("/alerts/sources/", f"/alerts/sources/{source.slug}/", "/api/v1/alerts/sources"):
        assert secret not in client.get(url).content.decode(), url
    assert not AuditEntry.objects.filter(changes__icontains=secret).exists()
    created = client.post(
        "/api/v1/alerts/sources", {"name": "Kibana", "business_unit": source.business_unit.code, "kind": "elastic"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201 and created.json()["secret"].startswith("alsec_")
    assert created.json()["mapping"]["items"] == "$.alerts[*]"


def test_bad_mapping_is_refused_with_the_field(client, admin_user, wazuh_source):
    source, _ = wazuh_source
    client.force_login(admin_user)
    response = client.patch(
        f"/api/v1/alerts/sources/{source.slug}",
        {"mapping": {"fields": {"title": "$[[["}}},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["problems"][0]["column"] == "mapping"
    form = client.post(
        f"/alerts/sources/{source.slug}/",
        {"name": "Wazuh SIEM", "mapping": "{not json", "group_window_minutes": 10, "rate_limit_per_minute": 10},
    )
    assert form.status_code == 400 and b"Not valid JSON" in form.content
