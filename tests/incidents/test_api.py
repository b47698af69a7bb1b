import stix2
from django.utils import timezone

from ramparts.core.roles import Role
from ramparts.incidents import services

BASE = "/api/v1/incidents"


def test_declare_and_read_through_the_api(client, analyst, unit_a, crm):
    client.force_login(analyst)
    response = client.post(
        f"{BASE}/incidents",
        {
            "title": "Lost laptop",
            "incident_type": "lost_device",
            "severity": "medium",
            "business_unit": unit_a.code,
            "systems": [crm.ref],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ref"].startswith("INC-") and body["personal_data"] is True
    assert {c["rule_id"] for c in body["clocks"]} >= {"gdpr.authority"}
    gdpr = next(c for c in body["clocks"] if c["rule_id"] == "gdpr.authority")
    assert gdpr["state"] == "upcoming" and 71 * 3600 < gdpr["remaining_seconds"] <= 72 * 3600
    assert len(body["tasks"]) == 3
    listing = client.get(f"{BASE}/incidents").json()
    assert listing["count"] == 1 and listing["items"][0]["ref"] == body["ref"]


def test_api_errors_name_the_field(client, analyst, unit_a):
    client.force_login(analyst)
    response = client.post(
        f"{BASE}/incidents",
        {"title": "x", "incident_type": "nope", "severity": "medium", "business_unit": unit_a.code},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "type" in response.content.decode()


def test_notice_marks_the_report_sent_and_evidence_is_an_attachment(client, analyst, declare, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    incident = declare()
    client.force_login(analyst)
    html = b"<html><script>alert(1)</script></html>"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"{BASE}/incidents/{incident.ref}/notices",
        {
            "rule_id": "gdpr.authority",
            "sent_at": timezone.now().isoformat(),
            "recipient": "CNIL",
            "content": "Initial notification",
            "evidence": SimpleUploadedFile("receipt.html", html, content_type="text/html"),
        },
    )
    assert response.status_code == 201, response.content
    notice = response.json()
    import hashlib

    assert notice["evidence_sha256"] == hashlib.sha256(html).hexdigest()
    clocks = client.get(f"{BASE}/incidents/{incident.ref}/clocks").json()
    assert next(c for c in clocks if c["rule_id"] == "gdpr.authority")["state"] == "submitted"
    download = client.get(f"/incidents/{incident.ref}/notices/{notice['id']}/evidence/")
    assert download.status_code == 200 and download.content == html
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff" and "sandbox" in download["Content-Security-Policy"]
    assert download["Content-Type"] == "application/octet-stream"


def test_stix_bundle_parses_with_stix2(client, analyst, declare):
    incident = declare()
    for kind, value in (
        ("ip", "203.0.113.7"),
        ("ip", "2001:db8::1"),
        ("domain", "evil.example"),
        ("url", "https://evil.example/a?b='c'"),
        ("hash", "d41d8cd98f00b204e9800998ecf8427e"),
        ("email", "ceo@evil.example"),
        ("account", "svc_backup' OR 1=1 --"),
    ):
        services.observable_add(actor=analyst, incident=incident, kind=kind, value=value, tlp="red")
    services.technique_add(actor=analyst, incident=incident, technique_id="T1486", name="Data Encrypted for Impact")
    client.force_login(analyst)
    response = client.get(f"{BASE}/incidents/{incident.ref}/export/stix")
    assert response.status_code == 200
    bundle = stix2.parse(response.content.decode(), allow_custom=False)
    indicators = [o for o in bundle.objects if o.type == "indicator"]
    assert len(indicators) == 7
    assert all(stix2.TLP_RED.id in i.object_marking_refs for i in indicators)
    assert any(o.type == "attack-pattern" for o in bundle.objects)


def test_other_unit_answers_404_on_the_api(client, make_user, unit_b, declare):
    incident = declare()
    client.force_login(make_user(Role.ANALYST, units=[unit_b]))
    assert client.get(f"{BASE}/incidents/{incident.ref}").status_code == 404
    response = client.post(f"{BASE}/incidents/{incident.ref}/timeline", {"text": "x"}, content_type="application/json")
    assert response.status_code == 404


def test_api_list_query_count_is_constant(client, analyst, declare, django_assert_max_num_queries):
    client.force_login(analyst)
    declare(notify_people=False)
    client.get(f"{BASE}/incidents")
    with django_assert_max_num_queries(20) as few:
        client.get(f"{BASE}/incidents")
    for n in range(5):
        declare(title=f"n{n}", notify_people=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"{BASE}/incidents").json()["count"] == 6
