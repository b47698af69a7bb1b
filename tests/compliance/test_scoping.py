"""Objects of another business unit do not exist for you: 404 on every page and endpoint."""

import pytest

from ramparts.compliance import services
from ramparts.compliance.models import Assessment, Control
from ramparts.core.roles import Role


@pytest.fixture
def world(manager, unit_a, catalogs):
    control = services.control_create(
        actor=manager, business_unit=unit_a, name="Secret", requirements=["csf-mini:GV.OC-01"]
    )
    assessment = services.assessment_create(actor=manager, business_unit=unit_a, name="A", framework="csf-mini")
    profile = services.profile_create(
        actor=manager, business_unit=unit_a, name="P", kind="current", framework="csf-mini"
    )
    evidence = services.evidence_add(actor=manager, title="E", url="https://e.example", control=control.ref)
    return {"control": control.ref, "assessment": assessment.ref, "profile": profile.ref, "evidence": evidence.ref}


REQUESTS = [
    ("get", "/compliance/controls/{control}/", None),
    ("get", "/compliance/controls/{control}/edit/", None),
    ("post", "/compliance/controls/{control}/edit/", {"name": "pwned"}),
    ("post", "/compliance/controls/{control}/map/", {"framework": "csf-mini", "identifiers": "GV.RM-01"}),
    ("post", "/compliance/controls/{control}/delete/", {}),
    ("get", "/compliance/assessments/{assessment}/", None),
    ("post", "/compliance/assessments/{assessment}/results/GV.OC-01/", {"status": "implemented", "reason": "x"}),
    ("post", "/compliance/assessments/{assessment}/signoff/", {}),
    ("get", "/compliance/assessments/{assessment}/migrate/", None),
    ("get", "/compliance/assessments/{assessment}/export.csv", None),
    ("get", "/compliance/profiles/{profile}/", None),
    ("post", "/compliance/profiles/{profile}/outcomes/", {"tier:GV.OC-01": "2"}),
    ("get", "/compliance/evidence/{evidence}/download/", None),
    ("get", "/api/v1/compliance/controls/{control}", None),
    ("patch", "/api/v1/compliance/controls/{control}", {"name": "pwned"}),
    ("delete", "/api/v1/compliance/controls/{control}", None),
    ("get", "/api/v1/compliance/assessments/{assessment}", None),
    ("put", "/api/v1/compliance/assessments/{assessment}/results/GV.OC-01", {"status": "implemented", "reason": "x"}),
    ("post", "/api/v1/compliance/assessments/{assessment}/signoff", {}),
    ("get", "/api/v1/compliance/assessments/{assessment}/export?format=oscal", None),
    ("get", "/api/v1/compliance/profiles/{profile}", None),
    ("put", "/api/v1/compliance/profiles/{profile}/outcomes", {"outcomes": {"GV.OC-01": 1}}),
    ("get", "/api/v1/compliance/evidence/{evidence}", None),
]


@pytest.mark.parametrize(("method", "path", "data"), REQUESTS, ids=[f"{m} {p}" for m, p, _ in REQUESTS])
def test_other_unit_is_404(client, make_user, unit_b, world, method, path, data):
    outsider = make_user(Role.SECURITY_MANAGER, units=[unit_b])
    client.force_login(outsider)
    url = path.format(**world)
    if path.startswith("/api/") and method != "get":
        response = getattr(client, method)(url, data, content_type="application/json")
    elif method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(url, data)
    assert response.status_code == 404, response.content[:200]
    assert Control.objects.get(number=1).name == "Secret"
    assert Assessment.objects.get(number=1).state == "in_progress"


def test_lists_hide_other_units(client, make_user, unit_b, world):
    outsider = make_user(Role.SECURITY_MANAGER, units=[unit_b])
    client.force_login(outsider)
    for path in (
        "/api/v1/compliance/controls",
        "/api/v1/compliance/assessments",
        "/api/v1/compliance/evidence",
        "/api/v1/compliance/profiles",
    ):
        assert client.get(path).json()["count"] == 0, path
    overview = client.get("/api/v1/compliance/overview").json()
    assert all(
        f["coverage"]["implemented"] + f["coverage"]["partial"] + f["coverage"]["not_implemented"] == 0
        for f in overview
    )
