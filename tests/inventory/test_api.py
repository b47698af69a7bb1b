import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ramparts.core.roles import Role
from ramparts.core.tokens import api_token_create
from ramparts.inventory import services
from ramparts.inventory.models import System

BASE = "/api/v1/inventory"


def client_for(user, scopes=("read", "write")) -> Client:
    issued = api_token_create(actor=user, name="t", scopes=list(scopes), expires_in_days=1)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


@pytest.fixture
def api(manager):
    return client_for(manager)


def test_system_crud(api, manager):
    body = {
        "name": "web-1",
        "kind": "server",
        "business_unit": "retail",
        "hostnames": ["web-1", "web-1.ex"],
        "internet_facing": True,
        "criticality": "high",
    }
    r = api.post(f"{BASE}/systems", body, content_type="application/json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["ref"] == "SYS-1" and data["hostnames"] == ["web-1", "web-1.ex"]
    assert data["criticality"] == "high" and data["effective_criticality"] == "high"
    r = api.patch(f"{BASE}/systems/SYS-1", {"environment": "staging", "owner": None}, content_type="application/json")
    assert r.status_code == 200 and r.json()["environment"] == "staging"
    assert api.get(f"{BASE}/systems/SYS-1").json()["name"] == "web-1"
    r = api.patch(f"{BASE}/systems/SYS-1", {"kind": "toaster"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["problems"][0]["column"] == "kind"
    assert api.delete(f"{BASE}/systems/SYS-1").status_code == 204
    assert api.get(f"{BASE}/systems/SYS-1").status_code == 404


def test_people_data_assets_services_and_dependencies(api):
    assert (
        api.post(
            f"{BASE}/people",
            {"employee_id": "E1", "full_name": "Ada", "business_unit": "retail"},
            content_type="application/json",
        ).status_code
        == 201
    )
    api.post(
        f"{BASE}/systems",
        {"name": "db", "kind": "database", "business_unit": "retail", "owner": "E1"},
        content_type="application/json",
    )
    r = api.post(
        f"{BASE}/data-assets",
        {
            "name": "Customers",
            "business_unit": "retail",
            "systems": ["db"],
            "confidentiality": "high",
            "classification": "restricted",
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["systems"] == ["db"]
    for name, crit in (("Payments", "critical"), ("Cards", "low")):
        r = api.post(
            f"{BASE}/services",
            {"name": name, "business_unit": "retail", "criticality": crit},
            content_type="application/json",
        )
        assert r.status_code == 201
    assert (
        api.post(
            f"{BASE}/services/SVC-1/dependencies", {"target": "SVC-2"}, content_type="application/json"
        ).status_code
        == 201
    )
    assert (
        api.post(
            f"{BASE}/services/SVC-2/dependencies", {"target": "DATA-1"}, content_type="application/json"
        ).status_code
        == 201
    )
    r = api.post(f"{BASE}/services/SVC-2/dependencies", {"target": "SVC-1"}, content_type="application/json")
    assert r.status_code == 400 and "Cards → Payments → Cards" in r.json()["detail"]
    system = api.get(f"{BASE}/systems/SYS-1").json()
    assert system["effective_criticality"] == "critical"
    assert system["criticality_reasons"][0] == "critical: supports Payments (tier 1) via Cards through Customers"
    graph = api.get(f"{BASE}/services/SVC-1/graph").json()
    assert {n["id"] for n in graph["nodes"]} == {"SVC-1", "SVC-2", "DATA-1", "SYS-1"}
    assert {"source": "DATA-1", "target": "SYS-1"} in graph["edges"]
    deps = api.get(f"{BASE}/services/SVC-2/dependencies").json()
    assert deps == [{"service": "SVC-2", "target": "DATA-1", "target_type": "data_asset", "target_name": "Customers"}]
    assert api.delete(f"{BASE}/services/SVC-1/dependencies/SVC-2").status_code == 204
    assert api.get(f"{BASE}/people/PER-1").json()["full_name"] == "Ada"


def test_filters_sorting_and_pagination(api, manager, unit_a):
    for i in range(12):
        services.system_create(
            actor=manager,
            business_unit=unit_a,
            name=f"s{i:02}",
            kind="server" if i % 2 else "saas",
            tags=["pci"] if i % 3 == 0 else [],
            internet_facing=i < 4,
        )
    r = api.get(f"{BASE}/systems", {"kind": "saas", "page_size": 4, "sort": "-name"}).json()
    assert r["count"] == 6 and len(r["items"]) == 4 and r["items"][0]["name"] == "s10"
    assert api.get(f"{BASE}/systems", {"tag": "pci"}).json()["count"] == 4
    assert api.get(f"{BASE}/systems", {"internet_facing": "true"}).json()["count"] == 4
    assert api.get(f"{BASE}/systems", {"q": "s1"}).json()["count"] == 2
    assert api.get(f"{BASE}/systems", {"page": 2, "page_size": 10}).json()["items"][1]["name"] == "s11"


def test_bulk_update(api, manager, unit_a):
    for i in range(3):
        services.system_create(actor=manager, business_unit=unit_a, name=f"s{i}", kind="server")
    r = api.post(
        f"{BASE}/systems/bulk-update",
        {"refs": ["SYS-1", "SYS-2"], "fields": {"lifecycle": "retired"}},
        content_type="application/json",
    )
    assert r.json() == {"changed": 2}
    assert System.objects.filter(lifecycle="retired").count() == 2


def test_other_units_are_404_and_roles_403(manager, other_manager, make_user, unit_a, unit_b):
    services.system_create(actor=other_manager, business_unit=unit_b, name="theirs", kind="server")
    api = client_for(manager)
    assert api.get(f"{BASE}/systems/SYS-1").status_code == 404
    assert api.get(f"{BASE}/systems").json()["count"] == 0
    assert api.patch(f"{BASE}/systems/SYS-1", {"vendor": "x"}, content_type="application/json").status_code == 404
    assert api.delete(f"{BASE}/systems/SYS-1").status_code == 404
    r = api.post(
        f"{BASE}/systems", {"name": "x", "kind": "server", "business_unit": "wealth"}, content_type="application/json"
    )
    assert r.status_code == 404
    auditor = client_for(make_user(Role.AUDITOR))
    r = auditor.post(
        f"{BASE}/systems", {"name": "x", "kind": "server", "business_unit": "retail"}, content_type="application/json"
    )
    assert r.status_code == 403
    employee = Client()
    employee.force_login(make_user(Role.EMPLOYEE))
    assert employee.get(f"{BASE}/systems").status_code == 403
    read_only = client_for(manager, scopes=("read",))
    r = read_only.post(
        f"{BASE}/systems", {"name": "x", "kind": "server", "business_unit": "retail"}, content_type="application/json"
    )
    assert r.status_code == 403
    assert Client().get(f"{BASE}/systems").status_code == 401


def test_import_and_export_endpoints(api, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("s.csv", b"name,kind,business_unit\nweb,toaster,retail\n", "text/csv")
    r = api.post(f"{BASE}/import/systems", {"file": bad})
    assert r.status_code == 400
    assert r.json()["errors"] == [{"line": 2, "column": "kind", "reason": r.json()["errors"][0]["reason"]}]
    good = SimpleUploadedFile("s.csv", b"name,kind,business_unit\nweb,server,retail\n", "text/csv")
    r = api.post(f"{BASE}/import/systems?dry_run=true", {"file": good})
    assert r.status_code == 200 and r.json()["created"] == 1 and not System.objects.exists()
    good.seek(0)
    assert api.post(f"{BASE}/import/systems", {"file": good}).json()["created"] == 1
    r = api.get(f"{BASE}/export/systems", {"format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert b"web,server,retail" in r.content
    assert api.get(f"{BASE}/export/systems", {"format": "json"}).json()[0]["name"] == "web"
    assert api.get(f"{BASE}/export/nonsense").status_code == 404
    assert api.get(f"{BASE}/export/systems", {"format": "pdf"}).status_code == 400


def _seed(manager, unit, n):
    person = services.person_create(actor=manager, business_unit=unit, employee_id=f"E{n}", full_name="Owner")
    rows = [
        {"name": f"sys-{n}-{i}", "kind": "server", "business_unit": unit.code, "owner": person.employee_id}
        for i in range(n)
    ]
    services.systems_import(actor=manager, rows=rows)
    services.people_import(
        actor=manager,
        rows=[
            {"employee_id": f"P{n}-{i}", "full_name": "x", "business_unit": unit.code, "manager": person.employee_id}
            for i in range(n)
        ],
    )
    services.data_assets_import(
        actor=manager,
        rows=[
            {"name": f"d{n}-{i}", "business_unit": unit.code, "systems": f"sys-{n}-{i}", "owner": person.employee_id}
            for i in range(n)
        ],
    )
    services.services_import(
        actor=manager,
        rows=[{"name": f"svc{n}-{i}", "business_unit": unit.code, "owner": person.employee_id} for i in range(n)],
    )


@pytest.mark.parametrize("path", ["systems", "people", "data-assets", "services"])
def test_list_endpoints_run_a_constant_number_of_queries(manager, unit_a, path):
    api = client_for(manager)
    api.get(f"{BASE}/{path}")  # warm-up: token lookup caching, content types
    counts = []
    for n in (3, 30):
        _seed(manager, unit_a, n)
        with CaptureQueriesContext(connection) as ctx:
            r = api.get(f"{BASE}/{path}", {"page_size": 100})
        assert r.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts


def test_openapi_lists_the_inventory_endpoints(admin_user):
    client = Client()
    client.force_login(admin_user)
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in ("systems", "people", "data-assets", "services"):
        assert f"{BASE}/{path}" in paths and f"{BASE}/{path}/{{ref}}" in paths
    assert f"{BASE}/import/{{entity}}" in paths and f"{BASE}/services/{{ref}}/graph" in paths


def test_export_takes_the_list_filters(api, manager, unit_a):
    for name, kind in (("a", "server"), ("b", "saas")):
        services.system_create(actor=manager, business_unit=unit_a, name=name, kind=kind)
    rows = api.get(f"{BASE}/export/systems", {"format": "json", "kind": "saas"}).json()
    assert [r["name"] for r in rows] == ["b"]
