"""The audit trail pages: filters, htmx partial, CSV/JSON export, permissions."""

import csv
import io
import json

import pytest
from django.test import Client

from ramparts.core.roles import Role
from ramparts.inventory import services


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def trail(make_user, unit_a):
    manager = make_user(Role.SECURITY_MANAGER, units=[unit_a], username="mgr")
    web = services.system_create(actor=manager, business_unit=unit_a, name="web-1", kind="server")
    services.system_update(actor=manager, ref=web.ref, environment="staging")
    services.person_create(actor=manager, business_unit=unit_a, employee_id="E1", full_name="=HYPERLINK(1)")
    return {"manager": manager, "web": web}


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_auditor_browses_and_filters(trail, make_user, unit_a):
    client = client_for(make_user(Role.AUDITOR, units=[unit_a]))
    html = client.get("/audit/").content.decode()
    assert "web-1" in html and "staging" in html and "3 results" in html
    html = client.get("/audit/?object_type=inventory.person").content.decode()
    assert "1 result" in html and "HYPERLINK" in html
    html = client.get("/audit/?action=update").content.decode()
    assert "1 result" in html
    html = client.get(f"/audit/?q={trail['web'].ref}").content.decode()
    assert "2 results" in html
    html = client.get("/audit/?actor=nobody").content.decode()
    assert "No audit entries match" in html
    html = client.get("/audit/?channel=api").content.decode()
    assert "No audit entries match" in html


def test_time_range_filter(trail, make_user, unit_a):
    client = client_for(make_user(Role.AUDITOR, units=[unit_a]))
    assert "No audit entries match" in client.get("/audit/?until=2000-01-01").content.decode()
    assert "3 results" in client.get("/audit/?since=2000-01-01").content.decode()
    # a bad date is shown as an error, the other filters still apply
    html = client.get("/audit/?since=notadate&action=update").content.decode()
    assert "1 result" in html and "Enter a valid date" in html


def test_htmx_filtering_returns_only_the_results(trail, make_user, unit_a):
    client = client_for(make_user(Role.AUDITOR, units=[unit_a]))
    html = client.get("/audit/?action=create", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and "2 results" in html


def test_exports_follow_the_filters_and_neutralise_formulas(trail, make_user, unit_a):
    client = client_for(make_user(Role.AUDITOR, units=[unit_a]))
    rows = list(csv.reader(io.StringIO(body(client.get("/audit/export.csv?object_type=inventory.person")))))
    assert rows[0][:3] == ["seq", "at", "actor"]
    assert len(rows) == 2 and rows[1][8] == "PER-1 =HYPERLINK(1)"
    formula = make_user(Role.SECURITY_MANAGER, units=[unit_a], username="@evil")
    services.system_create(actor=formula, business_unit=unit_a, name="-cmd", kind="server")
    rows = list(csv.reader(io.StringIO(body(client.get("/audit/export.csv?actor=@evil")))))
    assert rows[1][2] == "'@evil"
    data = json.loads(body(client.get("/audit/export.json?action=update")))
    assert len(data) == 1 and data[0]["changes"] == {"environment": ["production", "staging"]}
    response = client.get("/audit/export.csv")
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.EXECUTIVE, Role.EMPLOYEE])
def test_roles_without_audit_view_are_refused(trail, role, make_user, unit_a):
    client = client_for(make_user(role, units=[unit_a]))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
    assert client.get("/audit/export.json").status_code == 403


def test_nav_shows_the_audit_trail_only_to_those_who_may_see_it(make_user, unit_a):
    assert 'href="/audit/"' in client_for(make_user(Role.AUDITOR, units=[unit_a])).get("/").content.decode()
    assert 'href="/audit/"' not in client_for(make_user(Role.ANALYST, units=[unit_a])).get("/").content.decode()


def test_history_on_detail_pages_links_to_the_trail(trail):
    html = client_for(trail["manager"]).get(f"/inventory/systems/{trail['web'].ref}/").content.decode()
    assert 'id="history"' in html
    assert "production" in html and "staging" in html
    assert f"object_id={trail['web'].pk}" in html


def test_times_are_shown_in_the_users_zone(trail, make_user, unit_a):
    from ramparts.core.models import AuditEntry

    auditor = make_user(Role.AUDITOR, units=[unit_a])
    auditor.time_zone = "Asia/Tokyo"
    auditor.save(update_fields=["time_zone"])
    entry = AuditEntry.objects.order_by("seq").first()
    html = client_for(auditor).get("/audit/").content.decode()
    local = entry.at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert local.strftime("%Y-%m-%d %H:%M:%S") in html
    assert "times shown in Asia/Tokyo" in html
