"""Inventory pages render for the roles that may see them, and 403/404 for the others."""

import pytest
from django.test import Client

from ramparts.core.roles import Role
from ramparts.inventory import services


@pytest.fixture
def world(manager, unit_a, make_system, make_person):
    owner = make_person(employee_id="E1", full_name="Ada Lovelace", job_title="CTO")
    make_person(employee_id="E2", full_name="Grace Hopper", manager="E1")
    web = make_system(name="web-1", owner=owner, tags="pci; edge", hostnames="web-1.example.com")
    db = make_system(name="db-1", kind="database")
    data = services.data_asset_create(
        actor=manager,
        business_unit=unit_a,
        name="Customer records",
        classification="restricted",
        personal_data=True,
        systems="db-1",
        owner="E1",
    )
    payments = services.service_create(actor=manager, business_unit=unit_a, name="Payments", criticality="critical")
    services.dependency_add(actor=manager, service=payments.ref, target=web.ref)
    services.dependency_add(actor=manager, service=payments.ref, target=data.ref)
    web.refresh_from_db()
    return {"system": web, "db": db, "person": owner, "data": data, "service": payments}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


PAGES = [
    "/inventory/systems/",
    "/inventory/systems/{system}/",
    "/inventory/people/",
    "/inventory/people/{person}/",
    "/inventory/data-assets/",
    "/inventory/data-assets/{data}/",
    "/inventory/services/",
    "/inventory/services/{service}/",
    "/inventory/services/{service}/graph/",
]


def fill(path: str, world) -> str:
    return path.format(**{k: v.ref for k, v in world.items()})


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECURITY_MANAGER, Role.ANALYST, Role.AUDITOR, Role.EXECUTIVE])
def test_readers_see_every_page(path, role, world, make_user, unit_a):
    response = client_for(make_user(role, units=[unit_a])).get(fill(path, world))
    assert response.status_code == 200
    assert b"Ramparts" in response.content


@pytest.mark.parametrize("path", PAGES)
def test_employees_are_refused(path, world, make_user, unit_a):
    response = client_for(make_user(Role.EMPLOYEE, units=[unit_a])).get(fill(path, world))
    assert response.status_code == 403
    assert b"You may not do this" in response.content


@pytest.mark.parametrize("path", [p for p in PAGES if "{" in p])
def test_other_units_get_404(path, world, make_user, unit_b):
    response = client_for(make_user(Role.SECURITY_MANAGER, units=[unit_b])).get(fill(path, world))
    assert response.status_code == 404
    assert b"outside the business units" in response.content


def test_anonymous_is_sent_to_log_in(world):
    response = Client().get("/inventory/systems/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_ref_is_404(world, manager):
    assert client_for(manager).get("/inventory/systems/SYS-999/").status_code == 404
    assert client_for(manager).get("/inventory/systems/nonsense/").status_code == 404


def test_system_page_shows_relations_and_why_it_is_critical(world, manager):
    html = client_for(manager).get(fill("/inventory/systems/{system}/", world)).content.decode()
    assert "critical: supports Payments (tier 1)" in html
    assert "Ada Lovelace" in html and "Payments" in html
    assert 'id="history"' in html and "create" in html


def test_data_asset_page_lists_its_systems(world, manager):
    html = client_for(manager).get(fill("/inventory/data-assets/{data}/", world)).content.decode()
    assert "db-1" in html and "Payments" in html and "restricted" in html


def test_person_page_lists_reports_and_owned_things(world, manager):
    html = client_for(manager).get(fill("/inventory/people/{person}/", world)).content.decode()
    assert "Grace Hopper" in html and "web-1" in html and "Customer records" in html


def test_service_page_lists_dependencies(world, manager):
    html = client_for(manager).get(fill("/inventory/services/{service}/", world)).content.decode()
    assert "web-1" in html and "Customer records" in html
    assert "Add dependency" in html


def test_graph_is_inline_svg_with_links_and_no_style_attributes(world, manager):
    html = client_for(manager).get(fill("/inventory/services/{service}/graph/", world)).content.decode()
    assert "<svg" in html and "g-root" in html
    assert f'href="/inventory/systems/{world["system"].ref}/"' in html
    assert "style=" not in html


def test_readers_do_not_get_edit_controls(world, make_user, unit_a):
    html = client_for(make_user(Role.AUDITOR, units=[unit_a])).get("/inventory/systems/").content.decode()
    assert "New system" not in html and 'name="refs"' not in html
    assert "Export" in html


def test_list_search_and_filters(world, manager):
    client = client_for(manager)
    html = client.get("/inventory/systems/?q=web").content.decode()
    assert "web-1" in html and "db-1" not in html
    html = client.get("/inventory/systems/?kind=database").content.decode()
    assert "db-1" in html and "web-1" not in html
    html = client.get("/inventory/systems/?tag=pci").content.decode()
    assert "web-1" in html and "db-1" not in html


def test_list_sorting_and_pagination(world, manager, make_system):
    for i in range(30):
        make_system(name=f"app-{i:02d}")
    client = client_for(manager)
    html = client.get("/inventory/systems/?sort=-name&page_size=25").content.decode()
    assert html.index("web-1") < html.index("db-1")
    assert 'aria-current="page">1<' in html and "page=2" in html
    page2 = client.get("/inventory/systems/?sort=name&page_size=25&page=2").content.decode()
    assert "web-1" in page2 and "app-00" not in page2


def test_htmx_search_returns_only_the_results(world, manager):
    response = client_for(manager).get(
        "/inventory/systems/?q=web", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-results"
    )
    html = response.content.decode()
    assert 'id="list-results"' in html and "<html" not in html and "web-1" in html


def test_empty_inventory_explains_what_to_do(manager):
    html = client_for(manager).get("/inventory/systems/").content.decode()
    assert "No systems yet" in html and "Import a CSV or XLSX file" in html


def test_only_sort_and_page_links_are_boosted(world, manager):
    """Row links must open detail pages normally, not be swapped into the results area."""
    html = client_for(manager).get("/inventory/systems/").content.decode()
    assert '<div id="list-results">' in html
    assert "<tbody hx-boost" not in html and "<thead hx-boost" in html


def test_graph_for_a_user_who_sees_every_unit(world, admin_user):
    html = client_for(admin_user).get(fill("/inventory/services/{service}/graph/", world)).content.decode()
    assert "web-1" in html and "not shown" not in html
