import io

import pytest
from django.test import override_settings
from openpyxl import Workbook

from ramparts.core.models import AuditEntry
from ramparts.inventory import services
from ramparts.inventory.importexport.export import inventory_export
from ramparts.inventory.importexport.files import read_table
from ramparts.inventory.models import BusinessService, DataAsset, Dependency, Person, System

SYSTEMS_CSV = (
    "name,kind,business_unit,vendor,product,version,cpe,hostnames,ip_addresses,environment,internet_facing,criticality\n"
    "web-1,server,retail,Apache,httpd,2.4.58,cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*,web-1;web-1.ex,"
    "10.0.0.1,production,yes,high\n"
    "db-1,database,retail,PostgreSQL,postgres,16,,db-1,10.0.0.2,production,no,critical\n"
    "laptop-7,workstation,retail,Dell,Latitude,,,,,development,false,\n"
)


def imp(actor, entity, text, dry_run=False, filename="x.csv"):
    data = text.encode() if isinstance(text, str) else text
    return services.inventory_import_file(actor=actor, entity=entity, data=data, filename=filename, dry_run=dry_run)


def test_import_creates_then_reimport_changes_nothing(manager):
    report = imp(manager, "systems", SYSTEMS_CSV)
    assert report.as_dict() == {"created": 3, "updated": 0, "unchanged": 0, "dry_run": False, "errors": []}
    web = System.objects.get(name="web-1")
    assert web.hostname_list == ["web-1", "web-1.ex"] and web.internet_facing and web.own_criticality == 3
    assert web.criticality == 3 and web.criticality_reasons == ["high: set on the system"]
    audit_count = AuditEntry.objects.count()
    again = imp(manager, "systems", SYSTEMS_CSV)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.count() == audit_count


def test_import_updates_by_name_and_audits_the_diff(manager):
    imp(manager, "systems", SYSTEMS_CSV)
    report = imp(manager, "systems", "name,environment\nweb-1,staging\ndb-1,production\n")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    web = System.objects.get(name="web-1")
    assert web.environment == "staging" and web.vendor == "Apache"
    entry = AuditEntry.objects.filter(object_id=str(web.pk)).order_by("-seq").first()
    assert entry.action == "update" and entry.changes == {"environment": ["production", "staging"]}


def test_every_bad_row_is_reported_and_nothing_is_stored(manager, unit_b):
    text = (
        "name,kind,business_unit,cpe,ip_addresses,internet_facing,owner\n"
        "ok-1,server,retail,,,no,\n"
        "bad-1,toaster,retail,,,no,\n"
        "bad-2,server,wealth,cpe:2.3:a:x,,no,\n"
        "bad-3,server,retail,,300.1.1.1,maybe,E404\n"
        "ok-1,server,retail,,,no,\n"
        ",server,retail,,,no,\n"
    )
    report = imp(manager, "systems", text)
    found = {(e.line, e.column) for e in report.errors}
    assert found == {
        (3, "kind"),
        (4, "business_unit"),
        (4, "cpe"),
        (5, "ip_addresses"),
        (5, "internet_facing"),
        (5, "owner"),
        (6, "name"),
        (7, "name"),
    }
    assert report.created == 0
    assert not System.objects.exists()
    assert "duplicate name 'ok-1': also on line 2" in [e.reason for e in report.errors if e.line == 6][0]


def test_dry_run_counts_but_writes_nothing(manager):
    report = imp(manager, "systems", SYSTEMS_CSV, dry_run=True)
    assert report.created == 3 and report.dry_run
    assert not System.objects.exists() and not AuditEntry.objects.exists()


def test_unknown_and_missing_columns(manager):
    report = imp(manager, "systems", "name,colour\nweb,red\n")
    assert [(e.line, e.column) for e in report.errors] == [(1, "colour")]
    report = imp(manager, "systems", "kind\nserver\n")
    assert [(e.line, e.column) for e in report.errors] == [(1, "name")]
    report = imp(manager, "systems", "name,business_unit\nnew-one,retail\n")
    assert [(e.line, e.column) for e in report.errors] == [(2, "kind")]


def test_bom_semicolons_and_header_case(manager):
    text = "\ufeffName;Kind;Business Unit\nweb-1;Server;RETAIL\n"
    report = imp(manager, "systems", text.encode("utf-8"))
    assert report.created == 1, report.errors
    assert System.objects.get().kind == "server"


def test_wrong_encoding_is_a_clear_error(manager):
    report = imp(manager, "systems", "name,kind,business_unit\ncaf\u00e9,server,retail\n".encode("latin-1"))
    assert report.errors and "not UTF-8" in report.errors[0].reason and report.errors[0].line == 2
    report = imp(manager, "systems", "name,kind,business_unit\nweb,server,retail\n".encode("utf-16"))
    assert "UTF-16" in report.errors[0].reason
    assert not System.objects.exists()


def test_malformed_and_oversized_files(manager):
    report = imp(manager, "systems", "name,kind,business_unit\nweb,server,retail,extra\n")
    assert "cells but the header names 3" in report.errors[0].reason
    report = imp(manager, "systems", b"PK\x03\x04garbage", filename="x.xlsx")
    assert "not a readable XLSX" in report.errors[0].reason
    with override_settings(RAMPARTS_MAX_UPLOAD_BYTES=100):
        report = imp(manager, "systems", SYSTEMS_CSV)
    assert "limit" in report.errors[0].reason
    report = imp(manager, "systems", "")
    assert "empty" in report.errors[0].reason


