"""List pages, list endpoints, the overview and the assessment page cost the same number of
queries whatever the number of controls, requirements, evidence or assessments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ramparts.compliance import services
from ramparts.inventory import services as inventory
from tests.compliance.conftest import make_framework


def grow(actor, unit, n: int, start: int) -> None:
    framework = make_framework(
        f"fw-{start}",
        f"Framework {start}",
        "1",
        {f"G{start}": [(f"R{start}-{i}", f"Requirement {i}") for i in range(n)]},
    )
    tool = inventory.system_create(actor=actor, business_unit=unit, name=f"tool-{start}", kind="security_tool")
    owner = inventory.person_create(actor=actor, business_unit=unit, employee_id=f"E{start}", full_name=f"P {start}")
    for i in range(n):
        control = services.control_create(
            actor=actor,
            business_unit=unit,
            name=f"C{start}-{i}",
            status="implemented",
            owner=owner.ref,
            technologies=[tool.ref],
            requirements=[f"{framework.slug}:R{start}-{i}", "csf-mini:GV.OC-01"],
        )
        services.evidence_add(actor=actor, title=f"E{i}", url="https://e.example", control=control.ref)
    assessment = services.assessment_create(
        actor=actor, business_unit=unit, name=f"A{start}", framework=framework.slug, scope_units=[unit.code]
    )
    services.assessment_result_set(
        actor=actor, ref=assessment.ref, requirement=f"R{start}-0", status="partial", reason="r"
    )
    services.evidence_add(
        actor=actor, title="x", url="https://e.example", assessment=assessment.ref, requirement=f"R{start}-1"
    )
    services.profile_create(actor=actor, business_unit=unit, name=f"P{start}", kind="current", framework="csf-mini")


def count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    return len(ctx.captured_queries)


PATHS = [
    "/compliance/",
    "/compliance/controls/",
    "/compliance/evidence/",
    "/compliance/assessments/",
    "/compliance/profiles/",
    "/compliance/gaps/?framework=csf-mini",
    "/api/v1/compliance/overview",
    "/api/v1/compliance/controls",
    "/api/v1/compliance/evidence",
    "/api/v1/compliance/assessments",
    "/api/v1/compliance/profiles",
]


@pytest.mark.parametrize("path", PATHS)
def test_constant_queries(client, manager, unit_a, catalogs, path):
    client.force_login(manager)
    grow(manager, unit_a, 2, 1)
    count(client, path)  # warm caches (content types, sessions)
    small = count(client, path)
    grow(manager, unit_a, 4, 2)
    assert count(client, path) == small


def test_assessment_page_constant_queries(client, manager, unit_a, catalogs):
    client.force_login(manager)
    grow(manager, unit_a, 2, 1)
    ref = "ASM-1"
    count(client, f"/compliance/assessments/{ref}/")
    small = count(client, f"/compliance/assessments/{ref}/")
    small_api = count(client, f"/api/v1/compliance/assessments/{ref}")
    # More controls, requirements mapped to them and evidence for the same assessment's framework.
    for i in range(3):
        services.control_create(
            actor=manager,
            business_unit=unit_a,
            name=f"more {i}",
            status="in_progress",
            requirements=["fw-1:R1-0", "fw-1:R1-1", "csf-mini:PR.AA-01"],
        )
    grow(manager, unit_a, 4, 2)
    assert count(client, f"/compliance/assessments/{ref}/") == small
    assert count(client, f"/api/v1/compliance/assessments/{ref}") == small_api
