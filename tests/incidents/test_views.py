from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ramparts.core.roles import Role
from ramparts.incidents import services
from ramparts.incidents.models import Phase

HOSTILE = '<script>alert("x")</script>=HYPERLINK("http://evil")'


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_declare_through_the_form_shows_the_gdpr_countdown(client_for, analyst, unit_a, crm):
    c = client_for(analyst)
    response = c.post(
        reverse("incidents:declare"),
        {
            "title": "Ransomware on CRM",
            "incident_type": "ransomware",
            "severity": "critical",
            "business_unit": unit_a.code,
            "systems": [crm.ref],
        },
    )
    assert response.status_code == 302
    page = c.get(response["Location"])
    html = page.content.decode()
    assert 'id="clock-gdprauthority"' in html and "data-countdown" in html
    assert "Isolate affected hosts from the network" in html
    assert "personal data affected" in html


def test_declare_form_names_bad_fields(client_for, analyst, unit_a):
    response = client_for(analyst).post(
        reverse("incidents:declare"),
        {"title": "", "incident_type": "ransomware", "severity": "bad", "business_unit": unit_a.code},
    )
    assert response.status_code == 200
    assert b"title" in response.content and b"is required" in response.content


def test_walk_to_closed_fills_the_milestones(client_for, manager, declare):
    incident = declare(actor=manager)
    c = client_for(manager)
    for phase in ("analysis", "containment", "eradication", "recovery", "review", "closed"):
        assert c.post(reverse("incidents:transition", args=[incident.ref]), {"to_phase": phase}).status_code == 302
    incident.refresh_from_db()
    assert incident.phase == Phase.CLOSED
    assert all(
        [
            incident.acknowledged_at,
            incident.contained_at,
            incident.eradicated_at,
            incident.recovered_at,
            incident.closed_at,
        ]
    )
    assert incident.transitions.count() == 7


def test_analyst_cannot_close(client_for, analyst, declare):
    incident = declare()
    response = client_for(analyst).post(reverse("incidents:transition", args=[incident.ref]), {"to_phase": "closed"})
    assert response.status_code == 403


def test_hostile_strings_are_escaped_on_the_page(client_for, analyst, declare):
    incident = declare(title=HOSTILE, summary=HOSTILE)
    services.timeline_add(actor=analyst, incident=incident, text=HOSTILE)
    html = client_for(analyst).get(reverse("incidents:detail", args=[incident.ref])).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    listing = client_for(analyst).get(reverse("incidents:list")).content.decode()
    assert "<script>alert" not in listing


def test_other_units_answer_404(client_for, make_user, unit_b, declare):
    incident = declare()
    outsider = make_user(Role.ANALYST, units=[unit_b])
    c = client_for(outsider)
    assert c.get(reverse("incidents:detail", args=[incident.ref])).status_code == 404
    assert c.post(reverse("incidents:timeline_add", args=[incident.ref]), {"text": "x"}).status_code == 404
    assert c.get(reverse("incidents:export", args=[incident.ref, "md"])).status_code == 404
    assert incident.ref not in c.get(reverse("incidents:list")).content.decode()


def test_list_query_count_is_constant(client_for, analyst, declare, django_assert_max_num_queries):
    c = client_for(analyst)
    declare()
    c.get(reverse("incidents:list"))
    with django_assert_max_num_queries(12) as few:
        c.get(reverse("incidents:list"))
    for n in range(6):
        declare(title=f"incident {n}", incident_type="phishing", notify_people=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get(reverse("incidents:list")).status_code == 200


def test_detail_query_count_is_constant(client_for, analyst, declare, django_assert_max_num_queries):
    incident = declare()
    c = client_for(analyst)
    url = reverse("incidents:detail", args=[incident.ref])
    c.get(url)
    with django_assert_max_num_queries(60) as few:
        c.get(url)
    for n in range(5):
        services.task_create(
            actor=analyst,
            incident=incident,
            title=f"t{n}",
            checklist=["a", "b"],
            due_at=timezone.now() + timedelta(hours=1),
        )
        services.timeline_add(actor=analyst, incident=incident, text=f"note {n}", pinned=True)
        services.observable_add(actor=analyst, incident=incident, kind="ip", value=f"203.0.113.{n}")
        services.technique_add(actor=analyst, incident=incident, technique_id=f"T1{n}00")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get(url).status_code == 200


def test_metrics_page_shows_separate_measures(client_for, manager, declare):
    incident = declare(
        actor=manager, occurred_at=timezone.now() - timedelta(hours=5), detected_at=timezone.now() - timedelta(hours=3)
    )
    for phase in ("analysis", "containment", "eradication", "recovery", "review", "closed"):
        services.incident_transition(actor=manager, incident=incident, to_phase=phase)
    html = client_for(manager).get(reverse("incidents:metrics")).content.decode()
    for key in ("mttd", "mtta", "mttc", "mttr", "mttclose"):
        assert f'id="metric-{key}"' in html
    assert "2.0 h" in html  # MTTD: occurred 5 h ago, detected 3 h ago
