"""Create, edit, delete, bulk edit, dependencies and import through the web pages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ramparts.core.models import AuditEntry
from ramparts.core.roles import Role
from ramparts.inventory import services
from ramparts.inventory.models import Dependency, System


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def system_post(unit, **changes) -> dict:
    data = {"name": "web-9", "kind": "server", "business_unit": unit.code, "environment": "production"}
    data.update({"lifecycle": "in_service", "criticality": "low"})
    data.update(changes)
    return data


def test_create_form_renders_every_column(manager):
    html = client_for(manager).get("/inventory/systems/new/").content.decode()
    for name in ("name", "kind", "business_unit", "cpe", "ip_addresses", "owner", "tags", "internet_facing"):
        assert f'name="{name}"' in html


def test_create_system_through_the_form_is_audited(manager, unit_a):
    data = system_post(unit_a, hostnames="web-9.example.com\nweb-9", internet_facing="on", tags="pci\nedge")
    client = client_for(manager)
    response = client.post("/inventory/systems/new/", data)
    system = System.objects.get(name="web-9")
    assert response.status_code == 302 and response["Location"] == f"/inventory/systems/{system.ref}/"
    assert system.hostname_list == ["web-9.example.com", "web-9"] and system.internet_facing
    assert system.tag_list == ["pci", "edge"]
    entry = AuditEntry.objects.get(object_type="inventory.system", object_id=str(system.pk))
    assert entry.action == "create" and entry.channel == "ui" and entry.actor_label == manager.username
    page = client.get(response["Location"]).content.decode()
    assert f"System {system.ref} created" in page and "web-9.example.com" in page


def test_service_problems_come_back_on_their_fields(manager, unit_a):
    data = system_post(unit_a, cpe="cpe:2.3:a:bad", ip_addresses="10.0.0.300")
    response = client_for(manager).post("/inventory/systems/new/", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "cpe" in form.errors and "ip_addresses" in form.errors
    assert "10.0.0.300" in form.errors["ip_addresses"][0]
    assert "Nothing was saved" in response.content.decode()
    assert not System.objects.exists()


def test_duplicate_name_is_a_field_error(manager, unit_a, make_system):
    make_system(name="web-9")
    response = client_for(manager).post("/inventory/systems/new/", system_post(unit_a))
    assert response.status_code == 400 and "name" in response.context["form"].errors


def test_unit_outside_the_users_units_is_refused(manager, unit_a, unit_b):
    response = client_for(manager).post("/inventory/systems/new/", system_post(unit_b))
    assert response.status_code == 400 and "business_unit" in response.context["form"].errors
    assert not System.objects.exists()


def test_edit_form_is_prefilled_and_records_a_diff(manager, make_system):
    system = make_system(name="web-1", hostnames="a.example.com; b.example.com", tags="pci")
    client = client_for(manager)
    form = client.get(f"/inventory/systems/{system.ref}/edit/").context["form"]
    assert form.initial["hostnames"] == "a.example.com\nb.example.com"
    data = {k: v for k, v in form.initial.items() if v not in (False, None)}
    data["environment"] = "staging"
    response = client.post(f"/inventory/systems/{system.ref}/edit/", data)
    assert response.status_code == 302
    system.refresh_from_db()
    assert system.environment == "staging" and system.hostname_list == ["a.example.com", "b.example.com"]
    update = AuditEntry.objects.filter(object_type="inventory.system", action="update").get()
    assert update.changes == {"environment": ["production", "staging"]}


def test_analyst_may_edit_but_not_delete(make_user, unit_a, make_system):
    system = make_system()
    client = client_for(make_user(Role.ANALYST, units=[unit_a]))
    assert client.get(f"/inventory/systems/{system.ref}/edit/").status_code == 200
    assert client.post(f"/inventory/systems/{system.ref}/delete/").status_code == 403
    assert System.objects.filter(pk=system.pk).exists()


def test_auditor_may_not_open_forms(make_user, unit_a, make_system):
    system = make_system()
    client = client_for(make_user(Role.AUDITOR, units=[unit_a]))
    assert client.get("/inventory/systems/new/").status_code == 403
    assert client.get(f"/inventory/systems/{system.ref}/edit/").status_code == 403


def test_edit_in_another_unit_is_404(other_manager, make_system):
    system = make_system()
    client = client_for(other_manager)
    assert client.get(f"/inventory/systems/{system.ref}/edit/").status_code == 404
    assert client.post(f"/inventory/systems/{system.ref}/edit/", {"name": "pwned"}).status_code == 404
    assert client.post(f"/inventory/systems/{system.ref}/delete/").status_code == 404


def test_delete_removes_and_audits(manager, make_system):
    system = make_system()
    response = client_for(manager).post(f"/inventory/systems/{system.ref}/delete/")
    assert response.status_code == 302 and response["Location"] == "/inventory/systems/"
    assert not System.objects.exists()
    assert AuditEntry.objects.filter(object_type="inventory.system", action="delete").count() == 1


@pytest.mark.parametrize(
    ("path", "data", "model_check"),
    [
        (
            "/inventory/people/new/",
            {"employee_id": "E7", "full_name": "Alan Turing", "kind": "employee", "status": "active"},
            lambda: __import__("ramparts.inventory.models").inventory.models.Person.objects.get(employee_id="E7"),
        ),
        (
            "/inventory/data-assets/new/",
            {"name": "HR files", "classification": "confidential", "confidentiality": "high"},
            lambda: __import__("ramparts.inventory.models").inventory.models.DataAsset.objects.get(name="HR files"),
        ),
        (
            "/inventory/services/new/",
            {"name": "Payroll", "criticality": "high", "rto_hours": "24"},
            lambda: __import__("ramparts.inventory.models").inventory.models.BusinessService.objects.get(
                name="Payroll"
            ),
        ),
    ],
)
def test_create_every_entity(path, data, model_check, manager, unit_a):
    base = {"integrity": "low", "availability": "low", "confidentiality": "low"}
    response = client_for(manager).post(path, {**base, **data, "business_unit": unit_a.code})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    obj = model_check()
    assert AuditEntry.objects.filter(object_id=str(obj.pk), action="create").exists()


# --- bulk edit ----------------------------------------------------------------------------------


def test_bulk_edit_sets_values_on_the_selected_rows(manager, make_system):
    a, b, c = make_system(name="a"), make_system(name="b"), make_system(name="c")
    response = client_for(manager).post(
        "/inventory/systems/bulk/",
        {"refs": [a.ref, b.ref], "environment": "staging", "lifecycle": "retired", "next": "/inventory/systems/?q=x"},
    )
    assert response.status_code == 302 and response["Location"] == "/inventory/systems/?q=x"
    assert set(System.objects.filter(environment="staging").values_list("name", flat=True)) == {"a", "b"}
    c.refresh_from_db()
    assert c.environment == "production"
    assert AuditEntry.objects.filter(action="update", object_type="inventory.system").count() == 2


def test_bulk_tags_are_added_and_removed(manager, make_system):
    a, b = make_system(name="a", tags="pci; old"), make_system(name="b")
    client_for(manager).post(
        "/inventory/systems/bulk/", {"refs": [a.ref, b.ref], "add_tag": "edge", "remove_tag": "old"}
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.tag_list == ["pci", "edge"] and b.tag_list == ["edge"]


def test_bulk_edit_with_a_bad_value_changes_nothing(manager, make_system):
    a = make_system(name="a")
    response = client_for(manager).post("/inventory/systems/bulk/", {"refs": [a.ref], "owner": "NOBODY"}, follow=True)
    assert "Nothing was changed" in response.content.decode()
    a.refresh_from_db()
    assert a.owner is None


def test_bulk_edit_refuses_an_open_redirect(manager, make_system):
    a = make_system(name="a")
    response = client_for(manager).post(
        "/inventory/systems/bulk/", {"refs": [a.ref], "environment": "test", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/inventory/systems/"


def test_bulk_edit_needs_inventory_change(make_user, unit_a, make_system):
    a = make_system(name="a")
    client = client_for(make_user(Role.AUDITOR, units=[unit_a]))
    assert client.post("/inventory/systems/bulk/", {"refs": [a.ref], "environment": "test"}).status_code == 403


# --- dependencies -------------------------------------------------------------------------------


@pytest.fixture
def payments(manager, unit_a):
    return services.service_create(actor=manager, business_unit=unit_a, name="Payments", criticality="critical")


def test_add_and_remove_a_dependency_with_htmx(manager, payments, make_system):
    web = make_system(name="web-1")
    client = client_for(manager)
    response = client.post(
        f"/inventory/services/{payments.ref}/dependencies/add/",
        {"target_type": "system", "target": "web-1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'id="dependencies"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert Dependency.objects.filter(service=payments, system=web).exists()
    web.refresh_from_db()
    assert web.criticality == 4
    client.post(f"/inventory/services/{payments.ref}/dependencies/remove/", {"target": web.ref}, HTTP_HX_REQUEST="true")
    assert not Dependency.objects.exists()


def test_a_cycle_is_refused_with_a_clear_message(manager, unit_a, payments):
    core = services.service_create(actor=manager, business_unit=unit_a, name="Core", criticality="high")
    services.dependency_add(actor=manager, service=payments.ref, target=core.ref)
    response = client_for(manager).post(
        f"/inventory/services/{core.ref}/dependencies/add/",
        {"target_type": "service", "target": payments.ref},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "cycle" in html.lower() and "Payments" in html
    assert Dependency.objects.count() == 1


def test_unknown_dependency_target_is_explained(manager, payments):
    response = client_for(manager).post(
        f"/inventory/services/{payments.ref}/dependencies/add/",
        {"target_type": "system", "target": "nope"},
        follow=True,
    )
    assert "No system with that name or reference" in response.content.decode()


# --- import -------------------------------------------------------------------------------------


def upload(text: str, name: str = "systems.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_import_page_lists_every_error_and_imports_nothing(manager, unit_a):
    bad = (
        "name,kind,business_unit,ip_addresses\n"
        f"ok-1,server,{unit_a.code},10.0.0.1\n"
        f"bad-1,toaster,{unit_a.code},10.0.0.2\n"
        f"bad-2,server,{unit_a.code},10.0.0.999\n"
    )
    response = client_for(manager).post("/inventory/systems/import/", {"file": upload(bad)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "toaster" in html and "10.0.0.999" in html
    assert '<td class="num">3</td>' in html and '<td class="num">4</td>' in html
    assert not System.objects.exists()


def test_import_dry_run_then_real_then_again(manager, unit_a):
    good = f"name,kind,business_unit\nweb-1,server,{unit_a.code}\nweb-2,server,{unit_a.code}\n"
    client = client_for(manager)
    dry = client.post("/inventory/systems/import/", {"file": upload(good), "dry_run": "1"})
    assert dry.context["report"].created == 2 and "nothing was saved" in dry.content.decode()
    assert not System.objects.exists()
    real = client.post("/inventory/systems/import/", {"file": upload(good)})
    assert real.context["report"].created == 2 and System.objects.count() == 2
    again = client.post("/inventory/systems/import/", {"file": upload(good)})
    assert again.context["report"].unchanged == 2 and again.context["report"].created == 0


def test_import_xlsx(manager, unit_a):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["name", "kind", "business_unit"])
    sheet.append(["web-1", "server", unit_a.code])
    out = io.BytesIO()
    book.save(out)
    file = SimpleUploadedFile("s.xlsx", out.getvalue())
    response = client_for(manager).post("/inventory/systems/import/", {"file": file})
    assert response.context["report"].created == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,kind\n\xff\xfe,server\n", "not UTF-8"),
        (b"", "empty"),
        (b"PK\x03\x04 not really a workbook", "XLSX"),
    ],
)
def test_bad_files_are_explained(manager, content, message):
    file = SimpleUploadedFile("s.csv", content)
    response = client_for(manager).post("/inventory/systems/import/", {"file": file})
    assert message in response.content.decode()
    assert not System.objects.exists()


def test_oversized_upload_is_refused(manager, settings):
    settings.RAMPARTS_MAX_UPLOAD_BYTES = 10
    response = client_for(manager).post("/inventory/systems/import/", {"file": upload("name,kind\n" + "x" * 50)})
    # refused by the upload middleware (413) or, without it, by the import page's own check
    assert response.status_code in (400, 413) and "the limit is" in response.content.decode()
    assert not System.objects.exists()


def test_import_needs_inventory_import(make_user, unit_a):
    client = client_for(make_user(Role.AUDITOR, units=[unit_a]))
    assert client.get("/inventory/systems/import/").status_code == 403


def test_unknown_entity_is_404(manager):
    assert client_for(manager).get("/inventory/widgets/import/").status_code == 404
    assert client_for(manager).get("/inventory/systems/export.pdf").status_code == 404


# --- export -------------------------------------------------------------------------------------


def test_exports_follow_the_filters(manager, make_system):
    make_system(name="web-1", kind="server")
    make_system(name="=cmd|calc", kind="database")
    client = client_for(manager)
    csv_text = client.get("/inventory/systems/export.csv?kind=server").content.decode()
    assert csv_text.splitlines()[0].startswith("ref,name,kind")
    assert "web-1" in csv_text and "calc" not in csv_text
    neutral = client.get("/inventory/systems/export.csv?kind=database").content.decode()
    assert "'=cmd|calc" in neutral
    data = client.get("/inventory/systems/export.json").content
    import json

    assert {row["name"] for row in json.loads(data)} == {"web-1", "=cmd|calc"}
    xlsx = client.get("/inventory/systems/export.xlsx")
    assert xlsx.content[:2] == b"PK" and "attachment" in xlsx["Content-Disposition"]


def test_export_needs_inventory_export(make_user, unit_a):
    client = client_for(make_user(Role.EXECUTIVE, units=[unit_a]))
    assert client.get("/inventory/systems/export.csv").status_code == 403


def test_dependencies_import_and_export(manager, unit_a, payments, make_system):
    make_system(name="web-1")
    client = client_for(manager)
    assert "Import dependencies" in client.get("/inventory/services/").content.decode()
    good = upload("service,target_type,target\nPayments,system,web-1\n", "deps.csv")
    response = client.post("/inventory/dependencies/import/", {"file": good})
    assert response.status_code == 200 and response.context["report"].created == 1
    assert Dependency.objects.filter(service=payments, system__name="web-1").exists()
    bad = upload("service,target_type,target\nPayments,system,nope\n", "deps.csv")
    response = client.post("/inventory/dependencies/import/", {"file": bad})
    assert response.status_code == 400 and "nope" in response.content.decode()
    assert "Payments,system,web-1" in client.get("/inventory/dependencies/export.csv").content.decode()
    assert client.post("/inventory/dependencies/bulk/", {"refs": ["SVC-1"]}).status_code == 404
