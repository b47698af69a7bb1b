"""The compliance pages and API end to end on a small pair of frameworks with a crosswalk."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from ramparts.compliance import services
from ramparts.compliance.models import Control
from ramparts.core.roles import Role
from ramparts.inventory import services as inventory


@pytest.fixture
def setup(manager, unit_a, catalogs):
    tool = inventory.system_create(actor=manager, business_unit=unit_a, name="CrowdStrike", kind="security_tool")
    control = services.control_create(
        actor=manager,
        business_unit=unit_a,
        name="MFA for everyone",
        status="implemented",
        technologies=[tool.ref],
        requirements=["csf-mini:PR.AA-01"],
    )
    assessment = services.assessment_create(
        actor=manager, business_unit=unit_a, name="ISO 2026", framework="iso-mini", reviewer=manager.username
    )
    return control, assessment, tool


def test_overview_shows_framework_coverage(client, manager, setup):
    client.force_login(manager)
    page = client.get("/compliance/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "CSF mini" in text and "ISO mini" in text
    assert "33.3%" in text  # 1 of 3 CSF requirements
    assert "50.0%" in text  # A.5.15 equal PR.AA-01: 1 of 2


def test_control_create_edit_map_delete_through_the_pages(client, manager, unit_a, catalogs):
    client.force_login(manager)
    assert client.get("/compliance/controls/new/").status_code == 200
    response = client.post(
        "/compliance/controls/new/",
        {
            "name": "Backups",
            "business_unit": unit_a.code,
            "control_type": "corrective",
            "automation": "automated",
            "frequency": "daily",
            "status": "in_progress",
            "effectiveness": "0",
        },
    )
    assert response.status_code == 302, response.content[:500]
    control = Control.objects.get(name="Backups")
    response = client.post(
        f"/compliance/controls/{control.ref}/map/", {"framework": "csf-mini", "identifiers": "GV.OC-01, GV.RM-01"}
    )
    assert response.status_code == 302
    assert control.mappings.count() == 2
    page = client.get(f"/compliance/controls/{control.ref}/")
    assert "GV.RM-01" in page.content.decode()
    bad = client.post("/compliance/controls/new/", {"name": "", "business_unit": unit_a.code})
    assert bad.status_code == 400
    response = client.post(
        f"/compliance/controls/{control.ref}/edit/",
        {
            "name": "Backups v2",
            "business_unit": unit_a.code,
            "control_type": "corrective",
            "automation": "automated",
            "frequency": "daily",
            "status": "implemented",
            "effectiveness": "4",
        },
    )
    assert response.status_code == 302
    control.refresh_from_db()
    assert control.name == "Backups v2" and control.status == "implemented"
    assert client.post(f"/compliance/controls/{control.ref}/delete/").status_code == 302
    assert not Control.objects.filter(pk=control.pk).exists()


def test_assessment_page_override_signoff(client, manager, setup):
    control, assessment, _ = setup
    client.force_login(manager)
    page = client.get(f"/compliance/assessments/{assessment.ref}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "csf-mini:PR.AA-01 (equal)" in text
    response = client.post(
        f"/compliance/assessments/{assessment.ref}/results/A.5.1/", {"status": "not_applicable", "reason": ""}
    )
    assert response.status_code == 302
    assert assessment.results.get(requirement__identifier="A.5.1").override == ""  # justification required
    client.post(
        f"/compliance/assessments/{assessment.ref}/results/A.5.1/",
        {"status": "not_applicable", "reason": "No policies in scope"},
    )
    assert assessment.results.get(requirement__identifier="A.5.1").override == "not_applicable"
    api = client.get(f"/api/v1/compliance/assessments/{assessment.ref}").json()
    assert api["coverage"]["percent"] == 100.0
    assert client.post(f"/compliance/assessments/{assessment.ref}/signoff/", {"note": "ok"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == "signed_off"
    # Frozen: a control change no longer moves the signed-off statuses.
    services.control_update(actor=manager, ref=control.ref, status="planned")
    api = client.get(f"/api/v1/compliance/assessments/{assessment.ref}").json()
    assert {r["identifier"]: r["status"] for r in api["requirements"]} == {
        "A.5.1": "not_applicable",
        "A.5.15": "implemented",
    }


def test_only_the_named_reviewer_signs_off(client, make_user, manager, setup):
    _, assessment, _ = setup
    other = make_user(Role.SECURITY_MANAGER)
    client.force_login(other)
    response = client.post(
        f"/api/v1/compliance/assessments/{assessment.ref}/signoff", {}, content_type="application/json"
    )
    assert response.status_code == 403


def test_exports(client, manager, setup):
    _, assessment, _ = setup
    client.force_login(manager)
    services.assessment_result_set(
        actor=manager, ref=assessment.ref, requirement="A.5.1", status="partial", reason='=HYPERLINK("x")'
    )
    response = client.get(f"/compliance/assessments/{assessment.ref}/export.csv")
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "identifier"
    reason = {r[0]: r[7] for r in rows[1:]}["A.5.1"]
    assert reason.startswith("'=")
    book = load_workbook(io.BytesIO(client.get(f"/compliance/assessments/{assessment.ref}/export.xlsx").content))
    cells = [c.value for row in book["Assessment"].iter_rows() for c in row]
    assert '\'=HYPERLINK("x")' in cells
    pdf = client.get(f"/compliance/assessments/{assessment.ref}/export.pdf")
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    oscal = json.loads(client.get(f"/compliance/assessments/{assessment.ref}/export.oscal").content)
    ar = oscal["assessment-results"]
    assert ar["metadata"]["oscal-version"] == "1.1.2"
    assert ar["import-ap"]["href"].startswith("#")
    finding = {f["target"]["target-id"]: f for f in ar["results"][0]["findings"]}
    assert finding["a.5.15"]["target"]["status"]["state"] == "satisfied"
    assert finding["a.5.1"]["target"]["status"]["state"] == "not-satisfied"
    assert client.get(f"/compliance/assessments/{assessment.ref}/export.exe").status_code == 400


def test_ssp_of_a_system(client, manager, setup):
    _, _, tool = setup
    client.force_login(manager)
    response = client.get(f"/compliance/systems/{tool.ref}/ssp.json?framework=csf-mini")
    assert response.status_code == 200
    ssp = json.loads(response.content)["system-security-plan"]
    assert ssp["system-characteristics"]["system-name"] == "CrowdStrike"
    implemented = ssp["control-implementation"]["implemented-requirements"]
    assert [r["control-id"] for r in implemented] == ["pr.aa-01"]
    assert implemented[0]["by-components"][0]["implementation-status"]["state"] == "implemented"
    assert client.get(f"/compliance/systems/{tool.ref}/ssp.json?framework=iso-mini").status_code == 200  # via crosswalk


def test_gaps_page(client, manager, setup, unit_a):
    services.control_create(actor=manager, business_unit=unit_a, name="Orphan")
    client.force_login(manager)
    text = client.get("/compliance/gaps/?framework=csf-mini").content.decode()
    assert "Orphan" in text and "GV.RM-01" in text
    api = client.get("/api/v1/compliance/gaps?framework=csf-mini").json()
    assert api["requirements_without_control"] == ["GV.OC-01", "GV.RM-01"]
    assert len(api["controls_without_tool_or_owner"]) == 1


def test_migration_to_a_new_version(client, manager, setup, unit_a):
    from tests.compliance.conftest import make_framework

    control, assessment, _ = setup
    make_framework("iso-mini-2025", "ISO mini", "2025", {"A.5": [("A.5.15", "Access control"), ("A.5.99", "New")]})
    services.control_map(actor=manager, ref=control.ref, add=["iso-mini:A.5.15"])
    services.assessment_result_set(
        actor=manager, ref=assessment.ref, requirement="A.5.15", status="partial", reason="spot check"
    )
    services.evidence_add(
        actor=manager,
        title="Screenshot",
        file=b"png",
        file_name="s.png",
        assessment=assessment.ref,
        requirement="A.5.15",
    )
    client.force_login(manager)
    response = client.post(
        f"/compliance/assessments/{assessment.ref}/migrate/", {"framework": "iso-mini-2025", "carry_mappings": "on"}
    )
    assert response.status_code == 302
    new = assessment.migrations.get()
    report = new.migration_report
    assert report["added"] == ["A.5.99"] and report["removed"] == ["A.5.1"]
    result = new.results.get(requirement__identifier="A.5.15")
    assert result.override == "partial" and result.reason == "spot check"
    assert result.evidence.count() == 1
    assert control.mappings.filter(requirement__framework__slug="iso-mini-2025").count() == 1
    assert "A.5.99" in client.get(f"/compliance/assessments/{new.ref}/").content.decode()


def test_profiles_and_gap_analysis(client, manager, unit_a, catalogs):
    client.force_login(manager)
    current = client.post(
        "/api/v1/compliance/profiles",
        {"name": "Now", "business_unit": unit_a.code, "kind": "current", "framework": "csf-mini"},
        content_type="application/json",
    ).json()
    target = client.post(
        "/api/v1/compliance/profiles",
        {
            "name": "2027",
            "business_unit": unit_a.code,
            "kind": "target",
            "tier": 3,
            "framework": "csf-mini",
            "current": current["ref"],
        },
        content_type="application/json",
    ).json()
    client.put(
        f"/api/v1/compliance/profiles/{current['ref']}/outcomes",
        {"outcomes": {"GV.OC-01": 2, "PR.AA-01": 3}},
        content_type="application/json",
    )
    detail = client.put(
        f"/api/v1/compliance/profiles/{target['ref']}/outcomes",
        {"outcomes": {"GV.OC-01": 4, "PR.AA-01": 3, "GV.RM-01": 2}, "priorities": {"GV.RM-01": "high"}},
        content_type="application/json",
    ).json()
    assert detail["coverage"]["percent"] == 50.0  # (0.5 + 1 + 0) / 3
    assert [g["identifier"] for g in detail["gaps"]] == ["GV.RM-01", "GV.OC-01"]
    groups = {g["key"]: g["percent"] for g in detail["groups"]}
    assert groups["GV"] == 25.0 and groups["PR"] == 100.0
    page = client.get(f"/compliance/profiles/{target['ref']}/")
    assert page.status_code == 200 and "GV.RM-01" in page.content.decode()
    assert client.get(f"/compliance/profiles/{target['ref']}/?edit=1").status_code == 200
    response = client.post(f"/compliance/profiles/{current['ref']}/outcomes/", {"tier:GV.RM-01": "2"})
    assert response.status_code == 302
    bad = client.put(
        f"/api/v1/compliance/profiles/{current['ref']}/outcomes",
        {"outcomes": {"GV.RM-01": 9}},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_list_pages_render(client, manager, setup):
    client.force_login(manager)
    for path in (
        "/compliance/controls/",
        "/compliance/assessments/",
        "/compliance/evidence/",
        "/compliance/profiles/",
        "/compliance/assessments/new/",
        "/compliance/profiles/new/",
    ):
        assert client.get(path).status_code == 200, path


def test_requirement_page_of_an_assessment(client, manager, setup):
    _, assessment, _ = setup
    client.force_login(manager)
    page = client.get(f"/compliance/assessments/{assessment.ref}/results/A.5.15/")
    text = page.content.decode()
    assert page.status_code == 200 and "csf-mini:PR.AA-01 (equal)" in text and 'id="result-form"' in text
    assert client.get(f"/compliance/assessments/{assessment.ref}/results/NOPE/").status_code == 404


def test_profile_edit_page(client, manager, unit_a, catalogs):
    current = services.profile_create(
        actor=manager, business_unit=unit_a, name="Now", kind="current", framework="csf-mini"
    )
    target = services.profile_create(
        actor=manager, business_unit=unit_a, name="Then", kind="target", framework="csf-mini"
    )
    client.force_login(manager)
    assert client.get(f"/compliance/profiles/{target.ref}/edit/").status_code == 200
    response = client.post(
        f"/compliance/profiles/{target.ref}/edit/", {"name": "2027", "tier": "4", "current": current.ref}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.name, target.tier, target.current) == ("2027", 4, current)
    assert client.post(f"/compliance/profiles/{target.ref}/edit/", {"name": "", "tier": "9"}).status_code == 400