def test_xlsx_import(manager):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "kind", "business_unit", "internet_facing", "criticality"])
    sheet.append(["web-9", "server", "retail", True, "critical"])
    sheet.append([None, None, None, None, None])
    out = io.BytesIO()
    workbook.save(out)
    report = imp(manager, "systems", out.getvalue(), filename="systems.xlsx")
    assert report.created == 1, report.errors
    assert System.objects.get().internet_facing is True


def test_people_with_managers_in_the_same_file(manager):
    text = (
        "employee_id,full_name,business_unit,manager,start_date,end_date\n"
        "E2,Worker,retail,E1,2024-01-01,\n"
        "E1,Boss,retail,,2020-01-01,\n"
        "E3,Bad dates,retail,,2024-01-01,2023-01-01\n"
    )
    report = imp(manager, "people", text)
    assert [(e.line, e.column) for e in report.errors] == [(4, "end_date")]
    report = imp(manager, "people", text.rsplit("E3", 1)[0])
    assert report.created == 2, report.errors
    assert Person.objects.get(employee_id="E2").manager.employee_id == "E1"


def test_services_data_and_dependencies_with_a_cycle(manager):
    imp(manager, "systems", SYSTEMS_CSV)
    report = imp(
        manager,
        "services",
        "name,business_unit,criticality,availability\nPayments,retail,critical,high\nCards,retail,low,\n",
    )
    assert report.created == 2, report.errors
    report = imp(
        manager,
        "data-assets",
        "name,business_unit,classification,confidentiality,systems\nCustomers,retail,restricted,high,db-1;web-1\n",
    )
    assert report.created == 1, report.errors
    assert sorted(DataAsset.objects.get().systems.values_list("name", flat=True)) == ["db-1", "web-1"]
    deps = "service,target_type,target\nPayments,service,Cards\nCards,system,laptop-7\nCards,service,Payments\n"
    report = imp(manager, "dependencies", deps)
    assert [(e.line, e.column) for e in report.errors] == [(4, "target")]
    assert "Cards → Payments → Cards" in report.errors[0].reason
    assert not Dependency.objects.exists()
    report = imp(manager, "dependencies", deps.rsplit("Cards,service", 1)[0])
    assert report.created == 2, report.errors
    laptop = System.objects.get(name="laptop-7")
    assert laptop.criticality == 4 and laptop.availability == 3
    assert laptop.criticality_reasons[0] == "critical: supports Payments (tier 1) via Cards"
    again = imp(manager, "dependencies", deps.rsplit("Cards,service", 1)[0])
    assert (again.created, again.unchanged) == (0, 2)
    assert BusinessService.objects.count() == 2


@pytest.mark.parametrize("entity", ["people", "systems", "data-assets", "services", "dependencies"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reimports_unchanged(manager, entity, fmt):
    imp(manager, "people", "employee_id,full_name,business_unit\nE1,Ada,retail\nE2,=cmd|' /C calc'!A0,retail\n")
    imp(manager, "systems", SYSTEMS_CSV)
    imp(manager, "services", "name,business_unit,owner\nPayments,retail,E1\n")
    imp(manager, "data-assets", "name,business_unit,systems,regulations\nCustomers,retail,db-1,GDPR;PCI DSS\n")
    imp(manager, "dependencies", "service,target_type,target\nPayments,system,web-1\nPayments,data_asset,Customers\n")
    data, _, name = inventory_export(manager, entity_slug=entity, fmt=fmt)
    rows = read_table(data, name)
    assert rows
    report = imp(manager, entity, data, filename=name)
    assert report.errors == [] and report.created == report.updated == 0 and report.unchanged == len(rows)


def test_export_neutralises_formulas(manager):
    imp(manager, "people", 'employee_id,full_name,business_unit,department\nE2,=HYPERLINK("x"),retail,@SUM(1)\n')
    data, _, _ = inventory_export(manager, entity_slug="people", fmt="csv")
    assert "'=HYPERLINK" in data.decode() and "'@SUM(1)" in data.decode()
    json_data, _, _ = inventory_export(manager, entity_slug="people", fmt="json")
    assert '"=HYPERLINK' in json_data.decode()


def test_keys_outside_the_units_are_refused(manager, other_manager):
    imp(other_manager, "systems", "name,kind,business_unit\ntheirs,server,wealth\n")
    report = imp(manager, "systems", "name,kind,business_unit\ntheirs,server,retail\n")
    assert report.errors and "outside your business units" in report.errors[0].reason
    assert System.objects.get().business_unit.code == "wealth"


def test_too_many_rows(manager, monkeypatch):
    from ramparts.inventory.importexport import files

    monkeypatch.setattr(files, "MAX_ROWS", 2)
    report = imp(manager, "systems", SYSTEMS_CSV)
    assert "more than 2 rows" in report.errors[0].reason


def test_json_import(manager):
    data = b'[{"name": "web-1", "kind": "server", "business_unit": "retail", '
    data += b'"hostnames": ["a", "b"], "internet_facing": true}]'
    report = imp(manager, "systems", data, filename="systems.json")
    assert report.created == 1, report.errors
    assert System.objects.get().hostname_list == ["a", "b"]
    assert "array of objects" in imp(manager, "systems", b'{"name": 1}', filename="x.json").errors[0].reason


def test_an_account_links_to_one_person(manager):
    text = "employee_id,full_name,business_unit,user\nE1,A,retail,manager\nE2,B,retail,manager\n"
    report = imp(manager, "people", text)
    assert [(e.line, e.column) for e in report.errors] == [(3, "user")]
    assert imp(manager, "people", "employee_id,full_name,business_unit,user\nE1,A,retail,manager\n").created == 1
    report = imp(manager, "people", "employee_id,full_name,business_unit,user\nE2,B,retail,manager\n")
    assert "already linked to E1" in report.errors[0].reason
