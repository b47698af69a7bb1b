"""The home dashboard: org counts for roles with dashboard.view, a personal page for employees."""

from django.test import Client

from ramparts.core import dashboard
from ramparts.core.roles import Role
from ramparts.inventory import services
from ramparts.inventory.models import Person


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_empty_inventory_says_what_to_do(make_user, unit_a):
    html = client_for(make_user(Role.SECURITY_MANAGER, units=[unit_a])).get("/").content.decode()
    assert "data-dashboard" in html
    assert "The inventory is empty" in html and "Import people" in html
    for module in ("widget-vulns", "widget-risks", "widget-compliance", "widget-incidents", "widget-policies"):
        assert f'id="{module}"' in html, module


def test_counts_and_critical_systems(make_user, unit_a, unit_b):
    manager = make_user(Role.SECURITY_MANAGER, units=[unit_a])
    services.person_create(actor=manager, business_unit=unit_a, employee_id="E1", full_name="A", privileged=True)
    services.person_create(actor=manager, business_unit=unit_a, employee_id="E2", full_name="B", status="leaver")
    web = services.system_create(actor=manager, business_unit=unit_a, name="web-1", kind="server")
    services.system_create(actor=manager, business_unit=unit_a, name="laptop-1", kind="workstation")
    services.data_asset_create(
        actor=manager, business_unit=unit_a, name="Cards", classification="restricted", cardholder_data=True
    )
    pay = services.service_create(actor=manager, business_unit=unit_a, name="Payments", criticality="critical")
    services.dependency_add(actor=manager, service=pay.ref, target=web.ref)
    admin = make_user(Role.ADMIN, units=[])
    services.system_create(actor=admin, business_unit=unit_b, name="hidden-1", kind="server")

    response = client_for(manager).get("/")
    html = response.content.decode()
    counts = next(w for w in response.context["widgets"] if w.widget.key == "inventory").context
    assert counts["systems_total"] == 2  # hidden-1 is in another unit
    assert counts["people"]["active"] == 1 and counts["people"]["leavers"] == 1
    assert counts["people"]["privileged"] == 1
    assert counts["data"]["cardholder"] == 1
    assert "critical: supports Payments (tier 1)" in html
    assert "hidden-1" not in html


def test_executive_sees_the_dashboard(make_user, unit_a):
    html = client_for(make_user(Role.EXECUTIVE, units=[unit_a])).get("/").content.decode()
    assert "data-dashboard" in html


def test_employee_gets_a_personal_home(make_user, unit_a):
    employee = make_user(Role.EMPLOYEE, units=[unit_a])
    manager = make_user(Role.SECURITY_MANAGER, units=[unit_a])
    services.system_create(actor=manager, business_unit=unit_a, name="web-1", kind="server")
    html = client_for(employee).get("/").content.decode()
    assert "data-dashboard" not in html and "web-1" not in html
    assert "Nothing assigned to you yet" in html
    assert "No person record is linked" in html
    services.person_create(
        actor=manager, business_unit=unit_a, employee_id="E9", full_name="Erin Employee", user=employee.username
    )
    assert Person.objects.get(employee_id="E9").user == employee
    html = client_for(employee).get("/").content.decode()
    assert "Erin Employee" in html and "PER-1" in html
    # employees see no inventory navigation
    assert "/inventory/systems/" not in html


def test_a_module_registers_a_widget_and_replaces_one_by_key(make_user, unit_a):
    original = dict(dashboard._registry)
    try:
        dashboard.register(
            dashboard.Widget(
                key="vulns",
                title="Vulnerabilities",
                template="core/_widget_test.html",
                context=lambda user: {"n": 41},
            )
        )
        html = client_for(make_user(Role.ANALYST, units=[unit_a])).get("/").content.decode()
        assert "widget test figure 42" in html
        assert html.count('id="widget-vulns"') == 1
    finally:
        dashboard._registry.clear()
        dashboard._registry.update(original)


def test_anonymous_home_redirects_to_log_in(db):
    response = Client().get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
